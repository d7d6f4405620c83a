#include "core/run/leftovers.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/sandbox/sandbox.h"
#include "core/sandbox/sandbox_directory.h"
#include "test_rig/sdk/owner_mark.h"

namespace rig {
namespace {

namespace fs = std::filesystem;
using test_rig::OwnerState;

std::string quoted_identifier(const std::string& name) {
  std::string quoted = "`";
  for (char c : name) quoted += c == '`' ? std::string("``") : std::string(1, c);
  return quoted + "`";
}

std::string who(const test_rig::OwnerMark& mark) {
  return "test-rig run " + mark.token + " (pid " + std::to_string(mark.pid) + ")";
}

// Once: the run looks when it starts and again when it ends.
void add_once(std::vector<std::string>* lines, std::string line) {
  if (std::find(lines->begin(), lines->end(), line) == lines->end()) {
    lines->push_back(std::move(line));
  }
}

// Owned by this user, and neither it nor (for a directory) its entries
// writable by anyone else: a mark planted by another user is no mark.
bool private_to_this_user(const fs::path& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0 && info.st_uid == ::geteuid() &&
         (info.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

std::optional<test_rig::OwnerMark> directory_mark(const fs::path& directory) {
  const fs::path file = directory / test_rig::kOwnerMarkFile;
  if (!private_to_this_user(directory) || !private_to_this_user(file)) return std::nullopt;
  std::ifstream in(file);
  std::string text;
  std::getline(in, text);
  return test_rig::parse_owner_mark(text);
}

// Whether `directory` may go: a sandbox's only when its mark is valid and
// its server no longer runs.
bool sandbox_is_idle(const fs::path& directory) {
  try {
    SandboxMark mark = read_mark(directory.string());
    return find_sandbox_server(data_argument(directory.string(), mark.tidb)) < 0;
  } catch (const SandboxError&) {
    return false;
  }
}

}  // namespace

void clean_leftover_tables(Session& db, Leftovers* leftovers) {
  MYSQL_RES* result = nullptr;
  if (!db.execute("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES "
                  "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_COMMENT LIKE 'test-rig:%'",
                  &result) ||
      result == nullptr) {
    return;  // the tests will meet the same problem and report it
  }
  struct Marked {
    std::string qualified;
    test_rig::OwnerMark mark;
  };
  std::vector<Marked> marked;
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    if (!row[0] || !row[1] || !row[2]) continue;
    if (auto mark = test_rig::parse_owner_mark(row[2])) {
      marked.push_back({quoted_identifier(row[0]) + "." + quoted_identifier(row[1]), *mark});
    }
  }
  mysql_free_result(result);
  // A DROP waits for metadata locks; a dead session's are released within
  // moments, and a live one's must not hold up the run.
  db.execute("SET SESSION lock_wait_timeout = 10", nullptr);
  for (const Marked& table : marked) {
    switch (test_rig::owner_state(table.mark)) {
      case OwnerState::kAlive: break;
      case OwnerState::kGone:
        if (db.execute("DROP TABLE " + table.qualified, nullptr)) {
          leftovers->removed.push_back("dropped table " + table.qualified + ", left by " +
                                       who(table.mark) + ", which ended without dropping it");
        } else {
          add_once(&leftovers->unjudged, "table " + table.qualified + ", left by " +
                                             who(table.mark) +
                                             ", could not be dropped: " + db.error().message);
        }
        break;
      case OwnerState::kUnknown:
        add_once(
            &leftovers->unjudged,
            "table " + table.qualified + " was made by " + who(table.mark) +
                " on another machine, in another container or before a reboot; once that run is "
                "over, remove it with: DROP TABLE " +
                table.qualified + ";");
        break;
    }
  }
}

void clean_leftover_directories(const std::string& temp_directory, Leftovers* leftovers) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(temp_directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("test-rig-", 0) != 0 || !entry.is_directory(ec) || entry.is_symlink(ec)) {
      continue;
    }
    auto mark = directory_mark(entry.path());
    if (!mark) continue;
    const bool sandbox = fs::exists(entry.path() / kSandboxMarkFile, ec);
    switch (test_rig::owner_state(*mark)) {
      case OwnerState::kAlive: break;
      case OwnerState::kGone:
        if (sandbox && !sandbox_is_idle(entry.path())) break;
        if (fs::remove_all(entry.path(), ec); ec) {
          add_once(&leftovers->unjudged, entry.path().string() + ", left by " + who(*mark) +
                                             ", could not be removed: " + ec.message());
        } else {
          leftovers->removed.push_back("removed " + entry.path().string() + ", left by " +
                                       who(*mark) + ", which ended without removing it");
        }
        break;
      case OwnerState::kUnknown:
        add_once(&leftovers->unjudged,
                 entry.path().string() + " was made by " + who(*mark) +
                     " in another container or before a reboot; once that run "
                     "is over, remove it with: rm -r " +
                     entry.path().string());
        break;
    }
  }
}

}  // namespace rig
