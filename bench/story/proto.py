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

    def probability(self, word):
        return max(super().probability(word), (self.df.get(word, 0) - self.cap) / (self.n + 1))


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
# Fact conflicts (prototype; docs/STORY_LEVEL.md, "Fact conflicts"): typed
# facts read from the text; two documents whose facts conflict have their
# similarity multiplied by a penalty before the linkage.
#
# years=RULE:PENALTY, RULE one of
#   top    each document's most-mentioned year (ties: the first mentioned)
#          is not mentioned at all by the other
#   strong the years a document mentions twice or in its lead (first two
#          sentences) are all absent from the other, both ways
#   lead   the first year of each lead is absent from the other document
#   disj   both mention years and share none
# facts=KIND:PENALTY, KIND one of
#   leaddate  both leads hold full dates ("June 6[, 2014]", "6 June 2014"),
#             none within 3 days (and the same year when both say it)
#   quarter   both leads (three sentences) name quarters ("third-quarter",
#             "Q3"), none in common
#   amount    both leads hold amounts (money, percentages), none in common
# dmy=1: the dateline also reads "6 November 2025 -" (day month year) and
#   compares years when both datelines carry one (with date=TOL:PENALTY).

_YEAR_RE = re.compile(r"(?<![\d.,$])(19[5-9]\d|20[0-3]\d)(?![\d%])")
_FULLDATE = re.compile(r"\b(?:(" + _MONTHS_RE + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?"
                       r"|(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTHS_RE + r")\.?(?:,?\s+((?:19|20)\d\d))?)\b",
                       re.I)
_DATELINE_DMY = re.compile(r"(?:^|[,(]\s*)(?:(" + _MONTHS_RE + r")\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?"
                           r"|(\d{1,2})\s+(" + _MONTHS_RE + r")\.?(?:,?\s+(\d{4}))?)"
                           r"\s*\)?\s*[-\u2014\u2013]", re.I | re.M)
_QUARTER = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter\b|\bQ([1-4])\b", re.I)
_QUARTER_N = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_AMOUNT = re.compile(r"([$\u20ac\u00a3]\s?\d[\d,.]*(?:\s?(?:million|billion|bn|m)\b)?"
                     r"|\d[\d,.]*\s?(?:%|percent\b|per cent\b)|\d[\d,.]*\s(?:million|billion)\b)", re.I)


def lead_text(text, k=2):
    s = lines_and_sentences(text)
    return text[:s[min(len(s), k) - 1][1]] if s else text


def year_counts(text):
    return Counter(_YEAR_RE.findall(text))


def _date_groups(m):
    if m.group(1):
        mon, day, yr = m.group(1), m.group(2), m.group(3)
    else:
        mon, day, yr = m.group(5), m.group(4), m.group(6)
    day = int(day)
    if not 1 <= day <= 31:
        return None
    return MONTH_DAYS[_MONTH[mon.lower()]] + day, (int(yr) if yr else None)


def opening_date_dmy(text, chars=250):
    """(day of year, year or None) of the dateline, either order of day and month."""
    m = _DATELINE_DMY.search(text[:chars])
    return _date_groups(m) if m else None


def full_dates(text):
    return {d for d in (_date_groups(m) for m in _FULLDATE.finditer(text)) if d}


def _norm_amount(a):
    a = re.sub(r"\s+", "", a.lower()).replace("percent", "%").replace("percent", "%")
    a = re.sub(r"[$\u20ac\u00a3]", "", a).replace("billion", "bn").replace("million", "m")
    return a.rstrip(".,")


def year_conflicts(texts, rule):
    ys = [year_counts(t) for t in texts]
    if rule == "top":
        key = []
        for t, c in zip(texts, ys):
            top = None
            if c:
                best = max(c.values())
                top = next(m.group(1) for m in _YEAR_RE.finditer(t) if c[m.group(1)] == best)
            key.append({top} if top else set())
    elif rule == "lead":
        key = []
        for t in texts:
            m = _YEAR_RE.search(lead_text(t))
            key.append({m.group(1)} if m else set())
    elif rule == "strong":
        key = [{y for y, n in c.items() if n >= 2} | set(year_counts(lead_text(t)))
               for t, c in zip(texts, ys)]
    elif rule == "disj":
        key = [set(c) for c in ys]
    else:
        raise SystemExit(f"unknown years rule {rule}")
    return lambda i, j: bool(key[i] and key[j] and not (key[i] & set(ys[j]))
                             and not (key[j] & set(ys[i])))


