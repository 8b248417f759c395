#!/usr/bin/env bash
# The Dask driver against the CLI (issue 23): one generated corpus (cached
# like scripts/bench-corpus.sh's), `neardup cluster -q -j2` and
# `python3 -m neardup.dask cluster --scheduler local:2` on it, alternated
# --repeat times, outputs compared with cmp, one CSV row per run: wall time,
# peak RSS of the driver (the CLI's own), and the driver's stages (cluster
# start, signing on the workers, final step, stop) and part-file bytes.
#
#   bench/dask.sh --docs 1000000 --repeat 3
#
# Options [defaults]: --docs N [1000000], --workers N [2], --repeat R [1],
# --source PATH [../shared/data/enwiki-2015/docs.jsonl.gz], --seed S [1],
# --cache DIR [${TMPDIR:-/tmp}/neardup-bench-corpora], --corpus FILE (a JSONL
# to use instead of generating one), --build DIR [build,
# with gen_planted from -DNEARDUP_BUILD_BENCH=ON], --python EXE [/usr/bin/python3],
# --out CSV [bench/results/DATE-dask.csv].
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
docs=1000000 workers=2 repeat=1 seed=1
source_path="$root/../shared/data/enwiki-2015/docs.jsonl.gz"
cache="${TMPDIR:-/tmp}/neardup-bench-corpora"
build="$root/build" python=/usr/bin/python3 out="" corpus=""
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
echo "date,machine,run,docs,mb,command,seconds,peak_rss_mb,start_s,signing_s,final_s,stop_s,part_bytes,identical" >"$out"
for ((r = 1; r <= repeat; ++r)); do
  /usr/bin/time -f "%e %M" -o "$work/time" "$neardup" cluster -q -j2 "$corpus" -o "$work/cli.jsonl"
  read -r secs rss <"$work/time"
  echo "$(date -u +%FT%TZ),$(hostname),$r,$docs,$mb,neardup cluster -q -j2,$secs,$((rss / 1024)),,,,,,"  >>"$out"
  PYTHONPATH="$build/python" /usr/bin/time -f "%e %M" -o "$work/time" "$python" -m neardup.dask \
    cluster --scheduler "local:$workers" -j2 "$corpus" -o "$work/dask.jsonl" 2>"$work/dask.err" ||
    { cat "$work/dask.err" >&2; die "neardup.dask failed"; }
  read -r secs rss <"$work/time"
  stages="$(sed -n 's/^neardup.dask: .*start \([0-9.]*\) s, signing \([0-9.]*\) s (\([0-9]*\) bytes of part files), final step \([0-9.]*\) s, stop \([0-9.]*\) s$/\1,\2,\4,\5,\3/p' "$work/dask.err")"
  same=no
  cmp -s "$work/cli.jsonl" "$work/dask.jsonl" && same=yes
  echo "$(date -u +%FT%TZ),$(hostname),$r,$docs,$mb,python3 -m neardup.dask cluster --scheduler local:$workers -j2,$secs,$((rss / 1024)),$stages,$same" >>"$out"
done
cat "$out"
