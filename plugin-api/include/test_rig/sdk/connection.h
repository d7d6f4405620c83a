// test_rig/sdk/connection.h -- a database session of a run, and RAII result
// sets, over the host's database service.
//
//   Connection db = ctx.connection();            // the run's "main" session
//   db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
//   QueryResult rows = db.query("SELECT id FROM t");
//   while (rows.next()) use(rows.get(0));        // std::optional<string_view>
//   std::optional<std::string> one = db.scalar("SELECT 1");
//   DbErrorInfo e = db.try_execute("INSERT ...");  // e.code == 0 ok; 1062 ...
//   db.execute_best_effort("ROLLBACK");               // cleanup: never throws
//
// Thread safety: a Connection may be used by one thread at a time. Results
// are freed by their destructor. Connections belong to the run and are
// closed by the host when it ends.
#ifndef TEST_RIG_SDK_CONNECTION_H_
#define TEST_RIG_SDK_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "test_rig/plugin_api.h"
#include "test_rig/sdk/errors.h"
#include "test_rig/sdk/host.h"

namespace test_rig {

// A result set. Move-only; frees itself through the host.
class QueryResult {
 public:
  explicit QueryResult(rig_result* result) : result_(result) {}
  QueryResult(QueryResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  QueryResult& operator=(QueryResult&& other) noexcept {
    if (this != &other) {
      reset();
      result_ = std::exchange(other.result_, nullptr);
    }
    return *this;
  }
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;
  ~QueryResult() { reset(); }

  // False for statements that return no result set.
  bool has_rows() const { return result_ != nullptr; }

  uint32_t column_count() const { return result_ ? host().result_column_count(result_) : 0; }
  std::string column_name(uint32_t column) const {
    return host().result_column_name(result_, column);
  }
  // The index of the column called `name`, or nullopt.
  std::optional<uint32_t> column_index(std::string_view name) const {
    for (uint32_t i = 0; i < column_count(); ++i) {
      if (name == host().result_column_name(result_, i)) return i;
    }
    return std::nullopt;
  }
  // The column's type (ABI 1.1; RIG_COLUMN_TEXT from an older host).
  rig_column_type column_type(uint32_t column) const {
    if (!host_has(host(), offsetof(rig_host_api, result_column_type))) {
      return RIG_COLUMN_TEXT;
    }
    return host().result_column_type(result_, column);
  }

  uint64_t row_count() const { return result_ ? host().result_row_count(result_) : 0; }

  // Advances to the next row; false at the end.
  bool next() { return result_ && host().result_next_row(result_) == 1; }

  // The cell of the current row; nullopt for SQL NULL. Valid until next().
  std::optional<std::string_view> get(uint32_t column) const {
    const char* data = nullptr;
    std::size_t size = 0;
    if (host().result_cell(result_, column, &data, &size) != 0) {
      return std::nullopt;
    }
    return std::string_view(data, size);
  }

  // All remaining rows, copied.
  std::vector<std::vector<std::optional<std::string>>> fetch_all() {
    std::vector<std::vector<std::optional<std::string>>> rows;
    while (next()) {
      auto& row = rows.emplace_back();
      for (uint32_t i = 0; i < column_count(); ++i) {
        auto cell = get(i);
        row.push_back(cell ? std::optional<std::string>(*cell) : std::nullopt);
      }
    }
    return rows;
  }

 private:
  void reset() {
    if (result_) host().result_free(result_);
    result_ = nullptr;
  }

  rig_result* result_;
};

// What an error code means, from the host's single classification table.
struct ErrorClass {
  rig_error_kind kind = RIG_ERROR_KIND_NONE;
  rig_retry_class retry = RIG_RETRY_NONE;
  std::string description;