def fact_conflicts(texts, kind):
    if kind == "leaddate":
        ds = [full_dates(lead_text(t)) for t in texts]

        def f(i, j):
            if not ds[i] or not ds[j]:
                return False
            for a, ya in ds[i]:
                for b, yb in ds[j]:
                    g = abs(a - b)
                    if min(g, 365 - g) <= 3 and (not ya or not yb or ya == yb):
                        return False
            return True
        return f
    if kind == "quarter":
        qs = [{_QUARTER_N[m.group(1).lower()] if m.group(1) else int(m.group(2))
               for m in _QUARTER.finditer(lead_text(t, 3))} for t in texts]
        return lambda i, j: bool(qs[i] and qs[j] and not (qs[i] & qs[j]))
    if kind == "amount":
        am = [{_norm_amount(a) for a in _AMOUNT.findall(lead_text(t))} for t in texts]
        return lambda i, j: bool(am[i] and am[j] and not (am[i] & am[j]))
    raise SystemExit(f"unknown facts kind {kind}")


def apply_conflict(sim, conflict, penalty):
    n = len(sim)
    for i in range(n):
        for j in range(i + 1, n):
            if sim[i][j] > 0 and conflict(i, j):
                sim[i][j] *= penalty
                sim[j][i] *= penalty


def dateline_conflicts(texts, tolerance):
    """(i, j) pairs whose datelines (either order; years compared when both
    have one) are more than `tolerance` days apart."""
    dates = [opening_date_dmy(t) for t in texts]
    out = set()
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = dates[i], dates[j]
            if a is None or b is None:
                continue
            if a[1] and b[1]:
                far = abs((a[1] * 365 + a[0]) - (b[1] * 365 + b[0])) > tolerance
            else:
                g = abs(a[0] - b[0])
                far = min(g, 365 - g) > tolerance
            if far:
                out.add((i, j))
    return out


def apply_date_penalty_dmy(sim, texts, tolerance, penalty):
    """As apply_date_penalty, datelines in either order; years compared when both have one."""
    for i, j in dateline_conflicts(texts, tolerance):
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


def vectors_for_gate(texts, opts, bg):
    return vectors(texts, opts, bg)


def apply_coverage_gate(sim, texts, vec, t, bg, exempt=None):
    """similarity x (m + (1 - m) min(1, coverage / t)): m = the share of the
    pair's dot product carried by names and numbers (#e:, #n: features and
    their words); coverage = the smaller share of either document's
    sentences with a counterpart (sentence cosine >= 0.4) in the other."""
    toks = [storylib.tokens(x) for x in texts]
    rarity = CappedRarity(toks, bg, 15)
    sents = []
    for x in texts:
        out = []
        for a, b in lines_and_sentences(x):
            c = Counter(storylib.tokens(x[a:b]))
            v = {w: (1 + math.log(k)) * rarity.idf(w) for w, k in c.items()}
            nv = math.sqrt(sum(y * y for y in v.values()))
            if nv > 0:
                out.append({w: y / nv for w, y in v.items()})
        sents.append(out)

    def cover(A, B):
        if not A or not B:
            return 0.0
        hit = sum(1 for a in A if max(sum(y * b.get(w, 0) for w, y in a.items()) for b in B) >= 0.4)
        return hit / len(A)
    n = len(texts)
    for i in range(n):
        marks_i = {f[3:] for f in vec[i] if f.startswith("#")}
        for j in range(i + 1, n):
            if sim[i][j] < 0.1:
                continue
            dot = mdot = 0.0
            for f, x in vec[i].items():
                y = vec[j].get(f)
                if y:
                    dot += x * y
                    if f.startswith("#") or f in marks_i:
                        mdot += x * y
            m = mdot / dot if dot > 0 else 0.0
            if exempt is not None and marks_share(vec, i, j) >= exempt:
                continue  # resting on names and numbers: news, coverage says nothing
            cov = min(cover(sents[i], sents[j]), cover(sents[j], sents[i]))
            g = (m + (1 - m) * min(1.0, cov / t)) if exempt is None else min(1.0, cov / t)
            sim[i][j] *= g
            sim[j][i] *= g


def word_pairs(text, bg=None, common=None):
    """Distinct adjacent word pairs of a text; with `common` (a share of the
    background's documents), pairs of two words both that common are left
    out ("of the", "in a")."""
    w = storylib.tokens(text)
    if common is None:
        return set(zip(w, w[1:]))
    limit = common * bg.documents
    rare = [bg.count(x) < limit for x in w]
    return {(w[k], w[k + 1]) for k in range(len(w) - 1) if rare[k] or rare[k + 1]}


def marks_share(vec, i, j, features_only=False, but_top=False, skip=()):
    """The share of the pair's dot product carried by names and numbers: the
    #e:, #n: features and, unless `features_only`, the words they mark;
    `but_top`: leaving out the mark that carries the most; `skip`: features
    left out (subject marks)."""
    marks_i = {f[3:] for f in vec[i] if f.startswith("#")}
    dot = 0.0
    per = Counter()
    for f, x in vec[i].items():
        y = vec[j].get(f)
        if y:
            dot += x * y
            if f in skip:
                continue
            if f.startswith("#") or (f in marks_i and not features_only):
                per[f[3:] if f.startswith("#") else f] += x * y
    mdot = sum(per.values())
    if but_top and per:
        mdot -= max(per.values())
    return mdot / dot if dot > 0 else 0.0


