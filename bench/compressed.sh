#!/usr/bin/env bash
# Compressed input against plain input (issue 20): one generated corpus
# (bench/gen_crawl, prose from the Wikipedia sample) written as
#   plain .jsonl, .jsonl.gz (one gzip stream), .jsonl.gz of ~1 MB members
#   (as pigz writes), .jsonl.zst (one frame), .jsonl.zst of ~1 MB frames,
#   .warc.wet.gz (one gzip member per record, as Common Crawl writes) and its
#   decompressed equivalent .warc.wet, and .warc.gz (the same WARC as one stream);
# then `neardup cluster -q -jN INPUT -o FILE` for each input and N in
# --threads, --repeat runs each (rounds alternate the inputs, so a noisy
# neighbour hits all of them alike), printing the median wall time, its ratio
# to the plain file of the same family, and the read+sign / exact-check split
# (from the summary of one more, untimed run). Outputs of the
# same family are compared with cmp: they must be byte-identical.
# With --baseline, a second binary (e.g. a build of main) runs in the same
# rounds, alternating with the first, and gets its own rows; its outputs
# must be byte-identical to the first binary's. CPU time (user + system,
# from /usr/bin/time) is shown besides wall time. Outputs go to a temporary
# directory, and with them the decoded copies of compressed inputs that a
# neardup with --spill-dir writes beside its output (up to 225 MB at a time).
#
#   bench/compressed.sh                       # 60000 documents, 1 and 2 threads, 3 runs
#   bench/compressed.sh --docs 10000 --repeat 1
#
# Options (defaults in brackets):
#   --docs N        documents for gen_crawl [60000]
#   --seed S        gen_crawl seed [7]
#   --threads T,T   thread counts [1,2]
#   --repeat R      runs per input and thread count; the median is shown [3]
#   --build DIR     build directory with cli/neardup and bench/gen_crawl [build]
#   --neardup PATH  the neardup binary timed [DIR/cli/neardup]
#   --baseline PATH a second binary timed in the same rounds (e.g. main's) [none]
#   --cache DIR     generated corpora [${TMPDIR:-/tmp}/neardup-bench-compressed]
#   --source PATH   prose for gen_crawl [../shared/data/enwiki-2015/docs.jsonl.gz]
# Needs bash, coreutils, gzip, zstd, awk.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
docs=60000
seed=7
threads="1,2"
repeat=3
build="$root/build"
neardup=""
baseline=""
cache="${TMPDIR:-/tmp}/neardup-bench-compressed"
source_path="$root/../shared/data/enwiki-2015/docs.jsonl.gz"
[ -e "$source_path" ] || source_path="/work/shared/data/enwiki-2015/docs.jsonl.gz"

die() { echo "compressed.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --neardup) neardup="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --source) source_path="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[ -n "$neardup" ] || neardup="$build/cli/neardup"
gen="$build/bench/gen_crawl"
for b in "$neardup" "$gen"; do [ -x "$b" ] || die "missing $b (build with -DNEARDUP_BUILD_BENCH=ON)"; done
[ -e "$source_path" ] || die "source $source_path does not exist"
[ -z "$baseline" ] || [ -x "$baseline" ] || die "missing $baseline"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package time)"
for t in gzip zstd split awk; do command -v "$t" >/dev/null || die "$t not found"; done

# --- The corpus, in every format (cached by docs and seed).
c="$cache/crawl-$docs-seed$seed"
mkdir -p "$cache"
if [ ! -s "$c.done" ]; then
  echo "compressed.sh: generating $docs documents (seed $seed) into $cache" >&2
  "$gen" --source "$source_path" --docs "$docs" --seed "$seed" --wet "$c.warc.wet.gz" \
    --jsonl "$c.jsonl" --labels "$c.labels.tsv" >/dev/null
  "$gen" --source "$source_path" --docs "$docs" --seed "$seed" \
    --jsonl "$c.members.jsonl.gz" --labels /dev/null >/dev/null
  gzip -6 -c "$c.jsonl" >"$c.jsonl.gz"
  zstd -q -3 -f "$c.jsonl" -o "$c.jsonl.zst"
  # Frames of about 1 MB, cut at line ends.
  rm -rf "$c.frames" && mkdir "$c.frames"
  split -C 1M -a 5 "$c.jsonl" "$c.frames/part-"
  for p in "$c.frames"/part-*; do zstd -q -3 "$p" -o "$p.zst"; done
  cat "$c.frames"/part-*.zst >"$c.frames.jsonl.zst"
  rm -rf "$c.frames"
  gzip -dc "$c.warc.wet.gz" >"$c.warc.wet"
  gzip -6 -c "$c.warc.wet" >"$c.stream.warc.gz"
  date >"$c.done"
fi

