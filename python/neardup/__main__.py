"""python3 -m neardup ARGS: the neardup command line, run by the module."""

import sys

from . import main

sys.exit(main(sys.argv[1:]))
