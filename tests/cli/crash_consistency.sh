# Crash consistency (issue 17): `dedup -f` over a complete earlier output,
# killed with SIGKILL at random moments, leaves OUTDIR holding either the old
# or the new output, complete (manifest present, decisions and kept records
# agree); the next run removes what the killed one left.
#   crash_consistency.sh NEARDUP SRC [KILLS]
source "$(dirname "$0")/common.sh"
kills="${3:-30}"
RANDOM=17  # repeatable kill times

# About 6 MB of JSONL: 12,000 documents from a fixed vocabulary, every fifth
# a near copy of an earlier one, so each run has work to sign and cluster.
awk 'BEGIN {
  srand(5)
  for (w = 0; w < 4000; w++) {
    word = ""; n = 3 + int(rand() * 7)
    for (c = 0; c < n; c++) word = word sprintf("%c", 97 + int(rand() * 26))
    vocab[w] = word
  }
  for (d = 0; d < 12000; d++) {
    if (d % 5 == 4) { text = doc[int(rand() * d)] " and one more line" }
    else { text = ""; for (i = 0; i < 80; i++) text = text vocab[int(rand() * 4000)] " " }
    doc[d] = text
    printf "{\"id\": \"d%05d\", \"text\": \"%s.\"}\n", d, text
  }
}' >"$work/crawl.jsonl"

out="$work/out"
old_run() { "$neardup" dedup --quiet --threshold 0.9 "$work/crawl.jsonl" -o "$out" -f; }
new_cmd=("$neardup" dedup --quiet --level exact "$work/crawl.jsonl" -o "$out" -f)
snapshot() { (cd "$out" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# A complete output agrees with itself: one decision per record, and the
# kept file holds exactly the records decided kept.
check_complete() {
  [ -f "$out/manifest.json" ] || fail "$1: no manifest"
  [ "$(wc -l <"$out/decisions.jsonl")" -eq 12000 ] || fail "$1: decisions incomplete"
  local kept
  kept=$(grep -c '"kept": true' "$out/decisions.jsonl")
  [ "$(wc -l <"$out/crawl.jsonl")" -eq "$kept" ] || fail "$1: kept file disagrees with decisions"
  grep -q "\"kept\": $kept," "$out/manifest.json" || fail "$1: manifest disagrees"
}

start=$(date +%s%N)
"${new_cmd[@]}" || fail "first new run"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
check_complete new
new=$(snapshot)
old_run || fail "first old run"
check_complete old
old=$(snapshot)
[ "$old" != "$new" ] || fail "old and new outputs are the same; the test would prove nothing"

saw_old=0
saw_new=0
for i in $(seq "$kills"); do
  # Uniform over 0..110% of a run, so kills land in reading, writing and the swap.
  delay_ms=$((RANDOM % (elapsed_ms * 11 / 10 + 1)))
  "${new_cmd[@]}" 2>/dev/null &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  now=$(snapshot)
  if [ "$now" = "$old" ]; then
    saw_old=$((saw_old + 1))
  elif [ "$now" = "$new" ]; then
    saw_new=$((saw_new + 1))
    old_run || fail "restoring the old output"  # so the next kill again replaces old by new
  else
    check_complete "kill $i after $delay_ms ms" || true
    fail "kill $i after $delay_ms ms: OUTDIR is neither the old nor the new output"
  fi
done
echo "kills: $kills over ${elapsed_ms} ms runs ($saw_old left the old output, $saw_new the new one)"

# The next run removes what the killed ones left, and leaves nothing itself.
"${new_cmd[@]}" 2>"$work/err" || fail "run after the kills: $(cat "$work/err")"
[ "$(snapshot)" = "$new" ] || fail "final output differs from the new output"
if ls -a "$work" | grep -q "neardup-"; then fail "leftovers after the next run: $(ls -a "$work")"; fi
echo "ok"
