# stats build: one table whatever the thread count, counts that match the
# documents, and the documented errors.
source "$(dirname "$0")/common.sh"

"$neardup" stats build --quiet --threads 1 "$corpus/docs" -o "$work/t1.ndstats"
"$neardup" stats build --quiet --threads 2 "$corpus/docs" -o "$work/t2.ndstats"
cmp "$work/t1.ndstats" "$work/t2.ndstats" || fail "stats differ between 1 and 2 threads"
# Header: "NDDF", version 1, then the document count (little-endian u64).
[ "$(head -c 4 "$work/t1.ndstats")" = "NDDF" ] || fail "bad magic"
docs=$(od -An -t u8 -j 8 -N 8 "$work/t1.ndstats" | tr -d ' ')
[ "$docs" -eq "$(ls "$corpus/docs" | wc -l)" ] || fail "header says $docs documents"
# --min-count 2 keeps fewer words than the full table.
"$neardup" stats build --quiet --min-count 2 "$corpus/docs" -o "$work/min2.ndstats"
[ "$(stat -c %s "$work/min2.ndstats")" -lt "$(stat -c %s "$work/t1.ndstats")" ] || fail "--min-count kept everything"

# SimHash weighted by the statistics: same bytes on 1 and 2 threads; a
# missing or malformed statistics file is an input error.
"$neardup" cluster --quiet --method simhash --stats "$work/t1.ndstats" --threads 1 "$corpus/docs" >"$work/s1.jsonl"
"$neardup" cluster --quiet --method simhash --stats "$work/t1.ndstats" --threads 2 "$corpus/docs" >"$work/s2.jsonl"
cmp "$work/s1.jsonl" "$work/s2.jsonl" || fail "--stats output differs between 1 and 2 threads"
expect_exit 2 "$neardup" cluster --method simhash --stats "$work/missing.ndstats" "$corpus/docs"
grep -q "missing.ndstats" "$work/stderr" || fail "missing statistics file not named"
expect_exit 2 "$neardup" cluster --method simhash --stats "$corpus/labels.near.tsv" "$corpus/docs"
grep -q "not a neardup statistics file" "$work/stderr" || fail "malformed statistics not reported"

expect_exit 2 "$neardup" stats build "$work/missing" -o "$work/x.ndstats"
expect_exit 1 "$neardup" stats build "$corpus/docs"
expect_exit 3 "$neardup" stats build --quiet "$corpus/docs" -o "$work/no/such/dir/x.ndstats"
echo "stats: identical tables on 1 and 2 threads; errors as documented"
