// Helpers shared by the tests.
#ifndef NEARDUP_TESTS_TEST_UTIL_H_
#define NEARDUP_TESTS_TEST_UTIL_H_

#include <neardup/status.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#define REQUIRE_OK(expr)                      \
  do {                                        \
    const ::neardup::Status status_ = (expr); \
    INFO(status_.ToString());                 \
    REQUIRE(status_.ok());                    \
  } while (0)

namespace neardup::testing {

// Deterministic 64-bit generator (splitmix64) so statistical tests are repeatable.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }

 private:
  std::uint64_t state_;
};

// A fresh empty directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    Rng rng(reinterpret_cast<std::uintptr_t>(this) ^ static_cast<std::uint64_t>(::getpid()));
    path_ = std::filesystem::temp_directory_path() / ("neardup-test-" + std::to_string(rng.Next()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_TEST_UTIL_H_