  bool conflict() const { return kind == RIG_ERROR_KIND_CONFLICT; }
  bool transient() const { return retry == RIG_RETRY_TRANSIENT; }
};

inline ErrorClass classify_error(uint32_t code, bool during_commit = false) {
  rig_error_class out{};
  out.struct_size = sizeof(out);
  host().classify_error(code, during_commit ? 1 : 0, &out);
  return {out.kind, out.retry, out.description ? out.description : ""};
}

// The error of the last statement; code 0 means it succeeded.
struct DbErrorInfo {
  uint32_t code = 0;
  std::string sqlstate;
  std::string message;
  bool ok() const { return code == 0; }
  ErrorClass classify(bool during_commit = false) const {
    return classify_error(code, during_commit);
  }
  // A lost connection, a server unreachable or overloaded, or a call the
  // host did not send: no outcome of the statement, so no evidence about it.
  bool infrastructure() const {
    const rig_error_kind kind = classify().kind;
    return kind == RIG_ERROR_KIND_CONNECTION || kind == RIG_ERROR_KIND_SERVER_BUSY ||
           code == RIG_ERROR_RUN_STOPPING;
  }
};

// What the host knows about the server.
struct ServerInfo {
  rig_server_flavor flavor = RIG_FLAVOR_UNKNOWN;
  std::string version;
  std::string raw_version;
  uint32_t major = 0, minor = 0, patch = 0;

