# Sourced by the index tests: writes $work/b1.jsonl .. b$2.jsonl, $1 documents
# in all, split into $2 batches of equal size. Documents of 80 words from a
# fixed vocabulary; one in three is a copy of an earlier document (of any
# earlier batch) with 0-3 of its words replaced, so copies span Jaccard from
# 1 (exact) to about 0.65, around the 0.8 threshold and in the exact-check
# margin; some copies are re-cased (exact copies after normalization).
#   index_corpus DOCS BATCHES
index_corpus() {
  awk -v docs="$1" -v batches="$2" -v dir="$work" 'BEGIN {
    srand(11)
    for (v = 0; v < 3000; v++) {
      word = ""; n = 3 + int(rand() * 7)
      for (c = 0; c < n; c++) word = word sprintf("%c", 97 + int(rand() * 26))
      vocab[v] = word
    }
    per = int(docs / batches)
    for (d = 0; d < docs; d++) {
      if (d > 0 && d % 3 == 2) {
        src = int(rand() * d); nw = split(text[src], w, " ")
        edits = int(rand() * 4)
        for (e = 0; e < edits; e++) w[1 + int(rand() * nw)] = vocab[int(rand() * 3000)]
        t = w[1]; for (i = 2; i <= nw; i++) t = t " " w[i]
        if (d % 40 == 17) t = toupper(t)
      } else {
        t = ""; for (i = 0; i < 80; i++) t = t (i ? " " : "") vocab[int(rand() * 3000)]
      }
      text[d] = t
      b = 1 + int(d / per); if (b > batches) b = batches
      printf "{\"id\": \"d%05d\", \"text\": \"%s.\"}\n", d, t > (dir "/b" b ".jsonl")
    }
  }'
}

# decided FILE...: "id kept duplicate_of duplicate_of_source" per decision, sorted by id.
decided() {
  sed -E 's/^\{"id": "([^"]*)".*"kept": (true|false), "duplicate_of": ("([^"]*)"|null), "duplicate_of_source": ("([^"]*)"|null).*/\1 \2 \4 \6/' "$@" |
    sort
}

# effective DECIDED MERGED...: the "id kept duplicate_of source" lines of
# DECIDED (from decided) as one dedup over all batches would give them, once
# the later adds' merged.jsonl lines are applied: an earlier representative
# a later batch merged into an older cluster is a duplicate of the older
# one's representative, and so are the documents that named it.
effective() {
  local decided="$1"
  shift
  cat "$@" /dev/null |
    sed -E 's/^\{"id": "([^"]*)".*"duplicate_of": "([^"]*)", "duplicate_of_source": "([^"]*)".*/\1 \2 \3/' |
    awk 'FILENAME == "-" { to[$1] = $2; src[$1] = $3; next }
         { id = $1; kept = $2; dup = $3; s = $4
           if (kept == "true" && (id in to)) { kept = "false"; dup = id }
           while (kept == "false" && (dup in to)) { s = src[dup]; dup = to[dup] }
           print id, kept, dup, s }' - "$decided" | sort
}
