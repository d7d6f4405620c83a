// plugins/common/write_file.h -- writing a file a plugin produces (a
// history, a recorded baseline), or an error that names it and says why.
// Needs only the standard library, so the consistency checker's library,
// which has no SDK, uses it too.
//
//   rig_plugins::write_file(path, [&](std::ostream& out) { out << text; });
//
// Thread tags: [thread-safe].
#ifndef TEST_RIG_PLUGINS_COMMON_WRITE_FILE_H_
#define TEST_RIG_PLUGINS_COMMON_WRITE_FILE_H_

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

namespace rig_plugins {

// Writes the file at `path` with `body`, or throws naming it and why; a
// full disk shows only once the buffer goes out, so the flush is checked.
inline void write_file(const std::string& path, const std::function<void(std::ostream&)>& body) {
  std::ofstream out(path);
  body(out);
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

}  // namespace rig_plugins

#endif  // TEST_RIG_PLUGINS_COMMON_WRITE_FILE_H_
