# neardup tune: a table per threshold and the last line "recommended:
# --threshold T", whose clusters are those of `cluster -t T`; --containment
# and --explain at the near level, and the combinations they refuse.
source "$(dirname "$0")/common.sh"

# tune, near level, on corpora/news with its near labels.
expect_exit 0 "$neardup" tune --labels "$corpus/labels.near.tsv" --thresholds 0.6,0.8,0.9 "$corpus/docs"
[ "$(wc -l <"$work/stdout")" -ge 6 ] || fail "tune printed too little: $(cat "$work/stdout")"
last="$(tail -n 1 "$work/stdout")"
[[ "$last" =~ ^recommended:\ --threshold\ (0\.6|0\.8|0\.9)$ ]] || fail "last line: $last"
t="${last##* }"
# The table's F1 at T is what cluster -t T and eval give.
row_f1="$(awk -v t="$t" '$1 == t {print $4}' "$work/stdout")"
"$neardup" cluster --quiet -t "$t" "$corpus/docs" -o "$work/c.jsonl"
"$neardup" eval --format json --clusters "$work/c.jsonl" --labels "$corpus/labels.near.tsv" >"$work/eval.json"
eval_f1="$(grep -o '"pairwise": {[^}]*}' "$work/eval.json" | grep -o '"f1": [0-9.e-]*' | sed 's/.*: //')"
python3 -c "import sys; sys.exit(abs($row_f1 - $eval_f1) > 5e-5)" || fail "tune F1 $row_f1, eval $eval_f1"

# Story level, on corpora/stories.
expect_exit 0 "$neardup" tune --level story --labels "$src/corpora/stories/labels.story.tsv" \
  "$src/corpora/stories/docs"
tail -n 1 "$work/stdout" | grep -Eq '^recommended: --threshold 0\.[0-9]+$' || fail "story tune"

# Refusals: tune with -t or at the exact level, containment with simhash,
# the story level, or --threshold.
expect_exit 1 "$neardup" tune --labels "$corpus/labels.near.tsv" -t 0.8 "$corpus/docs"
expect_exit 1 "$neardup" tune --level exact --labels "$corpus/labels.near.tsv" "$corpus/docs"
expect_exit 1 "$neardup" cluster --containment 0.9 --method simhash "$corpus/docs"
grep -q "MinHash" "$work/stderr" || fail "containment with simhash: $(cat "$work/stderr")"
expect_exit 1 "$neardup" cluster --containment 0.9 --level story "$corpus/docs"
expect_exit 1 "$neardup" cluster --containment 0.9 -t 0.8 "$corpus/docs"
expect_exit 1 "$neardup" index init --containment 0.9 "$work/idx"
grep -q "containment" "$work/stderr" || fail "index init --containment: $(cat "$work/stderr")"

# --containment: a trimmed copy joins its original, which is kept.
expect_exit 0 "$neardup" cluster --quiet --containment 0.9 --explain "$corpus/docs" -o "$work/cont.jsonl"
grep -q '"measure": "containment"' "$work/cont.jsonl" || fail "no containment explanation"
# --explain at the near level adds "explain" and nothing else.
"$neardup" cluster --quiet "$corpus/docs" -o "$work/plain.jsonl"
"$neardup" cluster --quiet --explain "$corpus/docs" -o "$work/explained.jsonl"
sed 's/, "explain": {[^}]*}//g' "$work/explained.jsonl" | cmp - "$work/plain.jsonl" ||
  fail "--explain changed more than the explain fields"
grep -q '"band": ' "$work/explained.jsonl" || fail "no band in near explanations"
echo "tune_containment: tune, containment and near --explain as documented"
