# The HTML report of the largest story cluster, rendered by headless Chromium
# at a phone's width: the screenshot exists and is not blank, and the page's
# DOM holds every member and their highlighted additions, the alignment table
# (a row per representative sentence with its heat cell and a cell per
# member), and a side-by-side table per member. Exits 77 (ctest
# SKIP) when Chromium is not installed. Set NEARDUP_SCREENSHOT=FILE to keep
# the PNG (docs/diff-screenshot.png was made this way).
source "$(dirname "$0")/common.sh"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "SKIP: chromium is not installed (scripts/install-deps.sh installs Debian's chromium)"
  exit 77
fi
stories="$src/corpora/stories"
labels="$stories/labels.story.tsv"

# The largest cluster in the labels (ties: the first label in name order).
label=$(grep -v '^#' "$labels" | cut -f2 | sort | uniq -c | sort -k1,1nr -k2,2 | head -n 1 |
  awk '{print $2}')
members=$(grep -v '^#' "$labels" | awk -F'\t' -v l="$label" '$2 == l {print $1}')
[ "$(echo "$members" | wc -l)" -ge 5 ] || fail "largest cluster $label has fewer than 5 members"
"$neardup" diff --format html --clusters "$labels" --input "$stories/docs" --cluster "$label" \
  --representative "${label}__original.txt" -o "$work/report.html"

chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.log"
}
chrome --screenshot="$work/shot.png" --window-size=412,3000 "file://$work/report.html" >/dev/null ||
  { cat "$work/chromium.log" >&2; fail "chromium --screenshot failed"; }
[ -f "$work/shot.png" ] || fail "no screenshot written"
[ "$(head -c 8 "$work/shot.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
  fail "screenshot is not a PNG"
# A blank 412x3000 page compresses to a few kilobytes; text and highlights do not.
size=$(stat -c %s "$work/shot.png")
[ "$size" -gt 20000 ] || fail "screenshot is only $size bytes: blank page?"

chrome --dump-dom "file://$work/report.html" >"$work/dom.html" || fail "chromium --dump-dom failed"
for m in $members; do
  grep -qF "$m" "$work/dom.html" || fail "member $m not in the page"
done
added=$(grep -o '<ins class="added">' "$work/dom.html" | wc -l)
[ "$added" -ge 4 ] || fail "only $added highlighted additions in the DOM"
# The reprint's site header is one of them.
grep -q '<ins class="added">[^<]*[A-Z][A-Z]' "$work/dom.html" || fail "no highlighted header"
# The alignment table: one heat cell per representative sentence with words
# (the term output's core count is a lower bound: every core sentence has a
# row), one fate cell per member in each row.
rows=$(grep -o '<td class="heat"' "$work/dom.html" | wc -l)
core=$("$neardup" diff --clusters "$labels" --input "$stories/docs" --cluster "$label" \
  --representative "${label}__original.txt" | sed -n 's/.*(representative):.*core [0-9]*\/\([0-9]*\).*/\1/p')
[ "$rows" -ge "$core" ] && [ "$core" -ge 20 ] || fail "$rows alignment rows for $core core sentences"
n=$(echo "$members" | wc -l)
cells=$(grep -o '<td class="f [a-z]*"' "$work/dom.html" | wc -l)
[ "$cells" -eq $((rows * (n - 1))) ] || fail "$cells fate cells for $rows rows and $((n - 1)) members"
# The heat map tells rows apart: at least two shades, one where most members change the sentence.
heats=$(grep -o '<td class="heat"[^>]*>[0-9]*/' "$work/dom.html" | sed 's/.*>//' | sort -u)
[ "$(echo "$heats" | wc -l)" -ge 2 ] || fail "every row of the heat map has the same shade"
[ "$(echo "$heats" | sort -n | tail -n 1 | tr -d /)" -gt $(((n - 1) / 2)) ] ||
  fail "no sentence changed by most members in the heat map"
grep -q '<td class="f kept"' "$work/dom.html" || fail "no sentence kept in the alignment table"
# Side by side: a cluster of up to 6 documents holds a two-column table for
# every ordered pair, chosen by two radio groups (base, other document) and
# one CSS rule per pair; the representative against the first member shows.
[ "$(grep -o '<table class="sbs">' "$work/dom.html" | wc -l)" -eq $((n * (n - 1))) ] ||
  fail "not one side-by-side table per ordered pair"
[ "$(grep -o '<input type="radio" name="base"' "$work/dom.html" | wc -l)" -eq "$n" ] &&
  [ "$(grep -o '<input type="radio" name="other"' "$work/dom.html" | wc -l)" -eq "$n" ] ||
  fail "not one base and one other switch per document"
grep -q "#b$((n - 1)):checked~#o0:checked~#pair$((n - 1))_0{display:block}" "$work/dom.html" ||
  fail "no rule showing the last member against the representative"
grep -q '<input type="radio" name="base" id="b0" checked' "$work/dom.html" &&
  grep -q '<input type="radio" name="other" id="o1" checked' "$work/dom.html" ||
  fail "the representative against the first member is not the pair shown"
if [ -n "${NEARDUP_SCREENSHOT:-}" ]; then cp "$work/shot.png" "$NEARDUP_SCREENSHOT"; fi
echo "diff_screenshot: cluster $label, $size-byte PNG, $added highlighted additions, $rows aligned sentences"
