#!/usr/bin/env python3
"""Writes a template fixture: wire items of many different stories cut from
one template each, the kind that chains story clusters in a real wire archive.

    bench/story/templates.py OUT [--seed 7] [--scale 1]

Templates (written for this fixture in the style of 1980s wire items, no real
text): quarterly dividend notices, quarterly earnings tables, eurobond issues,
daily "Fed adds reserves" items, and a "stock split" notice. Each item names
its own company (or day), amounts and dates: every item is its own story.
About one item in eight is re-issued as a second version (a corrected item:
another headline, sentences reordered, a figure written another way), which
shares its story label, so the fixture also has true pairs and a design that
joins nothing does not look perfect.

Writes OUT/docs.jsonl, OUT/labels.story.tsv and OUT/labels.topic.tsv (topic
= template). Deterministic for a seed.
"""

import argparse
import json
import os
import random

FIRST = ["American", "First", "National", "Pacific", "United", "General", "Southern", "Western",
         "Continental", "Northern", "Atlantic", "Central", "Midwest", "Commonwealth", "Union",
         "Standard", "Great Lakes", "Allied", "Federal", "Eastern"]
SECOND = ["Bancorp", "Financial", "Industries", "Electric", "Savings", "Energy", "Holdings",
          "Resources", "Communications", "Technologies", "Utilities", "Gas", "Insurance",
          "Realty", "Foods", "Chemical", "Steel", "Paper", "Motors", "Systems"]
SUFFIX = ["Corp", "Inc", "Co", "Ltd", "Group", "Corp", "Inc"]
SYL = ["ka", "lo", "ver", "dan", "mi", "tor", "sel", "bra", "nix", "gal", "ron", "ter", "ba",
       "zel", "ar", "co", "ly", "den", "fi", "mon", "tra", "vis", "quin", "hal"]
CITIES = ["NEW YORK", "CHICAGO", "HOUSTON", "BOSTON", "DALLAS", "ATLANTA", "DETROIT", "DENVER",
          "PITTSBURGH", "MINNEAPOLIS", "CLEVELAND", "SEATTLE", "MIAMI", "ST. LOUIS", "PHOENIX"]
BANKS = ["Morgan Guaranty Ltd", "Credit Suisse First Boston Ltd", "Deutsche Bank Capital Markets",
         "Nomura International Ltd", "Salomon Brothers International", "Union Bank of Switzerland",
         "Swiss Bank Corp International", "Banque Paribas Capital Markets", "Daiwa Europe Ltd",
         "Merrill Lynch Capital Markets", "Goldman Sachs International", "Dresdner Bank AG"]
