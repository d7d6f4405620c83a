// core/sandbox/sandbox.h -- a throw-away database server on a free loopback
// port, for the demo, integration tests and CI.
//
//   Sandbox sandbox = Sandbox::start({SandboxKind::kMariaDb});  // throws SandboxError
//   connect to sandbox.endpoint() as sandbox.user() / sandbox.password(),
//   database sandbox.database();
//   sandbox.stop();  // also done by the destructor
//
// MariaDB: Debian's mariadbd in a fresh temporary data directory, with a
// user `rig` whose random password is written only to files readable by the
// owner (never to a command line). TiDB: `tidb-server` in its standalone
// mode (unistore), user root without password, when it is on PATH. With
// `tls`, MariaDB gets a server certificate for localhost and 127.0.0.1,
// signed by a throw-away CA made with openssl.
// With `nodes` of 2 or more (MariaDB), a Galera cluster: node k in DIR/node<k>
// with its own loopback ports, node 1 bootstrapping the cluster and the
// others joining it one by one by state transfer (rsync); ready when every
// node is Synced in a cluster of all of them. As root the nodes run as the
// `mysql` user (rsync's state transfer cannot run as root), their
// directories theirs.
// The servers get PR_SET_PDEATHSIG, so they die with the process that owns
// them; stop() shuts them down cleanly and removes what the sandbox made.
// The sandbox owns its directory (sandbox_directory.h): it makes it, or
// takes an empty one, and marks it; stop_directory and restart_directory act
// only on a marked directory and signal only the sandbox's own servers.
#ifndef TEST_RIG_CORE_SANDBOX_SANDBOX_H_
#define TEST_RIG_CORE_SANDBOX_SANDBOX_H_

#include <sys/types.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/db/endpoint.h"
#include "core/sandbox/sandbox_directory.h"

namespace rig {

class Session;

enum class SandboxKind { kMariaDb, kTiDb };

class SandboxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The server could not bind its port: another program took it first.
class SandboxPortTaken : public SandboxError {
 public:
  using SandboxError::SandboxError;
};

// A cluster node lost the cluster while it joined: Galera gave it a final
// non-primary view and it stays alone, Initialized. Starting it again is
// worth a try.
class SandboxJoinFailed : public SandboxError {
 public:
  using SandboxError::SandboxError;
};

struct SandboxOptions {
  SandboxKind kind = SandboxKind::kMariaDb;
  std::string directory;  // empty: a new directory under $TMPDIR
  bool keep = false;      // leave the directory behind after stop()
  bool detach = false;    // outlive this process (`test-rig sandbox start`)
  bool tls = false;       // MariaDB: a CA and server certificate made with openssl
  int nodes = 1;          // MariaDB: 2 or more make a Galera cluster
};

class Sandbox {
 public:
  static Sandbox start(const SandboxOptions& options);
  // The running sandbox in `directory`, which an earlier `test-rig sandbox
  // start` left: its nodes, credentials and options, to act on (restart a
  // node, the nemesis's faults). Call release() before it is destroyed to
  // leave its servers running. Throws SandboxError for a directory that is
  // no sandbox or has lost its tidb_config.toml.
  static Sandbox attach(const std::string& directory);

  Sandbox(Sandbox&& other) noexcept;
  Sandbox& operator=(Sandbox&&) = delete;
  Sandbox(const Sandbox&) = delete;
  ~Sandbox();

  // Shuts the servers down (SIGTERM, then SIGKILL after 30 s; a cluster's
  // last node first) and removes the directory unless kept. Safe to call
  // twice.
  void stop();
  // Forgets the servers and the directory without stopping or removing them
  // (after a detached start).
  void release() {
    for (Node& node : nodes_) node.pid = -1;
    directory_.clear();
  }

  // The first node's address; every node's, in order.
  const Endpoint& endpoint() const { return nodes_.front().endpoint; }
  std::vector<Endpoint> endpoints() const;
  // "127.0.0.1:P1,127.0.0.1:P2": what --host takes to spread sessions over
  // every node.
  std::string host_list() const;
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  const std::string& database() const { return database_; }
  const std::string& directory() const { return directory_; }
  pid_t pid() const { return nodes_.front().pid; }
  std::vector<pid_t> pids() const;
  // The CA certificate that signed the server's, when started with TLS.
  const std::string& ca_path() const { return ca_path_; }
  // A TOML config file (mode 0600) with the connection settings.
  std::string config_path() const { return directory_ + "/tidb_config.toml"; }

