// plugins/load/load_summary.h -- what a load run measured, as one typed
// value, and the four forms it is written in: the JSON report's "load"
// record, its "metrics" record (docs/reports.md: what reports merge and
// compare), the text under the test's line, and the per-interval CSV. Each
// form is written from these fields alone, so they cannot disagree.
//
//   LoadSummary summary = ...;                 // filled by run_load
//   ctx.record_json("load", to_json(summary).dump());
//   ctx.record_json("metrics", metrics_of(summary).to_json());
//   ctx.add_summary_text(summary_text(summary));
//   write_csv("intervals.csv", summary.intervals);
//
// Thread tags: [thread-safe] (functions of their arguments).
#ifndef TEST_RIG_PLUGINS_LOAD_LOAD_SUMMARY_H_
#define TEST_RIG_PLUGINS_LOAD_LOAD_SUMMARY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "client_usage.h"
#include "test_rig/sdk/histogram.h"
#include "test_rig/sdk/metrics.h"

namespace rig_load {

// A latency distribution in milliseconds.
struct LatencySummary {
  int64_t count = 0;
  double min_ms = 0, avg_ms = 0, p50_ms = 0, p90_ms = 0, p95_ms = 0, p99_ms = 0, p999_ms = 0,
         max_ms = 0;
};
LatencySummary latency_summary(const test_rig::Histogram& histogram);

struct EventCounts {
  int64_t attempted = 0, succeeded = 0, failed = 0, ignored = 0, indeterminate = 0;
};

// By statement class: reads, writes and the rest (BEGIN, COMMIT).
struct QueryCounts {
  int64_t read = 0, write = 0, other = 0;
  int64_t total() const { return read + write + other; }
};

// What a window (the run, or one interval) counted.
struct Counts {
  EventCounts events;
  QueryCounts queries;
  QueryCounts queries_in_failed_attempts;  // statements of attempts retried or failed
  int64_t retries = 0, reconnects = 0, errors = 0;

  Counts& operator+=(const Counts& other);
  Counts operator-(const Counts& earlier) const;
};

// One progress interval: its counts, and its event latency.
struct IntervalRow {
  double time_s = 0;          // its end, since the measured window began
  double seconds = 0;         // its length
  int64_t start_unix_ms = 0;  // its start, wall-clock
  int threads = 0;
  Counts counts;
  LatencySummary latency;  // of its events (three digits): percentiles and max are shown
  test_rig::Histogram histogram{test_rig::kCoarse};  // of its events, for the metrics

  double per_s(int64_t count) const { return seconds > 0 ? count / seconds : 0; }
};
// The progress line of `row`, sysbench's way.
std::string progress_line(const IntervalRow& row);

// Events per thread: how evenly the threads shared the work.
struct Fairness {
  double events_avg = 0, events_stddev = 0, events_min = 0, events_max = 0;
};
Fairness fairness_of(const std::vector<int64_t>& events_per_thread);

// The client's own CPU over the measured window.
struct ClientCpu {
  double user_s = 0, system_s = 0;
  std::optional<double> us_per_query, us_per_event;  // none without queries (events)
  double busy_cpus = 0;                              // CPU seconds per second
  int cpus = 1;
  bool client_bound = false;  // it kept 90 % of its CPUs busy
};

struct LoadSummary {
  std::string workload;
  bool dry_run = false, prepared = false;
  int threads = 0;
  double seconds = 0;         // the measured window
  double rate = 0;            // asked for, events/s; 0: unlimited
  int64_t start_unix_ms = 0;  // the measured window's start, wall-clock
  Counts counts;
  std::map<uint32_t, int64_t> errors;  // by code
  test_rig::Histogram latency;         // of events
  // In the workload's order.
  std::vector<std::pair<std::string, test_rig::Histogram>> statements;
  Fairness fairness;
  MemoryMib memory;
  ClientCpu client_cpu;
  std::vector<IntervalRow> intervals;

  double tps() const { return seconds > 0 ? counts.events.succeeded / seconds : 0; }
  double qps() const { return seconds > 0 ? counts.queries.total() / seconds : 0; }
};

// The JSON report's "load" record: the run's figures as a person reads
// them. Its intervals are in the metrics record.
nlohmann::json to_json(const LoadSummary& summary);
// The JSON report's "metrics" record: the counts, errors and histograms of
// the run and of each interval, in full (docs/reports.md).
test_rig::Metrics metrics_of(const LoadSummary& summary);
// The errors by code as JSON, {"1213": 4}, as the report and messages show them.
nlohmann::json errors_json(const std::map<uint32_t, int64_t>& errors);
// The text under the test's line.
std::string summary_text(const LoadSummary& summary);
// "0.58 of 2 CPUs".
std::string busy_cpus_text(const ClientCpu& cpu);
// Writes one CSV line per interval, with a header; throws naming the file
// when it cannot be written.
void write_csv(const std::string& path, const std::vector<IntervalRow>& intervals);

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_LOAD_SUMMARY_H_
