# Crash safety of `neardup index add` (issue 22): SIGKILL at random moments
# of an add leaves an index that verifies and holds the batches before the
# add or after it; a rerun of the add (with -f, since the output may have
# been written) gives byte for byte the index (the same files: the second
# add merges both batches' runs into one run file, and a rerun after a kill
# during that merge finishes it) and output of an uninterrupted add.
#   index_kill.sh NEARDUP SRC [KILLS]
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/index_corpus.sh"
kills="${3:-20}"
RANDOM=23  # repeatable kill times

index_corpus 24000 2
idx="$work/idx"
"$neardup" index init "$idx" --level near || fail "init"
"$neardup" index add -q "$idx" "$work/b1.jsonl" -o "$work/out1" --batch b1 || fail "add b1"
cp -a "$idx" "$work/before"
add=("$neardup" index add -q "$idx" "$work/b2.jsonl" -o "$work/out2" -f --batch b2)
snapshot() {
  (cd "$idx" && ls && sha256sum MANIFEST seg-*.nds runs-*.ndr)
  (cd "$work/out2" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

start=$(date +%s%N)
"${add[@]}" || fail "uninterrupted add"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
"$neardup" index verify "$idx" >/dev/null || fail "verify after the add"
expected=$(snapshot)
[ "$(cd "$idx" && ls runs-*)" = "runs-000001-000002.ndr" ] || fail "the add did not merge the runs"
grep -q '"duplicate_of_batch": "b1"' "$work/out2/decisions.jsonl" || fail "no match across batches"

saw_before=0
saw_after=0
for i in $(seq "$kills"); do
  rm -rf "$idx" "$work/out2"
  cp -a "$work/before" "$idx"
  # Uniform over 0..120% of an add: reading, signing, writing the output,
  # the segment and the MANIFEST, and after.
  delay_ms=$((RANDOM % (elapsed_ms * 12 / 10 + 1)))
  "${add[@]}" 2>/dev/null &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  "$neardup" index verify "$idx" >"$work/verify" 2>/dev/null ||
    fail "kill $i at ${delay_ms} ms: verify failed"
  if grep -q "^ok: 2 batches" "$work/verify"; then
    saw_after=$((saw_after + 1))
  elif grep -q "^ok: 1 batches" "$work/verify"; then
    saw_before=$((saw_before + 1))
  else
    fail "kill $i: $(cat "$work/verify")"
  fi
  "${add[@]}" 2>"$work/rerun.err" || fail "kill $i at ${delay_ms} ms: rerun failed"
  [ "$(snapshot)" = "$expected" ] || fail "kill $i at ${delay_ms} ms: rerun differs from an uninterrupted add"
  [ -z "$(find "$idx" -name '.*neardup-tmp*')" ] || fail "kill $i: temporary files left after the rerun"
done
[ "$saw_before" -gt 0 ] || fail "no kill landed before the add took effect"
echo "index_kill: $kills kills, $saw_before before the add took effect, $saw_after after; all verified"
