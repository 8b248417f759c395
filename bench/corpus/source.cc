#include "source.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "die.h"
#include "simdjson.h"
#include "text.h"

namespace neardup::gen {
namespace {

constexpr size_t kVocabularyWords = 1 << 20;

bool IsPlainWord(std::string_view token) {
  return token.size() <= 20 && std::all_of(token.begin(), token.end(), [](char c) {
           return IsAsciiLower(c) || IsAsciiUpper(c);
         });
}

// Joins the trimmed non-blank lines of `text` with '\n': a paragraph a line.
std::string NormalizeParagraphs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachLine(text, [&](std::string_view line) {
    line = Trim(line);
    if (line.empty()) return;
    if (!out.empty()) out += '\n';
    out += line;
  });
  return out;
}

void AddArticle(Source& source, std::string_view text) {
  const std::string article = NormalizeParagraphs(text);
  if (article.empty()) return;
  if (!source.prose.empty()) source.prose += "\n\n";
  source.prose += article;
  ++source.articles;
}

void AddJsonLine(Source& source, simdjson::dom::parser& parser, std::string_view line,
                 const std::string& path, size_t line_number) {
  if (Trim(line).empty()) return;
  simdjson::dom::element record;
  std::string_view text;
  if (parser.parse(line.data(), line.size()).get(record) != simdjson::SUCCESS ||
      record["text"].get_string().get(text) != simdjson::SUCCESS) {
    Die(path + ":" + std::to_string(line_number) +
        ": expected a JSON object with a \"text\" string");
  }
  AddArticle(source, text);
}

// Reads JSONL line by line. zlib reads files without the gzip magic bytes as
// they are, so this takes compressed and plain files whatever their names.
void LoadJsonl(const std::string& path, Source& source) {
  gzFile in = gzopen(path.c_str(), "rb");
  if (in == nullptr) Die("cannot open " + path);
  gzbuffer(in, 1 << 20);
  simdjson::dom::parser parser;
  std::vector<char> chunk(1 << 20);
  std::string pending;
  size_t line_number = 0;
  int n;
  while ((n = gzread(in, chunk.data(), static_cast<unsigned>(chunk.size()))) > 0) {
    pending.append(chunk.data(), static_cast<size_t>(n));
    size_t begin = 0;
    for (size_t end; (end = pending.find('\n', begin)) != std::string::npos; begin = end + 1) {
      AddJsonLine(source, parser, std::string_view(pending).substr(begin, end - begin), path,
                  ++line_number);
    }
    pending.erase(0, begin);
  }
  int error = Z_OK;
  if (n < 0) Die(path + ": " + gzerror(in, &error));
  AddJsonLine(source, parser, pending, path, ++line_number);
  gzclose(in);
}

// Reads every .txt file under `dir`, in path order so that the result does not
// depend on the file system's listing order.
void LoadTextFiles(const std::filesystem::path& dir, Source& source) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string& bytes = text.str();
    // Output must be valid JSON, hence valid UTF-8.
    if (!simdjson::validate_utf8(bytes.data(), bytes.size())) {
      std::fprintf(stderr, "gen_planted: skipping %s: not UTF-8\n", path.c_str());
      continue;
    }
    AddArticle(source, bytes);
  }
}

void BuildVocabulary(Source& source) {
  // About 6 bytes per word with its space.
  const size_t stride = std::max<size_t>(1, source.prose.size() / 6 / kVocabularyWords);
  size_t index = 0;
  ForEachToken(source.prose, [&](std::string_view token) {
    if (index++ % stride == 0 && IsPlainWord(token)) {
      source.vocabulary.push_back(token);
    }
  });
  if (source.vocabulary.empty()) Die("the source holds no plain words");
}

}  // namespace

Source LoadSource(const std::string& path) {
  Source source;
  if (std::filesystem::is_directory(path)) {
    LoadTextFiles(path, source);
  } else {
    LoadJsonl(path, source);
  }
  if (source.prose.empty()) Die("no prose in " + path);
  BuildVocabulary(source);
  return source;
}

}  // namespace neardup::gen
