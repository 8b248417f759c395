/*
 decode_sources: neardup's byte sources decoding whole files, decode-only
 (issue 20): the sequential decoder (OpenDecodedFile without decode_ahead:
 GzipSource / ZstdSource on the reading thread) against the decoder run
 ahead (with decode_ahead: member- or frame-parallel runs where the file has
 them, else the sequential decoder on a thread of its own). Each FILE is
 read to its end in 1 MB reads, --repeat times per mode, modes alternated;
 the median wall and CPU (user + system of the process) seconds, MB/s of
 decoded bytes and an XXH64 of the bytes are printed (the hashes must agree).

   build/bench/decode_sources [--repeat 5] FILE...
*/
#include <sys/resource.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "io/byte_source.h"

namespace {

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Timing {
  double wall = 0;
  double cpu = 0;
  std::uint64_t bytes = 0;
  std::uint64_t hash = 0;
};

Timing Decode(const std::string& path, bool ahead) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu = CpuSeconds();
  neardup::internal::Codec codec = neardup::internal::Codec::kNone;
  auto source = neardup::internal::OpenDecodedFile(path, &codec, nullptr, ahead);
  if (!source.ok()) {
    std::fprintf(stderr, "decode_sources: %s\n", source.status().message().c_str());
    std::exit(1);
  }
  std::vector<char> buffer(std::size_t{1} << 20);
  XXH64_state_t* state = XXH64_createState();
  XXH64_reset(state, 0);
  Timing t;
  while (true) {
    auto got = source.value()->Read(buffer.data(), buffer.size());
    if (!got.ok()) {
      std::fprintf(stderr, "decode_sources: %s: %s\n", path.c_str(),
                   got.status().message().c_str());
      std::exit(1);
    }
    if (got.value() == 0) break;
    XXH64_update(state, buffer.data(), got.value());
    t.bytes += got.value();
  }
  t.hash = XXH64_digest(state);
  XXH64_freeState(state);
  source.value().reset();
  t.cpu = CpuSeconds() - cpu;
  t.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      files.emplace_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: decode_sources [--repeat N] FILE...\n");
    return 2;
  }
  std::printf("%-40s %-10s %8s %8s %8s %12s %18s\n", "file", "mode", "wall s", "cpu s", "MB/s",
              "decoded", "xxh64");
  for (const std::string& path : files) {
    std::vector<double> wall[2], cpu[2];
    Timing last[2];
    for (int r = 0; r < repeat; ++r) {
      for (int ahead = 0; ahead < 2; ++ahead) {
        last[ahead] = Decode(path, ahead == 1);
        wall[ahead].push_back(last[ahead].wall);
        cpu[ahead].push_back(last[ahead].cpu);
      }
    }
    const std::string name = path.substr(path.find_last_of('/') + 1);
    for (int ahead = 0; ahead < 2; ++ahead) {
      const double w = Median(wall[ahead]);
      std::printf("%-40s %-10s %8.3f %8.3f %8.0f %12llu %018llx\n", name.c_str(),
                  ahead == 1 ? "ahead" : "sequential", w, Median(cpu[ahead]),
                  static_cast<double>(last[ahead].bytes) / 1e6 / w,
                  static_cast<unsigned long long>(last[ahead].bytes),
                  static_cast<unsigned long long>(last[ahead].hash));
    }
    if (last[0].hash != last[1].hash || last[0].bytes != last[1].bytes) {
      std::fprintf(stderr, "decode_sources: %s: the modes disagree\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
