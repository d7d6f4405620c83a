#include "core/sandbox/sandbox.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pwd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
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
// A joiner that answers but has been in a cluster of 0 this long has lost
// the cluster (Galera reaches a joiner's peers within a few seconds); it is
// started again, kJoinAttempts times in all.
constexpr auto kJoinTimeout = std::chrono::seconds(20);
constexpr int kJoinAttempts = 3;
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

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
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

// Whether /proc says `pid` has exited and awaits its parent's wait: a
// zombie, which kill(pid, 0) still finds.
bool is_zombie(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::ostringstream contents;
  contents << stat.rdbuf();
  const std::string text = contents.str();
  const auto name_end = text.rfind(')');  // the name in parentheses may hold anything
  return name_end != std::string::npos && name_end + 2 < text.size() && text[name_end + 2] == 'Z';
}

bool process_alive(pid_t pid, int* exit_status) {
  int status = 0;
  pid_t reaped = ::waitpid(pid, &status, WNOHANG);
  if (reaped == pid) {
    if (exit_status) *exit_status = status;
    return false;
  }
  // Not our child (a server an earlier `sandbox start` left): its parent is
  // init, which reaps it when it gets to it (here every second or two), so
  // a zombie counts as exited already.
  if (reaped < 0 && errno == ECHILD) return ::kill(pid, 0) == 0 && !is_zombie(pid);
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

// The directory of node `k` (0-based): the sandbox's own for one server,
// DIR/node<k+1> in a cluster.
std::string node_directory(const std::string& dir, const SandboxMark& mark, std::size_t k) {
  return mark.nodes.empty() ? dir : dir + "/node" + std::to_string(k + 1);
}

std::string galera_provider() {
  for (const char* path : {"/usr/lib/galera/libgalera_smm.so", "/usr/lib/libgalera_smm.so",
                           "/usr/lib64/galera-4/libgalera_smm.so"}) {
    if (::access(path, R_OK) == 0) return path;
  }
  throw SandboxError(
      "a cluster sandbox needs Galera's libgalera_smm.so; run scripts/install-deps.sh (Debian "
      "packages galera-4 and rsync)");
}

// How a node starts: the first start creates the sandbox user; a cluster's
// first node bootstraps it; the others join (or rejoin) the cluster.
struct ServerStart {
  bool init_file = false;
  bool bootstrap = false;
  bool recover = false;  // only print the recovered position, then exit
};

// A node's command line, from what the mark records.
std::vector<std::string> server_argv(const std::string& dir, const SandboxMark& mark, std::size_t k,
                                     const ServerStart& start) {
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
  const std::string node = node_directory(dir, mark, k);
  const bool cluster = !mark.nodes.empty();
  std::vector<std::string> argv = {
      program,
      "--no-defaults",
      data_argument(node, false),
      tmpdir_option(node),
      "--port=" + std::to_string(cluster ? mark.nodes[k].port : mark.port),
      "--bind-address=127.0.0.1",
      "--socket=" + node + "/mysqld.sock",
      "--pid-file=" + node + "/mysqld.pid",
      "--log-error=" + node + "/error.log",
      "--skip-log-bin",
      "--skip-name-resolve",
      "--max-connections=2000",
      "--innodb-flush-log-at-trx-commit=2",
      "--local-infile=1"};
  if (!cluster) {
    argv.push_back("--innodb-buffer-pool-size=256M");
    if (is_root()) argv.push_back("--user=root");
  } else {
    // About 90 MB a node instead of 130: small pools, caches and gcache.
    for (const char* small :
         {"--innodb-buffer-pool-size=32M", "--key-buffer-size=1M",
          "--aria-pagecache-buffer-size=1M", "--innodb-log-buffer-size=1M", "--binlog-format=ROW",
          "--innodb-autoinc-lock-mode=2", "--default-storage-engine=InnoDB", "--wsrep-on=ON",
          "--wsrep-cluster-name=test-rig-sandbox", "--wsrep-node-address=127.0.0.1",
          "--wsrep-sst-method=rsync"}) {
      argv.push_back(small);
    }
    std::string members;
    for (const GaleraPorts& other : mark.nodes) {
      members +=
          (members.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(other.group);
    }
    const GaleraPorts& ports = mark.nodes[k];
    argv.push_back("--wsrep-provider=" + galera_provider());
    argv.push_back("--wsrep-cluster-address=gcomm://" + members);
    argv.push_back("--wsrep-node-name=node" + std::to_string(k + 1));
    argv.push_back("--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" +
                   std::to_string(ports.group) + ";base_port=" + std::to_string(ports.group) +
                   ";ist.recv_addr=127.0.0.1:" + std::to_string(ports.ist) + ";gcache.size=32M");
    argv.push_back("--wsrep-sst-receive-address=127.0.0.1:" + std::to_string(ports.sst));
    // As root, rsync's state transfer cannot work: the nodes run as mysql.
    if (is_root()) argv.push_back("--user=mysql");
    if (start.bootstrap) argv.push_back("--wsrep-new-cluster");
    if (start.recover) argv.push_back("--wsrep-recover");
  }
  if (start.init_file) argv.push_back("--init-file=" + node + "/init.sql");
  if (mark.tls) {
    for (auto& option : tls_options(dir)) argv.push_back(std::move(option));
  }
  return argv;
}

// A node's Galera status: wsrep_local_state_comment, wsrep_cluster_size, ...
std::map<std::string, std::string> wsrep_status(Session& session) {
  std::map<std::string, std::string> status;
  MYSQL_RES* result = nullptr;
  if (!session.execute("SHOW STATUS LIKE 'wsrep_%'", &result) || result == nullptr) return status;
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    if (row[0] && row[1]) status[row[0]] = row[1];
  }
  mysql_free_result(result);
  return status;
}

// The mysql account the nodes of a cluster run as when test-rig runs as root.
struct Account {
  uid_t uid;
  gid_t gid;
};
Account mysql_account() {
  const passwd* entry = ::getpwnam("mysql");
  if (entry == nullptr) {
    throw SandboxError(
        "a cluster sandbox started as root runs its nodes as the mysql user, and "
        "there is none; install mariadb-server (scripts/install-deps.sh)");
  }
  return {entry->pw_uid, entry->pw_gid};
}

void give_to(const std::string& path, const Account& account) {
  std::error_code ec;
  if (::chown(path.c_str(), account.uid, account.gid) != 0) {
    throw SandboxError("cannot give " + path + " to the mysql user: " + std::strerror(errno));
  }
  for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
    if (::lchown(entry.path().c_str(), account.uid, account.gid) != 0) {
      throw SandboxError("cannot give " + entry.path().string() +
                         " to the mysql user: " + std::strerror(errno));
    }
  }
}

