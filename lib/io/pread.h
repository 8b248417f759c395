// Positioned reads of whole ranges (internal, shared with pipeline and store).
#ifndef NEARDUP_IO_PREAD_H_
#define NEARDUP_IO_PREAD_H_

#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

namespace neardup::internal {

// Reads `size` bytes at `offset` of `fd` into `buffer`: pread(2) again after
// a short read or one interrupted by a signal, until `size` bytes or the end
// of the file. Returns the bytes read (fewer than `size` only at the end of
// the file), or -1 with errno set. Thread-safe (no file position is used).
inline ssize_t PreadFull(int fd, void* buffer, std::size_t size, std::uint64_t offset) {
  char* p = static_cast<char*>(buffer);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::pread(fd, p + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return -1;
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return static_cast<ssize_t>(done);
}

}  // namespace neardup::internal

#endif  // NEARDUP_IO_PREAD_H_
