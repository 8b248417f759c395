# Issue 21, part A: --keep (which copy survives), cluster_size, the chain
# guard (on by default) and --no-chain-guard, and the LSH S-curve in the summary.
#   keep_chain.sh NEARDUP SRC
source "$(dirname "$0")/common.sh"

# The S-curve printed is 1 - (1 - J^r)^b for the bands and rows used,
# computed here independently, for the default threshold and a forced banding.
check_curve() {
  local line b r
  line=$(grep '^neardup: LSH ' "$work/stderr") || fail "no LSH line in: $(cat "$work/stderr")"
  b=$(echo "$line" | sed 's/^neardup: LSH \([0-9]*\) bands x \([0-9]*\) rows.*/\1/')
  r=$(echo "$line" | sed 's/^neardup: LSH \([0-9]*\) bands x \([0-9]*\) rows.*/\2/')
  [ "$b" = "$1" ] && [ "$r" = "$2" ] || fail "banding $b x $r, expected $1 x $2: $line"
  for j in 0.5 0.7 0.8 0.9 0.95; do
    got=$(echo "$line" | grep -o "J=$j [0-9.]*" | sed 's/.* //')
    want=$(awk -v j="$j" -v b="$b" -v r="$r" 'BEGIN { printf "%.4f", 1 - (1 - j ^ r) ^ b }')
    [ "$got" = "$want" ] || fail "S-curve at J=$j: printed $got, formula $want ($line)"
  done
}
expect_exit 0 "$neardup" cluster "$corpus/docs" -o "$work/c.jsonl"
check_curve 18 7  # the README's banding at 0.8
expect_exit 0 "$neardup" cluster --bands 20 --rows 5 "$corpus/docs" -o "$work/c2.jsonl"
check_curve 20 5

# The chain guard, on by default: on corpora/news at 0.8 union-find joins,
# through the wire story, outlet versions and trimmed copies that are below
# 0.8 of the kept document (exact Jaccard 0.747 and 0.799 in
# glacier-forest) but all within 0.8 of the wire story, the center; the
# guard splits nothing, and every member is within 0.8 of its cluster's best
# center (checked by bench/chain_check.py's own exact Jaccard).
grep -q '^neardup: chain guard: 0 clusters split into 0; 0 (center, member) pairs checked' \
  "$work/stderr" || fail "chain guard line by default: $(cat "$work/stderr")"
python3 "$src/bench/chain_check.py" --center "$work/c.jsonl" "$corpus/docs" 0.8 >"$work/check" ||
  fail "guarded clusters with members below 0.8 of every center: $(cat "$work/check")"
grep -q "glacier-forest__edit-trim.txt vs glacier-forest__coastlineherald.txt: 0.7469" \
  "$work/check" || fail "expected edit-trim below 0.8 of the kept document: $(cat "$work/check")"
expect_exit 0 "$neardup" cluster --no-chain-guard "$corpus/docs" -o "$work/c3.jsonl"
grep -q 'chain guard' "$work/stderr" && fail "--no-chain-guard still reports the guard"
cmp -s "$work/c.jsonl" "$work/c3.jsonl" || fail "--no-chain-guard differs from the default at 0.8"
expect_exit 0 "$neardup" cluster --no-chain-guard --chain-guard "$corpus/docs" -o "$work/c4.jsonl"
cmp -s "$work/c.jsonl" "$work/c4.jsonl" || fail "--chain-guard differs from the default"
# A chain the guard must cut: windows of 600 words, each 150 words after the
# previous (neighbours about 0.6 apart, two apart about 0.33), at 0.5.
python3 - "$work/windows.jsonl" <<'PY'
import json, random, sys
rng = random.Random(3)
words = ["w%d" % rng.randrange(100000) for _ in range(150 * 6 + 600)]
with open(sys.argv[1], "w") as out:
    for w in range(7):
        text = " ".join(words[150 * w:150 * w + 600])
        out.write(json.dumps({"id": "win%d" % w, "text": text}) + "\n")
PY
expect_exit 0 "$neardup" cluster -t 0.5 --no-chain-guard "$work/windows.jsonl" -o "$work/w0.jsonl"
[ "$(wc -l <"$work/w0.jsonl")" = 1 ] || fail "unguarded: one chained cluster expected"
expect_exit 0 "$neardup" cluster -t 0.5 "$work/windows.jsonl" -o "$work/w1.jsonl"
grep -q '^neardup: chain guard: 1 clusters split into ' "$work/stderr" ||
  fail "chain guard line on a chain: $(cat "$work/stderr")"
