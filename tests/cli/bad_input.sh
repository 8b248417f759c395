# Bad input, each case in both modes: by default exit 2 with a message naming
# file and line (JSONL) or record (WARC); with --skip-bad exit 0, the record
# listed in decisions.jsonl with "skipped": true and its reason, everything
# before a truncation kept, and kept + duplicates + skipped = records read.
source "$(dirname "$0")/common.sh"
export LC_ALL=C

story="The harbor bridge will close for six weeks of repairs starting Monday, officials said, after inspectors found corroded steel in two support beams near the eastern approach."
other="The city council approved a new budget for public libraries on Tuesday, adding weekend hours at four branches and funding a mobile book service for rural districts."

# check_accounting DECISIONS RECORDS: one decision per record, and the sum holds.
check_accounting() {
  local lines kept dups skipped
  lines=$(wc -l <"$1")
  kept=$(grep -c '"kept": true' "$1" || true)
  dups=$(grep -c '"duplicate_of": "' "$1" || true)
  skipped=$(grep -c '"skipped": true' "$1" || true)
  [ "$lines" -eq "$2" ] || fail "$1: $lines decisions for $2 records"
  [ $((kept + dups + skipped)) -eq "$2" ] || fail "$1: $kept + $dups + $skipped != $2"
}

# 1. A malformed JSON line (line 3) and a missing text field (line 4).
{
  printf '{"id": "a", "text": "%s"}\n' "$story"
  printf '{"id": "b", "text": "%s"}\n' "$other"
  printf '{"id": "c", "text": \n'
  printf '{"id": "d", "body": "%s"}\n' "$other"
  printf '{"id": "e", "text": "%s"}\n' "$story"
} >"$work/feed.jsonl"
expect_exit 2 "$neardup" dedup "$work/feed.jsonl" -o "$work/strict"
grep -q "feed.jsonl:3: malformed JSON" "$work/stderr" || fail "line 3 not named: $(cat "$work/stderr")"
[ ! -e "$work/strict/decisions.jsonl" ] || fail "decisions written by a failed run"
expect_exit 0 "$neardup" dedup --skip-bad "$work/feed.jsonl" -o "$work/skip"
check_accounting "$work/skip/decisions.jsonl" 5
sed -n 3p "$work/skip/decisions.jsonl" | grep -q "\"id\": \"$work/feed.jsonl:3\", \"source\": \"$work/feed.jsonl:3\", \"cluster\": null, \"cluster_size\": null, \"kept\": false, \"duplicate_of\": null, \"duplicate_of_source\": null, \"similarity\": null, \"skipped\": true, \"reason\": \"malformed JSON: " ||
  fail "line 3 decision: $(sed -n 3p "$work/skip/decisions.jsonl")"
sed -n 4p "$work/skip/decisions.jsonl" | grep -qF '"skipped": true, "reason": "missing string field \"text\""}' ||
  fail "line 4 decision: $(sed -n 4p "$work/skip/decisions.jsonl")"
sed -n 5p "$work/skip/decisions.jsonl" | grep -q '"id": "e", .*"duplicate_of": "a"' || fail "e is not a duplicate of a"
[ "$(cat "$work/skip/feed.jsonl")" = "$(sed -n 1,2p "$work/feed.jsonl")" ] || fail "kept lines wrong"
grep -q "5 records read: 2 kept, 1 duplicates, 2 skipped" "$work/stderr" || fail "summary: $(cat "$work/stderr")"
expect_exit 2 "$neardup" cluster --quiet "$work/feed.jsonl"
expect_exit 0 "$neardup" cluster --quiet --skip-bad "$work/feed.jsonl"
grep -q '"members": \[{"id": "a"' "$work/stdout" || fail "cluster --skip-bad lost the cluster"

# 2. A truncated gzip JSONL: everything before the fault is kept.
for i in $(seq 1 200); do printf '{"id": "n%d", "text": "%s number %d"}\n' "$i" "$story" "$i"; done |
  gzip -n >"$work/full.jsonl.gz"
head -c $(($(wc -c <"$work/full.jsonl.gz") - 30)) "$work/full.jsonl.gz" >"$work/trunc.jsonl.gz"
expect_exit 2 "$neardup" dedup "$work/trunc.jsonl.gz" -o "$work/t1"
grep -q "trunc.jsonl.gz:[0-9]*: truncated gzip stream" "$work/stderr" || fail "truncation: $(cat "$work/stderr")"
expect_exit 0 "$neardup" dedup --quiet --skip-bad "$work/trunc.jsonl.gz" -o "$work/t2"
read_lines=$(grep -c '"skipped": true' "$work/t2/decisions.jsonl")
[ "$read_lines" -eq 1 ] || fail "expected one skipped record for the truncation"
tail -n 1 "$work/t2/decisions.jsonl" | grep -q '"reason": "truncated gzip stream (rest of file abandoned)"' ||
  fail "truncation decision: $(tail -n 1 "$work/t2/decisions.jsonl")"
