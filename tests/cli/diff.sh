# neardup diff: JSON offsets round-trip on every corpus file, the reprint's
# boilerplate is what is added, term output to a pipe has no escape codes,
# the HTML report is self-contained, and errors exit as documented.
source "$(dirname "$0")/common.sh"
check="$(dirname "$neardup")/../tests/check_diff_json"
[ -x "$check" ] || fail "checker not built: $check"
stories="$src/corpora/stories"
cd "$src"

# Every corpus file, as B against its neighbour in name order (so each file is
# also an A once): every span's bytes equal its text.
spans=0
for dir in corpora/news/docs corpora/stories/docs; do
  files=("$dir"/*)
  n=${#files[@]}
  for ((i = 0; i < n; i++)); do
    a="${files[$(((i + n - 1) % n))]}"
    b="${files[$i]}"
    "$neardup" diff --format json "$a" "$b" >"$work/pair.json" || fail "diff $a $b failed"
    out=$("$check" "$work/pair.json") || fail "offsets of $a vs $b do not round-trip"
    spans=$((spans + ${out%% *}))
  done
done
# Every story's cluster from the labels (ids relative to --input).
for label in $(grep -v '^#' "$stories/labels.story.tsv" | cut -f2 | sort | uniq -d); do
  "$neardup" diff --format json --clusters "$stories/labels.story.tsv" --input "$stories/docs" \
    --cluster "$label" >"$work/cluster.json" || fail "diff --cluster $label failed"
  out=$("$check" "$work/cluster.json" "$stories/docs") || fail "cluster $label offsets"
  spans=$((spans + ${out%% *}))
  grep -q '"mode": "cluster"' "$work/cluster.json" || fail "cluster mode not reported"
done
[ "$spans" -gt 5000 ] || fail "only $spans spans checked"

# The reprint: exactly its header and footer are added, nothing is dropped.
orig="$stories/docs/corvane-breach__original.txt"
reprint="$stories/docs/corvane-breach__reprint-circuitline.txt"
"$neardup" diff --format json "$orig" "$reprint" >"$work/reprint.json"
grep -q '"kind": "dropped"' "$work/reprint.json" && fail "the reprint drops something"
grep -q '"kind": "reworded"' "$work/reprint.json" && fail "the reprint rewords something"
grep -o '"kind": "added", "start": [0-9]*' "$work/reprint.json" | grep -o '[0-9]*$' >"$work/added"
body_start=$(grep -b -o "Chip designer Corvane says" "$reprint" | head -n 1 | cut -d: -f1)
body_end=$(grep -b -o "across its engineering networks." "$reprint" | cut -d: -f1)
while read -r start; do
  [ "$start" -lt "$body_start" ] || [ "$start" -gt "$body_end" ] ||
    fail "added span at $start inside the reprinted article"
done <"$work/added"
grep -q '"text": "Privacy | Terms | Contact"' "$work/reprint.json" || fail "footer not reported"
grep -q '"text": "CIRCUITLINE NEWS"' "$work/reprint.json" || fail "header not reported"

# term: plain markers when piped, no escape codes unless --color always.
"$neardup" diff "$orig" "$reprint" >"$work/term.txt"
grep -q $'\x1b' "$work/term.txt" && fail "escape codes in piped output"
grep -qF '{+Privacy | Terms | Contact+}' "$work/term.txt" || fail "no {+added+} marker"
"$neardup" diff --color always "$orig" "$reprint" >"$work/color.txt"
grep -q $'\x1b\[32m' "$work/color.txt" || fail "--color always did not colour"
"$neardup" diff "$orig" "$stories/docs/corvane-breach__light-edit.txt" >"$work/edit.txt"
grep -qF '[-fell-]{+closed+}' "$work/edit.txt" || fail "no [-dropped-]{+added+} pair"
"$neardup" diff "$orig" "$orig" >"$work/same.txt"
grep -qF '{+' "$work/same.txt" && fail "identical files show additions"
grep -qF '[-' "$work/same.txt" && fail "identical files show deletions"

# Two ids inside --input, and two clusters through their cores.
"$neardup" diff --input "$stories/docs" corvane-breach__original.txt \
  corvane-breach__reprint-circuitline.txt --format json >"$work/ids.json"
"$check" "$work/ids.json" "$stories/docs" >/dev/null || fail "--input ids offsets"
"$neardup" diff --clusters "$stories/labels.story.tsv" --input "$stories/docs" \
  --cluster corvane-breach --cluster haldmark-results --format json >"$work/two.json"
"$check" "$work/two.json" "$stories/docs" >/dev/null || fail "two-cluster offsets"
grep -q '"mode": "clusters"' "$work/two.json" || fail "clusters mode not reported"
# clusters.jsonl from `neardup cluster` works as --clusters too.
"$neardup" cluster --quiet "$stories/docs" -o "$work/clusters.jsonl"
"$neardup" diff --clusters "$work/clusters.jsonl" --input "$stories/docs" --cluster 0 \
  --format json >"$work/c0.json"
"$check" "$work/c0.json" "$stories/docs" >/dev/null || fail "clusters.jsonl cluster offsets"

# --stats: IDF from a statistics table; the reprint's result does not change.
"$neardup" stats build --quiet "$stories/docs" -o "$work/s.ndstats"
"$neardup" diff --stats "$work/s.ndstats" --format json "$orig" "$reprint" >"$work/stats.json"
"$check" "$work/stats.json" >/dev/null || fail "--stats offsets"
grep -q '"kind": "dropped"' "$work/stats.json" && fail "with --stats the reprint drops something"
expect_exit 2 "$neardup" diff --stats "$work/missing.ndstats" "$orig" "$reprint"

# html: one self-contained page.
"$neardup" diff --format html "$orig" "$reprint" -o "$work/report.html"
grep -q '<meta name="viewport"' "$work/report.html" || fail "no viewport meta"
grep -q '<ins class="added">CIRCUITLINE NEWS</ins>' "$work/report.html" || fail "no highlighted addition"
grep -Eq '(src|href)="(https?:)?//' "$work/report.html" && fail "external asset in the report"

# Errors.
expect_exit 1 "$neardup" diff "$orig"
expect_exit 1 "$neardup" diff --cluster 3 --input "$stories/docs"
expect_exit 1 "$neardup" diff --format pdf "$orig" "$reprint"
expect_exit 2 "$neardup" diff "$orig" "$work/missing.txt"
grep -q "missing.txt" "$work/stderr" || fail "missing file not named"
expect_exit 2 "$neardup" diff --input "$stories/docs" corvane-breach__original.txt no-such-id
grep -q "no-such-id" "$work/stderr" || fail "unknown id not named"
expect_exit 2 "$neardup" diff --clusters "$stories/labels.story.tsv" --input "$stories/docs" --cluster nope
expect_exit 3 "$neardup" diff "$orig" "$reprint" -o "$work/no/such/dir/x.txt"

# --representative: only with --cluster, and it must be a member (issue 17).
expect_exit 1 "$neardup" diff --representative "$orig" "$orig" "$reprint"
grep -q -- "--representative needs --cluster" "$work/stderr" || fail "no --representative usage message"
expect_exit 2 "$neardup" diff --clusters "$stories/labels.story.tsv" --input "$stories/docs" \
  --cluster corvane-breach --representative no-such-member
grep -q "no-such-member" "$work/stderr" || fail "unknown representative not named"
expect_exit 0 "$neardup" diff --clusters "$stories/labels.story.tsv" --input "$stories/docs" \
  --cluster corvane-breach --representative corvane-breach__reprint-circuitline.txt
grep -q "representative corvane-breach__reprint-circuitline.txt" "$work/stdout" ||
  fail "--representative not used"

# A binary file is refused, naming it, and none of its bytes are printed.
printf 'GIF89a\001\000\001\000\000\377\000,\000\000' >"$work/image.gif"
expect_exit 2 "$neardup" diff "$orig" "$work/image.gif"
grep -q "image.gif: binary file" "$work/stderr" || fail "binary file not reported"
[ ! -s "$work/stdout" ] || fail "binary diff wrote output"
# Control bytes of a text document are shown as ^X in term output, never raw.
printf 'The river rose \033[2J two metres overnight.\n' >"$work/esc-a.txt"
printf 'The river rose \033[2J three metres overnight.\n' >"$work/esc-b.txt"
"$neardup" diff "$work/esc-a.txt" "$work/esc-b.txt" >"$work/esc.txt"
grep -q $'\x1b' "$work/esc.txt" && fail "raw escape byte in term output"
grep -qF '^[[2J' "$work/esc.txt" || fail "escape byte not shown as ^["
echo "diff: $spans spans round-trip; reprint adds only its boilerplate; piped output plain"
