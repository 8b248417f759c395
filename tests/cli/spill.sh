# Decoded copies of compressed inputs (issue 20): the copy is an unnamed
# file in the output's directory (seen among the process's descriptors as
# deleted while it runs), so a run killed with SIGKILL leaves nothing of it;
# outputs are the same with the copy, without it (--no-spill) and with it
# elsewhere (--spill-dir), and the summary says how much disk it took.
#   spill.sh NEARDUP SRC
source "$(dirname "$0")/common.sh"

# About 20 MB of JSONL (8 MB as gzip), every fifth document a near copy.
awk 'BEGIN {
  srand(11)
  for (w = 0; w < 4000; w++) {
    word = ""; n = 3 + int(rand() * 7)
    for (c = 0; c < n; c++) word = word sprintf("%c", 97 + int(rand() * 26))
    vocab[w] = word
  }
  for (d = 0; d < 30000; d++) {
    if (d % 5 == 4) { text = doc[int(rand() * d)] " and one more line" }
    else { text = ""; for (i = 0; i < 100; i++) text = text vocab[int(rand() * 4000)] " " }
    doc[d] = text
    printf "{\"id\": \"d%05d\", \"text\": \"%s.\"}\n", d, text
  }
}' >"$work/crawl.jsonl"
gzip -c "$work/crawl.jsonl" >"$work/crawl.jsonl.gz"
zstd -q -c "$work/crawl.jsonl" >"$work/crawl.jsonl.zst"

mkdir "$work/out" "$work/elsewhere"
"$neardup" cluster -q "$work/crawl.jsonl" -o "$work/out/plain.jsonl" || fail "plain run"
for input in crawl.jsonl.gz crawl.jsonl.zst; do
  for j in 1 2; do
    "$neardup" cluster -j$j "$work/$input" -o "$work/out/with.jsonl" 2>"$work/summary" ||
      fail "$input -j$j"
    grep -q "decoded copies [0-9.]* MB on disk" "$work/summary" ||
      fail "$input: the summary does not count the decoded copy: $(cat "$work/summary")"
    "$neardup" cluster -q -j$j --no-spill "$work/$input" -o "$work/out/without.jsonl" 2>"$work/summary" ||
      fail "$input --no-spill"
    "$neardup" cluster -j$j --spill-dir "$work/elsewhere" "$work/$input" \
      -o "$work/out/elsewhere.jsonl" 2>"$work/summary" || fail "$input --spill-dir"
    grep -q "decoded copies" "$work/summary" || fail "$input: --spill-dir made no copy"
    for f in with without elsewhere; do
      sed "s|$work/$input:|INPUT:|g" "$work/out/$f.jsonl" >"$work/a"
      sed "s|$work/crawl.jsonl:|INPUT:|g" "$work/out/plain.jsonl" >"$work/b"
      cmp -s "$work/a" "$work/b" || fail "$input -j$j ($f): clusters differ from the plain file's"
    done
  done
done
[ -z "$(ls -A "$work/elsewhere")" ] || fail "--spill-dir left files: $(ls -A "$work/elsewhere")"
expect_exit 1 "$neardup" cluster --spill-dir "$work/missing" "$work/crawl.jsonl.gz" -o "$work/x.jsonl"

# Killed while it holds the copy: nothing of it is left in the output's
# directory (the temporary output file of -o, which the next run removes,
# is the only new entry).
rm -f "$work/out/"*
"$neardup" cluster -q -j2 "$work/crawl.jsonl.gz" -o "$work/out/clusters.jsonl" &
pid=$!
seen=0
for _ in $(seq 400); do
  if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "$work/out/#[0-9]* (deleted)"; then
    seen=1
    break
  fi
  sleep 0.01
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ "$seen" -eq 1 ] || fail "no unnamed decoded copy seen in $work/out while the run went on"
left="$(ls -A "$work/out" | grep -v "^\.clusters\.jsonl\.neardup-tmp-$pid" || true)"
[ -z "$left" ] || fail "a killed run left $left"
echo "ok"