// The node's position as its data records it ("uuid:seqno"), from a run of
// mariadbd --wsrep-recover; empty when it cannot tell.
std::string recovered_position(const std::string& dir, const SandboxMark& mark, std::size_t k) {
  const std::string log = node_directory(dir, mark, k) + "/error.log";
  std::error_code ec;
  const auto before = fs::exists(log, ec) ? fs::file_size(log, ec) : 0;
  ServerStart start;
  start.recover = true;
  run_to_completion(server_argv(dir, mark, k, start),
                    node_directory(dir, mark, k) + "/recover.log");
  std::ifstream in(log);
  in.seekg(static_cast<std::streamoff>(before));
  std::string position;
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find("Recovered position: ");
    if (at != std::string::npos) position = line.substr(at + std::strlen("Recovered position: "));
  }
  // An unknown position reads as ...:-1: no better than none.
  return position.size() > 3 && position.substr(position.size() - 3) != ":-1" ? position : "";
}

// Galera's saved state of a node: its position, and whether it is safe to
// bootstrap the cluster from.
std::string grastate_path(const std::string& node) { return node + "/data/grastate.dat"; }

// The position a node's data was left at by a clean stop ("uuid:seqno",
// from Galera's grastate.dat); empty when it was killed (Galera then
// writes seqno -1) or holds no Galera state.
std::string saved_position(const std::string& node) {
  std::istringstream state(read_text(grastate_path(node)));
  std::string uuid, seqno;
  for (std::string key; state >> key;) {
    if (key == "uuid:") state >> uuid;
    if (key == "seqno:") state >> seqno;
  }
  return uuid.empty() || seqno.empty() || seqno == "-1" ? "" : uuid + ":" + seqno;
}

