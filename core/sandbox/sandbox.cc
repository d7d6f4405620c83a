#include "core/sandbox/sandbox.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include <toml++/toml.h>

#include "core/db/session.h"
#include "core/sandbox/sandbox_directory.h"
#include "test_rig/sdk/owner_mark.h"

namespace rig {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kReadyTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(30);
constexpr int kPortAttempts = 3;

std::string find_program(const std::string& name) {
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/usr/local/sbin:/sbin";
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

bool loopback_port_free(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return bound;
}

// A port that is free now, drawn below the kernel's ephemeral range: a port
// the kernel handed out would be free only until it hands it out again, to
// any client connection on the machine, before the server binds it.
uint16_t free_loopback_port() {
  unsigned ephemeral_low = 32768;
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  range >> ephemeral_low;
  const unsigned low = 10000, high = std::max(ephemeral_low, low + 1000) - 1;
  std::random_device source;
  std::uniform_int_distribution<unsigned> draw(low, high);
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto port = static_cast<uint16_t>(draw(source));
    if (loopback_port_free(port)) return port;
  }
  throw SandboxError("cannot find a free loopback port between " + std::to_string(low) + " and " +
                     std::to_string(high));
}

std::string random_password() {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  unsigned char bytes[12];
  if (!urandom.read(reinterpret_cast<char*>(bytes), sizeof(bytes))) {
    throw SandboxError("cannot read /dev/urandom for the sandbox password");
  }
  static const char* kHex = "0123456789abcdef";
  std::string password = "rig-";
  for (unsigned char b : bytes) {
    password += kHex[b >> 4];
    password += kHex[b & 15];
  }
  return password;
}

std::string tail_of(const std::string& path, std::size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string tail;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    tail += "\n  " + all[i];
  }
  return tail;
}

struct SpawnOptions {
  std::string output;  // file for stdout and stderr
  bool die_with_parent = true;
  bool new_session = false;
};

pid_t spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw SandboxError(std::string("cannot fork: ") + std::strerror(errno));
  if (pid > 0) return pid;
  if (options.new_session) ::setsid();
  if (options.die_with_parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(127);  // the parent died before prctl
  }
  signal(SIGINT, SIG_IGN);  // the owner decides when to stop the server
  int out = ::open(options.output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  int in = ::open("/dev/null", O_RDONLY);
  if (out >= 0) {
    ::dup2(out, STDOUT_FILENO);
    ::dup2(out, STDERR_FILENO);
  }
  if (in >= 0) ::dup2(in, STDIN_FILENO);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  _exit(127);
}

bool process_alive(pid_t pid, int* exit_status) {
  int status = 0;
  pid_t reaped = ::waitpid(pid, &status, WNOHANG);
  if (reaped == pid) {
    if (exit_status) *exit_status = status;
    return false;
  }
  if (reaped < 0 && errno == ECHILD) return ::kill(pid, 0) == 0;  // not our child
  return true;
}

