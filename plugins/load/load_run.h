// plugins/load/load_run.h -- one timed run of a workload: worker threads,
// each with its own session, pacing, retries, and the statistics that
// become the progress lines, the summary and the JSON report.
//
//   LoadSettings settings = ...;       // from the plugin's options
//   LoadResult result = run_load(ctx, settings);
//
// Every attempted event ends as exactly one of: succeeded, failed (a
// transient error outlived the [retry] policy), ignored (its error code is
// in --load.ignore-errors) or indeterminate (the connection was lost while
// a write was committing). A permanent error stops the run and is thrown.
#ifndef TEST_RIG_PLUGINS_LOAD_LOAD_RUN_H_
#define TEST_RIG_PLUGINS_LOAD_LOAD_RUN_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "load_summary.h"
#include "random_ids.h"
#include "test_rig/sdk.h"
#include "tpcc_mix.h"
#include "tpcc_random.h"
#include "workload.h"

namespace rig_load {

// Workload::kTpcc's own settings.
struct TpccSettings {
  int warehouses = 1;
  tpcc::Weights weights{45, 43, 4, 4, 4};
  // The population's NURand constants; the run draws its own from them.
  tpcc::NurandConstants load_constants;
  // Keying and think times (clause 5.2.5), as a terminal's user would take.
  bool wait = false;
  // Run first on every worker's session (its isolation level), or "".
  std::string session_setup;
};

struct LoadSettings {
  Workload workload = Workload::kPointSelect;
  int threads = 1;
  // This process's first thread among the run's (--shard I/N): thread k of
  // the run draws from seed stream k, whichever shard runs it.
  int first_thread = 0;
  double time_s = 10;   // 0: until `events`
  int64_t events = 0;   // 0: until `time_s`
  double rate = 0;      // events/s over all threads; 0: as fast as possible
  double warmup_s = 0;  // run, but do not count, this long first
  double report_interval_s = 1;
  Distribution distribution = Distribution::kUniform;
  uint64_t seed = 1;
  std::string table_prefix = "sbtest";
  int tables = 1;
  int64_t table_size = 10000;
  EventShape shape;  // sysbench's statement counts, range size, transaction
  bool prepared = false;
  bool dry_run = false;
  std::set<uint32_t> ignore_errors;
  std::string csv_path;    // per-interval CSV; empty: none
  bool histogram = false;  // an ASCII histogram in the summary
  // A test aid: every measured event's latency in ns, one per line, to this
  // file (with the events in memory until the end); empty: none.
  // --load.raw-latencies DIR makes it DIR/<workload>.txt.
  std::string raw_latencies_path;
  // Workload::kPython: the handlers bound to hook "event" -- enter once per
  // thread, execute once per event, exit once per thread.
  rig_state_descriptor event_handler{};
  TpccSettings tpcc;  // Workload::kTpcc
};

// What a run did to the tables, over all events, warm-up included: what
// the plugin checks them against afterwards.
struct TableEffects {
  int64_t committed_inserts = 0;  // load/insert's
  int64_t committed_index_updates = 0;
  int64_t committed_deletes = 0;       // load/delete's
  int64_t indeterminate = 0;           // events whose last write may or may not have committed
  int64_t unfinished = 0;              // events that did not succeed
  int64_t committed_new_orders = 0;    // load/tpcc's, each an ORDERS row
  int64_t committed_deliveries = 0;    // load/tpcc's
  int64_t rolled_back_new_orders = 0;  // load/tpcc's 1 %, rolled back by design

  TableEffects& operator+=(const TableEffects& other);
  // "inserts index_updates deletes indeterminate unfinished new_orders
  // deliveries rolled_back": what a shard tells shard 0, which checks the
  // tables for all of them.
  std::string to_text() const;
  static TableEffects from_text(const std::string& text);
};

struct LoadResult {
  LoadSummary summary;  // what was measured: the report, the text and the CSV
  std::string text;     // the text under the test's line (with --load.histogram, its chart)
  TableEffects effects;
  // Why the run stopped early, if it did: a permanent error (the server
  // given up on, a statement that cannot work, the run told to stop), or a
  // failure whose message the host already holds. The figures above count
  // what happened until then.
  std::optional<std::string> stopped_by;
  std::optional<test_rig::ReportedError> reported_failure;
};

LoadResult run_load(test_rig::Context& ctx, const LoadSettings& settings);

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_LOAD_RUN_H_
