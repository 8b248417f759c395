#!/usr/bin/env bash
# cmake --install for C++ users (issue 23): installs the build into a
# temporary prefix, checks what it holds, then builds tests/install/consumer
# against it twice, with find_package(neardup) and with pkg-config, and runs
# both on three documents of corpora/news: two versions of one story (a
# correction of the wire copy) must form one cluster and a different story
# must stay apart.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR [CXX]
set -euo pipefail
build="$1"
source="$2"
cxx="${3:-c++}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log"

fail() { echo "install_test: $*" >&2; exit 1; }

# The library, its public headers (those of lib/include/neardup, no other),
# the package files and the CLI.
lib="$(find "$prefix" -name libneardup.a)"
[ -n "$lib" ] || fail "no libneardup.a under $prefix"
expected_headers="$(cd "$source/lib/include/neardup" && ls ./*.h | sort)"
installed_headers="$(cd "$prefix/include/neardup" && ls ./* | sort)"
[ "$expected_headers" = "$installed_headers" ] ||
  fail "installed headers differ from lib/include/neardup: $installed_headers"
config="$(find "$prefix" -name neardupConfig.cmake)"
[ -n "$config" ] || fail "no neardupConfig.cmake"
[ -n "$(find "$prefix" -name neardupConfigVersion.cmake)" ] || fail "no neardupConfigVersion.cmake"
pc="$(find "$prefix" -name neardup.pc)"
[ -n "$pc" ] || fail "no neardup.pc"
version="$("$prefix/bin/neardup" --version)"
echo "installed: $lib, $config, $pc; $version"

# Two versions of the glacier story and the harbour bridge story.
corpus="$tmp/corpus"
mkdir "$corpus"
for name in glacier-forest__wire.txt glacier-forest__edit-correction.txt harbor-bridge__wire.txt; do
  cp "$source/corpora/news/docs/$name" "$corpus/"
done
expected="cluster 0: glacier-forest__edit-correction.txt glacier-forest__wire.txt
documents 3, kept 2"

# find_package(neardup CONFIG)
cmake -S "$source/tests/install/consumer" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release >"$tmp/configure.log"
cmake --build "$tmp/cmake-build" >"$tmp/build.log" || { cat "$tmp/build.log"; fail "cmake build"; }
got="$("$tmp/cmake-build/consumer" "$corpus")"
[ "$got" = "$expected" ] || fail "find_package consumer printed:
$got
expected:
$expected"
echo "find_package(neardup): ok"

# pkg-config, linked statically (libneardup.a needs its Requires.private).
export PKG_CONFIG_PATH="$(dirname "$pc")"
[ "$(pkg-config --modversion neardup)" = "${version#neardup }" ] ||
  fail "neardup.pc version $(pkg-config --modversion neardup), CLI: $version"
# shellcheck disable=SC2046
"$cxx" -std=c++20 -O1 "$source/tests/install/consumer/main.cc" -o "$tmp/consumer-pc" \
  $(pkg-config --static --cflags --libs neardup)
got="$("$tmp/consumer-pc" "$corpus")"
[ "$got" = "$expected" ] || fail "pkg-config consumer printed:
$got
expected:
$expected"
echo "pkg-config neardup: ok ($(pkg-config --static --libs neardup))"
