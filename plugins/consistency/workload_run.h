// plugins/consistency/workload_run.h -- runs a workload against the server:
// one thread and session per logical process, random transactions, and
// every transaction recorded (invoke and completion times, process,
// operations with the values read, outcome) into one history.
//
//   WorkloadSettings settings = ...;         // from the plugin's options
//   WorkloadRun run = run_workload(ctx, settings, table);
//   write_history(run.history, file);
//
// Outcomes: ok (COMMIT returned), fail (an error before COMMIT, or at
// COMMIT one that says the transaction did not commit, or a ROLLBACK the
// client chose), info (the connection was lost or timed out around COMMIT:
// unknown). After info a session continues as a new logical process, so a
// process never has two transactions open. Transient errors end the
// transaction as fail and the session goes on (reconnecting first when the
// connection was lost); a permanent error (the server given up on, the run
// told to stop) ends the run, with what was recorded kept.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_WORKLOAD_RUN_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_WORKLOAD_RUN_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "history.h"
#include "test_rig/sdk.h"
#include "transaction_generator.h"

namespace consistency {

struct WorkloadSettings {
  TransactionShape shape;
  int sessions = 8;
  // With --shard I/N, this process's sessions are the run's
  // first_session.. of run_sessions: session k is process k (then k +
  // run_sessions after an info, ...) and draws from seed stream k,
  // whichever shard runs it.
  int first_session = 0;
  int run_sessions = 8;
  double time_s = 5;         // 0: until `transactions`
  int64_t transactions = 0;  // 0: until `time_s`
  double rate = 0;           // transactions/s over all sessions; 0: as fast as possible
  uint64_t seed = 1;
  double report_interval_s = 1;
  int64_t initial_balance = 100;  // bank, per account
  bool record = true;             // false: run only, to measure what recording costs
  // Run on every session after it connects: the isolation level, the
  // server profile's settings.
  std::vector<std::string> session_setup;
};

struct WorkloadRun {
  History history;
  int64_t ok = 0, failed = 0, indeterminate = 0;
  int64_t rolled_back = 0;  // of the failed: ended by the client's ROLLBACK
  int64_t reconnects = 0;
  std::map<uint32_t, int64_t> errors_by_code;
  double seconds = 0;
  int64_t start_unix_ns = 0;  // the wall-clock time the history's times count from
  // A permanent error that ended the run early, if one did.
  std::optional<std::string> stopped_by;
};

// The table must exist (see create_table); the run ends with a final read
// of every key used, as one more committed transaction, so that the
// history shows each key's last state.
WorkloadRun run_workload(test_rig::Context& ctx, const WorkloadSettings& settings,
                         const std::string& table);

// Creates the workload's table under `table` (the bank's with its
// accounts), marked as this run's.
void create_table(test_rig::Connection& db, const WorkloadSettings& settings,
                  const std::string& table);

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_WORKLOAD_RUN_H_
