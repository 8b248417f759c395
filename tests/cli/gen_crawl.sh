# The crawl generator's output through neardup (run when benchmarks are built):
# $3 is gen_crawl. A WET file and a JSONL.gz with planted exact and near
# duplicates and broken records: strict runs fail naming the fault, --skip-bad
# runs account for every record, and the planted duplicates are found.
source "$(dirname "$0")/common.sh"
gen="$3"

"$gen" --source "$corpus/docs" --docs 300 --seed 3 --broken --wet "$work/c.warc.wet.gz" \
  --jsonl "$work/c.jsonl.gz" --labels "$work/labels.tsv" 2>"$work/gen.log" || fail "gen_crawl failed"
[ "$(wc -l <"$work/labels.tsv")" -eq 300 ] || fail "labels: $(wc -l <"$work/labels.tsv") lines"
"$gen" --source "$corpus/docs" --docs 300 --seed 3 --broken --wet "$work/again.warc.wet.gz" \
  --labels "$work/again.tsv" 2>/dev/null
cmp "$work/c.warc.wet.gz" "$work/again.warc.wet.gz" || fail "gen_crawl is not deterministic"

# Strict: the truncated last member (record 302) and the malformed line fail.
expect_exit 2 "$neardup" cluster "$work/c.warc.wet.gz"
grep -q "c.warc.wet.gz:302: truncated gzip stream" "$work/stderr" || fail "WET fault: $(cat "$work/stderr")"
expect_exit 2 "$neardup" cluster "$work/c.jsonl.gz"
grep -q "c.jsonl.gz:[0-9]*: malformed JSON" "$work/stderr" || fail "JSONL fault: $(cat "$work/stderr")"

for input in c.warc.wet.gz c.jsonl.gz; do
  expect_exit 0 "$neardup" dedup --skip-bad "$work/$input" -o "$work/out-$input"
  d="$work/out-$input/decisions.jsonl"
  # WET: warcinfo + 300 + the cut record; JSONL: 300 + the bad line + the cut line.
  [ "$(wc -l <"$d")" -eq 302 ] || fail "$input: $(wc -l <"$d") decisions"
  kept=$(grep -c '"kept": true' "$d")
  dups=$(grep -c '"duplicate_of": "' "$d")
  skipped=$(grep -c '"skipped": true' "$d")
  [ $((kept + dups + skipped)) -eq 302 ] || fail "$input: $kept + $dups + $skipped != 302"
  [ "$skipped" -eq 2 ] || fail "$input: $skipped skipped"
  grep -q "302 records read: $kept kept, $dups duplicates, 2 skipped" "$work/stderr" || fail "summary"
  cut -f 1 "$work/labels.tsv" | while IFS= read -r id; do
    grep -qF "\"id\": \"$id\"" "$d" || fail "$input: $id has no decision"
  done
  "$neardup" cluster --quiet --skip-bad "$work/$input" -o "$work/clusters.jsonl"
  "$neardup" eval --format json --clusters "$work/clusters.jsonl" --labels "$work/labels.tsv" >"$work/eval.json"
  precision=$(json_number "$work/eval.json" precision)
  recall=$(json_number "$work/eval.json" recall)
  awk -v p="$precision" -v r="$recall" 'BEGIN { exit !(p >= 0.95 && r >= 0.95) }' ||
    fail "$input: pairwise precision $precision, recall $recall"
done
# The deduplicated WET file reads cleanly and holds just the kept records.
gzip -t "$work/out-c.warc.wet.gz/c.warc.wet.gz" || fail "output WET is not valid gzip"
n_out=$(gzip -dc "$work/out-c.warc.wet.gz/c.warc.wet.gz" | grep -c '^WARC/1.0')
[ "$n_out" -eq "$(grep -c '"kept": true' "$work/out-c.warc.wet.gz/decisions.jsonl")" ] ||
  fail "output WET holds $n_out records"
echo "gen_crawl: 300 documents, precision $precision, recall $recall"