CURRENCIES = [("dlr", "dlrs"), ("yen", "yen"), ("mark", "marks"), ("Swiss franc", "Swiss francs"),
              ("Australian dlr", "Australian dlrs"), ("Canadian dlr", "Canadian dlrs")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MON = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.used = set()

    def company(self):
        r = self.r
        while True:
            kind = r.random()
            if kind < 0.45:  # an invented name: the rare word that tells items apart
                word = "".join(r.choice(SYL) for _ in range(r.randint(2, 3))).capitalize()
                name = f"{word} {r.choice(SECOND)} {r.choice(SUFFIX)}"
            elif kind < 0.8:  # common words only: the hardest case
                name = f"{r.choice(FIRST)} {r.choice(SECOND)} {r.choice(SUFFIX)}"
            else:
                word = "".join(r.choice(SYL) for _ in range(2)).capitalize()
                name = f"{r.choice(FIRST)} {word} {r.choice(SUFFIX)}"
            if name not in self.used:
                self.used.add(name)
                return name

    def date(self):
        m = self.r.randrange(12)
        return m, self.r.randint(1, 28)

    def cts(self):
        return self.r.choice([5, 6, 8, 10, 12, 15, 18, 20, 22, 25, 28, 30, 32, 35, 40, 45, 50, 60])

    def amount(self, lo, hi, decimals=1):
        return f"{self.r.uniform(lo, hi):,.{decimals}f}"


def dividend(g):
    c = g.company()
    city = g.r.choice(CITIES)
    m, d = g.date()
    x = g.cts()
    prior = x if g.r.random() < 0.6 else max(1, x - g.r.choice([1, 2, 3, 5]))
    pm, pd = (m + 1) % 12, g.r.randint(1, 28)
    rm, rd = m, min(28, d + g.r.randint(3, 14))
    head = f"{c.upper()} {'SETS' if x == prior else 'RAISES'} QUARTERLY DIVIDEND"
    body = [
        f"{city}, {MON[m]} {d} - {c} said its board declared a quarterly dividend of {x} cts "
        f"per share, payable {MONTHS[pm]} {pd} to shareholders of record {MONTHS[rm]} {rd}.",
        ("The company said the dividend is unchanged from the prior quarter." if x == prior else
         f"The company said the dividend is up from {prior} cts paid in the prior quarter."),
        f"Qtly div {x} cts vs {prior} cts prior", f"Pay {MON[pm]} {pd}", f"Record {MON[rm]} {rd}",
        "Reuter"]
    alt = [f"{c.upper()} QTLY DIVIDEND", body[2], body[3], body[4], body[0].replace(
        f"{x} cts", f"{x} cents"), "Reuter"]
    return [head] + body, alt


def earnings(g):
    c = g.company()
    q = g.r.choice(["1ST QTR", "2ND QTR", "3RD QTR", "4TH QTR", "YEAR"])
    shr, shr0 = g.cts(), g.cts()
    net, net0 = g.r.randint(200, 90000), g.r.randint(200, 90000)
    rev, rev0 = g.amount(5, 900), g.amount(5, 900)
    loss = g.r.random() < 0.2
    lines = [f"{c.upper()} {q} {'LOSS' if loss else 'NET'}",
             f"Shr {'loss ' if loss else ''}{shr} cts vs profit {shr0} cts" if loss else
             f"Shr {shr} cts vs {shr0} cts",
             f"Net {'loss ' if loss else ''}{net:,} vs profit {net0:,}" if loss else
             f"Net {net:,} vs {net0:,}",
             f"Revs {rev} mln vs {rev0} mln"]
    if q != "YEAR" and g.r.random() < 0.5:
        lines += ["Nine mths" if q == "3RD QTR" else "Six mths",
                  f"Shr {g.cts() + 30} cts vs {g.cts() + 30} cts",
                  f"Net {g.r.randint(500, 200000):,} vs {g.r.randint(500, 200000):,}",
                  f"Revs {g.amount(10, 2000)} mln vs {g.amount(10, 2000)} mln"]
    if g.r.random() < 0.3:
        lines.append("NOTE: Share data adjusted for stock split.")
    lines.append("Reuter")
    alt = [f"CORRECTED - {lines[0]}"] + lines[1:]
    return lines, alt


def bond(g):
    c = g.company()
    m, d = g.date()
    amt = g.r.choice([50, 75, 100, 125, 150, 200, 250, 300, 500, 15000, 20000, 30000])
    cur, curs = g.r.choice(CURRENCIES)
    year = g.r.randint(1990, 1997)
    coupon = g.r.choice(["7", "7-1/4", "7-1/2", "7-5/8", "8", "8-1/8", "8-1/4", "8-3/8", "8-1/2",
                         "9", "9-1/4", "4-5/8", "5-1/2", "6-3/4"])
    price = g.r.choice(["100", "100-1/4", "101", "101-1/8", "101-3/4", "102", "99-7/8"])
    bank = g.r.choice(BANKS)
    sell, mgmt = g.r.choice(["1-1/4", "1-3/8", "1-1/2", "1-7/8"]), g.r.choice(["1/2", "5/8", "3/4"])
    pay = f"{MONTHS[(m + 1) % 12]} {g.r.randint(1, 28)}"
    head = f"{c.upper()} ISSUES {amt} MLN {cur.upper()} EUROBOND"
    s = [f"LONDON, {MON[m]} {d} - {c} is issuing a {amt} mln {cur} eurobond due {year} paying "
         f"{coupon} pct and priced at {price} pct, lead manager {bank} said.",
         f"The non-callable bond is available in denominations of 1,000 {curs} and will be "
         "listed in Luxembourg.",
         f"The selling concession is {sell} pct, while management and underwriting combined "
         f"pays {mgmt} pct.", f"The payment date is {pay}.", "Reuter"]
    alt = [f"{c.upper()} {amt} MLN {cur.upper()} BOND DUE {year} PRICED",
           s[0].replace(" said.", " said, correcting an earlier report."), s[3], s[1], s[2], "Reuter"]
    return [head] + s, alt


def fed(g, day):
    m, d = day
    kind = g.r.choice(["customer", "system", "overnight system", "four-day system"])
    amt = g.r.choice([1.5, 2.0, 2.5, 3.0, 1.0, 4.0, 5.5])
    rate = g.r.choice(["5-13/16", "5-7/8", "6", "6-1/16", "6-1/8", "6-3/16", "6-1/4", "6-5/16"])
    wd = WEEKDAYS[(m * 31 + d) % 5]
    head = f"FED ADDS RESERVES VIA {kind.upper()} REPURCHASES"
    s = [f"NEW YORK, {MON[m]} {d} - The Federal Reserve entered the U.S. Government securities "
         f"market to arrange {kind} repurchase agreements, a Fed spokesman said.",
         f"Dealers said Federal funds were trading at {rate} pct when the Fed began its temporary "
         "and indirect supply of reserves to the banking system.",
         (f"Economists said the Fed was adding about {amt} billion dlrs of reserves on "
          f"{wd}." if g.r.random() < 0.6 else
          "Dealers said the size of the operation was about what they had expected."),
         "Reuter"]
    alt = [f"FED SETS {kind.upper()} REPURCHASE AGREEMENTS", s[1], s[0], s[2], "Reuter"]
    return [head] + s, alt


def split(g):
    c = g.company()
    city = g.r.choice(CITIES)
    m, d = g.date()
    a = g.r.choice(["two-for-one", "three-for-two", "three-for-one", "five-for-four"])
    rm, rd = (m + 1) % 12, g.r.randint(1, 28)
    div = g.cts()
    s = [f"{c.upper()} DECLARES {a.upper()} STOCK SPLIT",
         f"{city}, {MON[m]} {d} - {c} said its board declared a {a} stock split, payable "
         f"{MONTHS[rm]} {rd} to holders of record {MONTHS[m]} {min(28, d + 10)}.",
         f"The company also said it raised its quarterly dividend to {div} cts a share on a "
         "pre-split basis.", "Reuter"]
    alt = [f"{c.upper()} SETS STOCK SPLIT", s[2], s[1], "Reuter"]
    return s, alt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    g = Gen(args.seed)
    counts = {"dividend": 160, "earnings": 160, "bond": 120, "fed": 60, "split": 40}
    days = set()
    while len(days) < int(counts["fed"] * args.scale):
        days.add(g.date())
    days = sorted(days)
    items = []
    for topic, n in counts.items():
        for k in range(int(n * args.scale)):
            fn = {"dividend": dividend, "earnings": earnings, "bond": bond, "split": split}.get(topic)
            lines, alt = fed(g, days[k]) if topic == "fed" else fn(g)
            story = f"{topic}-{k}"
            items.append((f"{topic}-{k}", story, topic, lines))
            if g.r.random() < 0.125:
                items.append((f"{topic}-{k}b", story, topic, alt))
    g.r.shuffle(items)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "docs.jsonl"), "w") as docs, \
            open(os.path.join(args.out, "labels.story.tsv"), "w") as st, \
            open(os.path.join(args.out, "labels.topic.tsv"), "w") as tp:
        for doc_id, story, topic, lines in items:
            docs.write(json.dumps({"id": doc_id, "text": "\n".join(lines)}) + "\n")
            st.write(f"{doc_id}\t{story}\n")
            tp.write(f"{doc_id}\t{topic}\n")


if __name__ == "__main__":
    main()
