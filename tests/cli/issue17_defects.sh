# Issue 17, item 8 ("smaller defects"): each case is reproduced here and must
# behave as documented. Sections are independent.
source "$(dirname "$0")/common.sh"
export LC_ALL=C

story="The harbor bridge will close for six weeks of repairs starting Monday, officials said, after inspectors found corroded steel in two support beams near the eastern approach."
other="The city council approved a new budget for public libraries on Tuesday, adding weekend hours at four branches and funding a mobile book service for rural districts."

# --- Command line: --version, unknown subcommand, readable range errors, -j capped quietly.
expect_exit 0 "$neardup" --version
grep -Eq '^neardup [0-9]+\.[0-9]+\.[0-9]+' "$work/stdout" || fail "--version: $(cat "$work/stdout")"
expect_exit 1 "$neardup" bogus
grep -q 'unknown subcommand "bogus"' "$work/stderr" || fail "bogus: $(cat "$work/stderr")"
expect_exit 0 "$neardup" stats build --help
expect_exit 1 "$neardup" cluster -t abc "$corpus/docs"
grep -q '"abc" is not a number' "$work/stderr" || fail "-t abc: $(cat "$work/stderr")"
expect_exit 1 "$neardup" cluster -t nan "$corpus/docs"
grep -q 'not in range 0 to 1' "$work/stderr" || fail "-t nan: $(cat "$work/stderr")"
expect_exit 1 "$neardup" cluster --shingle 0 "$corpus/docs"
grep -q '0 is not in range 1 to 1000' "$work/stderr" || fail "--shingle 0: $(cat "$work/stderr")"
expect_exit 1 "$neardup" cluster -j -1 "$corpus/docs"
grep -q -- '-1 is not in range 0 to 4096' "$work/stderr" || fail "-j -1: $(cat "$work/stderr")"
expect_exit 1 "$neardup" cluster -j x "$corpus/docs"
grep -q '"x" is not a whole number' "$work/stderr" || fail "-j x: $(cat "$work/stderr")"
expect_exit 1 "$neardup" stats build --min-count 0 "$corpus/docs" -o "$work/s.ndstats"
grep -q '0 is not in range 1 to 4294967295' "$work/stderr" || fail "--min-count 0: $(cat "$work/stderr")"
for cmd in cluster "stats build"; do
  # shellcheck disable=SC2086
  expect_exit 0 "$neardup" $cmd -q -j 4000 "$corpus/docs" -o "$work/j.out"
  [ ! -s "$work/stderr" ] || fail "$cmd -q -j 4000 printed: $(cat "$work/stderr")"
  # shellcheck disable=SC2086
  expect_exit 0 "$neardup" $cmd -j 4000 "$corpus/docs" -o "$work/j.out"
  grep -q 'cores available' "$work/stderr" || fail "$cmd -j 4000 without a note"
  if grep -qi 'tbb' "$work/stderr"; then fail "$cmd -j 4000: $(cat "$work/stderr")"; fi
done

# --- eval --ids: ids that match nothing are an error, not a perfect score.
"$neardup" cluster -q "$corpus/docs" -o "$work/c.jsonl"
ls "$corpus/docs" >"$work/ids.txt"
expect_exit 0 "$neardup" eval --clusters "$work/c.jsonl" --labels "$corpus/labels.near.tsv" --ids "$work/ids.txt"
sed 's|^|docs/|' "$work/ids.txt" >"$work/wrong_ids.txt"
expect_exit 2 "$neardup" eval --clusters "$work/c.jsonl" --labels "$corpus/labels.near.tsv" --ids "$work/wrong_ids.txt"
grep -q 'c.jsonl: [0-9]* of its ids are not in .*wrong_ids.txt' "$work/stderr" || fail "eval wrong ids: $(cat "$work/stderr")"
if grep -q '1\.0000' "$work/stdout"; then fail "eval wrong ids printed scores"; fi
{ cat "$work/ids.txt"; echo "extra-doc-1"; echo "extra-doc-2"; } >"$work/more_ids.txt"
expect_exit 0 "$neardup" eval --clusters "$work/c.jsonl" --labels "$corpus/labels.near.tsv" --ids "$work/more_ids.txt"
grep -q '(2 in neither clusters nor labels' "$work/stdout" || fail "eval extra ids: $(cat "$work/stdout")"
expect_exit 0 "$neardup" eval --format json --clusters "$work/c.jsonl" --labels "$corpus/labels.near.tsv" --ids "$work/more_ids.txt"
grep -q '"in_neither": 2' "$work/stdout" || fail "eval json: $(cat "$work/stdout")"
{ cat "$work/ids.txt"; head -n 1 "$work/ids.txt"; } >"$work/twice_ids.txt"
expect_exit 2 "$neardup" eval --clusters "$work/c.jsonl" --labels "$corpus/labels.near.tsv" --ids "$work/twice_ids.txt"
grep -q 'already listed on line 1' "$work/stderr" || fail "eval id twice: $(cat "$work/stderr")"