docs=$(($(wc -l <"$work/t2/decisions.jsonl") - 1))
[ "$docs" -gt 0 ] && [ "$docs" -lt 200 ] || fail "$docs lines read before the fault"
check_accounting "$work/t2/decisions.jsonl" $((docs + 1))
# The output holds the kept lines among those read, unchanged, and reads cleanly.
paste -d '\t' <(head -n "$docs" "$work/t2/decisions.jsonl" | grep -o '"kept": [a-z]*') \
  <(gzip -dc "$work/full.jsonl.gz" | head -n "$docs") |
  awk -F '\t' '$1 == "\"kept\": true" { print $2 }' | cmp - <(gzip -dc "$work/t2/trunc.jsonl.gz") ||
  fail "kept lines of the truncated file"

# 3. WARC: a record cut short, and a truncated last gzip member.
record() {
  printf 'WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:%s>\r\n' "$1"
  printf 'Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n' "${#2}" "$2"
}
{
  record r1 "$story"
  record r2 "$other"
  record r3 "$story"
} >"$work/full.warc"
head -c $(($(wc -c <"$work/full.warc") - 40)) "$work/full.warc" >"$work/cut.warc"
expect_exit 2 "$neardup" dedup "$work/cut.warc" -o "$work/w1"
grep -q "cut.warc:3: WARC record cut short: Content-Length ${#story}, only" "$work/stderr" ||
  fail "cut record not named: $(cat "$work/stderr")"
expect_exit 0 "$neardup" dedup --quiet --skip-bad "$work/cut.warc" -o "$work/w2"
check_accounting "$work/w2/decisions.jsonl" 3
sed -n 3p "$work/w2/decisions.jsonl" | grep -q '"id": "<urn:uuid:r3>", "source": ".*cut.warc:3", .*"skipped": true, "reason": "WARC record cut short' ||
  fail "cut record decision: $(sed -n 3p "$work/w2/decisions.jsonl")"
cmp "$work/w2/cut.warc" <(head -c $(($(record r1 "$story" | wc -c) + $(record r2 "$other" | wc -c))) "$work/full.warc") ||
  fail "kept WARC records not byte-identical"

{ record r1 "$story" | gzip -n; record r2 "$other" | gzip -n; record r3 "$story" | gzip -n; } >"$work/full.warc.gz"
head -c $(($(wc -c <"$work/full.warc.gz") - 12)) "$work/full.warc.gz" >"$work/trunc.warc.gz"
expect_exit 2 "$neardup" cluster "$work/trunc.warc.gz"
grep -q "trunc.warc.gz:3: truncated gzip stream (WARC record 3 at decoded byte" "$work/stderr" ||
  fail "truncated member: $(cat "$work/stderr")"
expect_exit 0 "$neardup" dedup --quiet --skip-bad "$work/trunc.warc.gz" -o "$work/w3"
check_accounting "$work/w3/decisions.jsonl" 3
tail -n 1 "$work/w3/decisions.jsonl" | grep -q '"reason": "truncated gzip stream (rest of file abandoned)"' ||
  fail "truncated member decision"
cmp "$work/w3/trunc.warc.gz" <(head -c $(($(record r1 "$story" | gzip -n | wc -c) + $(record r2 "$other" | gzip -n | wc -c))) "$work/full.warc.gz") ||
  fail "kept gzip members not byte-identical"

# 4. A binary file in a tree is skipped and reported, never an error.
mkdir -p "$work/tree"
printf '%s\n' "$story" >"$work/tree/a.txt"
printf '\x7fELF\x00\x00\x01binary' >"$work/tree/b.bin"
printf '%s\n' "$story" >"$work/tree/c.txt"
expect_exit 0 "$neardup" dedup "$work/tree" -o "$work/tree-out"
check_accounting "$work/tree-out/decisions.jsonl" 3
sed -n 2p "$work/tree-out/decisions.jsonl" | grep -q '"id": "b.bin", .*"skipped": true, "reason": "binary file (not a document)"' ||
  fail "binary file decision: $(sed -n 2p "$work/tree-out/decisions.jsonl")"
[ ! -e "$work/tree-out/tree/b.bin" ] || fail "binary file copied"
grep -q "3 records read: 1 kept, 1 duplicates, 1 skipped" "$work/stderr" || fail "tree summary: $(cat "$work/stderr")"
echo "bad_input: every case as documented"
