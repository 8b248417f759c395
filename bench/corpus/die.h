// Fatal errors of gen_planted: a generator has no caller to hand an error to,
// so it reports and exits.
#ifndef NEARDUP_BENCH_CORPUS_DIE_H_
#define NEARDUP_BENCH_CORPUS_DIE_H_

#include <cstdio>
#include <cstdlib>
#include <string>

namespace neardup::gen {

// Prints "gen_planted: <message>" to stderr and exits with status 1.
[[noreturn]] inline void Die(const std::string& message) {
  std::fprintf(stderr, "gen_planted: %s\n", message.c_str());
  std::exit(1);
}

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_DIE_H_
