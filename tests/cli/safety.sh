# Output safety (issue 17): neardup never writes its inputs or anything
# outside the output the user named; devices, FIFOs and symbolic links given
# as outputs are written through; a failed run leaves the previous output;
# interrupted runs leave nothing behind, and what a killed one left is
# removed by the next run.
source "$(dirname "$0")/common.sh"

snapshot() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

text="The harbor bridge will close for six weeks of repairs starting Monday, officials said, after inspectors found corroded steel in two support beams."
mkdir -p "$work/run"
for i in 1 2 3; do printf '{"id": "r%d", "text": "%s"}\n' "$i" "$text"; done >"$work/run/crawl.jsonl"
cp -r "$corpus/docs" "$work/run/docs"
before_jsonl=$(sha256sum <"$work/run/crawl.jsonl")
before_docs=$(snapshot "$work/run/docs")

# 1. An output directory that is, contains or lies inside an input is refused
#    (exit 1, naming both), with or without --force, and nothing is touched.
cd "$work/run"
expect_exit 1 "$neardup" dedup crawl.jsonl -o . -f
grep -q "output . contains the input crawl.jsonl" "$work/stderr" || fail "-o .: $(cat "$work/stderr")"
expect_exit 1 "$neardup" dedup docs -o . -f
grep -q "contains the input docs" "$work/stderr" || fail "-o . with docs: $(cat "$work/stderr")"
expect_exit 1 "$neardup" dedup docs -o docs -f
grep -q "output docs is the input docs" "$work/stderr" || fail "-o docs: $(cat "$work/stderr")"
expect_exit 1 "$neardup" dedup docs -o docs/sub/out -f
grep -q "lies inside the input docs" "$work/stderr" || fail "-o docs/sub: $(cat "$work/stderr")"
ln -s docs docs-link
expect_exit 1 "$neardup" dedup docs-link -o docs/out
grep -q "lies inside" "$work/stderr" || fail "through a link: $(cat "$work/stderr")"
# A file output that is an input, or lies inside one, is refused too.
expect_exit 1 "$neardup" cluster crawl.jsonl -o crawl.jsonl
expect_exit 1 "$neardup" cluster docs -o docs/clusters.jsonl
expect_exit 1 "$neardup" stats build crawl.jsonl -o crawl.jsonl
[ "$(sha256sum <crawl.jsonl)" = "$before_jsonl" ] || fail "crawl.jsonl changed"
[ "$(snapshot docs)" = "$before_docs" ] || fail "docs/ changed"
[ ! -e docs/out ] && [ ! -e docs/sub ] || fail "something was written inside docs/"
cd - >/dev/null

# -o "" and -o FILE are usage errors that say what is wrong.
expect_exit 1 "$neardup" dedup "$work/run/crawl.jsonl" -o ""
grep -q "empty" "$work/stderr" || fail "-o '': $(cat "$work/stderr")"
printf 'x\n' >"$work/afile"
expect_exit 1 "$neardup" dedup "$work/run/crawl.jsonl" -o "$work/afile" -f
grep -q "exists and is not a directory" "$work/stderr" || fail "-o FILE: $(cat "$work/stderr")"
# A directory holding files neardup did not write is never replaced.
mkdir -p "$work/mine" && printf 'keep me\n' >"$work/mine/notes.txt"
expect_exit 1 "$neardup" dedup "$work/run/crawl.jsonl" -o "$work/mine" -f
grep -q "neardup did not write" "$work/stderr" || fail "foreign dir: $(cat "$work/stderr")"
[ "$(cat "$work/mine/notes.txt")" = "keep me" ] || fail "foreign directory touched"

