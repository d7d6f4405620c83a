// test_rig/sdk/owner_mark.h -- who made a table or a file, so that what a
// killed run left behind can be told from what a live run still uses.
//
//   db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY) " + test_rig::owner_comment());
//   // COMMENT='test-rig:3f9c0a12b7de:<boot id>:<pid namespace>:<pid>:<start>'
//
// A mark names this process exactly: the machine's boot, its PID namespace,
// its PID and its start time (a PID alone is reused). `test-rig run` drops,
// when it starts and when it ends, the tables of its database whose mark
// names a process of this machine that is gone; it lists, with the statement
// that removes them, marked tables it cannot judge (made on another machine,
// in another container, or before a reboot). Temporary directories carry
// the mark in a file (mark_directory). What has no mark is never touched,
// whatever its name.
//
// Thread safety: [any-thread].
#ifndef TEST_RIG_SDK_OWNER_MARK_H_
#define TEST_RIG_SDK_OWNER_MARK_H_

#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "test_rig/sdk/unique_name.h"

namespace test_rig {

struct OwnerMark {
  std::string token;          // run_token() of the owner
  std::string boot;           // /proc/sys/kernel/random/boot_id, without '-'
  std::string pid_namespace;  // inode of /proc/PID/ns/pid
  int64_t pid = 0;
  std::string start;  // /proc/PID/stat start time, in clock ticks after boot

  std::string text() const {
    return "test-rig:" + token + ":" + boot + ":" + pid_namespace + ":" + std::to_string(pid) +
           ":" + start;
  }
};

namespace owner_detail {

inline std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

inline std::string boot_id() {
  std::string id;
  for (char c : read_first_line("/proc/sys/kernel/random/boot_id")) {
    if (c != '-') id += c;
  }
  return id;
}

// "4026531836" from the link "pid:[4026531836]".
inline std::string pid_namespace(const std::string& pid) {
  char target[64] = {};
  ssize_t n = ::readlink(("/proc/" + pid + "/ns/pid").c_str(), target, sizeof(target) - 1);
  std::string link(target, n > 0 ? static_cast<std::size_t>(n) : 0);
  auto open = link.find('['), close = link.find(']');
  return open == std::string::npos || close == std::string::npos
             ? std::string()
             : link.substr(open + 1, close - open - 1);
}

// Field 22 of /proc/PID/stat, or "" when there is no such process or it has
// ended (a zombie, state Z or X, that its parent has not reaped yet). The
// command name (field 2) may hold spaces, so fields count from its ')'.
inline std::string start_time(const std::string& pid) {
  std::string stat = read_first_line("/proc/" + pid + "/stat");
  auto end_of_name = stat.rfind(')');
  if (end_of_name == std::string::npos) return "";
  std::istringstream fields(stat.substr(end_of_name + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 3 && (field == "Z" || field == "X")) return "";
    if (i == 22) return field;
  }
  return "";
}

inline bool is_word(std::string_view text) {
  return !text.empty() && text.size() <= 40 &&
         text.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz") == std::string_view::npos;
}

}  // namespace owner_detail

// This process's mark, read from /proc once per process (a child made by
// fork() reads its own).
inline OwnerMark owner_mark() {
  static std::mutex mutex;
  static OwnerMark mark;
  std::lock_guard<std::mutex> lock(mutex);
  if (mark.pid != static_cast<int64_t>(::getpid())) {
    mark.token = run_token();
    mark.boot = owner_detail::boot_id();
    mark.pid_namespace = owner_detail::pid_namespace("self");
    mark.pid = static_cast<int64_t>(::getpid());
    mark.start = owner_detail::start_time(std::to_string(mark.pid));
  }
  return mark;
}

// The table option that marks a table as this process's.
inline std::string owner_comment() { return "COMMENT='" + owner_mark().text() + "'"; }

// The mark `text` starts with (up to a space, after which a comment may say
// more), or nothing when it starts with none.
inline std::optional<OwnerMark> parse_owner_mark(std::string_view text) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in{std::string(text.substr(0, text.find(' ')))};
  while (std::getline(in, part, ':')) parts.push_back(part);
  if (parts.size() != 6 || parts[0] != "test-rig") return std::nullopt;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (!owner_detail::is_word(parts[i])) return std::nullopt;
  }
  if (parts[4].find_first_not_of("0123456789") != std::string::npos || parts[4].size() > 10) {
    return std::nullopt;
  }
  return OwnerMark{parts[1], parts[2], parts[3], std::stoll(parts[4]), parts[5]};
}

enum class OwnerState {
  kAlive,    // the process that made it runs
  kGone,     // a process of this machine's boot and PID namespace that has ended
  kUnknown,  // another machine, container or boot: only its owner knows
};

inline OwnerState owner_state(const OwnerMark& mark) {
  const OwnerMark self = owner_mark();
  if (mark.boot != self.boot || mark.pid_namespace != self.pid_namespace || self.boot.empty() ||
      self.pid_namespace.empty()) {
    return OwnerState::kUnknown;
  }
  const std::string pid = std::to_string(mark.pid);
  return owner_detail::start_time(pid) == mark.start &&
                 owner_detail::pid_namespace(pid) == mark.pid_namespace
             ? OwnerState::kAlive
             : OwnerState::kGone;
}

// The file that marks a temporary directory as this process's. Name the
// directory test-rig-<what>-XXXXXX, in the system's temporary directory,
// and mark it right after mkdtemp: the next run removes it if this process
// is killed before it could.
inline constexpr const char* kOwnerMarkFile = "test-rig-owner";

// Writes the mark into `directory`; false when it cannot.
inline bool mark_directory(const std::string& directory) {
  std::ofstream out(directory + "/" + kOwnerMarkFile);
  out << owner_mark().text() << "\n";
  return static_cast<bool>(out);
}

}  // namespace test_rig

#endif  // TEST_RIG_SDK_OWNER_MARK_H_
