// core/db/session.h -- one database session over MariaDB Connector/C.
//
//   ConnectParams params = ...;
//   ConnectFailure why;
//   std::unique_ptr<Session> session = Session::open(params, &why);
//   if (!session) report(why.message);     // "authentication failed for ..."
//   MYSQL_RES* rows = nullptr;
//   if (!session->execute("SELECT 1", &rows)) report(session->error());
//
// Thread safety: one thread at a time per Session; call
// ensure_client_thread() first on every thread that uses one.
#ifndef TEST_RIG_CORE_DB_SESSION_H_
#define TEST_RIG_CORE_DB_SESSION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mysql.h>

#include "core/db/endpoint.h"
#include "core/db/server_version.h"

namespace rig {

enum class TlsMode { kDisabled, kPreferred, kRequired, kVerifyCa, kVerifyIdentity };

struct ConnectParams {
  Endpoint endpoint;  // the server a session connects to
  // Every server of --host ("h1:4000,h2:4000"); the host gives new sessions
  // one after the other, round-robin. Empty means just `endpoint`.
  std::vector<Endpoint> servers;
  std::string socket;  // used instead of TCP when set
  std::string user;
  std::optional<std::string> password;
  std::string database;
  unsigned connect_timeout_s = 10;
  unsigned read_timeout_s = 60;
  unsigned write_timeout_s = 60;
  TlsMode tls_mode = TlsMode::kPreferred;
  std::string ssl_ca, ssl_cert, ssl_key;
  // Galera: SET SESSION wsrep_sync_wait to this on every new session.
  std::optional<int> wsrep_sync_wait;

  // "user@host:port" or "user@socket", for messages; never the password.
  std::string describe() const;
  // "host:port" (all of `servers`, comma-separated), or the socket path.
  std::string server() const;
};

// The servers of `params`: its list, or its one endpoint. With a unix
// socket, the endpoint (the socket path names the server instead).
std::vector<Endpoint> servers_of(const ConnectParams& params);

struct ConnectFailure {
  uint32_t code = 0;
  // Only the database named by --database is missing: the server is up and
  // the credentials work. A fact about the server, not an infrastructure
  // error.
  bool unknown_database = false;
  std::string message;
};

struct SessionError {
  uint32_t code = 0;
  std::string sqlstate = "00000";
  std::string message;
};

// Initialises the client library for the calling thread (idempotent).
void ensure_client_thread();

class Session {
 public:
  static std::unique_ptr<Session> open(const ConnectParams& params, ConnectFailure* failure);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs `sql`. With `result` non-null, stores the result set there (null
  // when the statement returns none); otherwise discards any rows.
  bool execute(std::string_view sql, MYSQL_RES** result);

  uint64_t affected_rows() const { return affected_rows_; }
  // For prepared statements, which run on this session's handle.
  void set_affected_rows(uint64_t rows) { affected_rows_ = rows; }
  MYSQL* handle() const { return mysql_; }
  uint64_t last_insert_id() const { return mysql_insert_id(mysql_); }
  uint64_t connection_id() const { return mysql_thread_id(mysql_); }
  const SessionError& error() const { return error_; }
  const ServerVersion& server() const { return server_; }

 private:
  explicit Session(MYSQL* mysql);
  void capture_error();

  MYSQL* mysql_;
  ServerVersion server_;
  SessionError error_;
  uint64_t affected_rows_ = 0;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_DB_SESSION_H_
