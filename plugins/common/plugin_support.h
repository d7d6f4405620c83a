// plugins/common/plugin_support.h -- small helpers the shipped plugins share
// (header-only, over the SDK; plugins still see no core code).
//
//   std::string t = unique_name("txn_vis");         // "txn_vis_3f9c0a12b7de"
//   int64_t n = scalar_int(db, "SELECT COUNT(*) FROM " + t);
//   skip_unless_tidb(ctx, "optimistic transactions");
//   TableGuard guard(ctx, t);                       // drops t on every path
#ifndef TEST_RIG_PLUGINS_COMMON_PLUGIN_SUPPORT_H_
#define TEST_RIG_PLUGINS_COMMON_PLUGIN_SUPPORT_H_

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "test_rig/sdk.h"

namespace rig_plugins {

using test_rig::unique_name;

// `value` with `decimals` digits after the point, as progress lines and
// summaries print figures: fixed(2.5) is "2.50".
inline std::string fixed(double value, int decimals = 2) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

// `name` in the directory this plugin was loaded from: where its data sits
// (isolation/ beside isolation.so). Relative to the working directory when
// the host did not say where the plugin is.
inline std::string plugin_directory(const std::string& name) {
  return (std::filesystem::path(test_rig::plugin_path()).parent_path() / name)
      .lexically_normal()
      .string();
}

// Whether the session's database holds a table or view named `table` (one
// of this run's names: letters, digits and '_').
inline bool table_exists(test_rig::Connection& db, const std::string& table) {
  return db.scalar(
             "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
             "TABLE_NAME = '" +
             table + "'") != "0";
}

// The comment of `table` in the session's database (where the owner mark
// sits), "" when it has none or does not exist.
inline std::string table_comment(test_rig::Connection& db, const std::string& table) {
  return db
      .scalar(
          "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
          "AND TABLE_NAME = '" +
          table + "'")
      .value_or("");
}

// Whether `mark` is this process's own.
inline bool is_own_mark(const test_rig::OwnerMark& mark) {
  return mark.text() == test_rig::owner_mark().text();
}

// Whether `table` in the session's database carries this process's own
// owner mark: this run made it.
inline bool made_by_this_process(test_rig::Connection& db, const std::string& table) {
  auto mark = test_rig::parse_owner_mark(table_comment(db, table));
  return mark && is_own_mark(*mark);
}

namespace internal {

// Calls `step(session, table, resumed)` on each of `tables` in turn, under
// retry_reads: a connection lost on the way is reopened, and the loop goes
// on from the table whose statement got no answer, with `resumed` true.
// That statement may have run before its answer was lost.
inline void step_through_tables(
    test_rig::Context& ctx, test_rig::Connection& db, const std::vector<std::string>& tables,
    const std::function<void(test_rig::Connection&, const std::string&, bool)>& step) {
  std::size_t answered = 0;  // across attempts
  bool sent = false;         // tables[answered]'s statement went out
  test_rig::retry_reads(ctx, db, [&](test_rig::Connection& session) {
    for (; answered < tables.size(); ++answered, sent = false) {
      const bool resumed = sent;
      sent = true;
      step(session, tables[answered], resumed);
    }
  });
}

}  // namespace internal

// Drops `tables` (plain names) from the session's database as a cleanup
// does, under retry_reads. A DROP whose answer a lost connection took may
// have run, and a table of that name made since (by the user, another
// tool) is not this run's: on the retry, that table is dropped only if it
// carries this process's own owner mark; else it is left, with a warning.
inline void drop_tables(test_rig::Context& ctx, test_rig::Connection& db,
                        const std::vector<std::string>& tables) {
  internal::step_through_tables(
      ctx, db, tables, [&](test_rig::Connection& session, const std::string& table, bool resumed) {
        if (resumed && !made_by_this_process(session, table)) {
          if (table_exists(session, table)) {
            ctx.warn("left " + table +
                     " as it is: the connection was lost while dropping it, and the table of "
                     "that name now carries no mark of this run, so it may be someone else's; "
                     "drop it yourself if it is this run's");
          }
          return;
        }
        session.execute("DROP TABLE IF EXISTS `" + table + "`");
      });
}

// Sets the comment of each of `tables` (plain names) to `comment_of(table)`
// (text to quote: no quote marks), as a cleanup that hands this run's
// tables over does, under retry_reads. On a retry, the table whose ALTER
// lost its answer is altered again only while it carries this process's
// own owner mark: without it, the lost ALTER ran.
inline void comment_tables(test_rig::Context& ctx, test_rig::Connection& db,
                           const std::vector<std::string>& tables,
                           const std::function<std::string(const std::string&)>& comment_of) {
  internal::step_through_tables(
      ctx, db, tables, [&](test_rig::Connection& session, const std::string& table, bool resumed) {
        if (resumed && !made_by_this_process(session, table)) return;
        session.execute("ALTER TABLE `" + table + "` COMMENT = '" + comment_of(table) + "'");
      });
}

// Throws unless `table` is absent from the session's database: a table of a
// name this run chose that exists already is not this run's to use or drop.
inline void require_absent(test_rig::Connection& db, const std::string& table) {
  if (table_exists(db, table)) {
    throw std::runtime_error("table " + table +
                             " already exists; it is not this run's, so the test leaves it "
                             "alone (drop it yourself if it is a leftover)");
  }
}

// The first column of the first row as an integer; fails when NULL or absent.
inline int64_t scalar_int(test_rig::Connection& db, const std::string& sql) {
  auto value = db.scalar(sql);
  test_rig::expect(value.has_value(), "no value from: " + sql);
  return std::stoll(*value);
}

// Reads `table` on the session `db`, before the session writes to it: a
// Galera node applies the cluster's CREATE TABLE and rows after the node
// that ran them, and a write sent to it meanwhile fails with 1146. A read
// is causal under wsrep_sync_wait, so it waits for them; elsewhere it costs
// one query. Retried as reads are: a node that went away, or lagged past
// the read timeout, sends the session on to the next one.
inline void catch_up_on_table(test_rig::Context& ctx, test_rig::Connection& db,
                              const std::string& table) {
  test_rig::retry_reads(ctx, db, [&](test_rig::Connection& session) {
    session.scalar("SELECT 1 FROM " + table + " LIMIT 1");
  });
}

// Rows sent in multi-row INSERTs of 500: `head` ("INSERT INTO t" or
// "INSERT INTO t (a, b)"), then each add()'s values. flush() sends what is
// left; rows not flushed are never sent.
class RowBatch {
 public:
  RowBatch(test_rig::Connection& db, std::string head) : db_(db), head_(std::move(head)) {}
  // `values`: the text inside the parentheses of one row.
  void add(const std::string& values) {
    sql_ += (rows_ == 0 ? head_ + " VALUES (" : ",(") + values + ")";
    if (++rows_ == kRows) flush();
  }
  void flush() {
    if (rows_ == 0) return;
    db_.execute(sql_);
    sql_.clear();
    rows_ = 0;
  }

