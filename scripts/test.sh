#!/usr/bin/env bash
# Builds neardup with its tests and runs them all through ctest.
# Extra arguments are passed to cmake, e.g. -DNEARDUP_SANITIZE=ON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${NEARDUP_BUILD_DIR:-$root/build}"
"$root/scripts/install-deps.sh"
NEARDUP_BUILD_DIR="$build" "$root/scripts/build.sh" -DNEARDUP_BUILD_TESTS=ON "$@"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
