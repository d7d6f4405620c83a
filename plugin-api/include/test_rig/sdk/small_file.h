// test_rig/sdk/small_file.h -- reading a whole file a person named (a config
// file, a password file, a data file) without trusting what it is.
//
//   std::string text, why;
//   if (!test_rig::read_small_file(path, 1 << 20, &text, &why)) fail(path + ": " + why);
//
// Only a regular file of at most `limit` bytes is read: a directory, a device
// (/dev/zero), a FIFO or a log given by mistake is refused with a reason
// before anything is read, so that a typo never hangs the run or exhausts
// memory.
//
// Thread safety: [any-thread].
#ifndef TEST_RIG_SDK_SMALL_FILE_H_
#define TEST_RIG_SDK_SMALL_FILE_H_

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

namespace test_rig {

// "1 MiB", "64 KiB", "512 bytes": how limits read in messages.
inline std::string byte_size_text(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// The whole file in `*text`, or false with `*why` saying what is wrong
// ("not a regular file", "larger than 1 MiB", an errno text).
inline bool read_small_file(const std::string& path, std::size_t limit, std::string* text,
                            std::string* why) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat
  // can tell it is not a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    *why = std::strerror(errno);
    return false;
  }
  auto fail = [&](std::string reason) {
    ::close(fd);
    *why = std::move(reason);
    return false;
  };
  struct stat info {};
  if (::fstat(fd, &info) != 0) return fail(std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return fail("is a directory, not a file");
  if (!S_ISREG(info.st_mode)) return fail("not a regular file");
  if (static_cast<std::size_t>(info.st_size) > limit) {
    return fail("larger than " + byte_size_text(limit));
  }
  // Room for what fstat saw and a byte more, to notice growth; grown up
  // to the limit if the file grows meanwhile.
  std::string content(std::min(limit, static_cast<std::size_t>(info.st_size)) + 1, '\0');
  std::size_t used = 0;
  while (used < limit + 1) {
    if (used == content.size()) content.resize(std::min(limit + 1, 2 * content.size()));
    const ssize_t got = ::read(fd, content.data() + used, content.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail(std::strerror(errno));
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  if (used > limit) return fail("larger than " + byte_size_text(limit) + " (it grew while read)");
  ::close(fd);
  content.resize(used);
  *text = std::move(content);
  return true;
}

}  // namespace test_rig

#endif  // TEST_RIG_SDK_SMALL_FILE_H_
