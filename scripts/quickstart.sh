#!/usr/bin/env bash
# Quick start: install dependencies, build, and run neardup on the bundled
# news corpus, printing the clusters it found and their score against the
# corpus labels.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
neardup="$root/build/cli/neardup"
corpus="$root/corpora/news"
# Outputs stay in build/quickstart (replaced by each run) for you to look at.
out="$root/build/quickstart"
rm -rf "$out"
mkdir -p "$out"

echo
echo "== neardup cluster --level near $corpus/docs"
"$neardup" cluster --level near "$corpus/docs" --format text
"$neardup" cluster --level near "$corpus/docs" -o "$out/clusters.jsonl" --quiet
echo
echo "== score against $corpus/labels.near.tsv"
"$neardup" eval --clusters "$out/clusters.jsonl" --labels "$corpus/labels.near.tsv"
echo
echo "== neardup dedup (kept documents and decisions.jsonl in $out/dedup)"
"$neardup" dedup "$corpus/docs" -o "$out/dedup"
echo "kept files: $(find "$out/dedup/docs" -type f | wc -l), decisions: $(wc -l < "$out/dedup/decisions.jsonl")"
echo
echo "Outputs kept in $out: clusters.jsonl, dedup/docs/ (kept documents), dedup/decisions.jsonl"
