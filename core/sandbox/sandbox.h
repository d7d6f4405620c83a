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
// The server gets PR_SET_PDEATHSIG, so it dies with the process that owns
// it; stop() shuts it down cleanly and removes what the sandbox made. The
// sandbox owns its directory (sandbox_directory.h): it makes it, or takes an
// empty one, and marks it; stop_directory and restart_directory act only on
// a marked directory and signal only the sandbox's own server.
#ifndef TEST_RIG_CORE_SANDBOX_SANDBOX_H_
#define TEST_RIG_CORE_SANDBOX_SANDBOX_H_

#include <sys/types.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/db/endpoint.h"

namespace rig {

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

struct SandboxOptions {
  SandboxKind kind = SandboxKind::kMariaDb;
  std::string directory;  // empty: a new directory under $TMPDIR
  bool keep = false;      // leave the directory behind after stop()
  bool detach = false;    // outlive this process (`test-rig sandbox start`)
  bool tls = false;       // MariaDB: a CA and server certificate made with openssl
};

class Sandbox {
 public:
  static Sandbox start(const SandboxOptions& options);

  Sandbox(Sandbox&& other) noexcept;
  Sandbox& operator=(Sandbox&&) = delete;
  Sandbox(const Sandbox&) = delete;
  ~Sandbox();

  // Shuts the server down (SIGTERM, then SIGKILL after 30 s) and removes the
  // directory unless kept. Safe to call twice.
  void stop();
  // Forgets the server and its directory without stopping or removing them
  // (after a detached start).
  void release() {
    pid_ = -1;
    directory_.clear();
  }

  const Endpoint& endpoint() const { return endpoint_; }
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  const std::string& database() const { return database_; }
  const std::string& directory() const { return directory_; }
  pid_t pid() const { return pid_; }
  // The CA certificate that signed the server's, when started with TLS.
  const std::string& ca_path() const { return ca_path_; }
  // A TOML config file (mode 0600) with the connection settings.
  std::string config_path() const { return directory_ + "/tidb_config.toml"; }

  // Stops the sandbox whose directory is `directory` and removes what it
  // made. Throws SandboxError, touching nothing, for an unmarked directory.
  static void stop_directory(const std::string& directory);
  // Starts the server of the sandbox in `directory` again, with the same
  // data, port and credentials, stopping it first if it still runs (for
  // fault-injection tests: kill the server, then bring it back). A failed
  // restart keeps the data.
  static void restart_directory(const std::string& directory);

 private:
  Sandbox() = default;
  // Spawns the server and waits until it accepts the sandbox's user.
  void launch(const std::vector<std::string>& argv);
  // Stops the server (SIGTERM, then SIGKILL after 30 s); keeps the directory.
  void shut_down();
  // The sandbox's running server: the PID in `directory`/sandbox.pid when
  // /proc shows it is that server, else the process /proc shows serving its
  // data, else -1. Never a PID that now belongs to another program.
  static pid_t running_server(const std::string& directory, bool tidb);

  SandboxOptions options_;
  Endpoint endpoint_;
  std::string user_;
  std::string password_;
  std::string database_;
  std::string directory_;
  std::string ca_path_;
  pid_t pid_ = -1;
  bool made_directory_ = false;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_SANDBOX_SANDBOX_H_