 private:
  static constexpr int kRows = 500;
  test_rig::Connection& db_;
  std::string head_, sql_;
  int rows_ = 0;
};

// Inserts rows 1..count into `table` in multi-row batches; `values(n)` gives
// the text inside the parentheses of row n.
inline void insert_rows(test_rig::Connection& db, const std::string& table, int64_t count,
                        const std::function<std::string(int64_t)>& values) {
  RowBatch rows(db, "INSERT INTO " + table);
  for (int64_t n = 1; n <= count; ++n) rows.add(values(n));
  rows.flush();
}

inline void skip_unless_tidb(test_rig::Context& ctx, const std::string& feature) {
  test_rig::ServerInfo server = ctx.connection().server();
  if (!server.is_tidb()) {
    throw test_rig::Skip(feature + " is TiDB-only; this server is " + server.flavor_name() + " " +
                         server.version);
  }
}

// The statement that sets a session's isolation level. MariaDB 10.x calls
// the variable tx_isolation; MySQL 8, TiDB and MariaDB 11 transaction_isolation.
// `level` is e.g. "read-committed".
inline std::string set_isolation_sql(const test_rig::ServerInfo& server, std::string level) {
  for (char& c : level) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const char* variable =
      server.is_mariadb() && server.major < 11 ? "tx_isolation" : "transaction_isolation";
  return std::string("SET SESSION ") + variable + " = '" + level + "'";
}

// Owns a table the handler is about to create: the name must be absent now
// (require_absent), and the table is dropped when the handler leaves,
// whether it passed or threw -- this run's by then, as no one else uses its
// unique name. The sessions registered with `rollback_first` end their
// transactions first, so the DROP never waits on their metadata locks; a
// main session lost meanwhile (a server restart) is reconnected for it.
class TableGuard {
 public:
  TableGuard(test_rig::Context& ctx, std::string table)
      : db_(ctx.connection()), table_(std::move(table)) {
    require_absent(db_, table_);
  }
  ~TableGuard() {
    for (auto& session : sessions_) session.execute_best_effort("ROLLBACK");
    db_.execute_best_effort("ROLLBACK");
    if (db_.execute_best_effort("DROP TABLE IF EXISTS " + table_)) return;
    try {
      db_.reconnect();
      db_.execute_best_effort("DROP TABLE IF EXISTS " + table_);
    } catch (const test_rig::DbError&) {
      // The server is gone; the report's error says so.
    }
  }
  void rollback_first(test_rig::Connection session) { sessions_.push_back(session); }
  TableGuard(const TableGuard&) = delete;
  TableGuard& operator=(const TableGuard&) = delete;

  const std::string& name() const { return table_; }

 private:
  test_rig::Connection db_;
  std::string table_;
  std::vector<test_rig::Connection> sessions_;
};

// A test whose machine is one working state: "run" -> "completed".
inline test_rig::TestDefinition single_state_test(const std::string& name, const std::string& doc,
                                                  std::function<void(test_rig::Context&)> body) {
  test_rig::TestDefinition test(name, doc);
  test.initial("run", std::make_unique<test_rig::LambdaHandler>([body](test_rig::Context& ctx) {
                 body(ctx);
                 return test_rig::StateId(test_rig::State::kCompleted);
               }),
               doc)
      .terminal(test_rig::State::kCompleted)
      .transition("run", test_rig::State::kCompleted);
  return test;
}

// One single-state test in a plugin's table of tests.
struct TestEntry {
  const char* name;
  const char* doc;
  void (*body)(test_rig::Context&);
};

template <std::size_t N>
void add_tests(test_rig::PluginDefinition& plugin, const TestEntry (&tests)[N]) {
  for (const TestEntry& test : tests)
    plugin.test(single_state_test(test.name, test.doc, test.body));
}

}  // namespace rig_plugins

#endif  // TEST_RIG_PLUGINS_COMMON_PLUGIN_SUPPORT_H_
