// The source prose that every document of gen_planted is made from: articles
// read from JSONL (gzip-compressed or not) or from a directory of .txt files.
//
//   const Source source = LoadSource("docs.jsonl.gz");
//   std::string_view word = source.vocabulary[rng.Below(source.vocabulary.size())];
#ifndef NEARDUP_BENCH_CORPUS_SOURCE_H_
#define NEARDUP_BENCH_CORPUS_SOURCE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace neardup::gen {

struct Source {
  // All articles, a paragraph a line, with a blank line between articles.
  std::string prose;
  size_t articles = 0;
  // Every so many plain words of the prose, for inserted and substituted
  // words that follow real word frequencies. Views into `prose`.
  std::vector<std::string_view> vocabulary;
};

// Reads `path`: a directory of .txt files (recursive, in path order; files
// that are not UTF-8 are skipped with a warning), else a JSONL file with a
// "text" string in every line's object, gzip-compressed or not. Exits through
// Die() if the source cannot be read, is malformed, or holds no prose or no
// plain words.
Source LoadSource(const std::string& path);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_SOURCE_H_
