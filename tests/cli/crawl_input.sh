# Crawl input end to end: a WET file (one gzip member per record, warcinfo
# first) built here from corpora/news is deduplicated; kept records are copied
# byte for byte (their gzip members too), duplicates name their cluster, and
# kept + duplicates + skipped = records read. Also stdin ("-").
source "$(dirname "$0")/common.sh"
export LC_ALL=C

# record TYPE ID URI FILE: one WARC record whose block is FILE.
record() {
  printf 'WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\n' "$1" "$2"
  [ -z "$3" ] || printf 'WARC-Target-URI: %s\r\n' "$3"
  printf 'Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n' "$(wc -c <"$4")"
  cat "$4"
  printf '\r\n\r\n'
}

mkdir -p "$work/members"
printf 'software: neardup test\r\nformat: WARC File Format 1.0\r\n' >"$work/info.txt"
record warcinfo info "" "$work/info.txt" | gzip -n >"$work/members/000.gz"
n=0
for f in "$corpus"/docs/*.txt; do
  n=$((n + 1))
  record conversion "doc-$n" "http://news.example/$(basename "$f" .txt)" "$f" |
    gzip -n >"$work/members/$(printf '%03d' "$n").gz"
done
cat "$work"/members/*.gz >"$work/crawl.warc.wet.gz"
records=$((n + 1))

"$neardup" dedup "$work/crawl.warc.wet.gz" -o "$work/out" 2>"$work/stderr"
decisions="$work/out/decisions.jsonl"
[ "$(wc -l <"$decisions")" -eq "$records" ] || fail "$(wc -l <"$decisions") decisions for $records records"
kept=$(grep -c '"kept": true' "$decisions")
dups=$(grep -c '"kept": false, "duplicate_of": "' "$decisions")
skipped=$(grep -c '"skipped": true' "$decisions")
[ "$skipped" -eq 1 ] || fail "expected the warcinfo record alone skipped, got $skipped"
head -n 1 "$decisions" | grep -q '"reason": "warcinfo record (not a document)"' || fail "warcinfo not first"
[ $((kept + dups + skipped)) -eq "$records" ] || fail "kept $kept + dups $dups + skipped $skipped != $records"
[ "$dups" -gt 0 ] || fail "no duplicates found in the WET file"
grep -q "neardup: $records records read: $kept kept, $dups duplicates, $skipped skipped" "$work/stderr" ||
  fail "summary does not account for every record: $(cat "$work/stderr")"
if grep '"kept": false, "duplicate_of": "' "$decisions" | grep -q '"cluster": null'; then
  fail "a duplicate without its cluster"
fi
grep -q '"url": "http://news.example/' "$decisions" || fail "no url in decisions"

# The output is exactly the kept records' gzip members, in input order.
: >"$work/expected.gz"
i=0
while IFS= read -r line; do
  case "$line" in *'"kept": true'*) cat "$work/members/$(printf '%03d' "$i").gz" >>"$work/expected.gz" ;; esac
  i=$((i + 1))
done <"$decisions"
cmp "$work/expected.gz" "$work/out/crawl.warc.wet.gz" || fail "kept records are not byte-identical"

# Clusters name the document's URL; nothing is left to find in the output.
"$neardup" cluster --quiet "$work/crawl.warc.wet.gz" >"$work/clusters.jsonl"
[ "$(wc -l <"$work/clusters.jsonl")" -eq "$(grep -o '"cluster": [0-9][0-9]*' "$decisions" | sort -u | wc -l)" ] ||
  fail "clusters.jsonl and decisions disagree on the number of clusters"
"$neardup" cluster --quiet "$work/out/crawl.warc.wet.gz" >"$work/again.jsonl"
[ ! -s "$work/again.jsonl" ] || fail "dedup output still has clusters"

# Stdin: the same bytes through "-" give the same decisions, named "-".
mkdir "$work/tmp"
TMPDIR="$work/tmp" "$neardup" dedup --quiet - -o "$work/from-stdin" <"$work/crawl.warc.wet.gz"
[ -z "$(ls -A "$work/tmp")" ] || fail "the spooled copy of stdin was left behind"
sed "s|$work/crawl.warc.wet.gz:|-:|g" "$decisions" | cmp - "$work/from-stdin/decisions.jsonl" ||
  fail "stdin decisions differ"
cmp "$work/out/crawl.warc.wet.gz" "$work/from-stdin/stdin" || fail "stdin kept records differ"
gzip -dc "$work/crawl.warc.wet.gz" | "$neardup" cluster --quiet - >"$work/stdin-clusters.jsonl"
sed "s|$work/crawl.warc.wet.gz:|-:|g" "$work/clusters.jsonl" | cmp - "$work/stdin-clusters.jsonl" ||
  fail "cluster from stdin differs"
echo "crawl_input: $records records, $kept kept, $dups duplicates, $skipped skipped"
