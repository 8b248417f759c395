# Bad input and bad usage give the documented exit code and a message that
# names the file and line.
source "$(dirname "$0")/common.sh"

expect_exit 0 "$neardup" --help
expect_exit 0 "$neardup" cluster --help
grep -q "Exit codes" "$work/stdout" || fail "cluster --help does not document exit codes"
expect_exit 1 "$neardup" cluster --no-such-flag "$corpus/docs"
expect_exit 1 "$neardup" cluster --threshold 1.5 "$corpus/docs"
expect_exit 1 "$neardup" cluster --bands 40 --rows 4 "$corpus/docs"
expect_exit 1 "$neardup"

expect_exit 2 "$neardup" cluster "$work/missing.jsonl"
grep -q "missing.jsonl" "$work/stderr" || fail "missing file not named"

printf '{"id": "a", "text": "fine"}\n{"id": "b", "text": "fine too"}\n{"id": "c", "text": \n' >"$work/bad.jsonl"
expect_exit 2 "$neardup" cluster "$work/bad.jsonl"
grep -q "bad.jsonl:3: malformed JSON" "$work/stderr" || fail "malformed line not named: $(cat "$work/stderr")"

printf '{"id": "a", "text": "fine"}\n\n{"id": "b", "body": "no text"}\n' >"$work/notext.jsonl"
expect_exit 2 "$neardup" cluster "$work/notext.jsonl"
grep -q 'notext.jsonl:3: missing string field "text"' "$work/stderr" || fail "missing field: $(cat "$work/stderr")"
expect_exit 2 "$neardup" cluster --quiet --text-field body "$work/notext.jsonl"
grep -q 'notext.jsonl:1: missing string field "body"' "$work/stderr" || fail "--text-field ignored"

printf 'a\tx\nno-tab-here\n' >"$work/labels.tsv"
"$neardup" cluster --quiet "$corpus/docs" -o "$work/c.jsonl"
expect_exit 2 "$neardup" eval --clusters "$work/c.jsonl" --labels "$work/labels.tsv"
grep -q "labels.tsv:2" "$work/stderr" || fail "bad label line not named"

expect_exit 3 "$neardup" cluster --quiet "$corpus/docs" -o "$work/no/such/dir/out.jsonl"
echo "errors: all exit codes as documented"
