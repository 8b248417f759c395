#!/usr/bin/env bash
# Persistent index benchmark (issue 22): a gen_planted corpus of BATCHES x
# DOCS documents (copies of any earlier document, so duplicates cross
# batches) is cut into BATCHES files and added one by one with
# `neardup index add` under /usr/bin/time -v; then a held-out corpus
# (another seed) is queried against the full index. Writes a CSV row per
# add (time, peak RSS, index bytes per document, CPU time: user + system)
# and one for the query, and
# an SVG of time and peak RSS per add.
#
#   bench/index.sh [--docs 100000] [--batches 10] [--threads 2] [--level near]
#                  [--source PATH] [--build build] [--work DIR] [--out PREFIX]
#
# Defaults: 100,000 documents per batch, 10 batches, 2 threads, near level,
# source ../shared/data/enwiki-2015/docs.jsonl.gz, build directory build
# (targets neardup and gen_planted), work directory
# ${TMPDIR:-/tmp}/neardup-bench-index (corpora cached there), output
# bench/results/DATE-index.{csv,svg}. Needs /usr/bin/time (Debian `time`).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
docs=100000
batches=10
threads=2
level=near
source_path="$root/../shared/data/enwiki-2015/docs.jsonl.gz"
build="$root/build"
work="${TMPDIR:-/tmp}/neardup-bench-index"
out="$root/bench/results/$(date -u +%F)-index"
die() { echo "bench/index.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --level) level="$2"; shift 2 ;;
    --source) source_path="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
neardup="$build/cli/neardup"
gen="$build/bench/gen_planted"
[ -x "$neardup" ] && [ -x "$gen" ] || die "build neardup and gen_planted in $build first"
[ -e "$source_path" ] || die "no source prose at $source_path (--source)"
mkdir -p "$work"
total=$((docs * batches))
corpus="$work/planted-$total.jsonl"
heldout="$work/heldout-$docs.jsonl"
[ -s "$corpus" ] || "$gen" --source "$source_path" --docs "$total" --seed 1 --out "$corpus" \
  --labels "$work/planted-$total.labels.tsv" >/dev/null
[ -s "$heldout" ] || "$gen" --source "$source_path" --docs "$docs" --seed 2 --out "$heldout" \
  --labels "$work/heldout-$docs.labels.tsv" >/dev/null
rm -rf "$work/batches" "$work/idx" "$work/out"
mkdir -p "$work/batches" "$work/out"
split -l "$docs" -d -a 3 --additional-suffix=.jsonl "$corpus" "$work/batches/b"

# time_run LOG CMD...: runs CMD under /usr/bin/time -v; prints "seconds peak_rss_bytes cpu_seconds".
time_run() {
  local log="$1"
  shift
  /usr/bin/time -v "$@" 2>"$log" >/dev/null || { cat "$log" >&2; die "$* failed"; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0
                 for (i = 1; i <= n; i++) s = s * 60 + t[i] }
               /Maximum resident set size/ { rss = $2 * 1024 }
               /User time \(seconds\)|System time \(seconds\)/ { cpu += $2 }
               END { printf "%.2f %d %.2f\n", s, rss, cpu }' "$log"
}

"$neardup" index init "$work/idx" --level "$level"
csv="$out.csv"
echo "step,batch,documents,index_documents,seconds,peak_rss_mb,docs_per_s,index_bytes,index_bytes_per_doc,cpu_seconds" >"$csv"
i=0
for batch in "$work"/batches/b*.jsonl; do
  i=$((i + 1))
  read -r secs rss cpu < <(time_run "$work/add-$i.log" "$neardup" index add -q -j "$threads" \
    "$work/idx" "$batch" -o "$work/out/$i" --batch "b$i")
  rm -rf "$work/out/$i"  # keep the disk to the index
  "$neardup" index stats "$work/idx" >"$work/stats"
  bytes=$(awk '$1 == "bytes" { print $2 }' "$work/stats")
  indexed=$(awk '$1 == "documents" { print $2 }' "$work/stats")
  awk -v i="$i" -v d="$docs" -v n="$indexed" -v s="$secs" -v r="$rss" -v b="$bytes" -v c="$cpu" 'BEGIN {
    printf "add,%d,%d,%d,%.2f,%.1f,%.0f,%d,%.1f,%.2f\n", i, d, n, s, r / 1e6, d / s, b, b / n, c }' >>"$csv"
  tail -n 1 "$csv"
done
read -r secs rss cpu < <(time_run "$work/query.log" "$neardup" index query -q -j "$threads" \
  "$work/idx" "$heldout" -o "$work/query.jsonl")
awk -v d="$docs" -v n="$indexed" -v s="$secs" -v r="$rss" -v b="$bytes" -v c="$cpu" 'BEGIN {
  printf "query,heldout,%d,%d,%.2f,%.1f,%.0f,%d,%.1f,%.2f\n", d, n, s, r / 1e6, d / s, b, b / n, c }' >>"$csv"
tail -n 1 "$csv"
"$neardup" index verify "$work/idx" >/dev/null || die "index verify failed"

# SVG: seconds and peak RSS per add, as bars.
awk -F, -v title="neardup index add: $batches batches of $docs documents, $threads threads" '
  NR > 1 && $1 == "add" { n++; s[n] = $5; r[n] = $6; if ($5 > ms) ms = $5; if ($6 > mr) mr = $6 }
  END {
    w = 640; h = 420; pw = w - 80; ph = 140
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n", w, h
    printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"10\" y=\"18\" font-size=\"13\">%s</text>\n", title
    for (p = 0; p < 2; p++) {
      top = 40 + p * 190; m = p ? mr : ms
      printf "<text x=\"10\" y=\"%d\">%s (max %.2f)</text>\n", top - 6, p ? "peak RSS, MB" : "seconds per add", m
      printf "<line x1=\"60\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", top + ph, 60 + pw, top + ph
      for (i = 1; i <= n; i++) {
        v = p ? r[i] : s[i]; bh = m > 0 ? v / m * ph : 0; bw = pw / n * 0.7
        x = 60 + (i - 1) * pw / n
        printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", x, top + ph - bh, bw, bh, p ? "#d95f02" : "#1b9e77"
        printf "<text x=\"%.1f\" y=\"%d\">%d</text>\n", x + bw / 3, top + ph + 14, i
        printf "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\">%.*f</text>\n", x, top + ph - bh - 3, p ? 0 : 2, v
      }
    }
    print "</svg>"
  }' "$csv" >"$out.svg"
echo "wrote $csv and $out.svg"
