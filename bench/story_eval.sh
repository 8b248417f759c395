#!/usr/bin/env bash
# The story level beside its baseline on a labelled set, in one command:
#
#   bench/story_eval.sh DIR [THRESHOLDS]        (default 0.15,0.20,0.25,0.30,0.35,0.40)
#
# DIR holds docs.jsonl, labels.story.tsv and optionally labels.topic.tsv (as
# ../shared/data/story-dev/*). Prints the baseline (bench/story/baseline.py:
# TF-IDF cosine, the story level's background-blended idf, average linkage),
# then `neardup cluster --level story` at its default threshold and at each
# of THRESHOLDS, scored by `neardup eval` (pairwise P/R/F1, B-cubed F1, wrongly
# joined same-topic pairs, largest cluster). NEARDUP (default build/cli/neardup)
# names the binary; WORK (default a temporary folder) keeps the clusters.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: bench/story_eval.sh DIR [THRESHOLDS]}"
thresholds="${2:-0.15,0.20,0.25,0.30,0.35,0.40}"
neardup="${NEARDUP:-$root/build/cli/neardup}"
[ -x "$neardup" ] || { echo "story_eval: no neardup binary at $neardup (set NEARDUP)" >&2; exit 2; }
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
topics=()
[ -f "$dir/labels.topic.tsv" ] && topics=(--topics "$dir/labels.topic.tsv")

python3 "$root/bench/story/baseline.py" "$dir" --thresholds "$thresholds" \
  --clusters-dir "$work"

# One line per run from `neardup eval --format json`.
line() {  # NAME T CLUSTERS
  "$neardup" eval --format json --clusters "$3" --labels "$dir/labels.story.tsv" \
    "${topics[@]}" >"$work/eval.json"
  python3 - "$1" "$2" "$3" "$work/eval.json" <<'EOF'
import json, sys
from collections import Counter
name, t, clusters, path = sys.argv[1:]
e = json.load(open(path))
sizes = [len(json.loads(l)["members"]) for l in open(clusters) if l.strip()]
pw, b3 = e["pairwise"], e["bcubed"]
same = e.get("topics", {}).get("same_topic_wrong_pairs", "-")
print(f"{name:15s} {t:5s} {pw['precision']:.4f}  {pw['recall']:.4f}  {pw['f1']:.4f}  "
      f"{b3['f1']:.4f}  {same!s:>16}  {max(sizes, default=1):>7}")
EOF
}

echo "# neardup --level story on $(basename "$dir") (scored by neardup eval)"
echo "method           T     P       R       F1      B3-F1   same-topic-wrong  largest"
"$neardup" cluster --quiet --level story "$dir/docs.jsonl" -o "$work/story-default.jsonl"
line story-default "dflt" "$work/story-default.jsonl"
for t in ${thresholds//,/ }; do
  "$neardup" cluster --quiet --level story -t "$t" "$dir/docs.jsonl" -o "$work/story-$t.jsonl"
  line story "$t" "$work/story-$t.jsonl"
done
