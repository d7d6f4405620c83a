// plugins/isolation/cell_runner.h -- runs one scenario at one isolation level
// (one cell of the matrix) with real concurrent sessions, and judges it.
//
// Every step goes to its session's thread. On InnoDB a step is blocked when
// SHOW ENGINE INNODB STATUS shows its session in LOCK WAIT (live, exact); on
// other servers when it is still running after the block timeout. The
// scenario then moves on, and the blocked statement's eventual result is
// collected before the cell is judged.
#ifndef TEST_RIG_PLUGINS_ISOLATION_CELL_RUNNER_H_
#define TEST_RIG_PLUGINS_ISOLATION_CELL_RUNNER_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "expectations.h"
#include "scenario.h"
#include "session_worker.h"
#include "test_rig/sdk.h"

namespace isolation {

struct CellSettings {
  std::string level;                       // "read-committed"
  std::string set_level_sql;               // e.g. SET SESSION tx_isolation = 'READ-COMMITTED'
  std::vector<std::string> session_setup;  // e.g. SET SESSION tidb_txn_mode = ...
  std::string table;                       // replaces {t}
  std::chrono::milliseconds block_timeout{250};
  // How long a step that was blocked gets to finish after each later step.
  std::chrono::milliseconds settle_timeout{50};
  std::chrono::milliseconds finish_timeout{15000};
};

struct CellResult {
  std::string scenario;
  std::string level;
  std::optional<Outcome> outcome;  // unset when the cell errored or was skipped
  std::string error;               // why the cell could not be judged
  std::string skipped;             // why the cell does not apply
  std::vector<StepResult> trace;
  double duration_s = 0;
};

// Tells whether a session waits for a row lock, from InnoDB's live status.
// Unavailable (and then the block timeout decides) on servers without it or
// without the PROCESS privilege.
class LockWaitProbe {
 public:
  explicit LockWaitProbe(test_rig::Connection monitor);
  bool available() const { return available_; }
  bool waiting(uint64_t connection_id);

 private:
  test_rig::Connection monitor_;
  bool available_;
};

// The sessions of a run, reused from cell to cell, plus a monitor session
// for setup, the lock-wait probe and `after` steps.
struct SessionPool {
  test_rig::Connection monitor;
  LockWaitProbe probe;
  std::vector<std::unique_ptr<SessionWorker>> workers;
  Clock::time_point epoch;
};

CellResult run_cell(const Scenario& scenario, const CellSettings& settings, SessionPool& pool);

// The trace as readable lines, for failure messages.
std::string format_trace(const CellResult& cell);

}  // namespace isolation

#endif  // TEST_RIG_PLUGINS_ISOLATION_CELL_RUNNER_H_
