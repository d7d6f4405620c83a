#include "statement_runner.h"

#include <optional>
#include <vector>

#include "load_run.h"
#include "plugin_support.h"

namespace rig_load {
namespace {

// Statements as text (what sysbench calls --db-ps-mode=disable).
class TextRunner : public StatementRunner {
 public:
  explicit TextRunner(test_rig::Connection db) : db_(db) {}
  void run(const Statement& statement) override { db_.execute(statement.text()); }
  void rollback() override { db_.execute_best_effort("ROLLBACK"); }
  void reconnect() override { db_.reconnect(); }

 private:
  test_rig::Connection db_;
};

// Prepared statements (what sysbench calls --db-ps-mode=auto), prepared on
// first use per statement and table, again after a reconnect.
class PreparedRunner : public StatementRunner {
 public:
  PreparedRunner(test_rig::Connection db, int tables)
      : db_(db), prepared_(static_cast<std::size_t>(tables) * kStatementKinds) {}

  void run(const Statement& statement) override {
    auto& slot = prepared_[static_cast<std::size_t>(statement.table - 1) * kStatementKinds +
                           static_cast<std::size_t>(statement.kind)];
    if (!slot) slot.emplace(db_.prepare(*statement.sql));
    values_.clear();
    for (const Param& param : statement.params) values_.push_back(param_value(param));
    slot->execute(values_.data(), static_cast<uint32_t>(values_.size()));
  }
  void rollback() override { db_.execute_best_effort("ROLLBACK"); }
  void reconnect() override {
    for (auto& slot : prepared_) slot.reset();  // they belong to the old session
    db_.reconnect();
  }

 private:
  test_rig::Connection db_;
  // By table and kind, prepared on first use.
  std::vector<std::optional<test_rig::PreparedStatement>> prepared_;
  std::vector<rig_value> values_;
};

// No server: the statement's text is built (as a real run would) and
// dropped, so the run measures the rig's own cost.
class DryRunner : public StatementRunner {
 public:
  void run(const Statement& statement) override { sink_ += statement.text().size(); }
  void rollback() override {}
  void reconnect() override {}

 private:
  std::size_t sink_ = 0;  // keeps the text from being optimised away
};

}  // namespace

rig_value param_value(const Param& param) {
  if (const int64_t* number = std::get_if<int64_t>(&param)) return test_rig::int_value(*number);
  return test_rig::text_value(std::get<std::string>(param));
}

std::unique_ptr<StatementRunner> make_runner(test_rig::Context& ctx, const std::string& session,
                                             const LoadSettings& settings) {
  // A Python workload's handler, and a TPC-C terminal, open the sessions
  // they want themselves.
  if (settings.dry_run || settings.workload == Workload::kPython ||
      settings.workload == Workload::kTpcc) {
    return std::make_unique<DryRunner>();
  }
  test_rig::Connection db = ctx.connection(session);
  for (int table = 1; table <= settings.tables; ++table) {
    rig_plugins::catch_up_on_table(ctx, db, quoted_table(settings.table_prefix, table));
  }
  if (settings.prepared) return std::make_unique<PreparedRunner>(db, settings.tables);
  return std::make_unique<TextRunner>(db);
}

}  // namespace rig_load