int run_to_completion(const std::vector<std::string>& argv, const std::string& output) {
  pid_t pid = spawn(argv, {output, true, false});
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool is_root() { return ::geteuid() == 0; }

// The mariadbd options that use the TLS files in `dir`.
std::vector<std::string> tls_options(const std::string& dir) {
  return {"--ssl-ca=" + dir + "/ca.pem", "--ssl-cert=" + dir + "/server-cert.pem",
          "--ssl-key=" + dir + "/server-key.pem"};
}

// Makes ca.pem, server-cert.pem and server-key.pem in `dir`.
void make_tls_files(const std::string& dir) {
  std::string openssl = find_program("openssl");
  if (openssl.empty()) throw SandboxError("--sandbox-tls needs openssl (Debian package openssl)");
  write_private_file(dir + "/san.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  const std::vector<std::vector<std::string>> steps = {
      {openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
       "/CN=test-rig sandbox CA", "-keyout", dir + "/ca-key.pem", "-out", dir + "/ca.pem"},
      {openssl, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout",
       dir + "/server-key.pem", "-out", dir + "/server.csr"},
      {openssl, "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.pem", "-CAkey",
       dir + "/ca-key.pem", "-CAcreateserial", "-days", "2", "-out", dir + "/server-cert.pem",
       "-extfile", dir + "/san.ext"}};
  for (const auto& step : steps) {
    if (int code = run_to_completion(step, dir + "/openssl.log"); code != 0) {
      throw SandboxError("openssl failed with code " + std::to_string(code) + ":" +
                         tail_of(dir + "/openssl.log", 5));
    }
  }
}

// The sandbox's own directory for the server's temporary files. A MariaDB
// server deletes every "#sql*" file in its tmpdir when it starts: in the
// shared /tmp that would be the live temporary tables of every other server
// using it, the user's own included. Made when missing, so that a restart
// of a sandbox from before it existed works too.
std::string tmpdir_option(const std::string& dir) {
  const std::string tmp = dir + "/tmp";
  std::error_code ec;
  if (fs::create_directory(tmp, ec)) fs::permissions(tmp, fs::perms::owner_all, ec);
  if (ec) throw SandboxError("cannot create " + tmp + ": " + ec.message());
  return "--tmpdir=" + tmp;
}

// The server's command line, from what the mark records; `init_file` only
// on the first start (it creates the sandbox user).
std::vector<std::string> server_argv(const std::string& dir, const SandboxMark& mark,
                                     bool init_file) {
  const std::string program = find_program(mark.tidb ? "tidb-server" : "mariadbd");
  if (program.empty()) {
    throw SandboxError(mark.tidb ? "--sandbox=tidb needs tidb-server on PATH; install TiDB or "
                                   "use --sandbox=mariadb"
                                 : "the sandbox needs mariadbd; run scripts/install-deps.sh "
                                   "(Debian package mariadb-server)");
  }
  if (mark.tidb) {
    return {program,
            "-store",
            "unistore",
            "-path",
            data_argument(dir, true),
            "-host",
            "127.0.0.1",
            "-P",
            std::to_string(mark.port),
            "-status",
            std::to_string(mark.status_port),
            "-log-file",
            dir + "/tidb.log"};
  }
  std::vector<std::string> argv = {program,
                                   "--no-defaults",
                                   data_argument(dir, false),
                                   tmpdir_option(dir),
                                   "--port=" + std::to_string(mark.port),
                                   "--bind-address=127.0.0.1",
                                   "--socket=" + dir + "/mysqld.sock",
                                   "--pid-file=" + dir + "/mysqld.pid",
                                   "--log-error=" + dir + "/error.log",
                                   "--skip-log-bin",
                                   "--skip-name-resolve",
                                   "--max-connections=2000",
                                   "--innodb-buffer-pool-size=256M",
                                   "--innodb-flush-log-at-trx-commit=2",
                                   "--local-infile=1"};
  if (init_file) argv.push_back("--init-file=" + dir + "/init.sql");
  if (is_root()) argv.push_back("--user=root");
  if (mark.tls) {
    for (auto& option : tls_options(dir)) argv.push_back(std::move(option));
  }
  return argv;
}

}  // namespace

