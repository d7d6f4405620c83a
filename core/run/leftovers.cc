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

// Neither followed through a symbolic link nor trusted when another user
// could have written it.
bool private_entry(const fs::path& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0 && private_to_this_user(info);
}

std::optional<test_rig::OwnerMark> directory_mark(const fs::path& directory) {
  const fs::path file = directory / test_rig::kOwnerMarkFile;
  if (!private_entry(directory) || !private_entry(file)) return std::nullopt;
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

// A marked object on the server: a table, or a database (MariaDB keeps a
// comment per database; other servers have none, so there it is never found).
struct MarkedObject {
  std::string what;  // "table `db`.`t`", for the user
  std::string drop;  // the statement that removes it
  std::string name;  // bare, as a view's definition names a table
  test_rig::OwnerMark mark;
  bool table = false;  // else a database
};

// The rows of `sql` (name columns..., comment) whose comment holds a mark;
// `kind` is the noun, "table" or "database", and `keyword` its SQL.
std::vector<MarkedObject> marked_objects(Session& db, const std::string& kind,
                                         const std::string& keyword, const std::string& sql) {
  std::vector<MarkedObject> marked;
  MYSQL_RES* result = nullptr;
  if (!db.execute(sql, &result) || result == nullptr) return marked;
  const unsigned columns = mysql_num_fields(result);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    bool complete = true;
    for (unsigned c = 0; c < columns; ++c) complete = complete && row[c];
    auto mark = complete ? test_rig::parse_owner_mark(row[columns - 1]) : std::nullopt;
    if (!mark) continue;
    std::string qualified;
    for (unsigned c = 0; c + 1 < columns; ++c) {
      qualified += (c ? "." : "") + quoted_identifier(row[c]);
    }
    marked.push_back({kind + " " + qualified, "DROP " + keyword + " " + qualified, row[columns - 2],
                      *mark, keyword == "TABLE"});
  }
  mysql_free_result(result);
  return marked;
}

// The views of the session's database that read `table`, which was just
// dropped: they may be the same run's, but carry no mark, so they are only
// listed.
void list_views_reading(Session& db, const std::string& table, Leftovers* leftovers) {
  MYSQL_RES* result = nullptr;
  if (!db.execute("SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                  "WHERE TABLE_SCHEMA = DATABASE()",
                  &result) ||
      result == nullptr) {
    return;
  }
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    if (!row[0] || !row[1] || !row[2]) continue;
    if (std::string(row[2]).find(quoted_identifier(table)) == std::string::npos) continue;
    const std::string view = quoted_identifier(row[0]) + "." + quoted_identifier(row[1]);
    add_once(&leftovers->unjudged, "view " + view + " reads table " + table +
                                       ", a killed run's leftover that was dropped; if the view "
                                       "is that run's too, remove it with: DROP VIEW " +
                                       view + ";");
  }
  mysql_free_result(result);
}

}  // namespace

void clean_leftover_tables(Session& db, Leftovers* leftovers, bool run_ended) {
  const test_rig::OwnerMark self = test_rig::owner_mark();
  auto made_here = [&self](const test_rig::OwnerMark& mark) {
    return mark.boot == self.boot && mark.pid_namespace == self.pid_namespace &&
           mark.pid == self.pid && mark.start == self.start;
  };
  std::vector<MarkedObject> marked = marked_objects(
      db, "table", "TABLE",
      "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE "
      "TABLE_SCHEMA = DATABASE() AND TABLE_COMMENT LIKE 'test-rig:%'");
  for (MarkedObject& database :
       marked_objects(db, "database", "DATABASE",
                      "SELECT SCHEMA_NAME, SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE "
                      "SCHEMA_COMMENT LIKE 'test-rig:%'")) {
    marked.push_back(std::move(database));
  }
  // A DROP waits for metadata locks; a dead session's are released within
  // moments, and a live one's must not hold up the run.
  db.execute("SET SESSION lock_wait_timeout = 10", nullptr);
  for (const MarkedObject& object : marked) {
    const std::string& what = object.what;
    OwnerState owner = test_rig::owner_state(object.mark);
    if (run_ended && made_here(object.mark)) owner = OwnerState::kGone;
    switch (owner) {
      case OwnerState::kAlive: break;
      case OwnerState::kGone:
        if (db.execute(object.drop, nullptr)) {
          leftovers->removed.push_back(
              "dropped " + what + ", left by " +
              (made_here(object.mark) ? "a test of this run that stopped before its cleanup"
                                      : who(object.mark) + ", which ended without dropping it"));
          if (object.table) list_views_reading(db, object.name, leftovers);
        } else {
          add_once(&leftovers->unjudged, what + ", left by " + who(object.mark) +
                                             ", could not be dropped: " + db.error().message);
        }
        break;
      case OwnerState::kUnknown:
        add_once(&leftovers->unjudged,
                 what + " was made by " + who(object.mark) +
                     " on another machine, in another container or before a reboot; once that "
                     "run is over, remove it with: " +
                     object.drop + ";");
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
