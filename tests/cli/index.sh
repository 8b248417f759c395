# neardup index (issue 22): batches added one by one decide as one dedup over
# all of them (exact and near levels, without the chain guard); verify catches corrupted files; a
# second add is refused while one holds the lock; query is read-only and
# agrees with add; a completed add rerun does nothing but finish a merge of
# runs that failed.
#   index.sh NEARDUP SRC
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/index_corpus.sh"

index_corpus 4000 4
batches=("$work"/b1.jsonl "$work"/b2.jsonl "$work"/b3.jsonl "$work"/b4.jsonl)

for level in exact near; do
  idx="$work/idx-$level"
  # --no-chain-guard: the corpus holds copies of copies (chains at 0.8), and
  # the guard sees an earlier cluster only through its kept document.
  "$neardup" dedup -q --no-chain-guard --level "$level" "${batches[@]}" -o "$work/one-$level" ||
    fail "$level: one-shot dedup"
  "$neardup" index init "$idx" --level "$level" || fail "$level: init"
  for i in 1 2 3 4; do
    "$neardup" index add -q --no-chain-guard "$idx" "$work/b$i.jsonl" -o "$work/add-$level-$i" \
      --batch "b$i" ||
      fail "$level: add b$i"
  done
  # The same documents kept, each duplicate naming the same earlier document.
  decided "$work/one-$level/decisions.jsonl" >"$work/one.txt"
  decided "$work"/add-"$level"-*/decisions.jsonl >"$work/inc-raw.txt"
  effective "$work/inc-raw.txt" "$work"/add-"$level"-*/merged.jsonl >"$work/inc.txt"
  [ "$(wc -l <"$work/one.txt")" -eq 4000 ] || fail "$level: one-shot decisions"
  cmp -s "$work/one.txt" "$work/inc.txt" || {
    diff "$work/one.txt" "$work/inc.txt" | head >&2
    fail "$level: incremental decisions differ from one dedup over all batches"
  }
  dups=$(grep -c ' false ' "$work/one.txt")
  cross=$(grep -c '"duplicate_of_batch": "b[123]"' "$work/add-$level-4/decisions.jsonl")
  min_dups=200 min_cross=40  # a quarter of the copies are exact
  [ "$level" = exact ] || min_dups=500 min_cross=100
  [ "$dups" -gt "$min_dups" ] && [ "$cross" -gt "$min_cross" ] ||
    fail "$level: too few duplicates ($dups, $cross across batches) for the test to mean much"
  # The kept files hold exactly the kept records, as dedup writes them.
  cat "$work"/add-"$level"-{1,2,3,4}/b*.jsonl >"$work/kept-inc.jsonl"
  cat "$work/one-$level"/b{1,2,3,4}.jsonl >"$work/kept-one.jsonl"
  cmp -s "$work/kept-inc.jsonl" "$work/kept-one.jsonl" || fail "$level: kept records differ"
  "$neardup" index verify "$idx" >/dev/null || fail "$level: verify"
  "$neardup" index stats "$idx" >"$work/stats"
  grep -qx "documents 4000" "$work/stats" || fail "$level: stats documents"
  grep -qx "batches 4" "$work/stats" || fail "$level: stats batches"
done

idx="$work/idx-near"
# The near run must have exercised the exact check against earlier batches.
"$neardup" index init "$work/idx-check" --level near
"$neardup" index add -q "$work/idx-check" "${batches[0]}" -o "$work/chk1"
"$neardup" index add "$work/idx-check" "${batches[1]}" -o "$work/chk2" 2>"$work/summary"
grep -Eq 'matches \([1-9][0-9]* decided exactly, 0 on the estimate' "$work/summary" ||
  fail "no pair against the index was decided exactly: $(cat "$work/summary")"

# A completed add rerun does nothing; the same name with other inputs is refused.
expect_exit 0 "$neardup" index add -q "$idx" "${batches[3]}" -o "$work/again" --batch b4
grep -q "already in" "$work/stderr" || fail "rerun of a completed add"
[ ! -e "$work/again" ] || fail "rerun of a completed add wrote an output"
expect_exit 1 "$neardup" index add -q "$idx" "${batches[2]}" -o "$work/again" --batch b4
grep -q "other inputs" "$work/stderr" || fail "batch name reused"

# query: read-only; a document matches in the index exactly when add named an earlier batch.
"$neardup" index init "$work/idx3" --level near
for i in 1 2 3; do "$neardup" index add -q "$work/idx3" "${batches[$((i - 1))]}" -o "$work/q$i"; done
before=$(cd "$work/idx3" && sha256sum MANIFEST seg-* runs-*)
"$neardup" index query -q "$work/idx3" "${batches[3]}" -o "$work/query.jsonl"
[ "$(wc -l <"$work/query.jsonl")" -eq 1000 ] || fail "query: one line per document"
grep -c '"matches": \[{' "$work/query.jsonl" >"$work/n-query" || true
[ "$(cat "$work/n-query")" -eq "$cross" ] || fail "query: $(cat "$work/n-query") matches, add found $cross"
[ "$(cd "$work/idx3" && sha256sum MANIFEST seg-* runs-*)" = "$before" ] || fail "query changed the index"