Sandbox Sandbox::start(const SandboxOptions& options) {
  Sandbox sandbox;
  sandbox.options_ = options;
  std::string directory = options.directory;
  if (directory.empty()) {
    std::string pattern = (fs::temp_directory_path() / "test-rig-sandbox-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw SandboxError("cannot create a temporary directory: " +
                         std::string(std::strerror(errno)));
    }
    directory = pattern;
    sandbox.made_directory_ = true;
    // A run's own sandbox: should the run be killed, the next one removes
    // it (core/run/leftovers.h). One meant to outlive stop() is not marked.
    if (!options.keep && !options.detach && !test_rig::mark_directory(directory)) {
      throw SandboxError("cannot write to " + directory);
    }
  } else {
    sandbox.made_directory_ = claim_directory(directory);
  }
  // From here on a failure removes what the sandbox made, and only that.
  sandbox.directory_ = fs::absolute(directory).lexically_normal().string();
  const std::string& dir = sandbox.directory_;

  SandboxMark mark;
  mark.tidb = options.kind == SandboxKind::kTiDb;
  mark.made_directory = sandbox.made_directory_;
  mark.port = free_loopback_port();
  mark.status_port = mark.tidb ? free_loopback_port() : 0;
  mark.tls = options.tls && !mark.tidb;
  write_mark(dir, mark);
  sandbox.endpoint_ = {"127.0.0.1", mark.port};

  if (mark.tidb) {
    sandbox.user_ = "root";
    sandbox.database_ = "test";
  } else {
    std::string install_db = find_program("mariadb-install-db");
    if (install_db.empty()) {
      throw SandboxError(
          "the sandbox needs mariadbd and mariadb-install-db; run "
          "scripts/install-deps.sh (Debian package mariadb-server)");
    }
    std::vector<std::string> install = {install_db,
                                        "--no-defaults",
                                        "--datadir=" + dir + "/data",
                                        tmpdir_option(dir),
                                        "--auth-root-authentication-method=normal",
                                        "--skip-test-db"};
    if (is_root()) install.push_back("--user=root");
    if (int code = run_to_completion(install, dir + "/install.log"); code != 0) {
      throw SandboxError("mariadb-install-db failed with code " + std::to_string(code) + ":" +
                         tail_of(dir + "/install.log", 5));
    }
    sandbox.user_ = "rig";
    sandbox.password_ = random_password();
    sandbox.database_ = "rig_test";
    write_private_file(dir + "/init.sql",
                       "CREATE USER 'rig'@'%' IDENTIFIED BY '" + sandbox.password_ +
                           "';\nGRANT ALL ON *.* TO 'rig'@'%' WITH GRANT OPTION;\n"
                           "CREATE DATABASE IF NOT EXISTS rig_test;\n");
    if (mark.tls) {
      make_tls_files(dir);
      sandbox.ca_path_ = dir + "/ca.pem";
    }
  }

  // Another program may bind the port between its choice and the server's
  // start; a new port is then as good for a new sandbox.
  for (int attempt = 1;; ++attempt) {
    try {
      sandbox.launch(server_argv(dir, mark, !mark.tidb));
      break;
    } catch (const SandboxPortTaken& e) {
      if (attempt == kPortAttempts) throw;
      spdlog::warn("{}; trying another port", e.what());
      mark.port = free_loopback_port();
      write_mark(dir, mark);
      sandbox.endpoint_ = {"127.0.0.1", mark.port};
    }
  }
  std::error_code ignored;
  fs::remove(dir + "/init.sql", ignored);  // it holds the password

  std::ostringstream config;
  config << "# written by test-rig sandbox; holds the sandbox password\n"
         << "[database]\nhost = \"" << sandbox.endpoint_.to_string() << "\"\nuser = \""
         << sandbox.user_ << "\"\n"
         << (sandbox.password_.empty() ? "" : "password = \"" + sandbox.password_ + "\"\n")
         << "database = \"" << sandbox.database_ << "\"\n"
         << (sandbox.ca_path_.empty() ? "" : "ssl_ca = \"" + sandbox.ca_path_ + "\"\n");
  write_private_file(sandbox.config_path(), config.str());
  return sandbox;
}

