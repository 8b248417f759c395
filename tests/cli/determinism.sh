# Same input and options give byte-identical output on 1 and 2 threads, for
# clusters and for dedup decisions; and a second run gives the same bytes.
source "$(dirname "$0")/common.sh"

for level in near exact story; do
  input="$corpus/docs"
  [ "$level" = story ] && input="$src/corpora/stories/docs"
  "$neardup" cluster --quiet --level "$level" --explain --threads 1 "$input" >"$work/t1.jsonl"
  "$neardup" cluster --quiet --level "$level" --explain --threads 2 "$input" >"$work/t2.jsonl"
  "$neardup" cluster --quiet --level "$level" --explain --threads 2 "$input" >"$work/t2b.jsonl"
  [ -s "$work/t1.jsonl" ] || fail "no clusters at level $level"
  cmp "$work/t1.jsonl" "$work/t2.jsonl" || fail "$level: 1 and 2 threads differ"
  cmp "$work/t2.jsonl" "$work/t2b.jsonl" || fail "$level: two runs differ"
done
"$neardup" dedup --quiet --threads 1 "$corpus/docs" -o "$work/d1"
"$neardup" dedup --quiet --threads 2 "$corpus/docs" -o "$work/d2"
cmp "$work/d1/decisions.jsonl" "$work/d2/decisions.jsonl" || fail "dedup decisions differ"
diff -r "$work/d1/docs" "$work/d2/docs" || fail "dedup kept files differ"
echo "determinism: identical output on 1 and 2 threads"
