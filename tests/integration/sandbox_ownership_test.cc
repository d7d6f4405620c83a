// The sandbox owns only what it made: `sandbox start` refuses a directory
// that holds anything, `stop` and `restart` act only on a directory it
// marked, a PID is signalled only when /proc shows it is the sandbox's
// server, no command line is read from a file, and a failed start or
// restart removes nothing it did not make. Each test uses sandboxes of its
// own, never the fixture's.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

namespace fs = std::filesystem;

// A process that is not a sandbox server, for pid files that lie.
class Bystander {
 public:
  Bystander() : pid_(::fork()) {
    if (pid_ == 0) {
      ::pause();
      _exit(0);
    }
  }
  ~Bystander() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  bool alive() const { return ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

// Files a user keeps in a directory; all must survive every command.
void plant_user_files(const std::string& dir) {
  fs::create_directories(dir + "/src");
  write_file(dir + "/README", "the user's project\n");
  write_file(dir + "/src/main.c", "int main(void) { return 0; }\n");
}

void expect_user_files(const std::string& dir) {
  EXPECT_EQ(read_file(dir + "/README"), "the user's project\n");
  EXPECT_EQ(read_file(dir + "/src/main.c"), "int main(void) { return 0; }\n");
}

pid_t server_pid(const std::string& dir) {
  std::ifstream in(dir + "/sandbox.pid");
  pid_t pid = 0;
  in >> pid;
  return pid;
}

bool server_running(pid_t pid) { return pid > 0 && ::kill(pid, 0) == 0; }

// Waits for `pid` to end, at most `limit_ms`: a pidfd becomes readable at its
// exit (the server is no child of the test, so waitpid cannot tell).
bool exits_within(pid_t pid, int limit_ms) {
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;  // already gone
  pollfd exit_event{fd, POLLIN, 0};
  int ready = ::poll(&exit_event, 1, limit_ms);
  ::close(fd);
  return ready == 1;
}

int port_of(const std::string& dir) {
  std::ifstream in(dir + "/test-rig-sandbox");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("port = ", 0) == 0) return std::stoi(line.substr(7));
  }
  return 0;
}

TEST(SandboxOwnership, StartRefusesADirectoryThatHoldsAnything) {
  std::string project = temp_path("project");
  plant_user_files(project);
  RigRun start = run_rig({"sandbox", "start", project});
  EXPECT_EQ(start.exit_code, 3) << start.out << start.err;
  EXPECT_NE(start.err.find(project + " is not empty"), std::string::npos) << start.err;
  expect_user_files(project);
  EXPECT_FALSE(fs::exists(project + "/test-rig-sandbox"));
}

