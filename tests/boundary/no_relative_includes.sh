# Fails if a file of lib/ includes through "../", which would step around the
# include paths that keep each stage to its declared dependencies.
#   no_relative_includes.sh SRC
set -euo pipefail
if grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<][^">]*\.\./' "$1/lib"; then
  echo "FAIL: relative includes in lib/ (above)" >&2
  exit 1
fi
