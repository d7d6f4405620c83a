// plugins/load/tpcc_transactions.h -- TPC-C's five transactions as their
// profiles define them (specification clauses 2.4 to 2.8), each one
// database transaction on one terminal's session.
//
//   TpccTerminal terminal(db, TpccRandom(seed, constants), {home, district, warehouses});
//   TpccOutcome done = terminal.run(TpccTransaction::kNewOrder);  // throws test_rig::DbError
//
// A terminal has a home warehouse, and a district of its own for
// Stock-Level (2.8.1.1). New-Order's 1 % with an unused item id rolls back
// by design (2.4.2.3): that is kRolledBack, a completed transaction.
// After a DbError, committing() says whether it came from the COMMIT,
// whose outcome is then unknown.
//
// Thread safety: none; one terminal per worker thread.
#ifndef TEST_RIG_PLUGINS_LOAD_TPCC_TRANSACTIONS_H_
#define TEST_RIG_PLUGINS_LOAD_TPCC_TRANSACTIONS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "test_rig/sdk.h"
#include "tpcc_mix.h"
#include "tpcc_random.h"
#include "workload.h"

namespace rig_load::tpcc {

struct TerminalPlace {
  int home_warehouse = 1;
  int district = 1;  // Stock-Level's
  int warehouses = 1;
};

enum class TpccOutcome { kCommitted, kRolledBack };

class TpccTerminal {
 public:
  // Runs `session_setup` (such as the isolation level), if any, on the
  // session now and after every reconnect. With `prepared`, statements go
  // as prepared statements (binary protocol), each prepared on first use.
  TpccTerminal(test_rig::Connection db, TpccRandom random, TerminalPlace place,
               std::string session_setup, bool prepared)
      : db_(db),
        random_(std::move(random)),
        place_(place),
        setup_(std::move(session_setup)),
        prepared_(prepared) {
    if (!setup_.empty()) db_.execute(setup_);
  }

  TpccOutcome run(TpccTransaction type);
  bool committing() const { return committing_; }
  // The statements the last run() sent, reads, writes and others (BEGIN,
  // COMMIT, ROLLBACK), counted as they were sent.
  const std::array<int64_t, 3>& statements() const { return statements_; }
  // After an error: ends the transaction (never throws), or opens the
  // session again (throws DbError while the server is away).
  void rollback() { db_.execute_best_effort("ROLLBACK"); }
  void reconnect() {
    statements_by_sql_.clear();  // they belong to the old session
    db_.reconnect();
    if (!setup_.empty()) db_.execute(setup_);
  }
  TpccRandom& random() { return random_; }

 private:
  TpccOutcome new_order();
  void payment();
  void order_status();
  void delivery();
  void stock_level();
  // A warehouse other than the home one, or the home one when it is the only.
  int remote_warehouse();
  // The customer of 2.5.2.2/2.6.2.2: by last name 60 % of the time (the
  // middle of those of that name, by first name), else by id. Returns its id.
  int pick_customer(int w, int d, bool for_update);
  void commit();
  // The session's statements, with `?` placeholders for `values` (an
  // amount goes as text inside CAST(? AS DECIMAL(...)), so that it adds up
  // exactly), counted: a SELECT is a read; execute() an INSERT, UPDATE or
  // DELETE a write, anything else another.
  test_rig::QueryResult query(const std::string& sql, const std::vector<Param>& values = {});
  void execute(const std::string& sql, const std::vector<Param>& values = {});
  test_rig::PreparedStatement& prepared(const std::string& sql);

  test_rig::Connection db_;
  TpccRandom random_;
  TerminalPlace place_;
  std::string setup_;
  bool prepared_;
  std::map<std::string, test_rig::PreparedStatement> statements_by_sql_;
  bool committing_ = false;
  std::array<int64_t, 3> statements_{};
};

}  // namespace rig_load::tpcc

#endif  // TEST_RIG_PLUGINS_LOAD_TPCC_TRANSACTIONS_H_
