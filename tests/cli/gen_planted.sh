# gen_planted's trimmed, extended and templated documents (run when
# benchmarks are built; $3 is gen_planted): bench/planted_check.py measures
# the planted properties on the output, without the generator's code, at the
# default ranges and at wider ones (--trim-max, --extend-max). It caught
# templated originals whose trimmed or extended copy was made from the bare
# original (fixed in corpus.cc).
source "$(dirname "$0")/common.sh"
gen="$3"

run() {  # run SEED TRIM_MAX EXTEND_MAX
  "$gen" --source "$corpus/docs" --docs 400 --seed "$1" --trim 0.3 --extend 0.3 \
    --templated-fraction 0.3 --trim-max "$2" --extend-max "$3" --out "$work/p$1.jsonl" \
    --labels "$work/p$1.tsv" --pairs "$work/p$1.pairs.tsv" 2>"$work/gen$1.log" ||
    fail "gen_planted seed $1: $(cat "$work/gen$1.log")"
  templated=$(awk '$1 == "templated" {print $2}' "$work/gen$1.log")
  [ -n "$templated" ] || fail "no templated count in: $(cat "$work/gen$1.log")"
  python3 "$src/bench/planted_check.py" "$work/p$1.jsonl" "$work/p$1.pairs.tsv" "$2" "$3" \
    "$templated" >"$work/check$1" || fail "seed $1: $(cat "$work/check$1")"
}
run 7 60 150  # the defaults, given
run 5 80 300
run 9 90 500
# The defaults are the defaults, and the output does not depend on the run.
"$gen" --source "$corpus/docs" --docs 400 --seed 7 --trim 0.3 --extend 0.3 \
  --templated-fraction 0.3 --out "$work/again.jsonl" --labels "$work/again.tsv" 2>/dev/null
cmp "$work/p7.jsonl" "$work/again.jsonl" || fail "--trim-max 60 --extend-max 150 are not the defaults"
# Out-of-range maxima are refused.
"$gen" --source "$corpus/docs" --docs 10 --trim-max 20 --out "$work/x.jsonl" \
  --labels "$work/x.tsv" 2>/dev/null && fail "--trim-max 20 accepted"
echo "gen_planted: $(cat "$work/check5")"