# A query while an add runs reads the index as before or after it, whole.
"$neardup" index add -q "$work/idx3" "${batches[3]}" -o "$work/q4" --batch b4 &
pid=$!
for i in 1 2 3 4 5; do
  "$neardup" index query -q "$work/idx3" "${batches[3]}" -o "$work/concurrent.jsonl" ||
    fail "query during an add"
  n=$(grep -c '"matches": \[{' "$work/concurrent.jsonl" || true)
  # Before the add, b4's own documents are not in the index; after it, all are.
  [ "$n" -eq "$cross" ] || [ "$n" -eq 1000 ] || fail "query during an add saw $n matches"
done
wait "$pid" || fail "add during queries"

# The lock: a second add while one runs is refused, naming the lock, with
# exit 5 (busy: retry), not 1 (invalid command line).
flock "$work/idx3/LOCK" sleep 3 &
sleep 0.5
expect_exit 5 "$neardup" index add -q "$work/idx3" "${batches[3]}" -o "$work/locked"
grep -q "locked" "$work/stderr" || fail "lock message: $(cat "$work/stderr")"
wait

# An add whose merge of runs fails (here: a directory in the way of the
# merged file) has added its batch all the same, unmerged, and the index
# verifies; a rerun of the add finishes the merge and leaves the files an
# uninterrupted add leaves.
"$neardup" index init "$work/merge-ok" --level near
"$neardup" index init "$work/merge-cut" --level near
for i in 1 2; do
  "$neardup" index add -q "$work/merge-ok" "$work/b$i.jsonl" -o "$work/mo$i" --batch "b$i"
done
"$neardup" index add -q "$work/merge-cut" "$work/b1.jsonl" -o "$work/mc1" --batch b1
mkdir -p "$work/merge-cut/runs-000001-000002.ndr/in-the-way"
if "$neardup" index add -q "$work/merge-cut" "$work/b2.jsonl" -o "$work/mc2" --batch b2 2>/dev/null; then
  fail "an add whose merge failed exited 0"
fi
"$neardup" index verify "$work/merge-cut" >"$work/verify" || fail "unmerged index: $(cat "$work/verify")"
grep -q "^ok: 2 batches" "$work/verify" || fail "the batch was not added: $(cat "$work/verify")"
grep -q "^runs runs-000002-000002.ndr batches 2 2 " "$work/merge-cut/MANIFEST" ||
  fail "runs merged although the merge failed"
rm -r "$work/merge-cut/runs-000001-000002.ndr"
expect_exit 0 "$neardup" index add -q "$work/merge-cut" "$work/b2.jsonl" -o "$work/mc2" -f --batch b2
grep -q "already in" "$work/stderr" || fail "rerun after a failed merge: $(cat "$work/stderr")"
files() { (cd "$1" && ls && sha256sum MANIFEST seg-* runs-*); }
[ "$(files "$work/merge-cut")" = "$(files "$work/merge-ok")" ] ||
  fail "the rerun did not finish the merge as an uninterrupted add: $(ls "$work/merge-cut")"

# Corruption: one flipped byte anywhere in a segment, or in the MANIFEST,
# fails verify with exit 2 naming the file.
# flip_each FILE WHAT OFFSET...: a copy of the index with one byte of FILE
# flipped at each OFFSET in turn fails verify with exit 2 naming FILE.
flip_each() {
  local file="$1" what="$2"
  shift 2
  for offset in "$@"; do
    cp -a "$idx" "$work/bad"
    printf '\xff' | dd of="$work/bad/$file" bs=1 seek="$offset" conv=notrunc status=none
    if cmp -s "$idx/$file" "$work/bad/$file"; then
      printf '\x00' | dd of="$work/bad/$file" bs=1 seek="$offset" conv=notrunc status=none
    fi
    expect_exit 2 "$neardup" index verify "$work/bad"
    grep -q "$file" "$work/stderr" || fail "verify $what at $offset: $(cat "$work/stderr")"
    rm -rf "$work/bad"
  done
}
size=$(stat -c %s "$idx/seg-000002.nds")
flip_each seg-000002.nds segment 5 100 300 $((size / 3)) $((size / 2)) $((size - 10))
# The same in the run file the four batches' runs were merged into (1, 2,
# 2 merged into 4: one run file left).
[ "$(cd "$idx" && ls runs-*)" = "runs-000001-000004.ndr" ] || fail "runs not merged: $(ls "$idx")"
size=$(stat -c %s "$idx/runs-000001-000004.ndr")
flip_each runs-000001-000004.ndr runs 9 50 120 $((size / 3)) $((size / 2)) $((size - 10))
cp -a "$idx" "$work/bad"
sed -i 's/documents 1000/documents 1001/' "$work/bad/MANIFEST"
expect_exit 2 "$neardup" index verify "$work/bad"
grep -q "MANIFEST" "$work/stderr" || fail "verify MANIFEST: $(cat "$work/stderr")"
truncate -s -1 "$idx/seg-000003.nds"
expect_exit 2 "$neardup" index verify "$idx"
grep -q "seg-000003.nds" "$work/stderr" || fail "truncated segment: $(cat "$work/stderr")"

# Levels without an index mode are refused at init.
expect_exit 1 "$neardup" index init "$work/idx-story" --level story
expect_exit 1 "$neardup" index init "$work/idx-sim" --method simhash
echo "index: ok"
