#!/usr/bin/env bash
# Installs every package neardup needs to build, test and benchmark, from
# Debian 12 (bookworm). Idempotent: packages already present are left alone.
# Run as root (or with sudo available).
set -euo pipefail

packages=(
  g++ cmake make pkg-config git ca-certificates
  libxxhash-dev libeigen3-dev libtbb-dev libutf8proc-dev libsimdjson-dev
  libcli11-dev libzstd-dev zlib1g-dev
  libisal-dev  # gzip decoding (ISA-L igzip, lib/io/gzip_source.cc; issue 20)
  catch2 libbenchmark-dev
  libdeflate-dev  # whole gzip members of parallel runs (lib/io/gzip_source.cc; issue 20)
  clang-format time
  chromium  # headless screenshot of the `neardup diff` HTML report (tests/cli/diff_screenshot.sh)
  clang libclang-rt-14-dev  # scripts/fuzz.sh (libFuzzer is in libclang-rt, which clang only recommends)
  zstd  # the zstd tool: fuzz seeds (scripts/fuzz.sh) and bench/compressed.sh
  python3-dev pybind11-dev  # the Python module (python/)
  python3-numpy  # neardup.MinHash's arrays
  python3-pytest  # tests/python/test_{dedup,sketch,diff,tune}.py
  python3-distributed python3-dask  # python3 -m neardup.dask and its tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
