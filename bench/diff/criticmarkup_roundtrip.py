#!/usr/bin/env python3
"""CriticMarkup round trip of `neardup diff` on every ordered pair of members
of every cluster of a labelled JSONL corpus (held-out real rewrites, e.g.
../shared/data/story-dev/ecbplus-dev): for each member in turn as
--representative, `--format criticmarkup` of its cluster; rejecting every
change must give the representative back byte for byte, accepting every change
each member. The markup is applied by one left-to-right regular expression,
independent of neardup.

  bench/diff/criticmarkup_roundtrip.py NEARDUP DOCS.jsonl LABELS.tsv
"""
import json
import re
import subprocess
import sys
import tempfile

MARK = re.compile(r"\{\+\+(.*?)\+\+\}|\{--(.*?)--\}|\{~~(.*?)~>(.*?)~~\}", re.S)
HEADER = re.compile(r"^<!-- neardup diff: (.*) -> (.*) -->\n", re.M)


def apply(markup, accept):
    def keep(m):
        if m.group(1) is not None:
            return m.group(1) if accept else ""
        if m.group(2) is not None:
            return "" if accept else m.group(2)
        return m.group(4) if accept else m.group(3)
    return MARK.sub(keep, markup)


def main():
    neardup, docs_path, labels_path = sys.argv[1:4]
    texts = {}
    with open(docs_path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            texts[str(d["id"])] = d["text"]
    clusters = {}
    with open(labels_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            doc, label = line.rstrip("\n").split("\t")
            clusters.setdefault(label, []).append(doc)
    pairs = failures = refused = 0
    with tempfile.TemporaryDirectory() as tmp:
        for label, members in sorted(clusters.items()):
            if len(members) < 2:
                continue
            for rep in members:
                out = tmp + "/out.cm"
                r = subprocess.run([neardup, "diff", "--format", "criticmarkup", "--clusters",
                                    labels_path, "--input", docs_path, "--cluster", label,
                                    "--representative", rep, "-o", out],
                                   capture_output=True, text=True)
                if r.returncode == 2 and "CriticMarkup delimiter" in r.stderr:
                    refused += 1
                    continue
                if r.returncode != 0:
                    sys.exit("neardup failed: " + r.stderr)
                with open(out, encoding="utf-8", newline="") as f:
                    markup = f.read()
                heads = list(HEADER.finditer(markup))
                for i, h in enumerate(heads):
                    end = heads[i + 1].start() - 1 if i + 1 < len(heads) else len(markup)
                    block = markup[h.end():end]
                    a, b = h.group(1), h.group(2)
                    pairs += 1
                    if apply(block, False) != texts[a] or apply(block, True) != texts[b]:
                        failures += 1
                        print("FAIL", a, "->", b)
    print(f"{pairs} ordered pairs, {failures} failures, {refused} clusters refused "
          f"(a CriticMarkup delimiter in a text)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
