# The story level from the command line: corpora/stories' rewrites all found
# (pairwise recall 1) and none of its hard negatives joined (precision 1: the
# same river's earlier flood is dated years apart, the dateline veto), members
# carry their evidence, --explain gives the figures, --stats reuses saved
# counts, and dedup keeps one version per cluster.
source "$(dirname "$0")/common.sh"
stories="$src/corpora/stories"

"$neardup" cluster --quiet --level story "$stories/docs" -o "$work/story.jsonl"
"$neardup" eval --format json --clusters "$work/story.jsonl" \
  --labels "$stories/labels.story.tsv" >"$work/story.eval"
recall="$(grep -o '"pairwise": {[^}]*}' "$work/story.eval" | grep -o '"recall": [0-9.]*' | sed 's/.*: //')"
awk -v r="$recall" 'BEGIN { exit !(r >= 1) }' || { cat "$work/story.eval" >&2; fail "story recall $recall < 1"; }
if grep -o '"id": "[^"]*-neg[12]__[^"]*"' "$work/story.jsonl" | grep -q .; then
  fail "a hard negative joined a story cluster: $(grep -o '"id": "[^"]*-neg[12]__[^"]*"' "$work/story.jsonl" | head -3)"
fi
if grep -o '"id": "unrelated[^"]*"' "$work/story.jsonl" | grep -q .; then
  fail "an unrelated text joined a story cluster"
fi
grep -q '"level": "story"' "$work/story.jsonl" || fail "clusters are not marked story level"
grep -q '"evidence": "story"' "$work/story.jsonl" || fail "no member reports story evidence"
grep -q '"evidence": "representative"' "$work/story.jsonl" || fail "no representative evidence"
if grep -q '"explain"' "$work/story.jsonl"; then fail "explanations without --explain"; fi

# --explain: JSON figures and the text listing.
"$neardup" cluster --quiet --level story --explain "$stories/docs" -o "$work/explain.jsonl"
grep -q '"explain": {"cosine": ' "$work/explain.jsonl" || fail "--explain gave no figures"
grep -q '"dateline_conflict": false' "$work/explain.jsonl" || fail "--explain lacks the dateline"
grep -q '"shared_terms": \["' "$work/explain.jsonl" || fail "--explain gave no shared words"
# The linkage link: every member that is not an exact copy says which group it
# joined, and that group's first document is in its cluster.
while IFS= read -r line; do
  members="$(grep -o '"id": "[^"]*"' <<<"$line" | wc -l)"
  links="$(grep -o '"joined": "[^"]*"' <<<"$line" | wc -l)"
  [ "$links" -eq "$members" ] || fail "--explain: $links links for $members members"
  for joined in $(grep -o '"joined": "[^"]*"' <<<"$line" | sed 's/"joined": //'); do
    grep -qF "\"id\": $joined" <<<"$line" || fail "--explain: joined $joined outside the cluster"
  done
done <"$work/explain.jsonl"
"$neardup" cluster --quiet --level story --explain --format text "$stories/docs" >"$work/explain.txt"
grep -q 'sentence coverage' "$work/explain.txt" || fail "text --explain lacks coverage"
grep -q 'shared words: ' "$work/explain.txt" || fail "text --explain lacks shared words"
grep -q 'joined a group of [0-9]* at average similarity 0\.[0-9]*: ' "$work/explain.txt" ||
  fail "text --explain lacks the linkage link"

# Saved statistics of the input give the same clusters as counting them in the run:
# the run counts the same words (story words also join decimals, so compare clusters
# as sets of ids only).
"$neardup" stats build --quiet "$stories/docs" -o "$work/stories.nddf"
"$neardup" cluster --quiet --level story --stats "$work/stories.nddf" "$stories/docs" \
  -o "$work/with-stats.jsonl"
"$neardup" eval --format json --clusters "$work/with-stats.jsonl" \
  --labels "$stories/labels.story.tsv" >"$work/with-stats.eval"
rs="$(grep -o '"pairwise": {[^}]*}' "$work/with-stats.eval" | grep -o '"recall": [0-9.]*' | sed 's/.*: //')"
awk -v r="$rs" 'BEGIN { exit !(r >= 1) }' || fail "story recall with --stats $rs < 1"

# dedup at the story level keeps exactly one document per story cluster.
"$neardup" dedup --quiet --level story "$stories/docs" -o "$work/out"
kept="$(ls "$work/out/docs" | wc -l)"
expected="$(( $(ls "$stories/docs" | wc -l) - $(grep -o '"id": ' "$work/story.jsonl" | wc -l) + $(wc -l <"$work/story.jsonl") ))"
[ "$kept" -eq "$expected" ] || fail "dedup kept $kept files, expected $expected"

# The phrase gate: corpora/paraphrase's independent texts share the subject's
# words with its sources' rewrites but few word pairs. With the gate off,
# most of them join (precision 0.43); with it, the textbook treatments named
# after no person or place stay out (0.61), and with the subject-name rule
# (StoryOptions::phrase_subject_share) those sharing only the subject's one
# name too (0.70); every rewrite still joins.
paraphrase="$src/corpora/paraphrase"
precision_of() {  # CLUSTERS -> pairwise precision and recall
  "$neardup" eval --format json --clusters "$1" --labels "$paraphrase/labels.story.tsv" |
    grep -o '"pairwise": {[^}]*}' | grep -o '"\(precision\|recall\)": [0-9.]*' | sed 's/.*: //' | tr '\n' ' '
}
"$neardup" cluster --quiet --level story "$paraphrase/docs" -o "$work/para.jsonl"
"$neardup" cluster --quiet --level story --phrase-floor 0 "$paraphrase/docs" -o "$work/para-off.jsonl"
read -r p_on r_on <<<"$(precision_of "$work/para.jsonl")"
read -r p_off r_off <<<"$(precision_of "$work/para-off.jsonl")"
awk -v p="$p_on" -v r="$r_on" 'BEGIN { exit !(p >= 0.69 && r >= 1) }' ||
  fail "phrase gate: corpora/paraphrase precision $p_on recall $r_on (want >= 0.69, 1)"
awk -v p="$p_off" -v q="$p_on" 'BEGIN { exit !(p < 0.5 && p < q) }' ||
  fail "phrase gate off: precision $p_off, not below the gate's $p_on"
"$neardup" cluster --quiet --level story --explain "$paraphrase/docs" -o "$work/para-explain.jsonl"
grep -q '"phrase": {"containment": ' "$work/para-explain.jsonl" || fail "--explain lacks the phrase gate"
grep -q '"subject_name": true' "$work/para-explain.jsonl" || fail "--explain lacks the subject names"

# Bad story options are usage errors.
expect_exit 1 "$neardup" cluster --level story --min-shared 40 --salient 32 "$stories/docs"
echo "story: recall $recall, no hard negative joined on corpora/stories; evidence, --explain, --stats and dedup behave"