# family:label:file
inputs=(
  "jsonl:plain .jsonl:$c.jsonl"
  "jsonl:.jsonl.gz (one stream):$c.jsonl.gz"
  "jsonl:.jsonl.gz (1 MB members):$c.members.jsonl.gz"
  "jsonl:.jsonl.zst (one frame):$c.jsonl.zst"
  "jsonl:.jsonl.zst (1 MB frames):$c.frames.jsonl.zst"
  "warc:plain .warc.wet:$c.warc.wet"
  "warc:.warc.wet.gz (member per record):$c.warc.wet.gz"
  "warc:.warc.gz (one stream):$c.stream.warc.gz"
)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "# $(date -u +%Y-%m-%dT%H:%MZ), ${cpu:-unknown CPU}, $(nproc) cores, $(git -C "$root" rev-parse --short HEAD)"
echo "# corpus: gen_crawl --docs $docs --seed $seed: $(wc -l <"$c.jsonl") JSONL lines, $(stat -c %s "$c.jsonl") bytes"
IFS=, read -r -a thread_list <<<"$threads"
binaries=("$neardup")
[ -z "$baseline" ] || binaries+=("$baseline")
median() { sort -g "$1" | awk -v m=$(((repeat + 1) / 2)) 'NR == m'; }
for t in "${thread_list[@]}"; do
  # Alternate rounds: every input once per round, each binary in turn.
  for ((r = 1; r <= repeat; ++r)); do
    for i in "${!inputs[@]}"; do
      IFS=: read -r family label file <<<"${inputs[$i]}"
      for b in "${!binaries[@]}"; do
        out="$work/out-$b-$t-$i.jsonl"
        /usr/bin/time -f "%e %U %S" -o "$work/time" "${binaries[$b]}" cluster -q -j"$t" "$file" \
          -o "$out" 2>"$work/err" || { cat "$work/err" >&2; die "neardup failed on $file"; }
        read -r wall user sys <"$work/time"
        echo "$wall" >>"$work/times-$b-$t-$i"
        awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f\n", u + s}' >>"$work/cpu-$b-$t-$i"
      done
    done
  done
  for b in "${!binaries[@]}"; do
    bin="${binaries[$b]}"
    printf '\n%s\n%-34s %8s %8s %7s %8s %9s %9s\n' "# $bin" "input (-j$t)" "MB" "median" "ratio" \
      "cpu" "read+sign" "exact"
    for i in "${!inputs[@]}"; do
      IFS=: read -r family label file <<<"${inputs[$i]}"
      med="$(median "$work/times-$b-$t-$i")"
      cpu_med="$(median "$work/cpu-$b-$t-$i")"
      # The split comes from one more, untimed run with the summary on.
      "$bin" cluster -j"$t" "$file" -o "$work/split.jsonl" 2>"$work/sum" >/dev/null
      rs="$(grep -o 'read+sign [0-9.]*' "$work/sum" | awk '{print $2}')"
      ex="$(grep -o 'exact check [0-9.]*' "$work/sum" | awk '{print $3}')"
      case "$family" in jsonl) base_i=0 ;; warc) base_i=5 ;; esac
      base="$(median "$work/times-$b-$t-$base_i")"
      ratio="$(awk -v a="$med" -v b="$base" 'BEGIN {printf "%.2fx", a / b}')"
      mb="$(awk -v b="$(stat -c %s "$file")" 'BEGIN {printf "%.1f", b / 1e6}')"
      printf '%-34s %8s %7ss %7s %7ss %8ss %8ss\n' "$label" "$mb" "$med" "$ratio" "$cpu_med" \
        "${rs:-?}" "${ex:-?}"
      # Sources name the input file: compared with the file name taken out.
      IFS=: read -r _ _ base_file <<<"${inputs[$base_i]}"
      sed "s|$file:|INPUT:|g" "$work/out-$b-$t-$i.jsonl" >"$work/cmp-a"
      sed "s|$base_file:|INPUT:|g" "$work/out-0-$t-$base_i.jsonl" >"$work/cmp-b"
      cmp -s "$work/cmp-a" "$work/cmp-b" ||
        die "output for $label (-j$t, $bin) differs from the plain file's"
    done
  done
done
if printf '%s\n' "${thread_list[@]}" | grep -qx 1 && printf '%s\n' "${thread_list[@]}" | grep -qx 2; then
  echo
  for b in "${!binaries[@]}"; do
    one="$(median "$work/times-$b-1-0")"
    two="$(median "$work/times-$b-2-0")"
    echo "plain .jsonl scaling 1 -> 2 threads (${binaries[$b]}): $(awk -v a="$one" -v b="$two" \
      'BEGIN {printf "%.2fx", a / b}') (cpu $(median "$work/cpu-$b-1-0") s -> $(median "$work/cpu-$b-2-0") s)"
  done
fi
echo "outputs: byte-identical within each family and between binaries (cmp, after the input's name in sources is replaced)"