def all_word_pairs(text):
    """Distinct adjacent word pairs of a text."""
    w = storylib.tokens(text)
    return set(zip(w, w[1:]))


def shared_marks(vec, i, j):
    """How many distinct name and number features (#e:, #n:) two vectors share."""
    return sum(1 for f in vec[i] if f.startswith("#") and f in vec[j])


def subject_marks(sim, vec, i, j, min_sim, share, min_count):
    """The names and numbers both documents hold that are the subject, not
    the story: at least `share` of the pair's other neighbours (documents of
    similarity >= min_sim to either, before the gate) hold them too, and
    there are at least `min_count` such neighbours."""
    n = len(vec)
    hood = [k for k in range(n) if k != i and k != j
            and (sim[i][k] >= min_sim or sim[j][k] >= min_sim)]
    if len(hood) < min_count:
        return set()
    both = [f for f in vec[i] if f.startswith("#") and f in vec[j]]
    out = set()
    for f in both:
        c = sum(1 for k in hood if f in vec[k])
        if c >= min_count and c >= share * len(hood):
            out.add(f)
    return out


def apply_phrase_gate(sim, texts, vec, floor, power, exempt, min_sim, but_top=False, min_marks=0,
                      subject=None, rare=None, bg=None):
    """Phrase gate: similarity x min(1, c / floor)^power, c = the pair's
    word-pair containment (distinct adjacent word pairs both share over the
    smaller document's count), for pairs of similarity >= min_sim whose dot
    product rests on generic words: names and numbers (the #e:/#n: features
    alone) carry less than `exempt` of it. Rewrites of one text keep some of
    its phrasing; independent texts on one subject share its vocabulary but
    few of its word pairs. Reports of one event share names: exempt."""
    pairs = [None] * len(texts)
    n = len(texts)
    before = [row[:] for row in sim] if subject else None
    if subject and subject[2] is None:
        subject = (subject[0], subject[1], exempt, subject[3], subject[4])
    lengths = [len(storylib.tokens(t)) for t in texts] if subject else None
    for i in range(n):
        for j in range(i + 1, n):
            if sim[i][j] < min_sim or sim[i][j] <= 0:
                continue
            skip = (subject_marks(before, vec, i, j, min_sim, subject[0], subject[1])
                    if subject else ())
            if (marks_share(vec, i, j, features_only=True, but_top=but_top) >= exempt
                    and shared_marks(vec, i, j) >= min_marks
                    and (not subject
                         or (marks_share(vec, i, j, features_only=True, skip=skip) >= subject[2]
                             if subject[3] == 0 else
                             shared_marks(vec, i, j) - len(skip) >= subject[3] if subject[3] > 0
                             else not (shared_marks(vec, i, j) < -subject[3]
                                       and len(skip) == shared_marks(vec, i, j)
                                       and min(lengths[i], lengths[j]) >= subject[4])))):
                continue
            for k in (i, j):
                if pairs[k] is None:
                    pairs[k] = (word_pairs(texts[k], bg, rare) if rare
                                else all_word_pairs(texts[k]))
            small = min(len(pairs[i]), len(pairs[j]))
            c = len(pairs[i] & pairs[j]) / small if small else 0.0
            g = min(1.0, c / floor) ** power
            sim[i][j] *= g
            sim[j][i] *= g


def contrast_veto(texts, opts, min_size, share, count):
    """Two clusters of >= min_size documents each hold >= count names or
    numbers that >= share of their members mention and no member of the
    other does: they report different events of one topic."""
    feats = [{f for f in doc_features(t, {**opts, "names": True}) if f.startswith("#")}
             for t in texts]

    def own(a, b):
        c = Counter(f for i in a for f in feats[i])
        inb = set().union(*(feats[i] for i in b))
        return sum(1 for f, k in c.items() if k >= share * len(a) and f not in inb)

    def veto(a, b):
        if len(a) < min_size or len(b) < min_size:
            return False
        return own(a, b) >= count and own(b, a) >= count
    return veto


