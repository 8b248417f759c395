# neardup diff --format criticmarkup round-trips: for every ordered pair of
# members of every cluster in corpora/ (news near, stories and paraphrase
# story labels), rejecting every change of the markup gives the first
# document back byte for byte and accepting every change the second. The
# markup is applied by a one-pass Perl substitution, independent of neardup.
# A document holding a CriticMarkup delimiter is refused (exit 2).
source "$(dirname "$0")/common.sh"
cd "$src"

# apply accept|reject FILE: the markup in FILE with every change accepted or rejected.
apply() {
  local keep='defined $1 ? $1 : defined $2 ? "" : $4'
  [ "$1" = reject ] && keep='defined $1 ? "" : defined $2 ? $2 : $3'
  perl -0777 -pe 's/\{\+\+(.*?)\+\+\}|\{--(.*?)--\}|\{~~(.*?)~>(.*?)~~\}/'"$keep"'/gse' "$2"
}

pairs=0
changes=0
for labels in corpora/news/labels.near.tsv corpora/stories/labels.story.tsv \
  corpora/paraphrase/labels.story.tsv; do
  dir="$(dirname "$labels")/docs"
  for label in $(grep -v '^#' "$labels" | cut -f2 | sort | uniq -d); do
    members=$(grep -v '^#' "$labels" | awk -F'\t' -v l="$label" '$2 == l {print $1}')
    for a in $members; do
      for b in $members; do
        [ "$a" = "$b" ] && continue
        "$neardup" diff --format criticmarkup "$dir/$a" "$dir/$b" -o "$work/pair.cm" ||
          fail "diff --format criticmarkup $a $b failed"
        apply reject "$work/pair.cm" >"$work/a"
        apply accept "$work/pair.cm" >"$work/b"
        cmp -s "$work/a" "$dir/$a" || fail "$a vs $b: rejecting the changes does not give $a"
        cmp -s "$work/b" "$dir/$b" || fail "$a vs $b: accepting the changes does not give $b"
        changes=$((changes + $(grep -o '{++\|{--\|{~~' "$work/pair.cm" | wc -l)))
        pairs=$((pairs + 1))
      done
    done
  done
done
# 4 news stories of 7 documents (4 x 42), 6 stories of 5 and 6 paraphrase
# topics of 5 (12 x 20).
[ "$pairs" -eq 408 ] || fail "only $pairs pairs checked"
[ "$changes" -gt 1000 ] || fail "only $changes changes in all: is the markup empty?"

# A whole cluster: one block per member after a comment line naming the pair.
stories="$src/corpora/stories"
"$neardup" diff --format criticmarkup --clusters "$stories/labels.story.tsv" \
  --input "$stories/docs" --cluster corvane-breach --representative corvane-breach__original.txt \
  -o "$work/cluster.cm"
[ "$(grep -c '^<!-- neardup diff: corvane-breach__original.txt -> ' "$work/cluster.cm")" -eq 4 ] ||
  fail "cluster markup does not have one block per member"

# Delimiters in a text cannot be escaped: refused, naming the document.
printf 'Use {++ to mark an insertion.\n' >"$work/x.txt"
printf 'Use it to mark an insertion.\n' >"$work/y.txt"
expect_exit 2 "$neardup" diff --format criticmarkup "$work/x.txt" "$work/y.txt"
grep -q 'x.txt: byte 4 starts "{++"' "$work/stderr" || fail "delimiter error: $(cat "$work/stderr")"
echo "diff_criticmarkup: $pairs pairs round-trip, $changes changes"
