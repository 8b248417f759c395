# dedup accounts for every input document, writes kept documents in the
# input's own format, byte for byte, and leaves no duplicates behind.
source "$(dirname "$0")/common.sh"

# A JSONL input with extra fields, a numeric id, blank lines and exact and near copies.
story="The harbor bridge will close for six weeks of repairs starting Monday, officials said, after inspectors found corroded steel in two support beams near the eastern approach."
other="The city council approved a new budget for public libraries on Tuesday, adding weekend hours at four branches and funding a mobile book service for rural districts."
{
  printf '{"id": "a", "text": "%s", "lang": "en"}\n' "$story"
  printf '\n'
  printf '{"id": 7, "text": "%s"}\n' "$other"
  printf '{"id": "b", "text": "%s"}\n' "$(echo "$story" | tr 'a-z' 'A-Z')"
  printf '{"text": "%s Copyright 2026 The Daily Ledger.", "id": "c"}\n' "$story"
  printf '{"id": "d", "text": ""}\n'
} >"$work/feed.jsonl"

"$neardup" dedup --quiet "$work/feed.jsonl" "$corpus/docs" -o "$work/out"
decisions="$work/out/decisions.jsonl"
n_inputs=$(( $(grep -c . "$work/feed.jsonl") + $(ls "$corpus/docs" | wc -l) ))
n_decisions=$(wc -l <"$decisions")
[ "$n_decisions" -eq "$n_inputs" ] || fail "$n_decisions decisions for $n_inputs documents"
kept=$(grep -c '"kept": true' "$decisions")
dups=$(grep -c '"kept": false' "$decisions")
[ $((kept + dups)) -eq "$n_inputs" ] || fail "kept $kept + duplicates $dups != $n_inputs"
[ "$dups" -gt 0 ] || fail "no duplicates found"
# Every duplicate names its representative and cluster.
if grep '"kept": false' "$decisions" | grep -q '"duplicate_of": null'; then fail "duplicate without duplicate_of"; fi
if grep '"kept": false' "$decisions" | grep -q '"cluster": null'; then fail "duplicate without cluster"; fi

# JSONL: the kept lines, unchanged, in input order.
grep -F '"id": "a"' "$decisions" | grep -q '"kept": true' || fail "a should be kept"
grep -F '"id": "b"' "$decisions" | grep -q '"duplicate_of": "a"' || fail "b should duplicate a"
kept_jsonl=$(grep -c . "$work/out/feed.jsonl")
expected_jsonl=$(head -n "$(grep -c . "$work/feed.jsonl")" "$decisions" | grep -c '"kept": true')
[ "$kept_jsonl" -eq "$expected_jsonl" ] || fail "feed.jsonl has $kept_jsonl lines, expected $expected_jsonl"
while IFS= read -r line; do
  grep -qxF -- "$line" "$work/feed.jsonl" || fail "output line not in input: $line"
done <"$work/out/feed.jsonl"

# Directory: a mirror holding exactly the kept files, byte-identical.
kept_files=$(find "$work/out/docs" -type f | wc -l)
kept_dir=$(grep -c "\"source\": \"$corpus/docs/.*\"kept\": true" "$decisions")
[ "$kept_files" -eq "$kept_dir" ] || fail "$kept_files files kept, decisions say $kept_dir"
for f in "$work/out/docs"/*; do cmp "$f" "$corpus/docs/$(basename "$f")" || fail "$f changed"; done

# Nothing left to find in the output.
"$neardup" cluster --quiet "$work/out/feed.jsonl" "$work/out/docs" >"$work/again.jsonl"
[ ! -s "$work/again.jsonl" ] || { cat "$work/again.jsonl" >&2; fail "dedup output still has clusters"; }

# A non-empty output directory is refused without --force, replaced with it.
expect_exit 1 "$neardup" dedup --quiet "$work/feed.jsonl" -o "$work/out"
grep -q "not empty" "$work/stderr" || fail "no 'not empty' message"
expect_exit 0 "$neardup" dedup --quiet --force "$work/feed.jsonl" "$corpus/docs" -o "$work/out"
echo "dedup_accounting: $n_inputs documents, $kept kept, $dups duplicates"