// Leaves the node an empty data directory of the same owner and mode:
// Galera gives a node that holds nothing a full state transfer. `keep`
// moves what it held to data.before-sst (replacing an earlier one);
// without it, what it held (a failed transfer's part) is deleted.
void empty_for_state_transfer(const std::string& node, bool keep) {
  const fs::path data = fs::path(node) / "data", aside = fs::path(node) / "data.before-sst";
  struct stat owner {};
  std::error_code ec;
  if (::stat(data.c_str(), &owner) != 0) {
    throw SandboxError("cannot read " + data.string() + ": " + std::strerror(errno));
  }
  if (keep) {
    fs::remove_all(aside, ec);
    fs::rename(data, aside, ec);
  } else {
    fs::remove_all(data, ec);
  }
  if (!ec) fs::create_directory(data, ec);
  if (!ec) fs::permissions(data, fs::perms(owner.st_mode) & fs::perms::all, ec);
  if (ec || ::chown(data.c_str(), owner.st_uid, owner.st_gid) != 0) {
    throw SandboxError("cannot empty " + data.string() +
                       " for a full state transfer: " + (ec ? ec.message() : std::strerror(errno)));
  }
}

// The node a stopped cluster starts from: the one Galera marked safe to
// bootstrap (it stopped last), else the one whose data goes furthest.
std::size_t bootstrap_node(const std::string& dir, const SandboxMark& mark) {
  auto grastate = [&](std::size_t k) { return grastate_path(node_directory(dir, mark, k)); };
  for (std::size_t k = 0; k < mark.nodes.size(); ++k) {
    if (read_text(grastate(k)).find("safe_to_bootstrap: 1") != std::string::npos) return k;
  }
  std::size_t best = 0;
  long long best_seqno = -2;
  for (std::size_t k = 0; k < mark.nodes.size(); ++k) {
    const std::string position = recovered_position(dir, mark, k);
    const long long seqno =
        position.empty() ? -1 : std::atoll(position.substr(position.rfind(':') + 1).c_str());
    if (seqno > best_seqno) best = k, best_seqno = seqno;
  }
  // Galera refuses to bootstrap from a node not marked safe: this one is
  // the best there is.
  std::string state = read_text(grastate(best));
  const auto flag = state.find("safe_to_bootstrap: 0");
  if (flag != std::string::npos) {
    state.replace(flag, std::strlen("safe_to_bootstrap: 0"), "safe_to_bootstrap: 1");
    std::ofstream(grastate(best)) << state;
  }
  return best;
}

}  // namespace

std::vector<Endpoint> Sandbox::endpoints() const {
  std::vector<Endpoint> all;
  for (const Node& node : nodes_) all.push_back(node.endpoint);
  return all;
}

std::string Sandbox::host_list() const {
  std::string hosts;
  for (const Node& node : nodes_) hosts += (hosts.empty() ? "" : ",") + node.endpoint.to_string();
  return hosts;
}

std::vector<pid_t> Sandbox::pids() const {
  std::vector<pid_t> all;
  for (const Node& node : nodes_) all.push_back(node.pid);
  return all;
}

