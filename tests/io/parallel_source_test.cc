// Member-parallel gzip and frame-parallel zstd decoding (issue 20): a file
// decoded ahead in runs gives the bytes, the error (same message, after the
// same bytes), the member starts and the access points that the sequential
// decoder gives: for multi-member and multi-frame files, a false member
// boundary (a gzip member stored verbatim inside another), members too big
// for a run, zero padding, trailing garbage, and streams cut or corrupted
// at many places. Fixtures are made with zlib and libzstd (codec_test_util.h).
#include "io/parallel_source.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "io/access_points.h"
#include "io/byte_source.h"
#include "io/codec_test_util.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Gzip;
using testing::RandomWords;
using testing::Rng;
using testing::TempDir;
using testing::WriteFile;
using testing::Zstd;

struct Member {
  std::string plain;
  std::string packed;
};

// The file of `members` back to back, and its decoded bytes.
std::string Join(const std::vector<Member>& members, std::string* plain) {
  std::string out;
  plain->clear();
  for (const Member& m : members) {
    out += m.packed;
    *plain += m.plain;
  }
  return out;
}

struct Outcome {
  std::string bytes;  // what Read returned before the end or the error
  Status status;
  // (decoded, raw) member starts RawOffsetOf gave for the offsets asked
  std::vector<std::pair<std::uint64_t, std::uint64_t>> starts;
};

// Reads `path` to its end or first error, sequentially or decoded ahead;
// after each read, asks RawOffsetOf for each of `ask` now reached.
Outcome Decode(const std::string& path, bool ahead, internal::AccessIndex* record = nullptr,
               const std::vector<std::uint64_t>& ask = {}) {
  Outcome out;
  internal::Codec codec = internal::Codec::kNone;
  Result<std::unique_ptr<internal::ByteSource>> source =
      internal::OpenDecodedFile(path, &codec, record, ahead);
  if (!source.ok()) {
    out.status = source.status();
    return out;
  }
  std::string buffer(std::size_t{100003}, '\0');  // not a multiple of any run
  std::size_t next_ask = 0;
  while (true) {
    Result<std::size_t> got = source.value()->Read(buffer.data(), buffer.size());
    if (!got.ok()) {
      out.status = got.status();
      return out;
    }
    if (got.value() == 0) return out;
    out.bytes.append(buffer.data(), got.value());
    for (; next_ask < ask.size() && ask[next_ask] < out.bytes.size(); ++next_ask) {
      if (auto raw = source.value()->RawOffsetOf(ask[next_ask])) {
        out.starts.emplace_back(ask[next_ask], *raw);
      }
    }
  }
}

// Decoded ahead and sequentially, the file gives the same bytes and status.
void CheckSame(const std::string& path, const std::string& label) {
  INFO(label);
  const Outcome sequential = Decode(path, false);
  const Outcome ahead = Decode(path, true);
  CHECK(ahead.status.code() == sequential.status.code());
  CHECK(ahead.status.message() == sequential.status.message());
  CHECK(ahead.bytes.size() == sequential.bytes.size());
  CHECK(ahead.bytes == sequential.bytes);
}

// Many members of a few KB (as Common Crawl writes a WET file), several runs' worth.
std::vector<Member> SmallMembers(std::size_t count, std::uint64_t seed) {
  std::vector<Member> members;
  Rng rng(seed);
  for (std::size_t i = 0; i < count; ++i) {
    Member m;
    m.plain = RandomWords(500 + rng.Below(9000), seed * 1000 + i);
    m.packed = Gzip(m.plain);
    members.push_back(std::move(m));
  }
  return members;
}

TEST_CASE("parallel gzip: many members give the sequential bytes and member starts") {
  TempDir dir;
  const std::vector<Member> members = SmallMembers(1200, 1);
  std::string plain;
  const std::string gz = Join(members, &plain);
  REQUIRE(gz.size() > std::size_t{3} << 20);  // several runs (kRunTarget: 512 KB)
  const std::string path = dir.File("members.gz");
  WriteFile(path, gz);
  // Every member start, as (decoded, raw); the end of the file last.
  std::vector<std::uint64_t> ask;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> expected;
  std::uint64_t decoded = 0, raw = 0;
  for (const Member& m : members) {
    ask.push_back(decoded);
    expected.emplace_back(decoded, raw);
    decoded += m.plain.size();
    raw += m.packed.size();
  }
  for (const bool ahead : {false, true}) {
    INFO((ahead ? "decoded ahead" : "sequential"));
    internal::AccessIndex index;
    const Outcome got = Decode(path, ahead, &index, ask);
    REQUIRE_OK(got.status);
    CHECK(got.bytes == plain);
    CHECK(got.starts == expected);
    // Member starts are access points (at least kMinStartGap apart).
    CHECK(index.size() > 50);
    for (std::uint64_t at = 0; at < plain.size(); at += 77777) {
      const internal::AccessPoint point = index.Before(at);
      Result<std::unique_ptr<internal::ByteSource>> from =
          internal::OpenDecodedFileAtPoint(path, internal::Codec::kGzip, point);
      REQUIRE_OK(from.status());
      std::string rest(4096, '\0');
      Result<std::size_t> n = from.value()->Read(rest.data(), rest.size());
      REQUIRE_OK(n.status());
      rest.resize(n.value());
      CHECK(rest == plain.substr(point.decoded, rest.size()));
    }
  }
}