python3 "$src/bench/chain_check.py" --center "$work/w1.jsonl" "$work/windows.jsonl" 0.5 \
  >"$work/check" || fail "guarded chain with members below 0.5 of every center: $(cat "$work/check")"

# --chain-anchor: keep-within keeps the same clusters, each with a kept
# document within 0.5 of every member (bench/chain_check.py without
# --center: against the representative); resplit too, by splitting.
for anchor in keep-within resplit; do
  expect_exit 0 "$neardup" cluster -t 0.5 --chain-anchor "$anchor" "$work/windows.jsonl" \
    -o "$work/a-$anchor.jsonl"
  grep -q "^neardup: chain anchor $anchor: [0-9]* parts changed" "$work/stderr" ||
    fail "chain anchor line: $(cat "$work/stderr")"
  python3 "$src/bench/chain_check.py" "$work/a-$anchor.jsonl" "$work/windows.jsonl" 0.5 \
    >"$work/check" || fail "--chain-anchor $anchor: members below 0.5 of the kept one: $(cat "$work/check")"
done
expect_exit 1 "$neardup" cluster --no-chain-guard --chain-anchor resplit "$work/windows.jsonl"
grep -q "chain anchor works with the chain guard" "$work/stderr" || fail "$(cat "$work/stderr")"
expect_exit 1 "$neardup" cluster --chain-anchor nearest "$work/windows.jsonl"  # usage

# cluster_size: the members of each cluster, in clusters.jsonl and decisions.jsonl.
python3 - "$work/c.jsonl" <<'PY' || fail "cluster_size in clusters.jsonl"
import json, sys
for line in open(sys.argv[1]):
    c = json.loads(line)
    assert c["cluster_size"] == len(c["members"]), c
PY
expect_exit 0 "$neardup" dedup "$corpus/docs" -o "$work/d"
python3 - "$work/c.jsonl" "$work/d/decisions.jsonl" <<'PY' || fail "cluster_size in decisions"
import json, sys
sizes = {json.loads(l)["cluster"]: json.loads(l)["cluster_size"] for l in open(sys.argv[1])}
for line in open(sys.argv[2]):
    d = json.loads(line)
    want = 1 if d["cluster"] is None else sizes[d["cluster"]]
    assert d["cluster_size"] == want, d
PY

# --keep longest: every cluster keeps its member with the most bytes, the
# earliest (in input order: the cluster's member order) among equals.
expect_exit 0 "$neardup" cluster --keep longest "$corpus/docs" -o "$work/long.jsonl"
python3 - "$work/long.jsonl" "$corpus/docs" <<'PY' || fail "--keep longest"
import json, os, sys
for line in open(sys.argv[1]):
    c = json.loads(line)
    size = {m["id"]: os.path.getsize(os.path.join(sys.argv[2], m["id"])) for m in c["members"]}
    rest = [m["id"] for m in c["members"][1:]]  # input order
    assert rest == sorted(rest), c
    rep = c["representative"]
    assert rep == c["members"][0]["id"]
    assert all(size[rep] > size[m] or (size[rep] == size[m] and rep < m) for m in rest), (rep, size)
PY
# dedup writes the longest copies.
expect_exit 0 "$neardup" dedup --keep longest "$corpus/docs" -o "$work/dl"
for rep in $(python3 -c 'import json,sys; [print(json.loads(l)["representative"]) for l in open(sys.argv[1])]' "$work/long.jsonl"); do
  [ -f "$work/dl/docs/$rep" ] || fail "dedup --keep longest did not write $rep"
done

# --keep priority:FILE over several sources: the copy from the best source stays.
python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
random.seed(4)
def text(n): return " ".join("w%d" % random.randrange(100000) for _ in range(n))
bases = [text(300) for _ in range(30)]
files = {"other.jsonl": [], "dclm.jsonl": [], "fineweb-edu.jsonl": []}
n = 0
for i, b in enumerate(bases):
    dropped = random.choice(list(files) + [None])  # every base in 2 or 3 sources
    for name in files:
        if name != dropped:
            files[name].append({"id": "%s-%d" % (name.split(".")[0], i), "text": b + " " + text(3),
                                "url": "https://%s.example.org/%d" % ("good" if i % 5 == 0 else "x", i)})
for name, docs in files.items():
    with open("%s/%s" % (work, name), "w") as f:
        for d in docs: f.write(json.dumps(d) + "\n")
with open(work + "/rules.txt", "w") as f:
    f.write("# a site we trust most, then the sources in order\nurl:https://good.*\n\n*fineweb-edu*\n*/dclm.jsonl\n")