  bool is_tidb() const { return flavor == RIG_FLAVOR_TIDB; }
  bool is_mariadb() const { return flavor == RIG_FLAVOR_MARIADB; }
  bool is_mysql() const { return flavor == RIG_FLAVOR_MYSQL; }
  std::string flavor_name() const {
    switch (flavor) {
      case RIG_FLAVOR_MYSQL: return "mysql";
      case RIG_FLAVOR_MARIADB: return "mariadb";
      case RIG_FLAVOR_TIDB: return "tidb";
      default: return "unknown";
    }
  }
};

// Parameter values for prepared statements.
inline rig_value int_value(int64_t value) { return {RIG_VALUE_INT, 0, value, 0, nullptr, 0}; }
inline rig_value double_value(double value) { return {RIG_VALUE_DOUBLE, 0, 0, value, nullptr, 0}; }
// `text` is borrowed: it must outlive the execute call.
inline rig_value text_value(std::string_view text) {
  return {RIG_VALUE_TEXT, 0, 0, 0, text.data(), text.size()};
}
inline rig_value null_value() { return {RIG_VALUE_NULL, 0, 0, 0, nullptr, 0}; }

// A statement prepared on a Connection (ABI 1.1). Move-only; frees itself.
// Like its connection, used by one thread at a time; after a reconnect it
// must be prepared again (executing it fails with 2006).
class PreparedStatement {
 public:
  PreparedStatement(rig_conn* conn, rig_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  PreparedStatement(PreparedStatement&& other) noexcept
      : conn_(other.conn_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  PreparedStatement& operator=(PreparedStatement&& other) noexcept {
    if (this != &other) {
      host().stmt_free(stmt_);
      conn_ = other.conn_;
      stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
  }
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;
  ~PreparedStatement() { host().stmt_free(stmt_); }

  // Runs the statement, discarding any rows; returns the affected rows (or
  // the rows read). Throws DbError.
  uint64_t execute(const rig_value* params, uint32_t count) {
    check(host().stmt_execute(stmt_, params, count, nullptr));
    return host().db_affected_rows(conn_);
  }
  uint64_t execute(std::initializer_list<rig_value> params) {
    return execute(params.begin(), static_cast<uint32_t>(params.size()));
  }
  // Runs the statement and returns its rows. Throws DbError.
  QueryResult query(const rig_value* params, uint32_t count) {
    rig_result* result = nullptr;
    check(host().stmt_execute(stmt_, params, count, &result));
    return QueryResult(result);
  }
  QueryResult query(std::initializer_list<rig_value> params) {
    return query(params.begin(), static_cast<uint32_t>(params.size()));
  }

 private:
  void check(rig_status status) const {
    if (status == RIG_OK) return;
    rig_db_error error{};
    error.struct_size = sizeof(error);
    host().db_error(conn_, &error);
    throw DbError(error.code, error.sqlstate ? error.sqlstate : "",
                  error.message ? error.message : "", "(prepared statement)");
  }

  rig_conn* conn_;
  rig_stmt* stmt_;
};

// A session. Cheap to copy: it is a handle owned by the run.
class Connection {
 public:
  explicit Connection(rig_conn* conn) : conn_(conn) {}

  // Runs a statement and returns the affected rows; throws DbError.
  uint64_t execute(std::string_view sql) {
    check(host().db_execute(conn_, sql.data(), sql.size(), nullptr), sql);
    return host().db_affected_rows(conn_);
  }

  // Runs a statement and returns its result set; throws DbError.
  QueryResult query(std::string_view sql) {
    rig_result* result = nullptr;
    check(host().db_execute(conn_, sql.data(), sql.size(), &result), sql);
    return QueryResult(result);
  }

  // The first column of the first row, nullopt for NULL or no row.
  std::optional<std::string> scalar(std::string_view sql) {
    QueryResult result = query(sql);
    if (!result.next()) return std::nullopt;
    auto cell = result.get(0);
    return cell ? std::optional<std::string>(*cell) : std::nullopt;
  }

  // Runs a statement expected to fail, or not, and returns the error the
  // statement got (code 0: none). An infrastructure error (see
  // DbErrorInfo::infrastructure) is no outcome of the statement: it throws
  // DbError, as execute does, so that a lost connection is never taken for
  // the failure a test expected -- nor for one it did not.
  DbErrorInfo try_execute(std::string_view sql) {
    if (host().db_execute(conn_, sql.data(), sql.size(), nullptr) == RIG_OK) {
      return {};
    }
    DbErrorInfo error = last_error();
    if (error.infrastructure()) throw DbError(error.code, error.sqlstate, error.message, sql);
    return error;
  }

  // Runs a cleanup statement (ROLLBACK, DROP ... IF EXISTS, KILL); never
  // throws, also from a destructor. False if it failed, for any reason.
  bool execute_best_effort(std::string_view sql) noexcept {
    return host().db_execute(conn_, sql.data(), sql.size(), nullptr) == RIG_OK;
  }

  DbErrorInfo last_error() const {
    rig_db_error error{};
    error.struct_size = sizeof(error);
    host().db_error(conn_, &error);
    return {error.code, error.sqlstate ? error.sqlstate : "", error.message ? error.message : ""};
  }

  // Prepares `sql` (with ? placeholders) for the binary protocol; throws
  // DbError. Needs a host of ABI 1.1 (HostTooOld on an older one).
  PreparedStatement prepare(std::string_view sql) {
    internal::require_host(offsetof(rig_host_api, db_prepare), "Connection::prepare", 1);
    rig_stmt* stmt = nullptr;
    check(host().db_prepare(conn_, sql.data(), sql.size(), &stmt), sql);
    return PreparedStatement(conn_, stmt);
  }

  // Closes the session and opens it again (after a lost connection);
  // counted as a reconnect. Throws DbError with the reason it failed.
  void reconnect() { check(host().db_reconnect(conn_), ""); }

  uint64_t last_insert_id() const { return host().db_last_insert_id(conn_); }
  uint64_t connection_id() const { return host().db_connection_id(conn_); }

  ServerInfo server() const {
    rig_server_info info{};
    info.struct_size = sizeof(info);
    host().db_server_info(conn_, &info);
    return {info.flavor,
            info.version ? info.version : "",
            info.raw_version ? info.raw_version : "",
            info.major,
            info.minor,
            info.patch};
  }

  rig_conn* handle() const { return conn_; }

 private:
  void check(rig_status status, std::string_view sql) {
    if (status == RIG_OK) return;
    DbErrorInfo error = last_error();
    throw DbError(error.code, error.sqlstate, error.message, sql);
  }

  rig_conn* conn_;
};

}  // namespace test_rig

#endif  // TEST_RIG_SDK_CONNECTION_H_
