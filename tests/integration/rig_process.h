// tests/integration/rig_process.h -- runs the real test-rig executable as a
// child process and captures what a user would see.
//
//   RigRun r = run_rig({"--config", sandbox_config(), "run", "connection"});
//   EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
#ifndef TEST_RIG_TESTS_INTEGRATION_RIG_PROCESS_H_
#define TEST_RIG_TESTS_INTEGRATION_RIG_PROCESS_H_

#include <sys/types.h>

#include <csignal>
#include <functional>
#include <future>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rig::testing {

struct RigRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct RigOptions {
  std::map<std::string, std::string> env;  // added to the environment
  std::string executable;                  // another copy of test-rig
  bool core_limit_unlimited = false;       // as after `ulimit -c unlimited`
  // Polled every 20 ms while test-rig runs; once it returns true, test-rig
  // and every process it started (its process group) get `signal_to_send`,
  // as from a terminal's Ctrl-C (SIGINT) or the OOM killer (SIGKILL); only
  // test-rig itself, as from `kill PID`, without `signal_process_group`.
  std::function<bool()> signal_when;
  int signal_to_send = SIGKILL;
  bool signal_process_group = true;
  pid_t* pid = nullptr;  // where to store test-rig's PID, for signal_when
  // Called once test-rig started, with the file its stderr goes to, for a
  // test that waits for what test-rig says while it runs.
  std::function<void(const std::string& stderr_path)> started;
  // After this long test-rig gets SIGTERM, as from a CI job's timeout, and
  // SIGKILL 10 s later; the test fails, with what test-rig said so far. It
  // is below ctest's TIMEOUT, which would kill the test and lose that.
  double deadline_s = 100;
};

// Runs test-rig with `args` in a fresh temporary working directory.
// TIDB_* and TEST_RIG_* variables of the calling environment are removed
// first, so tests are hermetic; `options.env` adds its own.
RigRun run_rig(const std::vector<std::string>& args, const RigOptions& options = {});

// Polls `ready` every 20 ms until it holds, or `run` ended first; whether
// it held.
bool wait_until(const std::function<bool()>& ready, std::future<RigRun>& run);

// The sandbox started by the ctest fixture: its config file (with password).
std::string sandbox_config();
// The sandbox's password, read from that file.
std::string sandbox_password();

// Runs `sql` on the fixture's sandbox (or the one in `directory`) as root,
// over its socket, with the mariadb client, outside test-rig: tab-separated
// rows, no header.
std::string sandbox_sql(const std::string& sql, const std::string& directory = SANDBOX_DIR);

// A fresh path inside the test's temporary directory.
std::string temp_path(const std::string& name);

// A database of the test's own on the fixture's sandbox ("ud_<what>_<pid>"),
// made empty and dropped when the test ends.
class OwnDatabase {
 public:
  explicit OwnDatabase(const std::string& what);
  ~OwnDatabase();
  const std::string& name() const { return name_; }
  // `statements` run in this database, as sandbox_sql.
  std::string sql(const std::string& statements) const;
  // --config of the sandbox, --database this one, then `more`.
  std::vector<std::string> rig_args(std::vector<std::string> more) const;

 private:
  std::string name_;
};
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);
nlohmann::json read_json(const std::string& path);

}  // namespace rig::testing

#endif  // TEST_RIG_TESTS_INTEGRATION_RIG_PROCESS_H_
