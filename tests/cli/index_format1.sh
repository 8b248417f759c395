# An index of format 1 (written by neardup before run files: every batch's
# runs in its segment; tests/data/index-format1, two batches of
# index_corpus 300 3, made with `neardup index add` at commit 3f82821) is
# still read: verify passes, query and add decide as on the same batches
# added by this neardup, and the add makes it format 2 with the three
# batches' runs merged into one run file. A MANIFEST of an unknown format is
# refused naming its version. (The fixture's documents are index_corpus's,
# regenerated here by the same awk program; Debian 12's awk made them.)
#   index_format1.sh NEARDUP SRC
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/index_corpus.sh"

index_corpus 300 3
cd "$work"
# The fixture names its inputs by absolute paths that do not exist here, so
# the earlier documents cannot be read again; the fresh index loses its
# inputs the same way, and both decide pairs near the threshold on the
# estimate.
mkdir gone
cp b1.jsonl b2.jsonl gone/
cp -r "$src/tests/data/index-format1" old
"$neardup" index verify old >"$work/verify" || fail "format 1 index does not verify"
grep -q "^ok: 2 batches, 200 documents" "$work/verify" || fail "verify: $(cat "$work/verify")"

"$neardup" index init fresh --level near || fail "init"
(cd gone && "$neardup" index add -q ../fresh b1.jsonl -o ../f1 --batch b1 &&
  "$neardup" index add -q ../fresh b2.jsonl -o ../f2 --batch b2) || fail "fresh adds"
rm -r gone
"$neardup" index verify fresh >/dev/null || fail "fresh index does not verify"
grep -q "^neardup-index 2$" fresh/MANIFEST || fail "a new index is not format 2"
[ -f fresh/runs-000001-000002.ndr ] || fail "fresh: the two batches' runs are not merged"

"$neardup" index query -q old b3.jsonl -o q-old.jsonl || fail "query format 1"
"$neardup" index query -q fresh b3.jsonl -o q-fresh.jsonl || fail "query format 2"
cmp -s q-old.jsonl q-fresh.jsonl || fail "query of format 1 differs"
grep -q '"batch": "b1"' q-old.jsonl || fail "query found no match in the format 1 index"

"$neardup" index add -q old b3.jsonl -o a-old --batch b3 || fail "add to format 1"
"$neardup" index add -q fresh b3.jsonl -o a-fresh --batch b3 || fail "add to format 2"
cmp -s a-old/decisions.jsonl a-fresh/decisions.jsonl || fail "add to format 1 decides otherwise"
"$neardup" index verify old >"$work/verify" || fail "format 1 index after an add: $(cat "$work/verify")"
grep -q "^ok: 3 batches, 300 documents" "$work/verify" || fail "verify: $(cat "$work/verify")"
grep -q "^neardup-index 2$" old/MANIFEST || fail "the add did not make the index format 2"
grep -q "^runs runs-000001-000003.ndr batches 1 3 " old/MANIFEST ||
  fail "the format 1 segments' runs were not merged: $(grep runs old/MANIFEST)"
[ "$(ls old)" = "$(printf 'LOCK\nMANIFEST\nruns-000001-000003.ndr\nseg-000001.nds\nseg-000002.nds\nseg-000003.nds')" ] ||
  fail "files left: $(ls old | tr '\n' ' ')"

# A format this neardup does not know.
sed -i '1s/.*/neardup-index 9/' fresh/MANIFEST
expect_exit 2 "$neardup" index verify fresh
grep -q "index format 9; this neardup reads formats 1 and 2" "$work/stderr" ||
  fail "unknown format message: $(cat "$work/stderr")"
echo "index_format1: format 1 read, queried and added to as format 2"
