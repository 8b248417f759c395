#!/usr/bin/env python3
"""Checks that every cluster kept the document --keep asks for, independently
of neardup's code.

  keep_check.py longest CLUSTERS.jsonl INPUT.jsonl...
  keep_check.py priority:RULES CLUSTERS.jsonl INPUT.jsonl...

longest: the representative has the most bytes of text (UTF-8 of the JSONL
"text" field), and no earlier member (input order) has as many.
priority:RULES: the representative matches the earliest rule any member
matches (a glob on the input file, the source FILE:LINE or the URL; prefixes
path:, source:, url:), and no earlier member matches a rule as early.
Prints the clusters checked and every violation; exits 1 on one.

Each INPUT line is {"id", "text"[, "url"]}; for inputs neardup read in
another format (WARC/WET), a manifest in neardup's input order whose lines
also give "path" (the input file) and "source" (FILE:RECORD).
"""
import fnmatch
import json
import sys


def load_rules(path):
    rules = []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        field = "any"
        for prefix in ("path:", "source:", "url:"):
            if line.startswith(prefix):
                field, line = prefix[:-1], line[len(prefix):].strip()
        rules.append((field, line))
    return rules


def main():
    mode, clusters_path, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    docs = {}  # id -> (input order, bytes, file, source, url)
    order = 0
    for path in inputs:
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            if not line.strip():
                continue
            d = json.loads(line)
            docs[str(d["id"])] = (order, len(d["text"].encode("utf-8", "surrogatepass")),
                                  d.get("path", path), d.get("source", "%s:%d" % (path, n)),
                                  d.get("url", ""))
            order += 1
    if mode == "longest":
        def rank(i):
            return -docs[i][1]
    elif mode.startswith("priority:"):
        rules = load_rules(mode[len("priority:"):])

        def rank(i):
            _, _, path, source, url = docs[i]
            for r, (field, glob) in enumerate(rules):
                values = {"any": (path, source, url), "path": (path,), "source": (source,),
                          "url": (url,)}[field]
                if any(v and fnmatch.fnmatchcase(v, glob) for v in values):
                    return r
            return len(rules)
    else:
        sys.exit("mode: longest or priority:RULES")
    bad = checked = changed = 0
    for line in open(clusters_path):
        c = json.loads(line)
        ids = [m["id"] for m in c["members"]]
        want = min(ids, key=lambda i: (rank(i), docs[i][0]))
        earliest = min(ids, key=lambda i: docs[i][0])
        checked += 1
        changed += want != earliest
        if c["representative"] != want or ids[0] != want:
            bad += 1
            print("cluster %d keeps %s, expected %s" % (c["cluster"], c["representative"], want))
    print("%d clusters checked, %d keep another document than the earliest, %d wrong" %
          (checked, changed, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
