# neardup eval --topics: wrongly joined pairs and those of one topic (issue 18),
# in the text and JSON reports; a bad topics file is an input error.
source "$(dirname "$0")/common.sh"
# Stories s1, s2 of topic T and s3 of topic U; the clusters join a, b (s1),
# c (s2) and d (s3): wrong pairs ac, bc, ad, bd, cd; same topic ac, bc.
printf 'a\ts1\nb\ts1\nc\ts2\nd\ts3\ne\ts2\n' >"$work/story.tsv"
printf 'a\tT\nb\tT\nc\tT\nd\tU\ne\tT\n' >"$work/topic.tsv"
echo '{"cluster": 0, "members": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}]}' \
  >"$work/clusters.jsonl"
"$neardup" eval --clusters "$work/clusters.jsonl" --labels "$work/story.tsv" \
  --topics "$work/topic.tsv" >"$work/eval.txt"
grep -qx 'wrong pairs    5, same topic 2 (in 1 clusters)' "$work/eval.txt" ||
  { cat "$work/eval.txt" >&2; fail "text report"; }
"$neardup" eval --format json --clusters "$work/clusters.jsonl" --labels "$work/story.tsv" \
  --topics "$work/topic.tsv" >"$work/eval.json"
grep -q '"topics": {"wrong_pairs": 5, "same_topic_wrong_pairs": 2, "clusters_with_errors": 1}}$' \
  "$work/eval.json" || { cat "$work/eval.json" >&2; fail "json report"; }
# Without --topics the report is unchanged.
"$neardup" eval --clusters "$work/clusters.jsonl" --labels "$work/story.tsv" >"$work/plain.txt"
if grep -q 'wrong pairs' "$work/plain.txt"; then fail "topic lines without --topics"; fi
printf 'a\n' >"$work/bad.tsv"
expect_exit 2 "$neardup" eval --clusters "$work/clusters.jsonl" --labels "$work/story.tsv" \
  --topics "$work/bad.tsv"
grep -q 'bad.tsv:1' "$work/stderr" || fail "a bad topics file is not named with its line"