void Sandbox::launch(const std::vector<std::string>& argv) {
  spdlog::info("starting sandbox server on {} in {}", endpoint_.to_string(), directory_);
  pid_ = spawn(argv, {directory_ + "/server.log", !options_.detach, options_.detach});

  ConnectParams params;
  params.endpoint = endpoint_;
  params.user = user_;
  if (!password_.empty()) params.password = password_;
  params.database = database_;
  params.connect_timeout_s = 2;
  params.tls_mode = ca_path_.empty() ? TlsMode::kDisabled : TlsMode::kVerifyIdentity;
  params.ssl_ca = ca_path_;
  auto deadline = Clock::now() + kReadyTimeout;
  while (true) {
    int status = 0;
    if (!process_alive(pid_, &status)) {
      pid_ = -1;
      std::string log = options_.kind == SandboxKind::kTiDb ? directory_ + "/tidb.log"
                                                            : directory_ + "/error.log";
      std::string tail = tail_of(log, 8);
      if (tail.find("Address already in use") != std::string::npos) {
        throw SandboxPortTaken("port " + std::to_string(endpoint_.port) +
                               " was taken before the sandbox server could bind it");
      }
      throw SandboxError("the sandbox server exited during start-up:" + tail);
    }
    ConnectFailure failure;
    if (Session::open(params, &failure)) break;
    if (Clock::now() > deadline) {
      throw SandboxError("the sandbox server did not accept connections within 60 s: " +
                         failure.message);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  write_private_file(directory_ + "/sandbox.pid", std::to_string(pid_) + "\n");
  spdlog::info("sandbox server ready on {}", endpoint_.to_string());
}

void Sandbox::restart_directory(const std::string& directory) {
  Sandbox sandbox;
  const std::string dir = fs::absolute(directory).lexically_normal().string();
  const SandboxMark mark = read_mark(dir);
  toml::table config;
  try {
    config = toml::parse_file(dir + "/tidb_config.toml");
  } catch (const std::exception&) {
    throw SandboxError("no sandbox to restart in " + directory + " (its tidb_config.toml is " +
                       "unreadable; start one with `test-rig sandbox start DIR`)");
  }
  sandbox.options_.kind = mark.tidb ? SandboxKind::kTiDb : SandboxKind::kMariaDb;
  sandbox.options_.keep = true;  // a failed restart keeps the data it promised to reuse
  sandbox.options_.detach = true;
  sandbox.directory_ = dir;
  sandbox.endpoint_ = {"127.0.0.1", mark.port};
  sandbox.user_ = config["database"]["user"].value_or(std::string());
  sandbox.password_ = config["database"]["password"].value_or(std::string());
  sandbox.database_ = config["database"]["database"].value_or(std::string());
  sandbox.ca_path_ = config["database"]["ssl_ca"].value_or(std::string());

  sandbox.pid_ = running_server(dir, mark.tidb);
  sandbox.shut_down();
  sandbox.launch(server_argv(dir, mark, false));
  sandbox.release();
}

Sandbox::Sandbox(Sandbox&& other) noexcept
    : options_(other.options_),
      endpoint_(other.endpoint_),
      user_(std::move(other.user_)),
      password_(std::move(other.password_)),
      database_(std::move(other.database_)),
      directory_(std::move(other.directory_)),
      ca_path_(std::move(other.ca_path_)),
      pid_(std::exchange(other.pid_, -1)),
      made_directory_(other.made_directory_) {
  other.directory_.clear();
}

Sandbox::~Sandbox() {
  try {
    stop();
  } catch (const std::exception& e) {
    spdlog::error("stopping the sandbox failed: {}", e.what());
  }
}

void Sandbox::stop() {
  shut_down();
  if (!directory_.empty() && !options_.keep) remove_owned(directory_, made_directory_);
  directory_.clear();
}

void Sandbox::shut_down() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    auto deadline = Clock::now() + kStopTimeout;
    while (process_alive(pid_, nullptr) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (process_alive(pid_, nullptr)) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
    spdlog::info("sandbox server stopped");
  }
}

pid_t Sandbox::running_server(const std::string& directory, bool tidb) {
  const std::string data = data_argument(directory, tidb);
  std::ifstream pid_file(directory + "/sandbox.pid");
  pid_t pid = 0;
  if (pid_file >> pid && is_sandbox_server(pid, data)) return pid;
  pid_t found = find_sandbox_server(data);
  if (pid > 0) {
    spdlog::warn("pid {} in {}/sandbox.pid is not this sandbox's server; it is left alone", pid,
                 directory);
  }
  return found;
}

void Sandbox::stop_directory(const std::string& directory) {
  Sandbox sandbox;
  const std::string dir = fs::absolute(directory).lexically_normal().string();
  const SandboxMark mark = read_mark(dir);
  sandbox.pid_ = running_server(dir, mark.tidb);
  sandbox.directory_ = dir;
  sandbox.made_directory_ = mark.made_directory;
  sandbox.stop();
}

}  // namespace rig
