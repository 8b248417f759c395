// The byte encoding of part files (internal): signed_parts.cc writes and
// reads the file, part_story.cc a story-level document's draft in it.
#ifndef NEARDUP_PIPELINE_PART_FILE_H_
#define NEARDUP_PIPELINE_PART_FILE_H_

#include <xxhash.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "neardup/status.h"
#include "neardup/story.h"

namespace neardup::internal {

// Appends integers (64-bit, host byte order), strings (length, bytes) and
// raw bytes; Finish appends the XXH3-64 of everything before it.
class PartWriter {
 public:
  void U64(std::uint64_t v) { Bytes(&v, sizeof(v)); }
  void Str(std::string_view s) {
    U64(s.size());
    Bytes(s.data(), s.size());
  }
  void Bytes(const void* p, std::size_t n) { bytes_.append(static_cast<const char*>(p), n); }
  // Appends the checksum; the finished file's bytes.
  std::string& Finish() {
    U64(XXH3_64bits(bytes_.data(), bytes_.size()));
    return bytes_;
  }

 private:
  std::string bytes_;
};

// Reads back what PartWriter wrote; every call returns false (and reads
// nothing) when the bytes left are too few.
class PartReader {
 public:
  PartReader(std::string_view bytes, std::string path) : bytes_(bytes), path_(std::move(path)) {}
  bool U64(std::uint64_t* v) { return Bytes(v, sizeof(*v)); }
  bool Str(std::string* s) {
    std::uint64_t n = 0;
    if (!U64(&n) || n > bytes_.size() - pos_) return false;
    s->assign(bytes_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool Bytes(void* p, std::size_t n) {
    if (n > bytes_.size() - pos_) return false;
    if (n == 0) return true;  // p may be an empty vector's null data()
    std::memcpy(p, bytes_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::size_t left() const { return bytes_.size() - pos_; }
  bool AtEnd() const { return pos_ == bytes_.size(); }
  Status Error(const std::string& what) const { return Status::InvalidInput(path_ + ": " + what); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::string path_;
};

// A story-level document as a part carries it: the draft the signing pass
// made (StoryDraft, its words as 64-bit hashes) and its salient words'
// hashes, heaviest first.
struct PartStoryDocument {
  StoryDraft draft;
  std::vector<std::uint64_t> salient;
};
void WriteStoryDocument(const PartStoryDocument& doc, PartWriter* out);
// False when the bytes are cut short or do not hold a draft.
bool ReadStoryDocument(PartReader* in, PartStoryDocument* doc);

}  // namespace neardup::internal

#endif  // NEARDUP_PIPELINE_PART_FILE_H_
