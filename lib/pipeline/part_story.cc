// A story-level document's draft in a part file (part_file.h):
//   distinct words n, their hashes (n x 8 bytes), tf (n bytes), feature_tf
//   (n bytes), wide_tf and wide_feature_tf (count, then (index, count) as
//   two 32-bit values each), words, dateline (day, year), salient words
//   (count, then hashes).
#include <utility>
#include <vector>

#include "pipeline/part_file.h"

namespace neardup::internal {
namespace {

using WideCounts = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

void WriteWide(const WideCounts& wide, PartWriter* out) {
  out->U64(wide.size());
  for (const auto& [index, count] : wide) {
    const std::uint32_t pair[2] = {index, count};
    out->Bytes(pair, sizeof(pair));
  }
}

bool ReadWide(PartReader* in, std::size_t distinct, WideCounts* wide) {
  std::uint64_t n = 0;
  if (!in->U64(&n) || n > distinct || n * 8 > in->left()) return false;
  wide->resize(n);
  for (auto& [index, count] : *wide) {
    std::uint32_t pair[2];
    if (!in->Bytes(pair, sizeof(pair)) || pair[0] >= distinct) return false;
    index = pair[0];
    count = pair[1];
  }
  return true;
}

}  // namespace

void WriteStoryDocument(const PartStoryDocument& doc, PartWriter* out) {
  const StoryDraft& d = doc.draft;
  const std::size_t n = d.hashes.size();
  out->U64(n);
  out->Bytes(d.hashes.data(), n * 8);
  out->Bytes(d.tf.data(), n);
  out->Bytes(d.feature_tf.data(), n);
  WriteWide(d.wide_tf, out);
  WriteWide(d.wide_feature_tf, out);
  out->U64(d.words);
  out->U64(std::uint64_t{d.dateline.day} | std::uint64_t{d.dateline.year} << 16);
  out->U64(doc.salient.size());
  out->Bytes(doc.salient.data(), doc.salient.size() * 8);
}

bool ReadStoryDocument(PartReader* in, PartStoryDocument* doc) {
  StoryDraft& d = doc->draft;
  std::uint64_t n = 0;
  if (!in->U64(&n) || n > in->left() / 10) return false;  // 10 bytes per distinct word
  d.hashes.resize(n);
  d.tf.resize(n);
  d.feature_tf.resize(n);
  if (!in->Bytes(d.hashes.data(), n * 8) || !in->Bytes(d.tf.data(), n) ||
      !in->Bytes(d.feature_tf.data(), n) || !ReadWide(in, n, &d.wide_tf) ||
      !ReadWide(in, n, &d.wide_feature_tf)) {
    return false;
  }
  std::uint64_t words = 0, dateline = 0, salient = 0;
  if (!in->U64(&words) || !in->U64(&dateline) || !in->U64(&salient) || words > UINT32_MAX ||
      dateline >> 32 != 0 || salient > in->left() / 8) {
    return false;
  }
  d.words = static_cast<std::uint32_t>(words);
  d.dateline = Dateline{static_cast<std::uint16_t>(dateline & 0xFFFF),
                        static_cast<std::uint16_t>(dateline >> 16)};
  doc->salient.resize(salient);
  return in->Bytes(doc->salient.data(), salient * 8);
}

}  // namespace neardup::internal
