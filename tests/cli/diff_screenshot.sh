# The HTML report of the largest story cluster, rendered by headless Chromium
# at a phone's width: the screenshot exists and is not blank, and the page's
# DOM holds every member and their highlighted additions. Exits 77 (ctest
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
chrome --screenshot="$work/shot.png" --window-size=412,2000 "file://$work/report.html" >/dev/null ||
  { cat "$work/chromium.log" >&2; fail "chromium --screenshot failed"; }
[ -f "$work/shot.png" ] || fail "no screenshot written"
[ "$(head -c 8 "$work/shot.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
  fail "screenshot is not a PNG"
# A blank 412x2000 page compresses to a few kilobytes; text and highlights do not.
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
if [ -n "${NEARDUP_SCREENSHOT:-}" ]; then cp "$work/shot.png" "$NEARDUP_SCREENSHOT"; fi
echo "diff_screenshot: cluster $label, $size-byte PNG, $added highlighted additions"