TEST_CASE("parallel gzip: a member stored inside another is no boundary") {
  TempDir dir;
  // A stored member whose bytes hold whole gzip members, headers and all:
  // places that look like member starts, and decode as members, but are not.
  std::vector<Member> members = SmallMembers(120, 2);
  std::string inner;
  for (std::uint64_t i = 0; i < 60; ++i)
    inner += RandomWords(3000, 900 + i) + Gzip(RandomWords(9000, 700 + i));
  members.push_back(Member{inner, Gzip(inner, 0)});
  for (Member& m : SmallMembers(120, 3)) members.push_back(std::move(m));
  // An empty member, and one decoding to more than a run may hold.
  members.push_back(Member{"", Gzip("")});
  const std::string big(std::size_t{20} << 20, 'a');
  members.push_back(Member{big, Gzip(big)});
  for (Member& m : SmallMembers(60, 4)) members.push_back(std::move(m));
  std::string plain;
  const std::string gz = Join(members, &plain);
  const std::string path = dir.File("stored.gz");
  WriteFile(path, gz);
  const Outcome got = Decode(path, true);
  REQUIRE_OK(got.status);
  CHECK(got.bytes.size() == plain.size());
  CHECK(got.bytes == plain);
  CheckSame(path, "stored members");
}

TEST_CASE("parallel gzip: cut or corrupted anywhere, the sequential bytes and error") {
  TempDir dir;
  std::string plain;
  const std::string gz = Join(SmallMembers(1000, 5), &plain);
  const std::string path = dir.File("bad.gz");
  Rng rng(6);
  for (int i = 0; i < 24; ++i) {
    const std::size_t at = 2 + rng.Below(gz.size() - 2);
    WriteFile(path, gz.substr(0, at));
    CheckSame(path, "cut at " + std::to_string(at));
    std::string bad = gz;
    bad[at] = static_cast<char>(bad[at] ^ static_cast<int>(1 + rng.Below(255)));
    WriteFile(path, bad);
    CheckSame(path, "byte " + std::to_string(at) + " changed");
  }
  // Zero padding after the last member (then garbage after it), and garbage.
  WriteFile(path, gz + std::string(1000, '\0'));
  CheckSame(path, "zero padding");
  REQUIRE_OK(Decode(path, true).status);
  WriteFile(path, gz + std::string(1000, '\0') + "x");
  CheckSame(path, "garbage after the padding");
  WriteFile(path, gz + "garbage");
  CheckSame(path, "trailing garbage");
  CHECK_FALSE(Decode(path, true).status.ok());
  // A one-stream file (no boundary at all) is decoded whole, as before.
  WriteFile(path, Gzip(plain));
  CheckSame(path, "one stream");
}

TEST_CASE("parallel zstd: many frames give the sequential bytes; faults the same errors") {
  TempDir dir;
  std::string plain, zst;
  Rng rng(7);
  for (std::uint64_t i = 0; i < 300; ++i) {
    const std::string part = RandomWords(1000 + rng.Below(20000), 100 + i);
    plain += part;
    zst += Zstd(part, i % 2 == 0);
    if (i == 150) {
      // A skippable frame (magic 0x184D2A50, 4-byte length, payload).
      zst += std::string("\x50\x2A\x4D\x18\x05\x00\x00\x00hello", 13);
    }
  }
  const std::string path = dir.File("frames.zst");
  WriteFile(path, zst);
  internal::AccessIndex index;
  const Outcome got = Decode(path, true, &index, {0, 1000});
  REQUIRE_OK(got.status);
  CHECK(got.bytes == plain);
  CHECK(got.starts.empty());  // zstd frames are not record starts (ReadAt)
  CHECK(index.size() > 20);   // frame starts are access points
  CheckSame(path, "frames");
  for (int i = 0; i < 24; ++i) {
    const std::size_t at = 4 + rng.Below(zst.size() - 4);
    WriteFile(path, zst.substr(0, at));
    CheckSame(path, "cut at " + std::to_string(at));
    std::string bad = zst;
    bad[at] = static_cast<char>(bad[at] ^ static_cast<int>(1 + rng.Below(255)));
    WriteFile(path, bad);
    CheckSame(path, "byte " + std::to_string(at) + " changed");
  }
  WriteFile(path, zst + "garbage!");
  CheckSame(path, "trailing garbage");
  WriteFile(path, Zstd(plain));
  CheckSame(path, "one frame");
}

}  // namespace
}  // namespace neardup
