#!/usr/bin/env bash
# Issue 22, "Done when" 1: on a held-out gen_planted corpus split into
# batches, `neardup index add` batch by batch decides as one
# `neardup dedup` over all the batches, at the exact and the near level.
# The comparison is done apart from the tests' shell check, by parsing both
# decisions files as JSON (Python): the same records, each kept or not alike,
# each duplicate naming the same document (id and source), once the later
# adds' merged.jsonl (earlier clusters a later batch joined) are applied.
#
#   bench/index_equivalence.sh [--docs 100000] [--batches 5] [--seed 3]
#                              [--source PATH] [--build build] [--work DIR]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
docs=100000
batches=5
seed=3
source_path="$root/../shared/data/enwiki-2015/docs.jsonl.gz"
build="$root/build"
work="${TMPDIR:-/tmp}/neardup-index-equivalence"
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --source) source_path="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "index_equivalence.sh: unknown option $1" >&2; exit 1 ;;
  esac
done
neardup="$build/cli/neardup"
corpus="$work/corpus-$docs-$seed.jsonl"  # generated once, kept
mkdir -p "$work"
[ -s "$corpus" ] || "$build/bench/gen_planted" --source "$source_path" --docs "$docs" \
  --seed "$seed" --out "$corpus" --labels "$work/labels-$docs-$seed.tsv" >/dev/null
rm -rf "$work/batches" "$work"/one-* "$work"/idx-* "$work"/add-*
mkdir -p "$work/batches"
split -n "l/$batches" -d -a 2 --additional-suffix=.jsonl "$corpus" "$work/batches/b"
inputs=("$work"/batches/b*.jsonl)

for level in exact near; do
  "$neardup" dedup -q -j2 --no-chain-guard --level "$level" "${inputs[@]}" -o "$work/one-$level"
  "$neardup" index init "$work/idx-$level" --level "$level"
  i=0
  for input in "${inputs[@]}"; do
    i=$((i + 1))
    "$neardup" index add -j2 --no-chain-guard "$work/idx-$level" "$input" -o "$work/add-$level-$i" --batch "b$i" \
      2>"$work/add-$level-$i.log"
    grep "against the index" "$work/add-$level-$i.log"
  done
  "$neardup" index verify "$work/idx-$level"
  python3 - "$level" "$work/one-$level/decisions.jsonl" "$work"/add-"$level"-*/decisions.jsonl <<'EOF'
import json, sys

level, one, adds = sys.argv[1], sys.argv[2], sys.argv[3:]

def load(paths):
    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                key = (d["id"], d["source"])
                assert key not in out, key
                out[key] = (d["kept"], d["duplicate_of"], d["duplicate_of_source"])
    return out

a, b = load([one]), load(adds)
# Apply the later adds' merged.jsonl: an earlier representative a later batch
# merged into an older cluster is a duplicate of the older one's
# representative, and so are the documents that named it.
to = {}
for path in adds:
    with open(path.replace("decisions.jsonl", "merged.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            to[(d["id"], d["source"])] = (d["duplicate_of"], d["duplicate_of_source"])
merged = len(to)
for key, (kept, dup, dup_source) in list(b.items()):
    cur = key if kept and key in to else (dup, dup_source) if not kept else None
    if cur is None:
        continue
    while cur in to:
        cur = to[cur]
    b[key] = (False, cur[0], cur[1])
assert a.keys() == b.keys(), "different records"
differ = [k for k in a if a[k] != b[k]]
dups = sum(1 for v in a.values() if not v[0])
cross = 0
for path in adds:
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            batch = path.split("/")[-2].split("-")[-1]
            cross += d.get("duplicate_of_batch") not in (None, "b" + batch)
print(f"{level}: {len(a)} documents, {dups} duplicates ({cross} of an earlier batch, "
      f"{merged} earlier representatives merged later); {len(differ)} decisions differ")
for k in differ[:10]:
    print("  ", k, "one dedup:", a[k], "index add:", b[k])
sys.exit(1 if differ else 0)
EOF
done
