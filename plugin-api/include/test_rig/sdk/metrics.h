// test_rig/sdk/metrics.h -- what a test measured, in the form reports
// merge and compare: its "metrics" record (docs/reports.md).
//
//   test_rig::Metrics m;
//   m.start_unix_ms = ...; m.seconds = 60; m.threads = 8;
//   m.throughput = "events.succeeded";
//   m.counters["events.succeeded"] = 12000;
//   m.histograms["event"] = {"ns", latencies};        // three digits
//   m.intervals.push_back(interval);                   // kCoarse histograms
//   ctx.record_json("metrics", m.to_json());
//
// Everything is kept in full -- counts, errors by code, every histogram's
// buckets -- so that `test-rig report merge` adds the records of several
// machines exactly and recomputes percentiles from the added buckets.
//
// Thread safety: [per-handle] (a value).
#ifndef TEST_RIG_SDK_METRICS_H_
#define TEST_RIG_SDK_METRICS_H_

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "test_rig/sdk/histogram.h"

namespace test_rig {

inline constexpr int kMetricsVersion = 1;

struct UnitHistogram {
  std::string unit;  // of the values: "ns", "us", "ms" or "s"
  Histogram histogram;
};

using Counters = std::map<std::string, int64_t>;
using Histograms = std::map<std::string, UnitHistogram>;

struct MetricsInterval {
  int64_t start_unix_ms = 0;  // wall-clock: what lines up several machines' intervals
  double seconds = 0;
  int64_t threads = 0;
  Counters counters;
  Histograms histograms;
};

struct Metrics {
  int64_t start_unix_ms = 0;  // the measured window's start, wall-clock
  double seconds = 0;         // its length
  int64_t threads = 0;
  std::string throughput;  // the counter whose rate is the test's throughput, or ""
  Counters counters;
  Counters errors;  // by server error code, "1213"
  Histograms histograms;
  std::vector<MetricsInterval> intervals;
  int shards = 1;  // how many runs' metrics these are, once merged

  // Per second of the window; 0 for an empty window.
  double rate(int64_t count) const { return seconds > 0 ? count / seconds : 0; }

  // The record as JSON. Intervals are written by column -- one array per
  // field, counter and histogram, in time order -- so that a long run's
  // names are not repeated once per interval.
  std::string to_json() const {
    std::string out = "{\"version\":" + std::to_string(kMetricsVersion) +
                      ",\"start_unix_ms\":" + std::to_string(start_unix_ms) +
                      ",\"seconds\":" + number(seconds) + ",\"threads\":" + std::to_string(threads);
    if (!throughput.empty()) out += ",\"throughput\":" + quoted(throughput);
    if (shards != 1) out += ",\"shards\":" + std::to_string(shards);
    out += ",\"counters\":" + counters_json(counters) + ",\"errors\":" + counters_json(errors) +
           ",\"histograms\":{";
    const char* comma = "";
    for (const auto& [name, h] : histograms) {
      out += comma + quoted(name) + ":" + h.histogram.to_json(h.unit);
      comma = ",";
    }
    out += "},\"intervals\":{";
    out += "\"start_unix_ms\":" +
           column([](const MetricsInterval& i) { return std::to_string(i.start_unix_ms); });
    out += ",\"seconds\":" + column([](const MetricsInterval& i) { return number(i.seconds); });
    out += ",\"threads\":" +
           column([](const MetricsInterval& i) { return std::to_string(i.threads); });
    out += ",\"counters\":{";
    comma = "";
    for (const std::string& name : names(&MetricsInterval::counters)) {
      out += comma + quoted(name) + ":" + column([&](const MetricsInterval& i) {
               auto it = i.counters.find(name);
               return std::to_string(it == i.counters.end() ? 0 : it->second);
             });
      comma = ",";
    }
    out += "},\"histograms\":{";
    comma = "";
    for (const std::string& name : names(&MetricsInterval::histograms)) {
      out += comma + quoted(name) + ":" + column([&](const MetricsInterval& i) {
               auto it = i.histograms.find(name);
               return it == i.histograms.end() ? std::string("null")
                                               : it->second.histogram.to_json(it->second.unit);
             });
      comma = ",";
    }
    return out + "}}}";
  }

 private:
  // Names and codes are plain ASCII; anything else is escaped.
  static std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20 || c >= 0x7f) {
        char escaped[8];
        std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
        out += escaped;
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  }

  // Finite, with enough digits to read back the same seconds.
  static std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.6f", std::isfinite(value) ? value : 0.0);
    return text;
  }

  static std::string counters_json(const Counters& counters) {
    std::string out = "{";
    const char* comma = "";
    for (const auto& [name, value] : counters) {
      out += comma + quoted(name) + ":" + std::to_string(value);
      comma = ",";
    }
    return out + "}";
  }

  template <class Field>
  std::string column(Field field) const {
    std::string out = "[";
    for (std::size_t i = 0; i < intervals.size(); ++i) out += (i ? "," : "") + field(intervals[i]);
    return out + "]";
  }

  // The names any interval has in its map `member`, sorted.
  template <class Map>
  std::vector<std::string> names(Map MetricsInterval::*member) const {
    std::set<std::string> seen;
    for (const MetricsInterval& interval : intervals) {
      for (const auto& [name, value] : interval.*member) seen.insert(name);
    }
    return {seen.begin(), seen.end()};
  }
};

}  // namespace test_rig

#endif  // TEST_RIG_SDK_METRICS_H_
