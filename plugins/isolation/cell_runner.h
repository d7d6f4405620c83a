// plugins/isolation/cell_runner.h -- runs one scenario at one isolation level
// (one cell of the matrix) with real concurrent sessions, and judges it.
//
// Every step goes to its session's thread. A step is blocked when the wait
// probe sees its session wait for a lock of any kind (row and gap locks in
// InnoDB's transaction list; metadata, table and user locks in the process
// list); on servers without those views, when it is still running after the
// block timeout. The scenario then moves on, and the blocked statement's
// eventual result is collected before the cell is judged.
//
// A step still waiting when the script has ended would be released only by
// the runner's own cleanup, and a wait ended by a lock-wait timeout was ended
// by no step of the scenario: either makes the cell undecided, never a
// verdict. Whatever a cell does -- an error, a stuck statement -- its
// sessions are idle, rolled back and reusable, and its table is dropped,
// before the next cell starts.
//
// Thread tags: everything here is [cell-runner], the thread that runs the
// matrix; SessionWorker threads only run the steps handed to them.
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
  std::vector<std::string> session_setup;  // lock-wait timeouts, tidb_txn_mode, ...
  std::string table;                       // replaces {t}
  // Run on every server's monitor after each step when the sessions are on
  // several servers: returns once that server has applied what the others
  // committed (a causal read on a Galera node). "" where commits are
  // visible everywhere at once (one server, TiDB).
  std::string replica_barrier;
  std::chrono::milliseconds block_timeout{250};
  // How long a step that was blocked gets to finish after each later step.
  std::chrono::milliseconds settle_timeout{50};
  std::chrono::milliseconds finish_timeout{15000};
};

struct CellResult {
  std::string scenario;
  std::string level;
  std::optional<Outcome> outcome;  // unset when the cell errored or was skipped
  std::string undecided;           // why the outcome is kUndecided
  std::string error;               // why the cell could not be judged
  std::string skipped;             // why the cell does not apply
  std::vector<StepResult> trace;
  double duration_s = 0;
};

// Tells whether a session waits for a lock, from the live views of the
// server it is on (`monitors[k]` is a session on server k). Unavailable (and
// then the block timeout decides) on servers without them or without the
// PROCESS privilege.
class WaitProbe {
 public:
  explicit WaitProbe(std::vector<test_rig::Connection> monitors);
  bool available() const { return available_; }
  // What the session `connection_id` of server `server` waits for ("row
  // lock", "table metadata lock", "user lock", ...), or "" when it is not
  // waiting.
  std::string waiting(std::size_t server, uint64_t connection_id);

 private:
  std::vector<test_rig::Connection> monitors_;
  bool available_;
};

// The sessions of a run, reused from cell to cell, plus a monitor session on
// each server the sessions are on: for the wait probe and releasing stuck
// steps there, and, on server 0, for setup and `after` steps.
struct SessionPool {
  std::vector<test_rig::Connection> monitors;
  std::vector<std::string> monitor_setup;  // applied again when one reconnects
  WaitProbe probe;
  std::vector<std::unique_ptr<SessionWorker>> workers;
  Clock::time_point epoch;

  test_rig::Connection& monitor() { return monitors.front(); }
};

// Thrown when a session could not be made idle again (a statement that
// ignores KILL QUERY): the pool is unusable and the matrix must stop.
class PoolBroken : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

CellResult run_cell(const Scenario& scenario, const CellSettings& settings, SessionPool& pool);

// The trace as readable lines, for failure messages.
std::string format_trace(const CellResult& cell);

}  // namespace isolation

#endif  // TEST_RIG_PLUGINS_ISOLATION_CELL_RUNNER_H_
