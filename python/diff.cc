// neardup.diff(a, b): what B changed of A, as `neardup diff --format json A
// B` reports it (DiffCluster of the pair; cli/cmd_diff.cc), with the GIL
// released while it aligns. For str texts the offsets are counted in
// characters (so a[start:end] is the span), for bytes in bytes as the CLI.
#include <neardup/align.h>
#include <neardup/io.h>
#include <neardup/stats.h>
#include <pybind11/stl.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "native.h"

namespace py = pybind11;

namespace neardup::python {
namespace {

struct Text {
  std::string_view bytes;
  bool is_str = false;
  // For str: the character index of every byte offset (0..size).
  std::vector<std::uint32_t> chars;

  std::size_t Offset(std::size_t byte) const { return is_str ? chars[byte] : byte; }
};

Text Load(const py::handle& object, const char* name) {
  Text t;
  if (PyUnicode_Check(object.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(object.ptr(), &size);
    if (data == nullptr) throw py::error_already_set();
    t.bytes = std::string_view(data, static_cast<std::size_t>(size));
    t.is_str = true;
  } else if (PyBytes_Check(object.ptr())) {
    t.bytes = std::string_view(PyBytes_AS_STRING(object.ptr()),
                               static_cast<std::size_t>(PyBytes_GET_SIZE(object.ptr())));
  } else {
    throw py::type_error(std::string(name) + ": a text is a str or bytes");
  }
  if (t.bytes.size() >= (std::size_t{1} << 32)) {
    throw py::value_error(std::string(name) + ": longer than 4 GiB");
  }
  return t;
}

// The character index of each byte offset of UTF-8 `bytes` (a character
// starts at every byte that is not a continuation byte).
void CountCharacters(Text* t) {
  t->chars.resize(t->bytes.size() + 1);
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < t->bytes.size(); ++i) {
    t->chars[i] = n;
    n += (static_cast<unsigned char>(t->bytes[i]) & 0xC0) != 0x80;
  }
  t->chars[t->bytes.size()] = n;
}

// Bytes [begin, end) of the text, as a str or bytes like the text.
py::object Slice(const Text& t, std::size_t begin, std::size_t end) {
  const std::string_view piece = t.bytes.substr(begin, end - begin);
  if (t.is_str) return py::str(piece.data(), piece.size());
  return py::bytes(piece.data(), piece.size());
}

py::dict Summary(const MemberSummary& s) {
  py::dict d;
  d["words"] = s.words;
  d["shared"] = s.words_shared;
  d["added"] = s.words_added;
  d["dropped"] = s.words_dropped;
  d["reworded"] = s.words_reworded;
  d["moved"] = s.words_moved;
  d["normalized"] = s.words_normalized;
  d["core_sentences"] = s.core_sentences;
  d["core_covered"] = s.core_covered;
  d["core_share"] = s.core_share;
  return d;
}

// Returns (spans, summaries): spans as (doc, kind, start, end, at, group,
// similarity, text) in the CLI's order (doc 0 = a, 1 = b), summaries of a and b.
py::tuple Diff(const py::handle& a, const py::handle& b, const std::string& stats_path) {
  std::array<Text, 2> texts{Load(a, "a"), Load(b, "b")};
  const std::array<const char*, 2> names{"a", "b"};
  AlignOptions options;
  std::optional<DocumentFrequencies> stats;
  ClusterDiff diff;
  std::string input_error;  // neardup.Error
  std::string text_error;   // ValueError
  {
    py::gil_scoped_release release;
    if (!stats_path.empty()) {
      Result<DocumentFrequencies> loaded = DocumentFrequencies::Load(stats_path);
      if (loaded.ok()) {
        stats = std::move(loaded).value();
        options.stats = &*stats;
      } else {
        input_error = loaded.status().ToString();
      }
    }
    // The documents `neardup diff` refuses (CheckDiffable in cli/cmd_diff.cc).
    for (std::size_t i = 0; i < 2 && input_error.empty() && text_error.empty(); ++i) {
      if (LooksBinary(texts[i].bytes)) {
        text_error = std::string(names[i]) +
                     ": binary (a NUL byte or mostly control bytes in its first 8 KB); diff "
                     "compares text";
      } else if (Status s = CheckDiffText(texts[i].bytes, options); !s.ok()) {
        text_error = std::string(names[i]) + ": " + s.message();
      }
      if (texts[i].is_str) CountCharacters(&texts[i]);
    }
    if (input_error.empty() && text_error.empty()) {
      const std::array<std::string_view, 2> views{texts[0].bytes, texts[1].bytes};
      diff = DiffCluster(views, options);
    }
  }
  if (!input_error.empty()) throw NeardupError(input_error);
  if (!text_error.empty()) throw py::value_error(text_error);
  const DocDiff& d = diff.members[0];
  py::list spans;
  for (const DiffSpan& s : d.spans) {
    const Text& own = texts[s.doc];
    const Text& other = texts[1 - s.doc];
    py::object similarity = py::none();
    if (s.group >= 0)
      similarity = py::float_(d.groups[static_cast<std::size_t>(s.group)].similarity);
    spans.append(py::make_tuple(s.doc, SpanKindName(s.kind), own.Offset(s.begin), own.Offset(s.end),
                                other.Offset(s.at), s.group, similarity,
                                Slice(own, s.begin, s.end)));
  }
  py::list core;
  for (std::size_t i = 0; i < diff.representative.size(); ++i) {
    if (!diff.core[i]) continue;
    const Sentence& x = diff.representative[i];
    core.append(py::make_tuple(texts[0].Offset(x.begin), texts[0].Offset(x.end),
                               Slice(texts[0], x.begin, x.end)));
  }
  return py::make_tuple(
      spans, py::make_tuple(Summary(diff.summaries[0]), Summary(diff.summaries[1])), core);
}

}  // namespace

void AddDiffBindings(py::module_& m) {
  m.def("diff", &Diff, py::arg("a"), py::arg("b"), py::arg("stats"),
        "DiffCluster of (a, b) as `neardup diff --format json` reports it: (spans, (summary of "
        "a, summary of b), core sentences of a)");
}

}  // namespace neardup::python
