#!/usr/bin/env bash
# The persistent index's workload on our segment files and on SQLite, LMDB
# and RocksDB (issue 22, "storage chosen by measurement"): for each store
# built into build/bench/store_compare (an embedded store is built in when
# its Debian package, libsqlite3-dev, liblmdb-dev or librocksdb-dev, is
# installed), BATCHES batches of DOCS synthetic documents are stored in
# turn, each preceded by the add's lookup of all its band keys and exact
# fingerprints against everything stored, then a held-out batch is queried.
# Each store runs in its own process under /usr/bin/time; rounds alternate
# the stores. Writes every row to OUT.csv (phases lookup, write, query,
# closed, peak_rss_kb, and a "time" row per process: wall, user, sys, max RSS).
#
#   bench/store_compare.sh [--docs 100000] [--batches 10] [--rounds 1]
#                          [--stores "ours sqlite lmdb rocksdb"] [--build build]
#                          [--work DIR] [--out PREFIX]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
docs=100000
batches=10
rounds=1
stores="ours sqlite lmdb rocksdb"
build="$root/build"
work="${TMPDIR:-/tmp}/neardup-bench-store"
out="$root/bench/results/$(date -u +%F)-store"
die() { echo "bench/store_compare.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --stores) stores="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
bin="$build/bench/store_compare"
[ -x "$bin" ] || die "build store_compare in $build first"
mkdir -p "$work" "$(dirname "$out")"
csv="$out.csv"
echo "round,store,phase,batch,seconds,cpu_seconds,matches,bytes,bytes_per_doc" >"$csv"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for round in $(seq 1 "$rounds"); do
  for store in $stores; do
    rm -rf "$work/$store"
    if ! /usr/bin/time -f "time,%e,%U,%S,%M" -o "$work/time" \
      "$bin" --store "$store" --dir "$work/$store" --docs "$docs" --batches "$batches" \
      >"$work/rows" 2>"$work/err"; then
      grep -q "not built in" "$work/err" && { echo "skipping $store: not built in" >&2; continue; }
      cat "$work/err" >&2
      die "$store failed"
    fi
    tail -n +2 "$work/rows" | sed "s/^/$round,/" >>"$csv"
    IFS=, read -r _ wall user sys rss <"$work/time"
    echo "$round,$store,time,,$wall,$(echo "$user + $sys" | bc),,$((rss * 1024)),," >>"$csv"
    rm -rf "$work/$store"
    echo "round $round $store: $wall s wall, $user s user, $sys s sys, $rss KB peak RSS" \
      "(load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  done
done
echo "wrote $csv" >&2