Sandbox Sandbox::start(const SandboxOptions& options) {
  Sandbox sandbox;
  sandbox.options_ = options;
  const bool cluster = options.nodes > 1;
  if (cluster && options.kind == SandboxKind::kTiDb) {
    throw SandboxError("a cluster sandbox is a Galera cluster of MariaDB; use --sandbox=mariadb");
  }
  if (cluster && options.tls) {
    throw SandboxError("--sandbox-tls gives one server a certificate; a cluster sandbox has none");
  }
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
  if (cluster) {
    std::set<uint16_t> taken = {mark.port};
    auto fresh = [&] {
      uint16_t port = free_loopback_port();
      while (!taken.insert(port).second) port = free_loopback_port();
      return port;
    };
    for (int k = 0; k < options.nodes; ++k) {
      mark.nodes.push_back({k == 0 ? mark.port : fresh(), fresh(), fresh(), fresh()});
    }
  }
  write_mark(dir, mark);
  for (std::size_t k = 0; k < std::max<std::size_t>(mark.nodes.size(), 1); ++k) {
    sandbox.nodes_.push_back(
        {{"127.0.0.1", cluster ? mark.nodes[k].port : mark.port}, node_directory(dir, mark, k)});
  }

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
    if (cluster && find_program("rsync").empty()) {
      throw SandboxError(
          "a cluster sandbox needs rsync for state transfer; run "
          "scripts/install-deps.sh (Debian package rsync)");
    }
    const std::string first = sandbox.nodes_.front().directory;
    for (const Node& node : sandbox.nodes_) {
      fs::create_directories(node.directory + "/data");
      tmpdir_option(node.directory);
    }
    if (cluster && is_root()) {
      // The nodes run as mysql, from the install on: they pass through DIR
      // into directories of theirs.
      fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
      const Account mysql = mysql_account();
      for (const Node& node : sandbox.nodes_) {
        give_to(node.directory, mysql);
        fs::permissions(node.directory, fs::perms::owner_all);
      }
    }
    std::vector<std::string> install = {install_db,
                                        "--no-defaults",
                                        "--datadir=" + first + "/data",
                                        tmpdir_option(first),
                                        "--auth-root-authentication-method=normal",
                                        "--skip-test-db"};
    if (is_root()) install.push_back(cluster ? "--user=mysql" : "--user=root");
    if (int code = run_to_completion(install, dir + "/install.log"); code != 0) {
      throw SandboxError("mariadb-install-db failed with code " + std::to_string(code) + ":" +
                         tail_of(dir + "/install.log", 5));
    }
    sandbox.user_ = "rig";
    sandbox.password_ = random_password();
    sandbox.database_ = "rig_test";
    // The joiners get the user with the first node's data.
    write_private_file(first + "/init.sql",
                       "CREATE USER 'rig'@'%' IDENTIFIED BY '" + sandbox.password_ +
                           "';\nGRANT ALL ON *.* TO 'rig'@'%' WITH GRANT OPTION;\n"
                           "CREATE DATABASE IF NOT EXISTS rig_test;\n");
    if (cluster && is_root()) give_to(first + "/init.sql", mysql_account());
    if (mark.tls) {
      make_tls_files(dir);
      sandbox.ca_path_ = dir + "/ca.pem";
    }
  }

  if (cluster) {
    sandbox.launch_all(mark, /*init_file=*/true);
  } else {
    // Another program may bind the port between its choice and the server's
    // start; a new port is then as good for a new sandbox.
    for (int attempt = 1;; ++attempt) {
      try {
        ServerStart first_start;
        first_start.init_file = !mark.tidb;
        sandbox.launch(0, server_argv(dir, mark, 0, first_start), 1);
        break;
      } catch (const SandboxPortTaken& e) {
        if (attempt == kPortAttempts) throw;
        spdlog::warn("{}; trying another port", e.what());
        mark.port = free_loopback_port();
        write_mark(dir, mark);
        sandbox.nodes_.front().endpoint = {"127.0.0.1", mark.port};
      }
    }
  }
  std::error_code ignored;
  fs::remove(sandbox.nodes_.front().directory + "/init.sql", ignored);  // it holds the password

  std::ostringstream config;
  config << "# written by test-rig sandbox; holds the sandbox password\n"
         << "[database]\nhost = \"" << sandbox.host_list() << "\"\nuser = \"" << sandbox.user_
         << "\"\n"
         << (sandbox.password_.empty() ? "" : "password = \"" + sandbox.password_ + "\"\n")
         << "database = \"" << sandbox.database_ << "\"\n"
         << (sandbox.ca_path_.empty() ? "" : "ssl_ca = \"" + sandbox.ca_path_ + "\"\n")
         << (cluster ? "# a node's reads wait for what the cluster committed before them\n"
                       "wsrep_sync_wait = 1\n"
                     : "");
  write_private_file(sandbox.config_path(), config.str());
  return sandbox;
}

