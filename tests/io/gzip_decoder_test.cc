// The gzip decoder (ISA-L igzip, issue 20) on damaged input: a stream cut at
// any byte gives back a prefix of the original and then "truncated gzip
// stream"; a stream with any byte changed gives the original or one of the
// errors zlib's decoder gave (truncated / corrupt / trailing garbage); a
// point inside a member resumes with the member's CRC still checked. Fixtures are made with zlib
// (codec_test_util.h).
#include <neardup/io.h>

#include <catch2/catch.hpp>
#include <string>

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

struct Outcome {
  std::string bytes;  // what Read returned before the end or the error
  Status status;
};

Outcome Decode(const std::string& path, internal::AccessIndex* record = nullptr,
               const internal::AccessPoint* point = nullptr) {
  Outcome out;
  internal::Codec codec = internal::Codec::kNone;
  Result<std::unique_ptr<internal::ByteSource>> source =
      point != nullptr ? internal::OpenDecodedFileAtPoint(path, internal::Codec::kGzip, *point)
                       : internal::OpenDecodedFile(path, &codec, record);
  if (!source.ok()) {
    out.status = source.status();
    return out;
  }
  std::string buffer(internal::kIoBufferSize, '\0');
  while (true) {
    Result<std::size_t> got = source.value()->Read(buffer.data(), buffer.size());
    if (!got.ok()) {
      out.status = got.status();
      return out;
    }
    if (got.value() == 0) return out;
    out.bytes.append(buffer.data(), got.value());
  }
}

TEST_CASE("gzip decoder: a stream cut at any byte is truncated, after a prefix of its bytes") {
  TempDir dir;
  const std::string first = RandomWords(3000, 1);
  const std::string second = RandomWords(5000, 2);
  const std::string one = Gzip(first);
  const std::string gz = one + Gzip(second);  // two members
  const std::string path = dir.File("cut.gz");
  for (std::size_t cut = 2; cut < gz.size(); ++cut) {  // 2: the magic, else plain
    INFO("cut at " << cut << " of " << gz.size());
    WriteFile(path, gz.substr(0, cut));
    const Outcome got = Decode(path);
    CHECK((first + second).compare(0, got.bytes.size(), got.bytes) == 0);
    if (cut == one.size()) {  // the first member whole: a valid stream
      CHECK(got.status.ok());
      CHECK(got.bytes == first);
    } else {
      CHECK(got.status.message() == "truncated gzip stream");
    }
  }
}

TEST_CASE("gzip decoder: any changed byte gives the original's bytes or a known error") {
  TempDir dir;
  const std::string plain = RandomWords(6000, 3);
  const std::string gz = Gzip(plain) + Gzip(plain.substr(0, 2000));
  const std::string expected = plain + plain.substr(0, 2000);
  const std::string path = dir.File("flip.gz");
  std::size_t errors = 0;
  for (std::size_t at = 2; at < gz.size(); ++at) {  // 2: past the magic, else plain
    for (int mask : {0x01, 0x80}) {
      std::string bad = gz;
      bad[at] = static_cast<char>(bad[at] ^ static_cast<char>(mask));
      WriteFile(path, bad);
      INFO("byte " << at << " ^ " << mask);
      const Outcome got = Decode(path);
      if (got.status.ok()) {
        CHECK(got.bytes == expected);  // a header field nothing checks (MTIME, OS, XFL)
        continue;
      }
      // Bytes decoded before the fault are handed out first: a change in
      // the deflate data may decode wrongly until the CRC-32 at the member's
      // end reveals it, so only their count is bounded.
      ++errors;
      CHECK(got.bytes.size() <= expected.size() + 64);
      const std::string& m = got.status.message();
      const bool known = m == "truncated gzip stream" || m.starts_with("corrupt gzip stream: ") ||
                         m == "trailing garbage after gzip stream";
      CHECK(known);
    }
  }
  CHECK(errors > gz.size());  // nearly every change is caught (CRC-32)
}

TEST_CASE("gzip decoder: the CRC and size trailer is checked, also after resuming at a point") {
  TempDir dir;
  const std::string plain =
      RandomWords(std::size_t{6} << 20, 4);  // several points inside one member
  const std::string good = Gzip(plain);
  const std::string path = dir.File("crc.gz");
  WriteFile(path, good);
  internal::AccessIndex index;
  const Outcome all = Decode(path, &index);
  REQUIRE_OK(all.status);
  REQUIRE(all.bytes == plain);
  const internal::AccessPoint point = index.Before(plain.size() - 1);
  REQUIRE(point.InsideMember());
  const Outcome rest = Decode(path, nullptr, &point);
  REQUIRE_OK(rest.status);
  CHECK(rest.bytes == plain.substr(point.decoded));

  for (std::size_t from_end : {std::size_t{6}, std::size_t{2}}) {  // the CRC-32, then ISIZE
    std::string bad = good;
    bad[bad.size() - from_end] = static_cast<char>(bad[bad.size() - from_end] ^ 0x10);
    WriteFile(path, bad);
    INFO("trailer byte " << from_end << " from the end");
    const Outcome got = Decode(path);
    CHECK(got.bytes == plain);
    CHECK(got.status.message() == "corrupt gzip stream: incorrect data check");
    // The file is the same length and the point's bytes are unchanged.
    const Outcome resumed = Decode(path, nullptr, &point);
    CHECK(resumed.bytes == plain.substr(point.decoded));
    CHECK(resumed.status.message() == "corrupt gzip stream: incorrect data check");
  }
}

// A member whose last bytes arrive with the next 64 KB of input ends in a
// call that decodes nothing; the next member was then decoded into no
// output buffer (a WET file of 60,000 members failed at member 298).
TEST_CASE("gzip decoder: thousands of small members, as a WET file has, decode whole") {
  TempDir dir;
  Rng rng(5);
  std::string plain;
  std::string gz;
  for (int i = 0; i < 3000; ++i) {
    const std::string record =
        RandomWords(500 + rng.Below(4000), 100 + static_cast<std::uint64_t>(i));
    plain += record;
    gz += Gzip(record);
  }
  const std::string path = dir.File("members.gz");
  WriteFile(path, gz);
  const Outcome got = Decode(path);
  REQUIRE_OK(got.status);
  CHECK(got.bytes.size() == plain.size());
  CHECK(got.bytes == plain);
}

}  // namespace
}  // namespace neardup
