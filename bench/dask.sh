#!/usr/bin/env bash
# The Dask driver against the CLI (issue 23): one generated corpus (cached
# like scripts/bench-corpus.sh's), `neardup cluster -j2` and
# `python3 -m neardup.dask cluster --scheduler local:2` on it, alternated
# --repeat times, outputs compared with cmp, one CSV row per run: wall, user
# and system CPU seconds (the driver's with its workers', which it reaps),
# peak RSS of the largest process, the 1-minute load average before the
# run, the final step's own stages (read+sign, which for the driver is
# loading the part files, and cluster) from its summary line, and the
# driver's stages (cluster start, signing on the workers, final step,
# stop) and part-file bytes (what goes through the file "shuffle").
#
#   bench/dask.sh --docs 1000000 --repeat 3
#
# Options [defaults]: --docs N [1000000], --workers N [2], --repeat R [1],
# --source PATH [../shared/data/enwiki-2015/docs.jsonl.gz], --seed S [1],
# --cache DIR [${TMPDIR:-/tmp}/neardup-bench-corpora], --corpus FILE (a JSONL
# to use instead of generating one), --build DIR [build,
# with gen_planted from -DNEARDUP_BUILD_BENCH=ON], --python EXE [/usr/bin/python3],
# --split auto|ranges|blocks [auto] (the driver's), --out CSV
# [bench/results/DATE-dask.csv].
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
docs=1000000 workers=2 repeat=1 seed=1
source_path="$root/../shared/data/enwiki-2015/docs.jsonl.gz"
cache="${TMPDIR:-/tmp}/neardup-bench-corpora"
build="$root/build" python=/usr/bin/python3 out="" corpus="" split=auto
die() { echo "bench/dask.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --source) source_path="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --split) split="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[ -n "$out" ] || out="$root/bench/results/$(date -u +%F)-dask.csv"
neardup="$build/cli/neardup"
gen="$build/bench/gen_planted"
[ -x "$neardup" ] || die "no $neardup: build first"
[ -d "$build/python/neardup" ] || die "no $build/python/neardup: build with -DNEARDUP_BUILD_PYTHON=ON"
mkdir -p "$cache" "$(dirname "$out")"
if [ -n "$corpus" ]; then
  docs="$(grep -c . "$corpus")"
else
  corpus="$cache/planted-$docs-seed$seed.jsonl"
  stamp="$(basename "$source_path") $(stat -L -c %s "$source_path")"
fi
if [ -n "${stamp:-}" ] && { [ ! -s "$corpus" ] || [ "$(cat "$corpus.source" 2>/dev/null)" != "$stamp" ]; }; then
  [ -x "$gen" ] || die "no $gen to generate $corpus: build with -DNEARDUP_BUILD_BENCH=ON"
  "$gen" --source "$source_path" --docs "$docs" --seed "$seed" --out "$corpus" \
    --labels "$corpus.labels.tsv" 2>/dev/null || die "gen_planted failed"
  echo "$stamp" >"$corpus.source"
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/neardup-bench-dask.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mb="$(awk -v b="$(stat -L -c %s "$corpus")" 'BEGIN {printf "%.1f", b / 1e6}')"
echo "date,machine,run,docs,mb,command,seconds,user_s,sys_s,peak_rss_mb,load1,read_sign_s,cluster_s,start_s,signing_s,final_s,stop_s,part_bytes,identical" >"$out"
# "read+sign X s, cluster Y s" of a neardup summary line -> X,Y
summary_stages() {
  sed -n 's/^neardup: .*(read+sign \([0-9.]*\) s, cluster \([0-9.]*\) s.*$/\1,\2/p' "$1" | head -1
}
for ((r = 1; r <= repeat; ++r)); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$neardup" cluster -j2 "$corpus" -o "$work/cli.jsonl" 2>"$work/cli.err" ||
    { cat "$work/cli.err" >&2; die "neardup cluster failed"; }
  read -r secs user sys rss <"$work/time"
  echo "$(date -u +%FT%TZ),$(hostname),$r,$docs,$mb,neardup cluster -j2,$secs,$user,$sys,$((rss / 1024)),$load,$(summary_stages "$work/cli.err"),,,,,,"  >>"$out"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  PYTHONPATH="$build/python" /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$python" -m neardup.dask \
    cluster --scheduler "local:$workers" --split "$split" -j2 "$corpus" -o "$work/dask.jsonl" 2>"$work/dask.err" ||
    { cat "$work/dask.err" >&2; die "neardup.dask failed"; }
  read -r secs user sys rss <"$work/time"
  stages="$(sed -n 's/^neardup.dask: .*start \([0-9.]*\) s, signing \([0-9.]*\) s (\([0-9]*\) bytes of part files), final step \([0-9.]*\) s, stop \([0-9.]*\) s$/\1,\2,\4,\5,\3/p' "$work/dask.err")"
  same=no
  cmp -s "$work/cli.jsonl" "$work/dask.jsonl" && same=yes
  echo "$(date -u +%FT%TZ),$(hostname),$r,$docs,$mb,python3 -m neardup.dask cluster --scheduler local:$workers --split $split -j2,$secs,$user,$sys,$((rss / 1024)),$load,$(summary_stages "$work/dask.err"),$stages,$same" >>"$out"
done
cat "$out"