PY
expect_exit 0 "$neardup" cluster --keep "priority:$work/rules.txt" "$work/other.jsonl" \
  "$work/dclm.jsonl" "$work/fineweb-edu.jsonl" -o "$work/prio.jsonl"
python3 - "$work/prio.jsonl" "$work" <<'PY' || fail "--keep priority"
import fnmatch, json, sys
rules = [l.strip() for l in open(sys.argv[2] + "/rules.txt") if l.strip() and not l.startswith("#")]
urls = {}
for name in ("other.jsonl", "dclm.jsonl", "fineweb-edu.jsonl"):
    for line in open(sys.argv[2] + "/" + name):
        d = json.loads(line); urls[d["id"]] = d["url"]
def rank(m):
    path, src = m["source"].rsplit(":", 1)[0], m["source"]
    for r, rule in enumerate(rules):
        if rule.startswith("url:"):
            if fnmatch.fnmatchcase(urls[m["id"]], rule[4:]): return r
        elif any(fnmatch.fnmatchcase(v, rule) for v in (path, src, urls[m["id"]])): return r
    return len(rules)
clusters = 0
for line in open(sys.argv[1]):
    c = json.loads(line); clusters += 1
    best = min(range(len(c["members"])), key=lambda i: (rank(c["members"][i]), i))
    # members after the first are in input order; the representative's
    # place in input order is where it sorts among them by source
    assert c["members"][0]["id"] == c["representative"]
    ranks = [rank(m) for m in c["members"]]
    assert ranks[0] == min(ranks), (c["representative"], ranks)
assert clusters == 30, clusters
PY
# A bad rule is an input error naming FILE:LINE (exit 2).
printf '*ok*\n\n[unclosed\n' >"$work/bad.txt"
expect_exit 2 "$neardup" cluster --keep "priority:$work/bad.txt" "$corpus/docs"
grep -q "bad.txt:3: unclosed \[" "$work/stderr" || fail "bad rule message: $(cat "$work/stderr")"
expect_exit 1 "$neardup" cluster --keep shortest "$corpus/docs"  # usage
expect_exit 2 "$neardup" cluster --keep "priority:$work/missing.txt" "$corpus/docs"

# index add: a document kept in an earlier batch stays kept; --keep chooses
# among the new batch's documents of clusters without an earlier member.
python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
random.seed(8)
def text(n): return " ".join("w%d" % random.randrange(100000) for _ in range(n))
a, b = text(300), text(300)
with open(work + "/batch1.jsonl", "w") as f:
    f.write(json.dumps({"id": "a-short", "text": a}) + "\n")
with open(work + "/batch2.jsonl", "w") as f:
    for d in ({"id": "a-long", "text": a + " " + text(5)}, {"id": "b-short", "text": b},
              {"id": "b-long", "text": b + " " + text(5)}):
        f.write(json.dumps(d) + "\n")
PY
"$neardup" index init "$work/idx" || fail "index init"
expect_exit 0 "$neardup" index add -q "$work/idx" "$work/batch1.jsonl" -o "$work/add1" --batch one
expect_exit 0 "$neardup" index add -q --keep longest "$work/idx" "$work/batch2.jsonl" \
  -o "$work/add2" --batch two
grep -q '"id": "a-long".*"kept": false, "duplicate_of": "a-short".*"duplicate_of_batch": "one"' \
  "$work/add2/decisions.jsonl" || fail "index add --keep longest: $(cat "$work/add2/decisions.jsonl")"
grep -q '"id": "b-short".*"kept": false, "duplicate_of": "b-long"' "$work/add2/decisions.jsonl" ||
  fail "index add --keep longest in the new batch: $(cat "$work/add2/decisions.jsonl")"
"$neardup" index verify "$work/idx" >/dev/null || fail "index verify after --keep longest"
# --chain-guard in index add: a third batch with a copy of b-long.
python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).readlines()[2]); d["id"]="b-again"; print(json.dumps(d))' \
  "$work/batch2.jsonl" >"$work/batch3.jsonl"
expect_exit 0 "$neardup" index add --chain-guard "$work/idx" "$work/batch3.jsonl" -o "$work/add3" \
  --batch three
grep -q '^neardup: chain guard: 0 clusters split into 0; 0 (center, member) pairs checked' \
  "$work/stderr" || fail "index add --chain-guard: $(cat "$work/stderr")"
grep -q '"id": "b-again".*"duplicate_of": "b-long".*"duplicate_of_batch": "two"' \
  "$work/add3/decisions.jsonl" || fail "index add --chain-guard: $(cat "$work/add3/decisions.jsonl")"
echo ok
