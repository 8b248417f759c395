#include "output.h"

#include "die.h"

namespace neardup::gen {

OutputFile::OutputFile(const std::string& path) : path_(path) {
  if (path.ends_with(".gz")) {
    // Level 1 keeps up with generation; level 6 would more than double the
    // run time for files 13% smaller.
    gz_ = gzopen(path.c_str(), "wb1");
    if (gz_ == nullptr) Die("cannot write " + path);
    gzbuffer(gz_, 1 << 20);
  } else {
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) Die("cannot write " + path);
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
}

void OutputFile::Write(std::string_view data) {
  const bool ok = gz_ ? gzwrite(gz_, data.data(), static_cast<unsigned>(data.size())) ==
                            static_cast<int>(data.size())
                      : std::fwrite(data.data(), 1, data.size(), file_) == data.size();
  if (!ok) Die("cannot write " + path_);
}

void OutputFile::Close() {
  const bool ok = gz_ ? gzclose(gz_) == Z_OK : std::fclose(file_) == 0;
  if (!ok) Die("cannot write " + path_);
}

// Copies runs of bytes that need no escape in one append each.
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        char escape[8];
        std::snprintf(escape, sizeof escape, "\\u%04x", c);
        out += escape;
    }
  }
  out.append(text, run);
  out += '"';
}

std::string DocId(uint64_t slot) {
  char id[32];
  std::snprintf(id, sizeof id, "d%07llu", static_cast<unsigned long long>(slot + 1));
  return id;
}

}  // namespace neardup::gen
