// core/sandbox/sandbox_directory.h -- what a sandbox owns, and how it knows.
//
// A sandbox lives in a directory it made itself, or in one that was empty
// when it started. Its mark, a file `test-rig-sandbox` (mode 0600), says so
// and records how to start the server again. `sandbox stop` and `sandbox
// restart` act only on a directory that carries a mark written by this user,
// and remove only what the sandbox made. They signal a PID only after
// /proc shows it is the sandbox's own server, and never run a command line
// read from a file.
//
// Thread tags: [any-thread]; functions touch only the filesystem and /proc.
#ifndef TEST_RIG_CORE_SANDBOX_SANDBOX_DIRECTORY_H_
#define TEST_RIG_CORE_SANDBOX_SANDBOX_DIRECTORY_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rig {

inline constexpr const char* kSandboxMarkFile = "test-rig-sandbox";

// The loopback ports of one node of a Galera cluster sandbox.
struct GaleraPorts {
  uint16_t port = 0;   // clients
  uint16_t group = 0;  // group communication (gmcast)
  uint16_t ist = 0;    // incremental state transfer
  uint16_t sst = 0;    // full state transfer (rsync)
};

struct SandboxMark {
  bool tidb = false;            // tidb-server, else mariadbd
  bool made_directory = false;  // the directory itself is the sandbox's
  uint16_t port = 0;            // a cluster's: its first node's
  uint16_t status_port = 0;     // tidb-server's status port
  bool tls = false;
  // A Galera cluster's nodes, node k in DIR/node<k>; empty for one server
  // (in DIR itself).
  std::vector<GaleraPorts> nodes;
};

// Makes `directory` the home of a new sandbox: creates it, or takes it when
// it exists and is empty. Returns whether it was created. Throws
// SandboxError for a directory that holds anything, a sandbox included.
bool claim_directory(const std::string& directory);

// Owned by the effective user and writable by nobody else: a mark another
// user could have written or changed is no mark.
bool private_to_this_user(const struct stat& info);

// Writes `content` to `path`, readable by the owner only (secrets, the mark),
// never through a symbolic link. Throws SandboxError.
void write_private_file(const std::string& path, const std::string& content);

void write_mark(const std::string& directory, const SandboxMark& mark);

// Throws SandboxError unless `directory` carries a mark that this user
// wrote and nobody else can change (owned by the effective user, neither it
// nor the directory writable by group or others).
SandboxMark read_mark(const std::string& directory);

// Removes what the sandbox made: the whole directory when it made it, else
// everything in it (it was empty when the sandbox started).
void remove_owned(const std::string& directory, bool made_directory);

// The argument that names the server's data, by which its process is known:
// "--datadir=DIR/data" for mariadbd, "DIR/tidb-data" for tidb-server.
std::string data_argument(const std::string& directory, bool tidb);

// True when `pid` runs mariadbd or tidb-server (by /proc/PID/exe) with
// `data_argument` among its arguments (/proc/PID/cmdline).
bool is_sandbox_server(pid_t pid, const std::string& data_argument);

// The process that is_sandbox_server for `data_argument`, found in /proc,
// or -1.
pid_t find_sandbox_server(const std::string& data_argument);

}  // namespace rig

#endif  // TEST_RIG_CORE_SANDBOX_SANDBOX_DIRECTORY_H_
