// Command-line parsing shared by the generators (gen_planted, gen_crawl).
#ifndef NEARDUP_BENCH_CORPUS_ARGS_H_
#define NEARDUP_BENCH_CORPUS_ARGS_H_

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace neardup::gen {

struct Usage {
  std::string_view program;  // "gen_planted"
  std::string_view text;     // "usage: ...\n"

  // Prints "<program>: <message>" and the usage to stderr; exits with status 2.
  [[noreturn]] void Fail(const std::string& message) const {
    std::fprintf(stderr, "%.*s: %s\n%.*s", static_cast<int>(program.size()), program.data(),
                 message.c_str(), static_cast<int>(text.size()), text.data());
    std::exit(2);
  }

  // The whole of `text` as a number in [lo, hi], or Fail naming `flag`.
  template <typename T>
  T Number(std::string_view flag, std::string_view value, T lo, T hi) const {
    T parsed{};
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (error != std::errc() || end != value.data() + value.size() || parsed < lo || parsed > hi) {
      Fail(std::string(flag) + ": bad value \"" + std::string(value) + "\"");
    }
    return parsed;
  }
};

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_ARGS_H_
