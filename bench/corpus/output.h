// Output of gen_planted: buffered files, gzip-compressed by name, and the
// JSON of its document lines.
//
//   OutputFile out("docs.jsonl.gz");
//   std::string line = "{\"id\": \"" + DocId(0) + "\", \"text\": ";
//   AppendJsonString(line, text);
//   out.Write(line + "}\n");
//   out.Close();
#ifndef NEARDUP_BENCH_CORPUS_OUTPUT_H_
#define NEARDUP_BENCH_CORPUS_OUTPUT_H_

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace neardup::gen {

// A buffered output file, gzip-compressed when its name ends in ".gz". Every
// failure to open, write or close exits through Die(). Close() must be called
// once, and last; the destructor does not close.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void Write(std::string_view data);
  void Close();

 private:
  std::string path_;
  gzFile gz_ = nullptr;
  std::FILE* file_ = nullptr;
};

// Appends `text` as a JSON string: quotes, backslashes and control characters
// escaped, everything else (UTF-8 included) as it is.
void AppendJsonString(std::string& out, std::string_view text);

// The id of the document written at `slot` (from 0): "d0000001" and on.
std::string DocId(uint64_t slot);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_OUTPUT_H_
