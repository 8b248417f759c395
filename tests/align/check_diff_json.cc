// check_diff_json OUTPUT.json [BASE_DIR]
//
// Checks `neardup diff --format json` output against the original files: for
// every span, the bytes of document `doc` (the file BASE_DIR/doc, or doc as
// given) at [start, end) equal `text`; kinds are known; every document has a
// summary. Prints "N spans checked" and exits 0, or prints the first mismatch
// and exits 1. Used by tests/cli/diff.sh.
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace {

std::string ReadAll(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "check_diff_json: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Fail("usage: check_diff_json OUTPUT.json [BASE_DIR]");
  const std::string base = argc > 2 ? std::string(argv[2]) + "/" : "";
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.load(argv[1]).get(root)) {
    return Fail(std::string(argv[1]) + ": " + simdjson::error_message(err));
  }
  std::map<std::string, std::string> files;
  std::set<std::string> documents;
  simdjson::dom::array docs, spans, summaries;
  if (root["documents"].get_array().get(docs) || root["spans"].get_array().get(spans) ||
      root["summaries"].get_array().get(summaries)) {
    return Fail("missing documents, spans or summaries");
  }
  for (simdjson::dom::element d : docs) {
    std::string_view id;
    if (d["id"].get_string().get(id)) return Fail("a document without an id");
    documents.emplace(id);
    bool ok = false;
    files[std::string(id)] = ReadAll(base + std::string(id), &ok);
    if (!ok) return Fail("cannot read " + base + std::string(id));
  }
  std::size_t checked = 0;
  const std::set<std::string_view> kinds = {"shared",   "added", "dropped",
                                            "reworded", "moved", "normalized"};
  for (simdjson::dom::element s : spans) {
    std::string_view doc, kind, text, member;
    std::uint64_t start = 0, end = 0;
    if (s["doc"].get_string().get(doc) || s["kind"].get_string().get(kind) ||
        s["text"].get_string().get(text) || s["start"].get_uint64().get(start) ||
        s["end"].get_uint64().get(end) || s["member"].get_string().get(member)) {
      return Fail("a span lacks doc, member, kind, start, end or text");
    }
    if (kinds.count(kind) == 0) return Fail("unknown kind " + std::string(kind));
    if (documents.count(std::string(doc)) == 0 || documents.count(std::string(member)) == 0) {
      return Fail("span of an unlisted document " + std::string(doc));
    }
    const std::string& bytes = files[std::string(doc)];
    if (!(start < end && end <= bytes.size())) {
      return Fail(std::string(doc) + ": bad range " + std::to_string(start) + ".." +
                  std::to_string(end));
    }
    if (bytes.compare(start, end - start, text) != 0) {
      return Fail(std::string(doc) + ": bytes " + std::to_string(start) + ".." +
                  std::to_string(end) + " differ from the span text \"" + std::string(text) + "\"");
    }
    ++checked;
  }
  if (summaries.size() != docs.size()) return Fail("not one summary per document");
  std::printf("%zu spans checked\n", checked);
  return 0;
}
