# The bundled corpus, clustered with default options, matches its labels exactly
# at the near level and at the exact level.
source "$(dirname "$0")/common.sh"

for level in near exact; do
  "$neardup" cluster --quiet --level "$level" "$corpus/docs" -o "$work/$level.jsonl"
  "$neardup" eval --format json --clusters "$work/$level.jsonl" \
    --labels "$corpus/labels.$level.tsv" >"$work/$level.eval"
  f1="$(grep -o '"pairwise": {[^}]*}' "$work/$level.eval" | grep -o '"f1": [0-9.]*' | sed 's/.*: //')"
  [ "$f1" = "1" ] || { cat "$work/$level.eval" >&2; fail "$level level pairwise F1 is $f1, expected 1"; }
  docs="$(json_number "$work/$level.eval" documents)"
  [ "$docs" -eq "$(ls "$corpus/docs" | wc -l)" ] || fail "eval saw $docs documents"
done
echo "cluster_corpus: near and exact levels match the labels (F1 = 1)"
