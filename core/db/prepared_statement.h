// core/db/prepared_statement.h -- a statement prepared on a Session, run
// with the binary protocol.
//
//   SessionError error;
//   auto stmt = PreparedStatement::prepare(session, "SELECT c FROM t WHERE id=?", &error);
//   rig_value id{RIG_VALUE_INT, 0, 42};
//   StatementRows rows;
//   if (!stmt->execute(&id, 1, &rows)) report(stmt->error());
//
// Result values come back as text (Connector/C converts them), so callers
// see the same cells as from Session::execute. Thread safety: as its
// Session's, one thread at a time; it must not outlive the Session.
#ifndef TEST_RIG_CORE_DB_PREPARED_STATEMENT_H_
#define TEST_RIG_CORE_DB_PREPARED_STATEMENT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mysql.h>

#include "core/db/session.h"
#include "test_rig/plugin_api.h"

namespace rig {

// The rows of a statement's result, read in full.
struct StatementRows {
  std::vector<std::string> column_names;
  std::vector<rig_column_type> column_types;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

class PreparedStatement {
 public:
  static std::unique_ptr<PreparedStatement> prepare(Session& session, std::string_view sql,
                                                    SessionError* error);
  ~PreparedStatement();
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  // Runs the statement with `count` parameters. With `rows` null any rows
  // are read and dropped. False on error (see error()).
  bool execute(const rig_value* params, uint32_t count, StatementRows* rows);
  const SessionError& error() const { return error_; }

 private:
  PreparedStatement(Session& session, MYSQL_STMT* stmt);
  bool fail();
  bool read_rows(StatementRows* rows);
  // Copies `params` into the bound buffers; binds again only when a type
  // changed or a text outgrew its buffer (binding makes the next execute
  // resend the types).
  bool bind(const rig_value* params, uint32_t count);

  Session& session_;
  MYSQL_STMT* stmt_;
  SessionError error_;
  // The bound parameters: stable buffers the binds point into.
  std::vector<MYSQL_BIND> binds_;
  std::vector<rig_value_type> bound_types_;
  std::vector<int64_t> ints_;
  std::vector<double> doubles_;
  std::vector<std::string> texts_;
  std::vector<unsigned long> lengths_;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_DB_PREPARED_STATEMENT_H_
