/*
 inflate_compare: gzip decoding speed of zlib, ISA-L's igzip and libdeflate on
 this machine, for choosing neardup's gzip decoder (issue 20). Each decoder
 decodes every member of each FILE.gz into a 64 KB buffer (libdeflate: into
 one buffer per member, as its whole-buffer API needs, with the member size
 from the trailer) and checks the CRC; the best of --repeat runs is printed
 with MB/s of decoded bytes and the decoded size, which must agree.

   build/bench/inflate_compare [--repeat 5] FILE.gz...
*/
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "inflate_compare: %s\n", message.c_str());
  std::exit(1);
}

constexpr std::size_t kOut = std::size_t{1} << 16;

// Every member with zlib's streaming inflate (as neardup's GzipSource).
std::size_t Zlib(const std::string& in) {
  z_stream s{};
  if (inflateInit2(&s, 15 + 32) != Z_OK) Die("inflateInit2");
  std::vector<unsigned char> out(kOut);
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  s.avail_in = static_cast<uInt>(in.size());
  std::size_t total = 0;
  while (true) {
    s.next_out = out.data();
    s.avail_out = kOut;
    const int ret = inflate(&s, Z_NO_FLUSH);
    total += kOut - s.avail_out;
    if (ret == Z_STREAM_END) {
      if (s.avail_in == 0) break;
      inflateReset(&s);
    } else if (ret != Z_OK) {
      Die("zlib: corrupt");
    }
  }
  inflateEnd(&s);
  return total;
}

// Every member with ISA-L's streaming isal_inflate, gzip header and CRC checked.
std::size_t Isal(const std::string& in) {
  inflate_state s;
  isal_inflate_init(&s);
  s.crc_flag = ISAL_GZIP;
  std::vector<unsigned char> out(kOut);
  s.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(in.data()));
  s.avail_in = static_cast<uint32_t>(in.size());
  std::size_t total = 0;
  while (true) {
    s.next_out = out.data();
    s.avail_out = kOut;
    const int ret = isal_inflate(&s);
    total += kOut - s.avail_out;
    if (ret != ISAL_DECOMP_OK) Die("isal: error " + std::to_string(ret));
    if (s.block_state == ISAL_BLOCK_FINISH) {
      if (s.avail_in == 0) break;
      uint8_t* next = s.next_in;
      const uint32_t left = s.avail_in;
      isal_inflate_reset(&s);
      s.crc_flag = ISAL_GZIP;
      s.next_in = next;
      s.avail_in = left;
    }
  }
  return total;
}

// Every member with libdeflate's whole-buffer decoder, sized by the trailer.
std::size_t Libdeflate(const std::string& in) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::vector<unsigned char> out;
  std::size_t total = 0, at = 0;
  // Members are found one by one: libdeflate reports the input it used.
  while (at < in.size()) {
    // The first member's ISIZE is unknown until its end is found, so the
    // buffer grows until the member fits.
    std::size_t used = 0, produced = 0;
    if (out.size() < kOut) out.resize(kOut);
    while (true) {
      const libdeflate_result r = libdeflate_gzip_decompress_ex(
          d, in.data() + at, in.size() - at, out.data(), out.size(), &used, &produced);
      if (r == LIBDEFLATE_SUCCESS) break;
      if (r != LIBDEFLATE_INSUFFICIENT_SPACE) Die("libdeflate: corrupt");
      out.resize(out.size() * 2);
    }
    total += produced;
    at += used;
  }
  libdeflate_free_decompressor(d);
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) Die("usage: inflate_compare [--repeat N] FILE.gz...");
  const std::vector<std::pair<const char*, std::function<std::size_t(const std::string&)>>>
      decoders = {{"zlib", Zlib}, {"isa-l igzip", Isal}, {"libdeflate", Libdeflate}};
  std::printf("%-40s %-12s %10s %10s %12s\n", "file", "decoder", "best s", "MB/s", "decoded");
  for (const std::string& file : files) {
    std::ifstream f(file, std::ios::binary);
    const std::string in((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (in.empty()) Die("cannot read " + file);
    for (const auto& [name, decode] : decoders) {
      double best = 1e9;
      std::size_t size = 0;
      for (int r = 0; r < repeat; ++r) {
        const auto start = std::chrono::steady_clock::now();
        size = decode(in);
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
      const std::string base = file.substr(file.find_last_of('/') + 1);
      std::printf("%-40s %-12s %10.3f %10.0f %12zu\n", base.c_str(), name, best,
                  static_cast<double>(size) / 1e6 / best, size);
    }
  }
  return 0;
}