  // ---- Faults on a running sandbox (the nemesis): node `k` is 0-based.
  std::size_t node_count() const { return nodes_.size(); }
  // SIGKILL, as a crash would; the node stays down until restarted.
  void kill_node(std::size_t k);
  // SIGSTOP and SIGCONT: the node freezes, then goes on.
  void pause_node(std::size_t k, bool paused);
  // Stops the node cleanly (SIGTERM), as an operator's restart begins.
  void stop_node(std::size_t k) { shut_down_node(k); }
  // Starts a stopped or killed node again: one server as it was, a cluster
  // node rejoining the others (see rejoin).
  void start_node(std::size_t k);
  // A cluster node cut off from the others (Galera's gmcast.isolate), or
  // joined to them again.
  void isolate_node(std::size_t k, bool isolated);
  // Makes the primary component from node k's side when no node has one
  // (a majority was killed or cut off): Galera's pc.bootstrap.
  void bootstrap_primary(std::size_t k);
  // Whether node k runs, answers and (in a cluster) is Synced in a primary
  // component of every node.
  bool node_whole(std::size_t k) const;
  // The size of the primary component node k belongs to: 0 when it does not
  // answer or is in none (one server answering: 1).
  std::size_t primary_size(std::size_t k) const;

  // Stops the sandbox whose directory is `directory` and removes what it
  // made; with `node` (1-based), stops only that node of a cluster and
  // keeps everything. Throws SandboxError, touching nothing, for an
  // unmarked directory.
  static void stop_directory(const std::string& directory, int node = 0);
  // Starts the servers of the sandbox in `directory` again, with the same
  // data, ports and credentials, stopping them first if they still run (for
  // fault-injection tests: kill a server, then bring it back). With `node`,
  // only that node of a cluster, which rejoins the others (see rejoin). A
  // failed restart keeps the data.
  static void restart_directory(const std::string& directory, int node = 0);

 private:
  // One server: the sandbox's only one (its directory the sandbox's), or a
  // cluster's node k (in DIR/node<k>).
  struct Node {
    Endpoint endpoint;
    std::string directory;
    pid_t pid = -1;
  };

  Sandbox() = default;
  // A session of the sandbox's user on node k, or null.
  std::unique_ptr<Session> open_node(std::size_t k) const;
  // SET GLOBAL wsrep_provider_options on node k; throws SandboxError.
  void set_provider_option(std::size_t k, const std::string& option);
  // Reads a marked directory's sandbox: its nodes, credentials, options.
  static Sandbox open_directory(const std::string& directory, const SandboxMark& mark);
  // Spawns node `k` (0-based) and waits until it accepts the sandbox's
  // user -- and, in a cluster, until it is Synced in a cluster of at least
  // `cluster_size` nodes.
  void launch(std::size_t k, const std::vector<std::string>& argv, std::size_t cluster_size);
  // Starts every node of the mark (a cluster: node 1 bootstrapping, then
  // the others joining one by one).
  void launch_all(const SandboxMark& mark, bool init_file);
  // Starts cluster node `k` joining `others` running nodes: a node that
  // stopped cleanly from its position (incremental state transfer); a
  // killed node, or one whose join from its position failed, on an empty
  // data directory (full state transfer), its own kept as data.before-sst.
  void rejoin(std::size_t k, const SandboxMark& mark, std::size_t others);
  // Stops every running node (a cluster's last first), or node `k`;
  // keeps the directory.
  void shut_down();
  void shut_down_node(std::size_t k);
  // The sandbox's running server in a node's directory: the PID in its
  // sandbox.pid when /proc shows it is that server, else the process /proc
  // shows serving its data, else -1. Never a PID that now belongs to
  // another program.
  static pid_t running_server(const std::string& directory, bool tidb);

  SandboxOptions options_;
  std::vector<Node> nodes_;
  std::string user_;
  std::string password_;
  std::string database_;
  std::string directory_;
  std::string ca_path_;
  bool made_directory_ = false;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_SANDBOX_SANDBOX_H_
