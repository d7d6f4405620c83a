#include "core/db/session.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include <charconv>
#include <mutex>
#include <optional>

#include "core/db/socket_wait.h"

namespace rig {
namespace {

std::once_flag library_once;

// A server that refuses a client before TLS is set up (1040 "Too many
// connections", say) reaches Connector/C as error 2002 whose message ends
// "...cannot be verified: 1040 - Too many connections". The server's own
// code is the one to report: the server is running.
std::optional<unsigned> refusal_before_tls(const std::string& message) {
  const std::string marker = "cannot be verified: ";
  const std::size_t at = message.find(marker);
  if (at == std::string::npos) return std::nullopt;
  unsigned code = 0;
  const char* begin = message.data() + at + marker.size();
  auto [end, ec] = std::from_chars(begin, message.data() + message.size(), code);
  if (ec != std::errc() || end == begin || message.compare(end - message.data(), 3, " - ") != 0) {
    return std::nullopt;
  }
  return code;
}

std::string connect_message(const ConnectParams& params, unsigned code,
                            const std::string& server_message) {
  const std::string target = params.socket.empty() ? params.endpoint.to_string() : params.socket;
  switch (code) {
    case ER_CON_COUNT_ERROR:
    case ER_TOO_MANY_USER_CONNECTIONS:
      return "the server at " + target +
             " refused the connection: it has too many clients (error " + std::to_string(code) +
             "); close other clients, use fewer threads, or raise max_connections (" +
             server_message + ")";
    case ER_ACCESS_DENIED_ERROR:
      return "authentication failed for " + params.describe() + ": check the user and password (" +
             server_message + ")";
    case ER_BAD_DB_ERROR:
      return "database '" + params.database + "' does not exist on " + target +
             ": create it or choose another with --database";
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
      return "cannot connect to " + target +
             ": connection refused or unreachable; is the server running? (" + server_message + ")";
    case CR_SSL_CONNECTION_ERROR:
      return "TLS connection to " + target + " failed: " + server_message +
             " (--ssl-mode required/verify-* needs a server with TLS; check --ssl-ca)";
    case CR_UNKNOWN_HOST:
      return "cannot resolve host '" + params.endpoint.host + "': " + server_message;
    default:
      return "cannot connect to " + target + " as " + params.user + ": " + server_message +
             " (error " + std::to_string(code) + ")";
  }
}

}  // namespace

std::string ConnectParams::describe() const { return user + "@" + server(); }

std::string ConnectParams::server() const {
  if (!socket.empty()) return socket;
  if (servers.size() < 2) return endpoint.to_string();
  std::string list;
  for (const Endpoint& e : servers) list += (list.empty() ? "" : ",") + e.to_string();
  return list;
}

std::vector<Endpoint> servers_of(const ConnectParams& params) {
  if (params.servers.empty() || !params.socket.empty()) return {params.endpoint};
  return params.servers;
}

void ensure_client_thread() {
  std::call_once(library_once, [] { mysql_library_init(0, nullptr, nullptr); });
  thread_local bool initialised = false;
  if (!initialised) {
    mysql_thread_init();
    initialised = true;
  }
}

namespace {

// One connection attempt; `tls` asks for an encrypted session.
MYSQL* connect_once(const ConnectParams& params, bool tls, unsigned* code, std::string* message) {
  MYSQL* mysql = mysql_init(nullptr);
  if (mysql == nullptr) {
    *message = "out of memory creating a client handle";
    return nullptr;
  }
  mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &params.connect_timeout_s);
  mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &params.read_timeout_s);
  mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &params.write_timeout_s);
  // Timeouts without a kernel timer per wait (see socket_wait.h).
  mysql_optionsv(mysql, MARIADB_OPT_IO_WAIT, wait_for_socket);
  mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // Tests load files with LOAD DATA LOCAL INFILE (plugins/import); the
  // server still has to allow it (local_infile).
  unsigned local_infile = 1;
  mysql_options(mysql, MYSQL_OPT_LOCAL_INFILE, &local_infile);
  unsigned protocol = params.socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
  mysql_options(mysql, MYSQL_OPT_PROTOCOL, &protocol);
  if (tls) {
    my_bool enforce = 1;
    mysql_options(mysql, MYSQL_OPT_SSL_ENFORCE, &enforce);
    auto path = [](const std::string& p) { return p.empty() ? nullptr : p.c_str(); };
    mysql_ssl_set(mysql, path(params.ssl_key), path(params.ssl_cert), path(params.ssl_ca), nullptr,
                  nullptr);
    // Connector/C 3.3 verifies chain and host name together, so verify-ca
    // and verify-identity both check the name.
    my_bool verify =
        params.tls_mode == TlsMode::kVerifyCa || params.tls_mode == TlsMode::kVerifyIdentity;
    mysql_options(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  const char* password = params.password ? params.password->c_str() : nullptr;
  const char* socket = params.socket.empty() ? nullptr : params.socket.c_str();
  const char* database = params.database.empty() ? nullptr : params.database.c_str();
  if (!mysql_real_connect(mysql, params.endpoint.host.c_str(), params.user.c_str(), password,
                          database, params.endpoint.port, socket, CLIENT_MULTI_RESULTS)) {
    *code = mysql_errno(mysql);
    *message = mysql_error(mysql);
    mysql_close(mysql);
    return nullptr;
  }
  // Connector/C may fall back to a plain session when the server offers no
  // TLS; a mode that requires TLS must not accept that.
  if (tls && params.tls_mode != TlsMode::kPreferred && mysql_get_ssl_cipher(mysql) == nullptr) {
    *code = CR_SSL_CONNECTION_ERROR;
    *message = "the server does not offer TLS";
    mysql_close(mysql);
    return nullptr;
  }
  return mysql;
}

}  // namespace