# 2. Symbolic links, FIFOs and devices given to -o are written through.
printf 'old\n' >"$work/target.jsonl"
ln -s target.jsonl "$work/link.jsonl"
expect_exit 0 "$neardup" cluster --quiet "$work/run/crawl.jsonl" -o "$work/link.jsonl"
[ -L "$work/link.jsonl" ] || fail "-o LINK replaced the link"
grep -q '"r1"' "$work/target.jsonl" || fail "-o LINK did not write its target"
mkfifo "$work/fifo"
cat "$work/fifo" >"$work/from-fifo" &
reader=$!
expect_exit 0 "$neardup" cluster --quiet "$work/run/crawl.jsonl" -o "$work/fifo"
wait "$reader"
[ -p "$work/fifo" ] || fail "-o FIFO replaced the FIFO"
grep -q '"r1"' "$work/from-fifo" || fail "nothing came through the FIFO"
# /dev/stdout names the open descriptor: written through, appended to when
# the shell opened it with >> (and never truncated or replaced).
printf 'first\n' >"$work/appended.jsonl"
"$neardup" cluster --quiet "$work/run/crawl.jsonl" -o /dev/stdout >>"$work/appended.jsonl" ||
  fail "-o /dev/stdout failed"
[ "$(head -n 1 "$work/appended.jsonl")" = "first" ] || fail "-o /dev/stdout truncated a >> file"
grep -q '"r1"' "$work/appended.jsonl" || fail "-o /dev/stdout wrote nothing"
# A character device (a private copy of /dev/null, where mknod is allowed).
if mknod "$work/null" c 1 3 2>/dev/null; then
  expect_exit 0 "$neardup" cluster --quiet "$work/run/crawl.jsonl" -o "$work/null"
  [ -c "$work/null" ] || fail "-o DEVICE replaced the device"
  expect_exit 0 "$neardup" dedup --quiet "$work/run/crawl.jsonl" -o "$work/devout"
fi
ls -a "$work" | grep -q "neardup-tmp" && fail "temporary files left: $(ls -a "$work")"

# 3. A directory input: a link that leaves the tree is skipped and listed,
#    a link inside it is named by its own path, and nothing is written
#    outside OUTDIR.
mkdir -p "$work/tree/sub" "$work/outside"
printf '%s\n' "$text" >"$work/outside/x.txt"
printf '%s Inside.\n' "$text" >"$work/tree/sub/real.txt"
ln -s ../../outside/x.txt "$work/tree/sub/escape.txt"
ln -s real.txt "$work/tree/sub/alias.txt"
ln -s ../outside "$work/tree/dirlink"
outside_before=$(snapshot "$work/outside")
expect_exit 0 "$neardup" dedup --quiet "$work/tree" -o "$work/tree-out"
d="$work/tree-out/decisions.jsonl"
grep -F '"id": "sub/escape.txt"' "$d" | grep -q '"skipped": true' || fail "escaping link not skipped: $(cat "$d")"
grep -F '"id": "sub/escape.txt"' "$d" | grep -q 'outside the tree' || fail "no reason for the escaping link"
grep -F '"id": "dirlink"' "$d" | grep -q '"skipped": true' || fail "directory link not skipped"
grep -qF '"id": "sub/alias.txt"' "$d" || fail "inner link not named by its own path: $(cat "$d")"
grep -q '"\.\./' "$d" && fail "an id leaves the tree: $(cat "$d")"
[ "$(snapshot "$work/outside")" = "$outside_before" ] || fail "a file outside OUTDIR changed"
[ ! -e "$work/tree-out/tree/sub/escape.txt" ] || fail "escaping link copied"
# The inner link comes first in path order, so it is the kept copy: a file.
[ -f "$work/tree-out/tree/sub/alias.txt" ] && [ ! -L "$work/tree-out/tree/sub/alias.txt" ] ||
  fail "kept link not copied as a file: $(ls -la "$work/tree-out/tree/sub")"

# 4. A rerun with --force that fails leaves the previous output untouched;
#    one that succeeds replaces it whole, with a manifest.
expect_exit 0 "$neardup" dedup --quiet "$work/run/crawl.jsonl" -o "$work/out"
[ -f "$work/out/manifest.json" ] || fail "no manifest"
grep -q '"neardup_output": 1' "$work/out/manifest.json" || fail "manifest: $(cat "$work/out/manifest.json")"
grep -q '"records": 3, "kept": 1, "duplicates": 2, "skipped": 0' "$work/out/manifest.json" ||
  fail "manifest counts: $(cat "$work/out/manifest.json")"
