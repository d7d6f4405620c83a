#include "tests/integration/rig_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace rig::testing {
namespace {

// This test process's temporary directories, all under one root that is
// removed when the process exits if every test passed, and kept (and named
// on stderr) to look into when one failed.
class TempRoot {
 public:
  static TempRoot& instance() {
    static TempRoot root;  // made during a test: destroyed before gtest's state
    return root;
  }

  std::string fresh_dir() {
    std::string dir = root_ + "/" + std::to_string(counter_++);
    std::filesystem::create_directories(dir);
    return dir;
  }

  ~TempRoot() {
    if (::getpid() != owner_) return;  // a forked child leaves it to its parent
    if (::testing::UnitTest::GetInstance()->Failed()) {
      std::fprintf(stderr, "the failed test's files are in %s\n", root_.c_str());
      return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

 private:
  TempRoot()
      : owner_(::getpid()),
        root_(std::filesystem::temp_directory_path() / ("rig-it-" + std::to_string(owner_))) {}

  const pid_t owner_;
  const std::string root_;
  std::atomic<int> counter_{0};
};

std::string unique_dir() { return TempRoot::instance().fresh_dir(); }

bool hermetic_drop(const std::string& entry) {
  return entry.rfind("TIDB_", 0) == 0 || entry.rfind("TEST_RIG_", 0) == 0;
}

}  // namespace

std::string temp_path(const std::string& name) { return unique_dir() + "/" + name; }

bool wait_until(const std::function<bool()>& ready, std::future<RigRun>& run) {
  while (run.wait_for(std::chrono::milliseconds(20)) == std::future_status::timeout) {
    if (ready()) return true;
  }
  return false;
}

std::string sandbox_sql(const std::string& sql, const std::string& directory) {
  std::string script = temp_path("statement.sql");
  write_file(script, sql + "\n");
  std::string command = "mariadb --socket='" + directory +
                        "/mysqld.sock' -uroot -N -B rig_test < '" + script + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return "popen failed";
  std::string output;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0;)
    output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_file(path)); }

std::string sandbox_config() { return std::string(SANDBOX_DIR) + "/tidb_config.toml"; }

std::string sandbox_password() {
  std::string text = read_file(sandbox_config());
  auto at = text.find("password = \"");
  if (at == std::string::npos) return "";
  at += std::strlen("password = \"");
  return text.substr(at, text.find('"', at) - at);
}

OwnDatabase::OwnDatabase(const std::string& what)
    : name_("ud_" + what + "_" + std::to_string(::getpid())) {
  sandbox_sql("DROP DATABASE IF EXISTS " + name_);  // this test's, from an earlier crash
  EXPECT_EQ(sandbox_sql("CREATE DATABASE " + name_), "");
}

OwnDatabase::~OwnDatabase() { sandbox_sql("DROP DATABASE IF EXISTS " + name_); }

std::string OwnDatabase::sql(const std::string& statements) const {
  return sandbox_sql("USE " + name_ + "; " + statements);
}

std::vector<std::string> OwnDatabase::rig_args(std::vector<std::string> more) const {
  std::vector<std::string> args = {"--config", sandbox_config(), "--database", name_};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

RigRun run_rig(const std::vector<std::string>& args, const RigOptions& options) {
  std::string dir = unique_dir();
  std::string out_path = dir + "/stdout", err_path = dir + "/stderr";
  std::vector<std::string> env_entries;
  for (char** e = environ; *e; ++e) {
    if (!hermetic_drop(*e)) env_entries.emplace_back(*e);
  }
  for (const auto& [key, value] : options.env) env_entries.push_back(key + "=" + value);

  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) _exit(126);
    if (options.signal_when && ::setpgid(0, 0) != 0) _exit(124);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::dup2(in, 0);
    if (options.core_limit_unlimited) {
      struct rlimit unlimited {
        RLIM_INFINITY, RLIM_INFINITY
      };
      if (::setrlimit(RLIMIT_CORE, &unlimited) != 0) _exit(125);
    }
    const char* executable = options.executable.empty() ? TEST_RIG_BIN : options.executable.c_str();
    std::vector<char*> argv{const_cast<char*>(executable)};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& entry : env_entries) envp.push_back(entry.data());
    envp.push_back(nullptr);
    ::execve(executable, argv.data(), envp.data());
    _exit(127);
  }
  if (options.pid) *options.pid = pid;
  if (options.started) options.started(err_path);
  using Clock = std::chrono::steady_clock;
  const auto began = Clock::now();
  const auto term_at = began + std::chrono::duration<double>(options.deadline_s);
  const auto kill_at = term_at + std::chrono::seconds(10);
  bool signalled = false, timed_out = false;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (!signalled && options.signal_when && options.signal_when()) {
      ::kill(options.signal_process_group ? -pid : pid, options.signal_to_send);
      signalled = true;
    }
    const auto now = Clock::now();
    if (now > kill_at) {
      ::kill(pid, SIGKILL);
    } else if (now > term_at && !timed_out) {
      ::kill(pid, SIGTERM);
      timed_out = true;
    }
    ::usleep(20 * 1000);
  }
  RigRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = read_file(out_path);
  run.err = read_file(err_path);
  if (timed_out) {
    ADD_FAILURE() << "test-rig did not finish within " << options.deadline_s
                  << " s and was stopped; its stdout:\n"
                  << run.out << "\nits stderr:\n"
                  << run.err;
  }
  return run;
}

}  // namespace rig::testing