std::unique_ptr<Session> Session::open(const ConnectParams& params, ConnectFailure* failure) {
  ensure_client_thread();
  unsigned code = 0;
  std::string message;
  const bool tls = params.tls_mode != TlsMode::kDisabled;
  MYSQL* mysql = connect_once(params, tls, &code, &message);
  // "preferred": a server whose TLS handshake fails gets a plain session.
  if (mysql == nullptr && params.tls_mode == TlsMode::kPreferred &&
      code == CR_SSL_CONNECTION_ERROR) {
    mysql = connect_once(params, false, &code, &message);
  }
  if (mysql == nullptr) {
    if (auto refused = refusal_before_tls(message)) code = *refused;
    if (failure) {
      failure->code = code;
      failure->unknown_database = code == ER_BAD_DB_ERROR;
      failure->message = connect_message(params, code, message);
    }
    return nullptr;
  }
  if (params.wsrep_sync_wait) {
    const std::string sql =
        "SET SESSION wsrep_sync_wait = " + std::to_string(*params.wsrep_sync_wait);
    if (mysql_real_query(mysql, sql.data(), sql.size()) != 0) {
      if (failure) {
        failure->code = mysql_errno(mysql);
        failure->message = "--wsrep-sync-wait " + std::to_string(*params.wsrep_sync_wait) + ": " +
                           params.describe() + " refused it (" + mysql_error(mysql) +
                           "); it is a Galera setting: leave it unset for other servers";
      }
      mysql_close(mysql);
      return nullptr;
    }
  }
  return std::unique_ptr<Session>(new Session(mysql));
}

Session::Session(MYSQL* mysql) : mysql_(mysql) {
  server_ = detect_server(mysql_get_server_info(mysql_));
}

Session::~Session() { mysql_close(mysql_); }

bool Session::execute(std::string_view sql, MYSQL_RES** result) {
  if (result) *result = nullptr;
  error_ = SessionError{};
  affected_rows_ = 0;
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
    capture_error();
    return false;
  }
  // Walk every result of the statement so the session stays usable; keep
  // the first result set for the caller.
  bool first = true;
  do {
    MYSQL_RES* rows = mysql_store_result(mysql_);
    // A connection lost while the rows arrive resets the field count to 0,
    // as if the statement had no result set, and mysql_next_result would
    // then clear the error: ask for it here, or a cut-off result reads as
    // a complete one with no rows.
    if (rows == nullptr && (mysql_field_count(mysql_) != 0 || mysql_errno(mysql_) != 0)) {
      capture_error();
      return false;
    }
    if (first) {
      affected_rows_ = rows ? mysql_num_rows(rows) : mysql_affected_rows(mysql_);
      if (result) {
        *result = rows;
        rows = nullptr;
      }
      first = false;
    }
    if (rows) mysql_free_result(rows);
  } while (mysql_next_result(mysql_) == 0);
  if (mysql_errno(mysql_) != 0) {
    capture_error();
    if (result && *result) {
      mysql_free_result(*result);
      *result = nullptr;
    }
    return false;
  }
  return true;
}

void Session::capture_error() {
  error_.code = mysql_errno(mysql_);
  error_.sqlstate = mysql_sqlstate(mysql_);
  error_.message = mysql_error(mysql_);
}

}  // namespace rig