TEST(SandboxOwnership, StopAndRestartRefuseADirectoryWithoutTheMark) {
  std::string project = temp_path("project");
  plant_user_files(project);
  Bystander bystander;
  write_file(project + "/sandbox.pid", std::to_string(bystander.pid()) + "\n");
  std::string witness = temp_path("ran");
  write_file(project + "/server.argv", "/bin/sh\n-c\ntouch " + witness + "\n");
  write_file(project + "/tidb_config.toml", "[database]\nhost = \"127.0.0.1:1\"\n");
  for (const char* command : {"stop", "restart"}) {
    RigRun r = run_rig({"sandbox", command, project});
    EXPECT_EQ(r.exit_code, 3) << command << r.out << r.err;
    EXPECT_NE(r.err.find(project + " is not a test-rig sandbox"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(bystander.alive());
  EXPECT_FALSE(fs::exists(witness));
  expect_user_files(project);
  EXPECT_TRUE(fs::exists(project + "/sandbox.pid"));
}

TEST(SandboxOwnership, AMarkOthersCanWriteIsNotTrusted) {
  std::string dir = temp_path("sb");
  ASSERT_EQ(run_rig({"sandbox", "start", dir}).exit_code, 0);
  pid_t server = server_pid(dir);
  ASSERT_EQ(::chmod(dir.c_str(), 0777), 0);
  RigRun refused = run_rig({"sandbox", "stop", dir});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("writable by others"), std::string::npos) << refused.err;
  EXPECT_TRUE(server_running(server));
  ASSERT_EQ(::chmod(dir.c_str(), 0700), 0);
  EXPECT_EQ(run_rig({"sandbox", "stop", dir}).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir));
}

TEST(SandboxOwnership, StopSignalsOnlyTheSandboxServer) {
  std::string dir = temp_path("sb");
  ASSERT_EQ(run_rig({"sandbox", "start", dir}).exit_code, 0);
  pid_t server = server_pid(dir);
  ASSERT_TRUE(server_running(server));
  Bystander bystander;
  write_file(dir + "/sandbox.pid", std::to_string(bystander.pid()) + "\n");
  RigRun stop = run_rig({"sandbox", "stop", dir});
  EXPECT_EQ(stop.exit_code, 0) << stop.out << stop.err;
  EXPECT_NE(stop.err.find("is not this sandbox's server; it is left alone"), std::string::npos);
  EXPECT_TRUE(bystander.alive());
  EXPECT_TRUE(exits_within(server, 5000));  // found in /proc by its data directory
  EXPECT_FALSE(fs::exists(dir));
  // Stopping it again is no error: cleanup steps may run twice.
  RigRun again = run_rig({"sandbox", "stop", dir});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to stop"), std::string::npos) << again.out;
}

// MariaDB deletes every "#sql*" file in its tmpdir when it starts; in the
// shared temporary directory those are other servers' live temporary
// tables. The sandbox's server and its install step use a tmpdir of their
// own, so a file of that name outside the sandbox survives a start.
TEST(SandboxOwnership, StartingLeavesOtherServersTemporaryFilesAlone) {
  const std::string foreign =
      (fs::temp_directory_path() / ("#sql-temptable-decoy-" + std::to_string(::getpid()) + ".MAI"))
          .string();
  write_file(foreign, "another server's temporary table\n");
  std::string dir = temp_path("sb");
  RigRun start = run_rig({"sandbox", "start", dir});
  EXPECT_EQ(start.exit_code, 0) << start.out << start.err;
  EXPECT_EQ(read_file(foreign), "another server's temporary table\n");
  EXPECT_TRUE(fs::is_directory(dir + "/tmp"));
  EXPECT_EQ(run_rig({"sandbox", "stop", dir}).exit_code, 0);
  fs::remove(foreign);
}

TEST(SandboxOwnership, AnEmptyDirectoryIsEmptiedButKept) {
  std::string dir = temp_path("empty");
  fs::create_directories(dir);
  ASSERT_EQ(run_rig({"sandbox", "start", dir}).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir + "/test-rig-sandbox"));
  EXPECT_EQ(run_rig({"sandbox", "stop", dir}).exit_code, 0);
  ASSERT_TRUE(fs::is_directory(dir));
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(SandboxOwnership, AFailedStartRemovesOnlyWhatItMade) {
  RigOptions no_programs;
  no_programs.env = {{"PATH", "/nonexistent"}};  // mariadb-install-db is in /usr/bin
  std::string empty = temp_path("empty"), fresh = temp_path("fresh");
  fs::create_directories(empty);
  for (const std::string& dir : {empty, fresh}) {
    RigRun r = run_rig({"sandbox", "start", dir}, no_programs);
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("mariadb-install-db"), std::string::npos) << r.err;
  }
  ASSERT_TRUE(fs::is_directory(empty));
  EXPECT_TRUE(fs::is_empty(empty));
  EXPECT_FALSE(fs::exists(fresh));
}

TEST(SandboxOwnership, AFailedRestartKeepsTheData) {
  std::string dir = temp_path("sb");
  ASSERT_EQ(run_rig({"sandbox", "start", dir}).exit_code, 0);
  const pid_t server = server_pid(dir);
  ASSERT_EQ(::kill(server, SIGKILL), 0);
  ASSERT_TRUE(exits_within(server, 5000));
  // Someone else takes the port meanwhile.
  int squatter = ::socket(AF_INET, SOCK_STREAM, 0);
  int reuse = 1;
  ::setsockopt(squatter, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port_of(dir)));
  ASSERT_EQ(::bind(squatter, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(squatter, 1), 0);
  RigRun failed = run_rig({"sandbox", "restart", dir});
  EXPECT_EQ(failed.exit_code, 3) << failed.out << failed.err;
  EXPECT_TRUE(fs::is_directory(dir + "/data/mysql"));
  EXPECT_TRUE(fs::exists(dir + "/tidb_config.toml"));
  ::close(squatter);
  RigRun restarted = run_rig({"sandbox", "restart", dir});
  EXPECT_EQ(restarted.exit_code, 0) << restarted.out << restarted.err;
  RigRun works = run_rig({"--config", dir + "/tidb_config.toml", "run", "connection/standard"});
  EXPECT_EQ(works.exit_code, 0) << works.out;
  EXPECT_EQ(run_rig({"sandbox", "stop", dir}).exit_code, 0);
}

}  // namespace
}  // namespace rig::testing
