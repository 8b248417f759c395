#!/usr/bin/env python3
"""Prototype designs for the story level, measured side by side.

    bench/story/proto.py SET_DIR... [--designs NAME,...] [--thresholds ...] [--csv FILE]

Each design is a document vector (which words, how weighted) and a
clustering (average or single linkage over the cosine). Every design runs on
every set at every threshold; one line per (design, set, threshold): pairwise
P/R/F1, B-cubed F1, wrongly joined same-topic pairs, largest cluster.
Designs are listed in DESIGNS below; see docs/STORY_LEVEL.md, "Development on
real news", for what each one tests and the figures. Python 3 stdlib only.
"""

import argparse
import math
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import storylib  # noqa: E402

# ---------------------------------------------------------------------------
# Features


def is_number(w):
    return w[:1].isdigit()


def is_year(w):
    return len(w) == 4 and w.isdigit() and w[:2] in ("19", "20")


def lines_and_sentences(text):
    """[(start, end)] character spans of sentences: line breaks, then '. ' etc."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        for m in re.finditer(r"[.!?][\"'\u201d]?\s+(?=[A-Z\"\u201c])", line):
            spans.append((start, pos + m.end()))
            start = pos + m.end()
        if start < pos + len(line):
            spans.append((start, pos + len(line)))
        pos += len(line) + 1
    return [s for s in spans if text[s[0]:s[1]].strip()]


def doc_features(text, opts):
    """Counter of weighted occurrences per word: a word in the headline or
    lead counts `lead_boost` times; names (capitalized inside a sentence) and
    numbers get an extra kind-tagged feature when opts["names"]."""
    toks = storylib.tokens_with_offsets(text)
    feats = Counter()
    sents = lines_and_sentences(text)
    lead_end = sents[min(len(sents), opts.get("lead_sentences", 0)) - 1][1] if (
        sents and opts.get("lead_sentences", 0)) else -1
    sent_starts = {s for s, _ in sents}
    boost = opts.get("lead_boost", 1.0)
    for k, (w, s, e) in enumerate(toks):
        mult = boost if s < lead_end else 1.0
        feats[w] += mult
        if opts.get("names"):
            orig = text[s:e]
            first_of_sentence = any(0 <= s - st <= 2 for st in sent_starts)
            if is_number(w) and len(w) >= 2 and not is_year(w):
                feats["#n:" + w] += mult
            elif orig[:1].isupper() and not first_of_sentence and not orig.isupper():
                feats["#e:" + w] += mult
    return feats


# ---------------------------------------------------------------------------
# Rarity variants


class CappedRarity(storylib.Rarity):
    """The story level's blend, but a word in more than `cap` documents of the
    input is at least as common as its input count beyond the cap says:
    p = max(p_blend, (c_in - cap) / (n_in + 1)). A story is told by a bounded
    number of documents; a word in many more (a template's words: "qtly",
    "dividend", "repurchase") is the input's boilerplate, however rare it is
    in the background."""

    def __init__(self, docs_tokens, background, cap):
        super().__init__(docs_tokens, background)
        self.cap = cap

    def idf(self, word):
        v = self._cache.get(word)
        if v is None:
            p = self.lam * (self.df.get(word, 0) + 0.5) / (self.n + 1)
            if self.bg is not None:
                p += (1 - self.lam) * (self.bg.count(word) + 0.5) / (self.bg.documents + 1)
            p = max(p, (self.df.get(word, 0) - self.cap) / (self.n + 1))
            v = -math.log(p)
            self._cache[word] = v
        return v


def base_word(f):
    return f[3:] if f.startswith("#") else f


def vectors(texts, opts, bg):
    feats = [doc_features(t, opts) for t in texts]
    toks = [[base_word(f) for f in fs] for fs in feats]  # distinct words per doc suffice
    if opts.get("cap") is not None:
        rarity = CappedRarity(toks, bg, opts["cap"])
    else:
        rarity = storylib.Rarity(toks, bg)
    # dilute: a capped word's lost weight still counts in the document's
    # norm, so a document made of the input's boilerplate has little left to
    # share (its vector is short), instead of being rescaled to unit length.
    full = storylib.Rarity(toks, bg) if opts.get("dilute") else None
    out = []
    k1 = opts.get("bm25_k1")
    for fs in feats:
        v, u = {}, {}
        for f, tf in fs.items():
            if k1:
                t = tf * (k1 + 1) / (tf + k1)
            else:
                t = 1 + math.log(tf) if tf >= 1 else tf
            mult = opts.get("names_weight", 1.0) if f.startswith("#") else 1.0
            v[f] = t * rarity.idf(base_word(f)) * mult
            if full is not None:
                u[f] = t * full.idf(base_word(f)) * mult
        if full is None:
            out.append(storylib.normalize(v))
        else:
            norm = math.sqrt(sum(x * x for x in u.values()))
            out.append({f: x / norm for f, x in v.items()} if norm > 0 else {})
    return out


# ---------------------------------------------------------------------------
# Date conflict: a document's dateline (a month and day at the start of a
# line or after a comma or parenthesis, followed by a dash: "NEW YORK, June 6
# -", "KOKOMO, Ind. (June 15, 2014) -") in its first 250 characters, as a day
# of the year. Two documents whose datelines are more than `tolerance` days
# apart report different days: their similarity is multiplied by `penalty`.
# The strict pattern fires on wire items and on few news articles (6 of 462
# in ecbplus-dev, 3 of 78 in gvc-val); a looser "first date in the opening"
# also caught dates of the events reported and cost ecbplus-dev recall.

MONTH_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
_MONTH = {m: k for k, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")]) for m in names}
_MONTHS_RE = "|".join(sorted(_MONTH, key=len, reverse=True))
_DATELINE = re.compile(r"(?:^|[,(]\s*)(" + _MONTHS_RE + r")\.?\s+(\d{1,2})(?:,?\s+\d{4})?"
                       r"\s*\)?\s*[-\u2014\u2013]", re.I | re.M)


def opening_date(text, chars=250):
    m = _DATELINE.search(text[:chars])
    if not m:
        return None
    day = int(m.group(2))
    return MONTH_DAYS[_MONTH[m.group(1).lower()]] + day if 1 <= day <= 31 else None


def apply_date_penalty(sim, texts, tolerance, penalty):
    dates = [opening_date(t) for t in texts]
    n = len(sim)
    for i in range(n):
        if dates[i] is None:
            continue
        for j in range(n):
            if j != i and dates[j] is not None:
                gap = abs(dates[i] - dates[j])
                if min(gap, 365 - gap) > tolerance:
                    sim[i][j] *= penalty


def number_set(text):
    """Numbers with two or more digits, years left out (as the story level)."""
    return {w for w in storylib.tokens(text) if w.isdigit() and len(w) >= 2 and not is_year(w)}


def apply_number_conflict(sim, texts, min_numbers, penalty):
    """Two documents that each hold >= min_numbers numbers and share fewer
    than a fifth of the smaller set report different facts: similarity x penalty."""
    nums = [number_set(t) for t in texts]
    n = len(sim)
    for i in range(n):
        for j in range(i + 1, n):
            small = min(len(nums[i]), len(nums[j]))
            if small >= min_numbers and len(nums[i] & nums[j]) < 0.2 * small:
                sim[i][j] *= penalty
                sim[j][i] *= penalty


# ---------------------------------------------------------------------------
# Designs: name -> (vector options, linkage)

DESIGNS = {
    # the baseline: (1 + ln tf) x blended idf, cosine, average linkage
    "baseline": ({}, "average"),
    "baseline-single": ({}, "single"),
    # one change at a time
    "lead2": ({"lead_sentences": 2, "lead_boost": 2.0}, "average"),
    "bm25": ({"bm25_k1": 1.2}, "average"),
    "names2": ({"names": True, "names_weight": 2.0}, "average"),
    "cap25": ({"cap": 25}, "average"),
    "dateline": ({"date": True, "date_tolerance": 3, "date_penalty": 0.2}, "average"),
    # combinations
    "names2-dateline": ({"names": True, "names_weight": 2.0, "date": True, "date_tolerance": 3,
                         "date_penalty": 0.2}, "average"),
    "cap25-names2-lead2-dateline": ({"cap": 25, "names": True, "names_weight": 2.0,
                                     "lead_sentences": 2, "lead_boost": 2.0, "date": True,
                                     "date_tolerance": 3, "date_penalty": 0.2}, "average"),
    "cap15-names2-lead2-dilute-dateline": ({"cap": 15, "dilute": True, "names": True,
                                            "names_weight": 2.0, "lead_sentences": 2,
                                            "lead_boost": 2.0, "date": True, "date_tolerance": 3,
                                            "date_penalty": 0.2}, "average"),
    "cap15-names2-lead2-dilute-dateline-single": ({"cap": 15, "dilute": True, "names": True,
                                                   "names_weight": 2.0, "lead_sentences": 2,
                                                   "lead_boost": 2.0, "date": True,
                                                   "date_tolerance": 3, "date_penalty": 0.2},
                                                  "single"),
}


def parse_design(name):
    """A DESIGNS name, or a spec "key=value;...": cap=N, names=W (names and
    numbers as extra features of weight W), lead=B (first two sentences count
    B times), bm25=K1, date=TOL:PENALTY, dilute=1 (capped weight stays in
    the norm), link=average|single."""
    if name in DESIGNS:
        return DESIGNS[name]
    opts, link = {}, "average"
    for part in name.split(";"):
        k, v = part.split("=")
        if k == "cap":
            opts["cap"] = int(v)
        elif k == "names":
            opts["names"], opts["names_weight"] = True, float(v)
        elif k == "lead":
            opts["lead_sentences"], opts["lead_boost"] = 2, float(v)
        elif k == "bm25":
            opts["bm25_k1"] = float(v)
        elif k == "date":
            tol, pen = v.split(":")
            opts["date"], opts["date_tolerance"], opts["date_penalty"] = True, int(tol), float(pen)
        elif k == "numconf":
            mn, pen = v.split(":")
            opts["numconf"] = (int(mn), float(pen))
        elif k == "dilute":
            opts["dilute"] = v == "1"
        elif k == "link":
            link = v
        else:
            raise SystemExit(f"unknown design key {k}")
    return opts, link


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--designs", default=",".join(DESIGNS))
    ap.add_argument("--thresholds", default="0.20,0.25,0.30,0.35,0.40")
    ap.add_argument("--csv")
    args = ap.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    bg = storylib.Background()
    rows = []
    print("design                          set           T     P       R       F1      B3-F1   "
          "same-topic-wrong  largest  wrong")
    for name in args.designs.split(","):
        name = name.strip()
        opts, linkage = parse_design(name)
        for d in args.sets:
            ids, texts, _, story, topic = storylib.read_set(d)
            sim = storylib.cosine_matrix(vectors(texts, opts, bg))
            if opts.get("numconf"):
                apply_number_conflict(sim, texts, *opts["numconf"])
            if opts.get("date"):
                apply_date_penalty(sim, texts, opts.get("date_tolerance", 3),
                                   opts.get("date_penalty", 0.2))
            merges = storylib.average_linkage(sim, min(thresholds)) if linkage == "average" else None
            set_name = os.path.basename(os.path.normpath(d))
            for t in thresholds:
                cl = (storylib.cut(merges, len(ids), t) if merges is not None
                      else storylib.single_linkage(sim, t))
                s = storylib.evaluate(ids, cl, story, topic)
                rows.append((name, set_name, t, s))
                print(f"{name:31s} {set_name:12s} {t:.2f}  {s['P']:.4f}  {s['R']:.4f}  "
                      f"{s['F1']:.4f}  {s['bF1']:.4f}  {s.get('same_topic_wrong', '-')!s:>16}  "
                      f"{s['largest']:>7}  {s['wrong_pairs']:>6}", flush=True)
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("design,set,threshold,precision,recall,f1,bcubed_f1,same_topic_wrong,largest,"
                    "wrong_pairs\n")
            for name, set_name, t, s in rows:
                f.write(f"{name},{set_name},{t:.2f},{s['P']:.4f},{s['R']:.4f},{s['F1']:.4f},"
                        f"{s['bF1']:.4f},{s.get('same_topic_wrong', '')},{s['largest']},"
                        f"{s['wrong_pairs']}\n")


if __name__ == "__main__":
    main()
