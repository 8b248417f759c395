#!/usr/bin/env bash
# Configures and builds neardup into ./build (Release with debug info).
# Extra arguments are passed to cmake, e.g. -DNEARDUP_SANITIZE=ON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${NEARDUP_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
