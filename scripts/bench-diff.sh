#!/usr/bin/env bash
# `neardup diff` benchmark: generates the pairs of issue 17 (long unrelated
# texts without punctuation; long prose differing in a few hundred words) and
# runs `neardup diff A B -o FILE` on each under /usr/bin/time -v, for one or
# more binaries, alternating them back to back. Prints one line per pair and
# binary with the median wall time and the median peak RSS.
#
#   scripts/bench-diff.sh --neardup build/cli/neardup
#   scripts/bench-diff.sh --neardup OLD --neardup NEW --repeat 3 --pairs unrelated-20k,prose-5mb
#
# Options (defaults in brackets):
#   --neardup BIN          binary to run; repeat to compare [build/cli/neardup]
#   --pairs P,P,...        unrelated-20k, unrelated-40k, prose-1mb, prose-2mb, prose-5mb
#                          [unrelated-20k,unrelated-40k,prose-1mb,prose-5mb]
#   --source PATH          prose as JSONL[.gz] with a "text" field (the unrelated
#                          pairs fall back to generated words without it)
#                          [../shared/data/enwiki-2015/docs.jsonl.gz when present]
#   --repeat R             runs per pair and binary; medians are reported [3]
#   --limit-mb MB          address-space limit per run (ulimit -v), so a runaway run
#                          fails instead of exhausting the machine [16384]
#   --work DIR             generated inputs and outputs [${TMPDIR:-/tmp}/neardup-bench-diff]
# Needs bash, coreutils, awk, jq (for --source) and /usr/bin/time (Debian package `time`).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bins=()
pairs="unrelated-20k,unrelated-40k,prose-1mb,prose-5mb"
source_path=""
repeat=3
limit_mb=16384
work="${TMPDIR:-/tmp}/neardup-bench-diff"
die() { echo "bench-diff: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --neardup) bins+=("$2"); shift 2 ;;
    --pairs) pairs="$2"; shift 2 ;;
    --source) source_path="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --limit-mb) limit_mb="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
[ ${#bins[@]} -gt 0 ] || bins=("$root/build/cli/neardup")
for b in "${bins[@]}"; do [ -x "$b" ] || die "not executable: $b"; done
if [ -z "$source_path" ] && [ -f "$root/../shared/data/enwiki-2015/docs.jsonl.gz" ]; then
  source_path="$root/../shared/data/enwiki-2015/docs.jsonl.gz"
fi
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package time)"
mkdir -p "$work"
export LC_ALL=C

# Prose paragraphs, one per line, from the source (cached).
prose() {
  [ -n "$source_path" ] || die "prose pairs need --source"
  if [ ! -s "$work/prose.txt" ]; then
    case "$source_path" in
      *.gz) zcat "$source_path" ;;
      *) cat "$source_path" ;;
    esac | jq -r '.text' | awk 'NF > 0' >"$work/prose.txt"
  fi
}

# words N OFFSET: N words without punctuation on one line, from the source
# starting at word OFFSET, or drawn from a generated vocabulary without it.
words() {
  if [ -n "$source_path" ]; then
    prose
    tr -c 'A-Za-z0-9\n' ' ' <"$work/prose.txt" | tr -s ' \n' '\n\n' |
      awk -v n="$1" -v off="$2" 'NR > off && NR <= off + n { printf "%s ", tolower($0) } END { print "" }'
  else
    awk -v n="$1" -v seed="$2" 'BEGIN {
      srand(seed + 1)
      for (i = 0; i < 5000; i++) {
        w = ""; len = 2 + int(rand() * 8)
        for (k = 0; k < len; k++) w = w sprintf("%c", 97 + int(rand() * 26))
        vocab[i] = w
      }
      for (i = 0; i < n; i++) printf "%s ", vocab[int(5000 * rand() ^ 3)]
      print ""
    }'
  fi
}

# prose_pair BYTES: A is whole paragraphs (blank-line separated) up to BYTES;
# B is A with 200 words, at seeded random positions, replaced by other words.
prose_pair() {
  prose
  awk -v max="$1" '{ n += length($0) + 2; if (n > max) exit; print; print "" }' \
    "$work/prose.txt" >"$2"
  awk -v seed=17 -v edits=200 '
    { line[NR] = $0; total += NF; nf[NR] = NF }
    END {
      srand(seed)
      for (e = 0; e < edits; e++) pick[int(rand() * total)] = 1
      w = 0
      for (r = 1; r <= NR; r++) {
        if (nf[r] == 0) { print ""; continue }
        n = split(line[r], f, " ")
        out = ""
        for (i = 1; i <= n; i++) {
          out = out (i > 1 ? " " : "") (w in pick ? "zqx" w : f[i])
          w++
        }
        print out
      }
    }' "$2" >"$3"
}

generate() {
  local p="$1" a="$work/$1.a.txt" b="$work/$1.b.txt"
  [ -s "$a" ] && [ -s "$b" ] && return 0
  case "$p" in
    unrelated-20k) words 20000 0 >"$a"; words 20000 500000 >"$b" ;;
    unrelated-40k) words 40000 0 >"$a"; words 40000 500000 >"$b" ;;
    prose-1mb) prose_pair 1000000 "$a" "$b" ;;
    prose-2mb) prose_pair 2000000 "$a" "$b" ;;
    prose-5mb) prose_pair 5000000 "$a" "$b" ;;
    *) die "unknown pair $p" ;;
  esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# $(date -u +%Y-%m-%d) $(uname -n) $(nproc) cores; repeat $repeat; limit ${limit_mb} MB"
printf '%-14s %-10s %-10s %6s %9s %9s  %s\n' pair "A bytes" "B bytes" exit "median s" "RSS MB" binary
IFS=, read -r -a pair_list <<<"$pairs"
for p in "${pair_list[@]}"; do
  generate "$p"
  a="$work/$p.a.txt"
  b="$work/$p.b.txt"
  declare -A secs=() rss=() codes=()
  for ((r = 0; r < repeat; r++)); do
    for ((k = 0; k < ${#bins[@]}; k++)); do
      log="$work/time.log"
      code=0
      (ulimit -v $((limit_mb * 1024)); /usr/bin/time -v "${bins[$k]}" diff "$a" "$b" \
        -o "$work/out.txt") 2>"$log" || code=$?
      s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); v = 0
            for (i = 1; i <= n; i++) v = v * 60 + t[i]; print v }' "$log")
      m=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
      secs[$k]+="${s:-nan} "
      rss[$k]+="${m:-nan} "
      codes[$k]+="$code "
    done
  done
  for ((k = 0; k < ${#bins[@]}; k++)); do
    printf '%-14s %-10s %-10s %6s %9s %9s  %s\n' "$p" "$(wc -c <"$a")" "$(wc -c <"$b")" \
      "$(tr ' ' '\n' <<<"${codes[$k]}" | sort -u | tr '\n' ' ' | xargs | tr ' ' '/')" \
      "$(tr ' ' '\n' <<<"${secs[$k]}" | awk 'NF' | median)" \
      "$(tr ' ' '\n' <<<"${rss[$k]}" | awk 'NF' | median)" "${bins[$k]}"
  done
  unset secs rss codes
done