def parse_design(name):
    """A DESIGNS name, or a spec "key=value;...": cap=N, names=W (names and
    numbers as extra features of weight W), lead=B (first two sentences count
    B times), bm25=K1, date=TOL:PENALTY, dilute=1 (capped weight stays in
    the norm), numconf=MIN:PENALTY, years=top|strong|lead|disj:PENALTY,
    facts=KIND:PENALTY[|KIND:PENALTY] (KIND leaddate, quarter or amount),
    dmy=1 (datelines "6 November 2025 -" too; see "Fact conflicts" above),
    covgate=T[:EXEMPT] (coverage gate; EXEMPT: pairs whose marks share reaches
    it pass untouched, the others are x min(1, coverage / T)),
    phrase=FLOOR:POWER:EXEMPT:MIN_SIM[:top] (the phrase gate, apply_phrase_gate;
    top: the strongest mark left out of the marks share), phrasemarks=N (the
    gate's exemption also needs N distinct shared names or numbers),
    link=average|single."""
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
        elif k == "years":
            rule, pen = v.split(":")
            opts["years"] = (rule, float(pen))
        elif k == "facts":
            for item in v.split("|"):
                kind, pen = item.split(":")
                opts.setdefault("facts", []).append((kind, float(pen)))
        elif k == "dmy":
            opts["dmy"] = v == "1"
        elif k == "dilute":
            opts["dilute"] = v == "1"
        elif k == "veto":  # cannot-link: date (dmy datelines > 3 days), years (top)
            opts["veto"] = v.split("+")
        elif k == "contrast":  # MIN_SIZE:SHARE:COUNT
            m, sh, c = v.split(":")
            opts["contrast"] = (int(m), float(sh), int(c))
        elif k == "covgate":  # T: pairs resting on generic words need sentence coverage
            parts = v.split(":")  # T[:EXEMPT]: pairs with a marks share >= EXEMPT pass
            opts["covgate"] = float(parts[0])
            opts["covexempt"] = float(parts[1]) if len(parts) > 1 else None
        elif k == "phrase":  # FLOOR:POWER:EXEMPT:MIN_SIM[:top]: the phrase gate
            parts = v.split(":")
            opts["phrase"] = (float(parts[0]), float(parts[1]), float(parts[2]), float(parts[3]),
                              len(parts) > 4 and parts[4] == "top")
        elif k == "phrasemarks":  # exemption also needs >= N distinct shared names/numbers
            opts["phrase_min_marks"] = int(v)
        elif k == "phrasesubject":  # SHARE:MIN_COUNT[:REST_SHARE[:REST_COUNT[:MIN_WORDS]]]: the
            # exemption also needs the marks that are not the subject's (held by
            # >= SHARE of the pair's >= MIN_COUNT other neighbours) to carry
            # REST_SHARE of the dot product (default: the exemption itself), or
            # with REST_COUNT > 0, to number at least REST_COUNT; REST_COUNT = -K:
            # the exemption is lost only when the pair shares fewer than K marks
            # and all of them are the subject's, and (MIN_WORDS) both documents
            # have at least MIN_WORDS words
            parts = v.split(":")
            opts["phrase_subject"] = (float(parts[0]), int(parts[1]),
                                      float(parts[2]) if len(parts) > 2 else None,
                                      int(parts[3]) if len(parts) > 3 else 0,
                                      int(parts[4]) if len(parts) > 4 else 0)
        elif k == "phraserare":  # COMMON: word pairs of two words both in >= COMMON
            opts["phrase_rare"] = float(v)  # of the background's documents are left out
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
                (apply_date_penalty_dmy if opts.get("dmy") else apply_date_penalty)(
                    sim, texts, opts.get("date_tolerance", 3), opts.get("date_penalty", 0.2))
            if opts.get("years"):
                apply_conflict(sim, year_conflicts(texts, opts["years"][0]), opts["years"][1])
            for kind, pen in opts.get("facts", []):
                apply_conflict(sim, fact_conflicts(texts, kind), pen)
            if opts.get("covgate"):
                apply_coverage_gate(sim, texts, vectors_for_gate(texts, opts, bg), opts["covgate"], bg,
                                    opts.get("covexempt"))
            if opts.get("phrase"):
                floor, power, exempt, min_sim, top = opts["phrase"]
                apply_phrase_gate(sim, texts, vectors(texts, opts, bg), floor, power, exempt,
                                  min_sim, top, opts.get("phrase_min_marks", 0),
                                  opts.get("phrase_subject"), opts.get("phrase_rare"), bg)
            cannot = set()
            for kind in opts.get("veto", []):
                if kind == "date":
                    cannot |= dateline_conflicts(texts, 3)
                elif kind == "years":
                    f = year_conflicts(texts, "top")
                    cannot |= {(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
                               if sim[i][j] > 0 and f(i, j)}
                else:
                    raise SystemExit(f"unknown veto {kind}")
            veto = None
            if opts.get("contrast"):
                veto = contrast_veto(texts, opts, *opts["contrast"])
            merges = (storylib.average_linkage(sim, min(thresholds), cannot, veto)
                      if linkage == "average" else None)
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