old=$(snapshot "$work/out")
{ cat "$work/run/crawl.jsonl"; printf '{"id": "bad", "text": \n'; } >"$work/broken.jsonl"
cp "$work/broken.jsonl" "$work/crawl.jsonl"
expect_exit 2 "$neardup" dedup --quiet "$work/crawl.jsonl" -o "$work/out" -f
[ "$(snapshot "$work/out")" = "$old" ] || fail "a failed rerun changed the previous output"
ls -a "$work" | grep -q "neardup-staging" && fail "staging left after a failed run"
printf '{"id": "new", "text": "Something else entirely, about gardens and rain."}\n' >"$work/crawl.jsonl"
expect_exit 0 "$neardup" dedup --quiet "$work/crawl.jsonl" -o "$work/out" -f
[ "$(wc -l <"$work/out/decisions.jsonl")" -eq 1 ] || fail "rerun did not replace decisions"
grep -q '"new"' "$work/out/crawl.jsonl" || fail "rerun did not replace the kept file"
ls -a "$work" | grep -q "neardup-" && fail "leftovers after a rerun: $(ls -a "$work")"

# 5. SIGTERM/SIGINT while reading stdin: the spool is removed and the exit
#    status is 128+signal. What SIGKILL leaves is removed by the next run.
mkdir -p "$work/tmp"
mkfifo "$work/stdin-fifo"
for sig in TERM INT HUP; do
  TMPDIR="$work/tmp" "$neardup" cluster --quiet - -o "$work/c.jsonl" <"$work/stdin-fifo" &
  pid=$!
  exec 3>"$work/stdin-fifo"
  printf '{"id": "a", "text": "%s"}\n' "$text" >&3
  for _ in $(seq 50); do ls "$work/tmp" | grep -q neardup-stdin && break; sleep 0.1; done
  ls "$work/tmp" | grep -q neardup-stdin || fail "no spool seen"
  kill -s "$sig" "$pid"
  status=0
  wait "$pid" || status=$?
  exec 3>&-
  case "$sig" in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
  [ "$status" -eq "$want" ] || fail "SIG$sig: exit $status, expected $want"
  [ -z "$(ls -A "$work/tmp")" ] || fail "SIG$sig left $(ls -A "$work/tmp")"
  ls -a "$work" | grep -q "neardup-tmp" && fail "SIG$sig left a temporary output"
done
# Leftovers named after a process that is gone.
sh -c 'exit 0' &
dead=$!
wait "$dead"
printf 'x' >"$work/tmp/neardup-stdin-$dead-AbCdEf"
mkdir "$work/.out.neardup-staging-$dead" && printf 'x' >"$work/.out.neardup-staging-$dead/decisions.jsonl"
printf 'x' >"$work/.c.jsonl.neardup-tmp-$dead"
printf '%s\n' "$text" | TMPDIR="$work/tmp" "$neardup" dedup --quiet - -o "$work/out" -f 2>"$work/err" ||
  fail "dedup after a kill: $(cat "$work/err")"
grep -q "removed .*neardup-stdin-$dead-AbCdEf, left by an interrupted run" "$work/err" || fail "spool: $(cat "$work/err")"
grep -q "removed .*\.out\.neardup-staging-$dead" "$work/err" || fail "staging: $(cat "$work/err")"
[ ! -e "$work/.out.neardup-staging-$dead" ] || fail "stale staging not removed"
expect_exit 0 "$neardup" cluster --quiet "$work/run/crawl.jsonl" -o "$work/c.jsonl"
[ ! -e "$work/.c.jsonl.neardup-tmp-$dead" ] || fail "stale temporary file not removed"
grep -q "neardup-tmp-$dead" "$work/stderr" || fail "stale temporary file not reported"
[ -z "$(ls -A "$work/tmp")" ] || fail "tmp not empty: $(ls -A "$work/tmp")"
echo "ok"
