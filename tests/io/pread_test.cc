// PreadFull (io/pread.h): whole ranges, short only at the end of the file.
#include "io/pread.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <string>
#include <vector>

#include "test_util.h"

namespace neardup {
namespace {

using testing::TempDir;
using testing::WriteFile;

// A file of `size` bytes whose byte i is i % 251, open for reading.
struct NumberedFile {
  explicit NumberedFile(std::size_t size) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(i % 251);
    path = dir.File("numbered");
    WriteFile(path, bytes);
    fd = ::open(path.c_str(), O_RDONLY);
  }
  ~NumberedFile() { ::close(fd); }
  TempDir dir;
  std::string path;
  int fd = -1;
};

TEST_CASE("PreadFull reads the whole range at its offset") {
  NumberedFile f(3 << 20);  // 3 MiB: more than one read may return at once
  REQUIRE(f.fd >= 0);
  const std::size_t offset = 12345;
  std::vector<char> buffer((2 << 20) + 7);
  REQUIRE(internal::PreadFull(f.fd, buffer.data(), buffer.size(), offset) ==
          static_cast<ssize_t>(buffer.size()));
  for (std::size_t i = 0; i < buffer.size(); i += 4099) {
    CHECK(buffer[i] == static_cast<char>((offset + i) % 251));
  }
  CHECK(buffer.back() == static_cast<char>((offset + buffer.size() - 1) % 251));
}

TEST_CASE("PreadFull returns fewer bytes only at the end of the file") {
  NumberedFile f(1000);
  REQUIRE(f.fd >= 0);
  std::vector<char> buffer(500);
  CHECK(internal::PreadFull(f.fd, buffer.data(), buffer.size(), 800) == 200);
  CHECK(buffer[199] == static_cast<char>(999 % 251));
  CHECK(internal::PreadFull(f.fd, buffer.data(), buffer.size(), 1000) == 0);
  CHECK(internal::PreadFull(f.fd, buffer.data(), buffer.size(), 5000) == 0);
  CHECK(internal::PreadFull(f.fd, buffer.data(), 0, 0) == 0);
}

TEST_CASE("PreadFull reports a failed read as -1 with errno") {
  std::vector<char> buffer(16);
  errno = 0;
  CHECK(internal::PreadFull(-1, buffer.data(), buffer.size(), 0) == -1);
  CHECK(errno == EBADF);
}

}  // namespace
}  // namespace neardup
