# neardup diff --format tei round-trips: for every cluster in corpora/ (news
# near, stories and paraphrase story labels), each witness's text rebuilt from
# the TEI (the common text, and in every <app> the <rdg> whose @wit names the
# witness; entities decoded) equals its document byte for byte. The rebuild
# is a Perl script independent of neardup. Control bytes are refused (exit 2).
source "$(dirname "$0")/common.sh"
cd "$src"

# witness FILE K: the text of witness wK in the TEI file FILE.
witness() {
  K="$2" perl -0777 -ne '
    m{<p xml:space="preserve">(.*)</p></body>}s or die "no body\n";
    my $body = $1;
    $body =~ s{<app>(.*?)</app>}{
      my ($app, $text) = ($1, undef);
      while ($app =~ m{<rdg wit="([^"]*)"(?:/>|>(.*?)</rdg>)}sg) {
        my ($wits, $reading) = ($1, defined $2 ? $2 : "");
        $text = $reading if " $wits " =~ / #w$ENV{K} /;
      }
      defined $text or die "witness w$ENV{K} missing from an app\n";
      $text
    }gse;
    $body =~ s/&#13;/\r/g; $body =~ s/&lt;/</g; $body =~ s/&gt;/>/g; $body =~ s/&quot;/"/g;
    $body =~ s/&amp;/&/g;
    print $body' "$1"
}

clusters=0
witnesses=0
apps=0
for labels in corpora/news/labels.near.tsv corpora/stories/labels.story.tsv \
  corpora/paraphrase/labels.story.tsv; do
  dir="$(dirname "$labels")/docs"
  for label in $(grep -v '^#' "$labels" | cut -f2 | sort | uniq -d); do
    "$neardup" diff --format tei --clusters "$labels" --input "$dir" --cluster "$label" \
      -o "$work/c.xml" || fail "diff --format tei --cluster $label failed"
    ids=$(sed -n 's/^<witness xml:id="w[0-9]*">\([^< ]*\).*/\1/p' "$work/c.xml")
    k=0
    for id in $ids; do
      witness "$work/c.xml" "$k" >"$work/w" || fail "$label: witness w$k not rebuilt"
      cmp -s "$work/w" "$dir/$id" || fail "$label: witness w$k does not give $id"
      k=$((k + 1))
      witnesses=$((witnesses + 1))
    done
    [ "$k" -eq "$(grep -v '^#' "$labels" | awk -F'\t' -v l="$label" '$2 == l' | wc -l)" ] ||
      fail "$label: $k witnesses"
    apps=$((apps + $(grep -o '<app>' "$work/c.xml" | wc -l)))
    clusters=$((clusters + 1))
  done
done
# 4 news clusters of 7, 6 story clusters and 6 paraphrase topics of 5.
[ "$clusters" -eq 16 ] && [ "$witnesses" -eq 88 ] || fail "$clusters clusters, $witnesses witnesses"
[ "$apps" -gt 200 ] || fail "only $apps variation units"

printf 'Bell \001 rang.\n' >"$work/x.txt"
printf 'Bell rang.\n' >"$work/y.txt"
expect_exit 2 "$neardup" diff --format tei "$work/x.txt" "$work/y.txt"
grep -q 'x.txt: byte 5 is a control character' "$work/stderr" || fail "$(cat "$work/stderr")"
echo "diff_tei: $clusters clusters, $witnesses witnesses rebuilt, $apps variation units"
