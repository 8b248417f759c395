#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan into their own
# build directory and runs each for SECONDS (default 60), starting from a seed
# corpus made from corpora/. Exits 1 if any target finds a crash; the input
# that caused it is kept under $build/fuzz-artifacts/.
#
#   scripts/fuzz.sh [SECONDS]
#   NEARDUP_FUZZ_BUILD_DIR=/tmp/fz scripts/fuzz.sh 300
#   NEARDUP_FUZZ_SEED=7 scripts/fuzz.sh       # libFuzzer seed (default 1: repeatable runs)
#   NEARDUP_FUZZ_TARGETS="fuzz_jsonl fuzz_warc" scripts/fuzz.sh 60   # only these targets
#
# Needs clang++ (Debian 12: the clang package; libFuzzer ships with it).
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${NEARDUP_FUZZ_BUILD_DIR:-$root/build-fuzz}"
read -r -a targets <<<"${NEARDUP_FUZZ_TARGETS:-fuzz_jsonl fuzz_warc fuzz_html fuzz_normalize fuzz_align}"
export LC_ALL=C

cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNEARDUP_FUZZ=ON -DNEARDUP_BUILD_TESTS=OFF -DNEARDUP_BUILD_CLI=OFF -DNEARDUP_BUILD_PYTHON=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

# Seeds: the documents of corpora/ as text, HTML, JSONL (plain, gzip in one
# or two members, zstd in two frames) and
# WARC records (plain and one gzip member per record).
seeds="$build/fuzz-seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{text,html,jsonl,warc,pairs}
json_escape() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r$//' | awk 'BEGIN { ORS = "\\n" } { print }'; }
warc_record() {
  printf 'WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Target-URI: http://x.example/%s\r\n' "$1" "$2" "$2"
  printf 'Content-Type: %s\r\nContent-Length: %d\r\n\r\n' "$3" "$(wc -c <"$4")"
  cat "$4"
  printf '\r\n\r\n'
}
n=0
for f in "$root"/corpora/*/docs/*; do
  n=$((n + 1))
  head -c 4096 "$f" >"$seeds/text/$n"
  { printf '<!DOCTYPE html><html><head><title>t</title><script>var a = "<p>";</script></head><body><p>'
    sed 's/&/\&amp;/g; s/</\&lt;/g' "$seeds/text/$n"
    printf '</p><br><div>&copy; &#8212; &#x41;</div></body></html>'; } >"$seeds/html/$n"
  printf '{"id": "%s", "text": "%s", "n": %d}\n' "$n" "$(json_escape <"$seeds/text/$n")" "$n" >"$seeds/jsonl/$n"
  [ $((n % 4)) -ne 0 ] || gzip -n <"$seeds/jsonl/$n" >"$seeds/jsonl/$n.gz"
  # Several members and several zstd frames (read alone through access points).
  [ $((n % 4)) -ne 1 ] || { head -c 700 "$seeds/jsonl/$n" | gzip -n; tail -c +701 "$seeds/jsonl/$n" | gzip -n; } >"$seeds/jsonl/$n.members.gz"
  [ $((n % 4)) -ne 2 ] || { head -c 700 "$seeds/jsonl/$n" | zstd -q; tail -c +701 "$seeds/jsonl/$n" | zstd -q; } >"$seeds/jsonl/$n.zst"
  { printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n'; cat "$seeds/html/$n"; } >"$seeds/block"
  { warc_record conversion "$n" text/plain "$seeds/text/$n"
    warc_record response "r$n" "application/http; msgtype=response" "$seeds/block"; } >"$seeds/warc/$n"
  [ $((n % 4)) -ne 0 ] || { warc_record conversion "$n" text/plain "$seeds/text/$n" | gzip -n
                            warc_record response "r$n" "application/http; msgtype=response" "$seeds/block" | gzip -n; } >"$seeds/warc/$n.gz"
  [ "$n" -lt 60 ] || break
done
rm -f "$seeds/block"
# fuzz_align: two documents separated by a 0xFF byte (each file against its
# neighbour, and each against a copy with one word changed).
prev=""
for f in "$seeds"/text/*; do
  [ -n "$prev" ] && { head -c 2048 "$prev"; printf '\377'; head -c 2048 "$f"; } >"$seeds/pairs/$(basename "$f")"
  { head -c 2048 "$f"; printf '\377'; head -c 2048 "$f" | sed '1s/ [a-z]* / changed /'; } >"$seeds/pairs/$(basename "$f").edit"
  prev="$f"
done
declare -A seed_dir=([fuzz_jsonl]=jsonl [fuzz_warc]=warc [fuzz_html]=html [fuzz_normalize]=text
                     [fuzz_align]=pairs)

failed=()
mkdir -p "$build/fuzz-artifacts"
for t in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$t"
  mkdir -p "$corpus"
  echo "fuzz: $t for $seconds s (seeds: $(ls "$seeds/${seed_dir[$t]}" | wc -l) files)"
  if ! "$build/fuzz/$t" -seed="${NEARDUP_FUZZ_SEED:-1}" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$t-" "$corpus" "$seeds/${seed_dir[$t]}" \
    >"$build/fuzz-artifacts/$t.log" 2>&1; then
    failed+=("$t")
    tail -n 40 "$build/fuzz-artifacts/$t.log" >&2
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/fuzz-artifacts/$t.log" | tr '\n' ' '
  echo
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]} (inputs in $build/fuzz-artifacts/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, $seconds s each, no findings"
