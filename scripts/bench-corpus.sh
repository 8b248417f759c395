#!/usr/bin/env bash
# End-to-end corpus benchmark: builds neardup (Release, bench on), generates
# planted corpora with gen_planted at several sizes (cached), runs
# `neardup cluster --level L` on each under /usr/bin/time -v at each thread
# count, scores the clusters against the generator's labels with
# `neardup eval`, and writes a CSV plus an SVG chart (bench/report/svg_chart).
#
#   scripts/bench-corpus.sh                                   # 10k, 100k, 1M docs; 1 and 2 threads
#   scripts/bench-corpus.sh --sizes 10000,100000 --threads 1,2 --repeat 3
#
# Options (defaults in brackets):
#   --sizes N,N,...      corpus sizes in documents [10000,100000,1000000]
#   --threads T,T,...    worker threads [1,2]
#   --levels L,L,...     cluster levels [near, plus story when `cluster --help` lists it]
#   --source PATH        prose for gen_planted (JSONL[.gz] or a folder of .txt)
#                        [../shared/data/enwiki-2015/docs.jsonl.gz when present]
#   --seed S             gen_planted seed [1]
#   --repeat R           runs per configuration; the CSV keeps the median by time [1]
#   --cache DIR          generated corpora [${TMPDIR:-/tmp}/neardup-bench-corpora]
#   --build DIR          build directory [build-bench]
#   --out PREFIX         output files PREFIX.csv and PREFIX.svg
#                        [bench/results/DATE-corpus]
#   --no-build           use the binaries already in --build
# Needs bash, coreutils, awk and /usr/bin/time (Debian package `time`).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
sizes="10000,100000,1000000"
threads="1,2"
levels=""
source_path=""
seed=1
repeat=1
cache="${TMPDIR:-/tmp}/neardup-bench-corpora"
build="$root/build-bench"
out=""
do_build=1

die() { echo "bench-corpus: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --levels) levels="$2"; shift 2 ;;
    --source) source_path="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package: time)"
if [ -z "$source_path" ]; then
  source_path="$root/../shared/data/enwiki-2015/docs.jsonl.gz"
  [ -e "$source_path" ] || die "no --source given and $source_path does not exist"
fi
[ -e "$source_path" ] || die "source $source_path does not exist"
source_path="$(cd "$(dirname "$source_path")" && pwd)/$(basename "$source_path")"

if [ "$do_build" = 1 ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNEARDUP_BUILD_BENCH=ON \
    -DNEARDUP_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" --target neardup gen_planted svg_chart >/dev/null
fi
neardup="$build/cli/neardup"
gen="$build/bench/gen_planted"
chart="$build/bench/svg_chart"
for b in "$neardup" "$gen" "$chart"; do [ -x "$b" ] || die "missing $b (build it or drop --no-build)"; done

if [ -z "$levels" ]; then
  levels="near"
  if "$neardup" cluster --help | grep -- '--level' | grep -q story; then levels="near,story"; fi
fi

date_utc="$(date -u +%Y-%m-%d)"
[ -n "$out" ] || out="$root/bench/results/$date_utc-corpus"
mkdir -p "$(dirname "$out")" "$cache"
cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
machine="${cpu:-unknown CPU}, $(nproc) cores, $(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Wall seconds from time -v's "h:mm:ss" or "m:ss.ss".
wall_seconds() {
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + p[i]; print s }' "$1"
}

csv="$out.csv"
echo "date,machine,command,level,docs,mb,threads,seconds,docs_per_s,mb_per_s,peak_rss_mb,bytes_per_doc,precision,recall,f1" >"$csv"
IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a thread_list <<<"$threads"
IFS=, read -r -a level_list <<<"$levels"
stamp="$(basename "$source_path") $(stat -L -c %s "$source_path")"
for n in "${size_list[@]}"; do
  corpus="$cache/planted-$n-seed$seed.jsonl"
  labels="$cache/planted-$n-seed$seed.labels.tsv"
  if [ ! -s "$corpus" ] || [ ! -s "$labels" ] || [ "$(cat "$corpus.source" 2>/dev/null)" != "$stamp" ]; then
    echo "bench-corpus: generating $n documents (seed $seed) into $cache" >&2
    "$gen" --source "$source_path" --docs "$n" --seed "$seed" --out "$corpus" --labels "$labels" 2>"$work/gen.log" ||
      { cat "$work/gen.log" >&2; die "gen_planted failed"; }
    echo "$stamp" >"$corpus.source"
  fi
  bytes="$(stat -L -c %s "$corpus")"
  mb="$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')"
  for level in "${level_list[@]}"; do
    for t in "${thread_list[@]}"; do
      cmd=("$neardup" cluster -q --level "$level" --threads "$t" "$corpus" -o "$work/clusters.jsonl")
      runs=()
      for ((r = 1; r <= repeat; ++r)); do
        /usr/bin/time -v "${cmd[@]}" 2>"$work/time.log" || { cat "$work/time.log" >&2; die "neardup failed"; }
        secs="$(wall_seconds "$work/time.log")"
        rss_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.log")"
        runs+=("$secs $rss_kb")
      done
      # Median run by wall time (its own peak RSS).
      read -r secs rss_kb < <(printf '%s\n' "${runs[@]}" | sort -g | awk -v m=$(((repeat + 1) / 2)) 'NR == m')
      read -r p rc f1 < <("$neardup" eval --clusters "$work/clusters.jsonl" --labels "$labels" |
        awk '/^pairwise/ {print $3, $5, $7}')
      row="$(awk -v s="$secs" -v n="$n" -v b="$bytes" -v kb="$rss_kb" 'BEGIN {
        printf "%.2f,%.0f,%.1f,%.1f,%.0f", s, n / s, b / 1e6 / s, kb / 1024, kb * 1024 / n }')"
      printf '%s,"%s","%s",%s,%s,%s,%s,%s,%s,%s,%s\n' "$date_utc" "$machine" \
        "neardup cluster -q --level $level --threads $t $(basename "$corpus") -o clusters.jsonl" \
        "$level" "$n" "$mb" "$t" "$row" "$p" "$rc" "$f1" >>"$csv"
      echo "bench-corpus: $level $n docs, $t threads: $row (s, docs/s, MB/s, RSS MB, B/doc), P $p R $rc" >&2
    done
  done
done
"$chart" "$csv" "$out.svg"
echo "bench-corpus: wrote $csv and $out.svg" >&2
