// core/report/metrics.h -- reading, merging and printing a test's
// "metrics" record (test_rig/sdk/metrics.h writes it; docs/reports.md has
// its schema): what it counted and how long things took, in full, so that
// runs on several machines merge exactly and two runs compare.
//
//   Metrics m = parse_metrics(result.details["metrics"]);   // throws ReportError
//   Metrics all = merge_metrics({a, b, c});                  // counts add
//   all.histograms.at("event").histogram.percentile(99);     // from the merged buckets
//   result.details["metrics"] = nlohmann::json::parse(all.to_json());
//
// Thread tags: [thread-safe] (functions of their arguments).
#ifndef TEST_RIG_CORE_REPORT_METRICS_H_
#define TEST_RIG_CORE_REPORT_METRICS_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_rig/sdk/metrics.h"

namespace rig {

using test_rig::Metrics;

// How many milliseconds one unit of a histogram's values is ("ns", "us",
// "ms", "s"); none for a unit that is not a time.
std::optional<double> milliseconds_per(const std::string& unit);

// Reads a "metrics" record; throws ReportError saying which field is
// missing or wrong, for a record of a version this test-rig does not read
// among them.
Metrics parse_metrics(const nlohmann::json& json);

// The metrics of runs that ran side by side (shards of one run), as one:
// counters, errors, threads and histograms add (bucket by bucket, so
// percentiles come from the merged buckets); the window starts with the
// earliest and is as long as the longest; intervals line up by wall-clock
// time on a grid from the earliest interval's start in steps of the first
// interval's length, and add within a slot.
// Throws ReportError for histograms of one name in different units or
// layouts.
Metrics merge_metrics(const std::vector<Metrics>& shards);

// Lines for the summary: throughput, the latency percentiles of every
// histogram in milliseconds, and errors by code.
std::string metrics_text(const Metrics& metrics);

}  // namespace rig

#endif  // TEST_RIG_CORE_REPORT_METRICS_H_
