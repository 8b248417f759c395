# The story level from the command line: corpora/stories clusters by story
# (F1 >= 0.95), members carry their evidence, --explain gives the figures,
# --stats reuses saved counts, and dedup keeps one version per story.
source "$(dirname "$0")/common.sh"
stories="$src/corpora/stories"

"$neardup" cluster --quiet --level story "$stories/docs" -o "$work/story.jsonl"
"$neardup" eval --format json --clusters "$work/story.jsonl" \
  --labels "$stories/labels.story.tsv" >"$work/story.eval"
f1="$(grep -o '"pairwise": {[^}]*}' "$work/story.eval" | grep -o '"f1": [0-9.]*' | sed 's/.*: //')"
awk -v f="$f1" 'BEGIN { exit !(f >= 0.95) }' || { cat "$work/story.eval" >&2; fail "story F1 $f1 < 0.95"; }
grep -q '"level": "story"' "$work/story.jsonl" || fail "clusters are not marked story level"
grep -q '"evidence": "story"' "$work/story.jsonl" || fail "no member reports story evidence"
grep -q '"evidence": "representative"' "$work/story.jsonl" || fail "no representative evidence"
if grep -q '"explain"' "$work/story.jsonl"; then fail "explanations without --explain"; fi

# --explain: JSON figures and the text listing.
"$neardup" cluster --quiet --level story --explain "$stories/docs" -o "$work/explain.jsonl"
grep -q '"explain": {"cosine": ' "$work/explain.jsonl" || fail "--explain gave no figures"
grep -q '"shared_terms": \["' "$work/explain.jsonl" || fail "--explain gave no shared words"
"$neardup" cluster --quiet --level story --explain --format text "$stories/docs" >"$work/explain.txt"
grep -q 'sentence coverage' "$work/explain.txt" || fail "text --explain lacks coverage"
grep -q 'shared words: ' "$work/explain.txt" || fail "text --explain lacks shared words"

# Saved statistics of the input give the same clusters as counting them in the run:
# the run counts the same words (story words also join decimals, so compare clusters
# as sets of ids only).
"$neardup" stats build --quiet "$stories/docs" -o "$work/stories.nddf"
"$neardup" cluster --quiet --level story --stats "$work/stories.nddf" "$stories/docs" \
  -o "$work/with-stats.jsonl"
"$neardup" eval --format json --clusters "$work/with-stats.jsonl" \
  --labels "$stories/labels.story.tsv" >"$work/with-stats.eval"
f1s="$(grep -o '"pairwise": {[^}]*}' "$work/with-stats.eval" | grep -o '"f1": [0-9.]*' | sed 's/.*: //')"
awk -v f="$f1s" 'BEGIN { exit !(f >= 0.95) }' || fail "story F1 with --stats $f1s < 0.95"

# dedup at the story level keeps exactly one document per story cluster.
"$neardup" dedup --quiet --level story "$stories/docs" -o "$work/out"
kept="$(ls "$work/out/docs" | wc -l)"
expected="$(( $(ls "$stories/docs" | wc -l) - $(grep -o '"id": ' "$work/story.jsonl" | wc -l) + $(wc -l <"$work/story.jsonl") ))"
[ "$kept" -eq "$expected" ] || fail "dedup kept $kept files, expected $expected"

# Bad story options are usage errors.
expect_exit 1 "$neardup" cluster --level story --min-shared 40 --salient 32 "$stories/docs"
echo "story: F1 $f1 on corpora/stories; evidence, --explain, --stats and dedup behave"