# --- --format text escapes control characters in ids; WARC members show their URL.
{
  printf '{"id": "evil\\n\\u001b[31mred", "text": "%s"}\n' "$story"
  printf '{"id": "tab\\there\\\\", "text": "%s"}\n' "$story"
  printf '{"id": "c1\\u009b2J", "text": "%s"}\n' "$story"
} >"$work/ctl.jsonl"
expect_exit 0 "$neardup" cluster -q --format text "$work/ctl.jsonl"
if grep -q "$(printf '\033')" "$work/stdout"; then fail "raw ESC in text output"; fi
if grep -q "$(printf '\302\233')" "$work/stdout"; then fail "raw C1 CSI in text output"; fi
grep -qF 'evil\n\x1b[31mred  (representative)' "$work/stdout" || fail "escaped id: $(cat "$work/stdout")"
grep -qF 'tab\there\\' "$work/stdout" || fail "tab/backslash: $(cat "$work/stdout")"
grep -qF 'c1\u009b2J' "$work/stdout" || fail "C1: $(cat "$work/stdout")"
[ "$(wc -l <"$work/stdout")" -eq 4 ] || fail "text listing is not one line per member"

printf '%s\n' "$story" >"$work/s.txt"
{
  for n in 1 2; do
    printf 'WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:r%d>\r\n' "$n"
    printf 'WARC-Target-URI: http://example.com/%d\r\n' "$n"
    printf 'Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n' "$(wc -c <"$work/s.txt")"
    cat "$work/s.txt"
    printf '\r\n\r\n'
  done
} >"$work/w.warc"
expect_exit 0 "$neardup" cluster -q --format text "$work/w.warc"
grep -qF '<urn:uuid:r1>  http://example.com/1  (representative)' "$work/stdout" || fail "WARC URL: $(cat "$work/stdout")"
grep -qF '<urn:uuid:r2>  http://example.com/2' "$work/stdout" || fail "WARC URL: $(cat "$work/stdout")"

# --- A binary file given directly is skipped and listed, as inside a directory.
mkdir -p "$work/tree"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\0' >"$work/tree/img.png"
printf '%s\n' "$story" >"$work/tree/a.txt"
cp "$work/tree/img.png" "$work/img.png"
expect_exit 0 "$neardup" dedup -q "$work/img.png" "$work/tree" -o "$work/bin_out"
d="$work/bin_out/decisions.jsonl"
[ "$(wc -l <"$d")" -eq 3 ] || fail "binary: $(cat "$d")"
grep -qF "\"id\": \"$work/img.png\", \"source\": \"$work/img.png\", \"cluster\": null, \"cluster_size\": null, \"kept\": false" "$d" || fail "direct binary: $(cat "$d")"
[ "$(grep -c '"skipped": true, "reason": "binary file (not a document)"' "$d")" -eq 2 ] || fail "binary reasons: $(cat "$d")"
[ ! -e "$work/bin_out/img.png" ] || fail "a skipped binary file was written"
expect_exit 2 "$neardup" diff "$work/img.png" "$work/tree/a.txt"
grep -q 'img.png: binary file (not a document)' "$work/stderr" || fail "diff binary: $(cat "$work/stderr")"

# --- A byte order mark is no text: a text file with one is an exact copy of one without.
printf '\357\273\277%s\n' "$story" >"$work/tree/bom.txt"
expect_exit 0 "$neardup" cluster -q --level exact "$work/tree"
grep -q '"id": "a.txt".*"id": "bom.txt"' "$work/stdout" || fail "BOM text: $(cat "$work/stdout")"

# --- Repeated ids: a warning naming both sources (also under -q), and
# decisions name the representative's source too.
{
  printf '{"id": "x", "text": "%s"}\n' "$other"
  printf '{"id": "x", "text": "%s"}\n' "$story"
  printf '{"id": "y", "text": "%s"}\n' "$story"
} >"$work/rep.jsonl"
expect_exit 0 "$neardup" dedup -q "$work/rep.jsonl" -o "$work/rep_out"
grep -qF "warning: 1 documents have an id an earlier document already has, first \"x\" ($work/rep.jsonl:1, again at $work/rep.jsonl:2)" "$work/stderr" ||
  fail "repeated id warning: $(cat "$work/stderr")"
grep -qF "\"id\": \"y\", \"source\": \"$work/rep.jsonl:3\", \"cluster\": 0, \"cluster_size\": 2, \"kept\": false, \"duplicate_of\": \"x\", \"duplicate_of_source\": \"$work/rep.jsonl:2\"" "$work/rep_out/decisions.jsonl" ||
  fail "duplicate_of_source: $(cat "$work/rep_out/decisions.jsonl")"
[ "$(grep -c '"duplicate_of_source": null' "$work/rep_out/decisions.jsonl")" -eq 2 ] || fail "kept lines lack duplicate_of_source: null"
expect_exit 0 "$neardup" cluster -q "$corpus/docs"
if grep -q warning "$work/stderr"; then fail "warning without repeated ids: $(cat "$work/stderr")"; fi

# --- The README lists exactly the packages scripts/install-deps.sh installs.
sed -n '/^packages=(/,/^)/p' "$src/scripts/install-deps.sh" | sed 's/#.*//' | tr ' ' '\n' |
  grep -v -e '^packages=(' -e '^)' -e '^$' | sort >"$work/deps.txt"
count=$(wc -l <"$work/deps.txt")
grep -q "installs these $count Debian packages" "$src/README.md" || fail "README does not say $count packages"
while read -r p; do
  grep -qw -- "$p" "$src/README.md" || fail "README does not list $p"
done <"$work/deps.txt"

echo "issue17_defects: all cases as documented"