void Sandbox::launch_all(const SandboxMark& mark, bool init_file) {
  if (mark.nodes.empty()) {
    ServerStart start;
    start.init_file = init_file && !mark.tidb;
    launch(0, server_argv(directory_, mark, 0, start), 1);
    return;
  }
  const auto began = Clock::now();
  const std::size_t first = init_file ? 0 : bootstrap_node(directory_, mark);
  std::vector<std::size_t> order = {first};
  for (std::size_t k = 0; k < nodes_.size(); ++k) {
    if (k != first) order.push_back(k);
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    ServerStart start;
    start.init_file = init_file && i == 0;
    start.bootstrap = i == 0;
    spdlog::info("starting node {} of {} on {} ({})", order[i] + 1, nodes_.size(),
                 nodes_[order[i]].endpoint.to_string(),
                 i == 0 ? "it bootstraps the cluster" : "it joins by state transfer");
    launch(order[i], server_argv(directory_, mark, order[i], start), i + 1);
  }
  spdlog::info("cluster of {} nodes ready in {:.1f} s", nodes_.size(),
               std::chrono::duration<double>(Clock::now() - began).count());
}

void Sandbox::launch(std::size_t k, const std::vector<std::string>& argv,
                     std::size_t cluster_size) {
  Node& node = nodes_[k];
  const bool cluster = nodes_.size() > 1;
  spdlog::info("starting sandbox server on {} in {}", node.endpoint.to_string(), node.directory);
  const auto began = Clock::now();
  node.pid = spawn(argv, {node.directory + "/server.log", !options_.detach, options_.detach});

  ConnectParams params;
  params.endpoint = node.endpoint;
  params.user = user_;
  if (!password_.empty()) params.password = password_;
  params.database = database_;
  params.connect_timeout_s = 2;
  params.tls_mode = ca_path_.empty() ? TlsMode::kDisabled : TlsMode::kVerifyIdentity;
  params.ssl_ca = ca_path_;
  // A joiner copies the first node's data first: a cluster node gets longer.
  const auto deadline = Clock::now() + (cluster ? 2 * kReadyTimeout : kReadyTimeout);
  std::string waiting_for = "connections";
  // Since when it answers in a cluster of 0; max() while it is not.
  auto alone_since = Clock::time_point::max();
  while (true) {
    int status = 0;
    if (!process_alive(node.pid, &status)) {
      node.pid = -1;
      std::string log = options_.kind == SandboxKind::kTiDb ? directory_ + "/tidb.log"
                                                            : node.directory + "/error.log";
      std::string tail = tail_of(log, 8);
      if (tail.find("Address already in use") != std::string::npos) {
        throw SandboxPortTaken("port " + std::to_string(node.endpoint.port) +
                               " was taken before the sandbox server could bind it");
      }
      throw SandboxError(std::string(cluster ? "node " + std::to_string(k + 1) + " of the cluster"
                                             : "the sandbox server") +
                         " exited during start-up; the end of " + log + ":" + tail);
    }
    ConnectFailure failure;
    if (auto session = Session::open(params, &failure)) {
      if (!cluster) break;
      const auto status_now = wsrep_status(*session);
      auto value = [&](const char* name) {
        auto found = status_now.find(name);
        return found == status_now.end() ? std::string() : found->second;
      };
      if (value("wsrep_local_state_comment") == "Synced" &&
          std::atoll(value("wsrep_cluster_size").c_str()) >= static_cast<long long>(cluster_size)) {
        break;
      }
      waiting_for = "Synced in a cluster of " + std::to_string(cluster_size) + " (it is " +
                    value("wsrep_local_state_comment") + " in one of " +
                    value("wsrep_cluster_size") + ")";
      if (value("wsrep_cluster_size") != "0") {
        alone_since = Clock::time_point::max();
      } else if (alone_since == Clock::time_point::max()) {
        alone_since = Clock::now();
      } else if (Clock::now() - alone_since > kJoinTimeout) {
        throw SandboxJoinFailed("node " + std::to_string(k + 1) + " of the cluster lost the " +
                                "cluster while it joined (" + waiting_for + " for " +
                                std::to_string(kJoinTimeout.count()) + " s); the end of " +
                                node.directory +
                                "/error.log:" + tail_of(node.directory + "/error.log", 20));
      }
    } else {
      waiting_for = "connections: " + failure.message;
    }
    if (Clock::now() > deadline) {
      const std::string what =
          cluster ? "node " + std::to_string(k + 1) + " of the cluster" : "the sandbox server";
      throw SandboxError(what + " was not ready in time, waiting for " + waiting_for +
                         "; the end of " + node.directory +
                         "/error.log:" + tail_of(node.directory + "/error.log", 8));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  write_private_file(node.directory + "/sandbox.pid", std::to_string(node.pid) + "\n");
  if (cluster) {
    spdlog::info("node {} ready: Synced in {:.1f} s", k + 1,
                 std::chrono::duration<double>(Clock::now() - began).count());
  } else {
    spdlog::info("sandbox server ready on {}", node.endpoint.to_string());
  }
}

std::unique_ptr<Session> Sandbox::open_node(std::size_t k) const {
  ConnectParams params;
  params.endpoint = nodes_[k].endpoint;
  params.user = user_;
  if (!password_.empty()) params.password = password_;
  params.database = database_;
  params.connect_timeout_s = 2;
  params.read_timeout_s = 5;
  params.write_timeout_s = 5;
  params.tls_mode = ca_path_.empty() ? TlsMode::kDisabled : TlsMode::kVerifyIdentity;
  params.ssl_ca = ca_path_;
  ConnectFailure failure;
  return Session::open(params, &failure);
}

void Sandbox::set_provider_option(std::size_t k, const std::string& option) {
  auto session = open_node(k);
  if (!session ||
      !session->execute("SET GLOBAL wsrep_provider_options = '" + option + "'", nullptr)) {
    throw SandboxError("node " + std::to_string(k + 1) + " refused " + option +
                       (session ? ": " + session->error().message : ": it does not answer"));
  }
}

void Sandbox::kill_node(std::size_t k) {
  Node& node = nodes_[k];
  if (node.pid <= 0) return;
  ::kill(node.pid, SIGKILL);
  while (process_alive(node.pid, nullptr))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  node.pid = -1;
}

void Sandbox::pause_node(std::size_t k, bool paused) {
  if (nodes_[k].pid > 0) ::kill(nodes_[k].pid, paused ? SIGSTOP : SIGCONT);
}

void Sandbox::start_node(std::size_t k) {
  if (nodes_[k].pid > 0 && process_alive(nodes_[k].pid, nullptr)) return;
  const SandboxMark mark = read_mark(directory_);
  if (mark.nodes.empty()) {
    launch(0, server_argv(directory_, mark, 0, {}), 1);
    return;
  }
  std::size_t others = 0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) others += i != k && nodes_[i].pid > 0;
  if (others == 0) {
    // Nothing to join: the whole cluster starts again, from the node
    // whose data goes furthest.
    launch_all(mark, /*init_file=*/false);
    return;
  }
  rejoin(k, mark, others);
}

void Sandbox::rejoin(std::size_t k, const SandboxMark& mark, std::size_t others) {
  const std::string node = node_directory(directory_, mark, k);
  // A node that stopped cleanly rejoins from its position, by incremental
  // state transfer. A killed node may hold transactions the cluster never
  // had: the survivors of a killed majority go on without them (pc.bootstrap,
  // by the nemesis or by hand). Galera refuses such a node only while its
  // seqno is ahead of the cluster's; once the cluster has passed it, an
  // incremental transfer would keep them, silently. So a killed node
  // rejoins empty, by full state transfer, its data kept aside; so does a
  // node whose join from its position failed.
  std::string position = saved_position(node);
  bool set_aside = false;  // its own data: kept once, never overwritten
  for (int attempt = 1;; ++attempt) {
    // Outside the try: a data directory that cannot be emptied is no failed
    // join, and starting again would not mend it.
    if (position.empty()) {
      empty_for_state_transfer(node, /*keep=*/!set_aside);
      set_aside = true;
    }
    spdlog::info(
        "starting node {} ({})", k + 1,
        position.empty() ? "it joins by full state transfer" : "it rejoins from " + position);
    try {
      launch(k, server_argv(directory_, mark, k, {}), others + 1);
      return;
    } catch (const SandboxError& e) {
      if (attempt == kJoinAttempts) throw;
      spdlog::warn("{}; starting it again", e.what());
      kill_node(k);
      position.clear();
    }
  }
}

void Sandbox::isolate_node(std::size_t k, bool isolated) {
  set_provider_option(k, std::string("gmcast.isolate=") + (isolated ? "1" : "0"));
}

void Sandbox::bootstrap_primary(std::size_t k) { set_provider_option(k, "pc.bootstrap=1"); }

std::size_t Sandbox::primary_size(std::size_t k) const {
  if (nodes_[k].pid <= 0) return 0;
  auto session = open_node(k);
  if (!session) return 0;
  if (nodes_.size() == 1) return 1;
  const auto status = wsrep_status(*session);
  auto value = [&](const char* name) {
    auto found = status.find(name);
    return found == status.end() ? std::string() : found->second;
  };
  return value("wsrep_cluster_status") == "Primary"
             ? static_cast<std::size_t>(std::atoll(value("wsrep_cluster_size").c_str()))
             : 0;
}

bool Sandbox::node_whole(std::size_t k) const {
  if (nodes_[k].pid <= 0 || !process_alive(nodes_[k].pid, nullptr)) return false;
  auto session = open_node(k);
  if (!session) return false;
  if (nodes_.size() == 1) return true;
  const auto status = wsrep_status(*session);
  auto value = [&](const char* name) {
    auto found = status.find(name);
    return found == status.end() ? std::string() : found->second;
  };
  return value("wsrep_local_state_comment") == "Synced" &&
         value("wsrep_cluster_status") == "Primary" &&
         value("wsrep_cluster_size") == std::to_string(nodes_.size());
}

Sandbox Sandbox::open_directory(const std::string& directory, const SandboxMark& mark) {
  Sandbox sandbox;
  const std::string dir = fs::absolute(directory).lexically_normal().string();
  // Stopping needs no credentials: a sandbox whose start failed has none.
  toml::table config;
  try {
    config = toml::parse_file(dir + "/tidb_config.toml");
  } catch (const std::exception&) {
  }
  sandbox.options_.kind = mark.tidb ? SandboxKind::kTiDb : SandboxKind::kMariaDb;
  sandbox.options_.keep = true;  // a failed restart keeps the data it promised to reuse
  sandbox.options_.detach = true;
  sandbox.options_.nodes = static_cast<int>(std::max<std::size_t>(mark.nodes.size(), 1));
  sandbox.directory_ = dir;
  sandbox.made_directory_ = mark.made_directory;
  for (std::size_t k = 0; k < std::max<std::size_t>(mark.nodes.size(), 1); ++k) {
    const std::string node = node_directory(dir, mark, k);
    sandbox.nodes_.push_back({{"127.0.0.1", mark.nodes.empty() ? mark.port : mark.nodes[k].port},
                              node,
                              running_server(node, mark.tidb)});
  }
  sandbox.user_ = config["database"]["user"].value_or(std::string());
  sandbox.password_ = config["database"]["password"].value_or(std::string());
  sandbox.database_ = config["database"]["database"].value_or(std::string());
  sandbox.ca_path_ = config["database"]["ssl_ca"].value_or(std::string());
  return sandbox;
}

Sandbox Sandbox::attach(const std::string& directory) {
  const std::string dir = fs::absolute(directory).lexically_normal().string();
  Sandbox sandbox = open_directory(dir, read_mark(dir));
  if (sandbox.user_.empty()) {
    throw SandboxError("no sandbox in " + directory + " (its tidb_config.toml is " +
                       "unreadable; start one with `test-rig sandbox start DIR`)");
  }
  return sandbox;
}

void Sandbox::restart_directory(const std::string& directory, int node) {
  const std::string dir = fs::absolute(directory).lexically_normal().string();
  const SandboxMark mark = read_mark(dir);
  Sandbox sandbox = attach(dir);
  if (node == 0) {
    sandbox.shut_down();
    sandbox.launch_all(mark, /*init_file=*/false);
    sandbox.release();
    return;
  }
  if (node < 1 || static_cast<std::size_t>(node) > mark.nodes.size()) {
    throw SandboxError("--node " + std::to_string(node) + ": the sandbox in " + directory +
                       (mark.nodes.empty()
                            ? " is one server, not a cluster"
                            : " has nodes 1 to " + std::to_string(mark.nodes.size())));
  }
  const auto k = static_cast<std::size_t>(node - 1);
  std::size_t others = 0;
  for (std::size_t i = 0; i < sandbox.nodes_.size(); ++i)
    others += i != k && sandbox.nodes_[i].pid > 0;
  if (others == 0) {
    throw SandboxError("node " + std::to_string(node) +
                       " has no running node to join; restart "
                       "the whole cluster: test-rig sandbox restart " +
                       directory);
  }
  sandbox.shut_down_node(k);
  sandbox.rejoin(k, mark, others);
  sandbox.release();
}

Sandbox::Sandbox(Sandbox&& other) noexcept
    : options_(other.options_),
      nodes_(std::move(other.nodes_)),
      user_(std::move(other.user_)),
      password_(std::move(other.password_)),
      database_(std::move(other.database_)),
      directory_(std::move(other.directory_)),
      ca_path_(std::move(other.ca_path_)),
      made_directory_(other.made_directory_) {
  other.nodes_.clear();
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
  // A cluster's last node first: the one stopped last is safe to
  // bootstrap the cluster from again.
  for (std::size_t k = nodes_.size(); k-- > 0;) shut_down_node(k);
}

void Sandbox::shut_down_node(std::size_t k) {
  Node& node = nodes_[k];
  if (node.pid <= 0) return;
  ::kill(node.pid, SIGTERM);
  auto deadline = Clock::now() + kStopTimeout;
  while (process_alive(node.pid, nullptr) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (process_alive(node.pid, nullptr)) {
    ::kill(node.pid, SIGKILL);
    ::waitpid(node.pid, nullptr, 0);
  }
  node.pid = -1;
  if (nodes_.size() > 1) {
    spdlog::info("node {} stopped", k + 1);
  } else {
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

void Sandbox::stop_directory(const std::string& directory, int node) {
  const std::string dir = fs::absolute(directory).lexically_normal().string();
  const SandboxMark mark = read_mark(dir);
  Sandbox sandbox = open_directory(dir, mark);
  if (node == 0) {
    sandbox.options_.keep = false;
    sandbox.stop();
    return;
  }
  if (node < 1 || static_cast<std::size_t>(node) > mark.nodes.size()) {
    throw SandboxError("--node " + std::to_string(node) + ": the sandbox in " + directory +
                       (mark.nodes.empty()
                            ? " is one server, not a cluster"
                            : " has nodes 1 to " + std::to_string(mark.nodes.size())));
  }
  sandbox.shut_down_node(static_cast<std::size_t>(node - 1));
  sandbox.release();
}

}  // namespace rig
