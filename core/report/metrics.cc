#include "core/report/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>

#include "core/base/decimal_text.h"
#include "core/report/run_report.h"

namespace rig {
namespace {

using nlohmann::json;
using test_rig::Counters;
using test_rig::Histograms;
using test_rig::MetricsInterval;
using test_rig::UnitHistogram;

[[noreturn]] void malformed(const std::string& where, const std::string& what) {
  throw ReportError("metrics: " + where + ": " + what);
}

const json& field(const json& object, const std::string& key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) malformed(where, "no \"" + key + "\"");
  return object[key];
}

int64_t as_integer(const json& value, const std::string& key, const std::string& where) {
  if (!value.is_number_integer()) malformed(where, "\"" + key + "\" is not an integer");
  return value.get<int64_t>();
}

int64_t integer(const json& object, const std::string& key, const std::string& where) {
  return as_integer(field(object, key, where), key, where);
}

uint64_t count(const json& value, const std::string& where) {
  if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<int64_t>() >= 0)) {
    malformed(where, "a count is not a whole number >= 0");
  }
  return value.get<uint64_t>();
}

double as_number(const json& value, const std::string& key, const std::string& where) {
  if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0) {
    malformed(where, "\"" + key + "\" is not a number >= 0");
  }
  return value.get<double>();
}

double number(const json& object, const std::string& key, const std::string& where) {
  return as_number(field(object, key, where), key, where);
}

Counters parse_counters(const json& object, const std::string& where) {
  if (!object.is_object()) malformed(where, "not an object of counts");
  Counters counters;
  for (const auto& [name, value] : object.items()) {
    if (!value.is_number_integer()) malformed(where + "." + name, "not an integer");
    counters[name] = value.get<int64_t>();
  }
  return counters;
}

UnitHistogram parse_histogram(const json& object, const std::string& where) {
  const json& unit = field(object, "unit", where);
  if (!unit.is_string() || !milliseconds_per(unit.get<std::string>())) {
    malformed(where, "\"unit\" is not one of ns, us, ms, s");
  }
  const int64_t bits = integer(object, "sub_bucket_bits", where);
  if (bits < 1 || bits > 20) malformed(where, "\"sub_bucket_bits\" is not in 1..20");
  UnitHistogram result{unit.get<std::string>(),
                       test_rig::Histogram(test_rig::HistogramLayout(static_cast<int>(bits)))};
  test_rig::Histogram& histogram = result.histogram;
  const std::size_t bucket_count = histogram.layout().bucket_count();
  const json& runs = field(object, "buckets", where);
  if (!runs.is_array()) malformed(where, "\"buckets\" is not an array of runs");
  for (const json& run : runs) {
    if (!run.is_array() || run.size() < 2) malformed(where, "a run is not [first, count, ...]");
    const uint64_t first = count(run[0], where);
    if (first > bucket_count || run.size() - 1 > bucket_count - first) {
      malformed(where, "a run goes past the last bucket");
    }
    for (std::size_t i = 1; i < run.size(); ++i) {
      histogram.add_count(static_cast<std::size_t>(first + i - 1), count(run[i], where));
    }
  }
  if (histogram.count() != count(field(object, "count", where), where)) {
    malformed(where, "\"count\" is not the sum of the buckets");
  }
  histogram.add_sum_and_max(count(field(object, "sum", where), where),
                            count(field(object, "max", where), where));
  return result;
}

Histograms parse_histograms(const json& object, const std::string& where) {
  if (!object.is_object()) malformed(where, "not an object of histograms");
  Histograms histograms;
  for (const auto& [name, value] : object.items()) {
    histograms.emplace(name, parse_histogram(value, where + "." + name));
  }
  return histograms;
}

template <class Map>
void add_into(Map* total, const Map& part) {
  for (const auto& [key, value] : part) (*total)[key] += value;
}

void add_histograms(Histograms* total, const Histograms& part, const std::string& where) {
  for (const auto& [name, h] : part) {
    auto [it, inserted] = total->emplace(name, h);
    if (inserted) continue;
    if (it->second.unit != h.unit || !(it->second.histogram.layout() == h.histogram.layout())) {
      throw ReportError("metrics: " + where + "histogram \"" + name +
                        "\" has different units or buckets in different reports; they cannot "
                        "be added");
    }
    it->second.histogram += h.histogram;
  }
}

// The intervals, written by column: an array per field, counter and
// histogram, all as long as "start_unix_ms".
std::vector<MetricsInterval> parse_intervals(const json& columns) {
  const std::string where = "intervals";
  const json& starts = field(columns, "start_unix_ms", where);
  if (!starts.is_array()) malformed(where, "\"start_unix_ms\" is not an array");
  const std::size_t n = starts.size();
  const auto column = [&](const json& parent, const std::string& key,
                          const std::string& at) -> const json& {
    const json& values = field(parent, key, at);
    if (!values.is_array() || values.size() != n) {
      malformed(at, "\"" + key + "\" is not an array of " + std::to_string(n) + " values");
    }
    return values;
  };
  std::vector<MetricsInterval> intervals(n);
  const json& seconds = column(columns, "seconds", where);
  const json& threads = column(columns, "threads", where);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = where + "[" + std::to_string(i) + "]";
    intervals[i].start_unix_ms = as_integer(starts[i], "start_unix_ms", at);
    intervals[i].seconds = as_number(seconds[i], "seconds", at);
    intervals[i].threads = as_integer(threads[i], "threads", at);
  }
  const json& counters = columns.value("counters", json::object());
  if (!counters.is_object()) malformed(where, "\"counters\" is not an object");
  for (const auto& [name, value] : counters.items()) {
    const json& values = column(counters, name, where + ".counters");
    for (std::size_t i = 0; i < n; ++i) {
      intervals[i].counters[name] = as_integer(values[i], name, where + ".counters");
    }
  }
  const json& histograms = columns.value("histograms", json::object());
  if (!histograms.is_object()) malformed(where, "\"histograms\" is not an object");
  for (const auto& [name, value] : histograms.items()) {
    const json& values = column(histograms, name, where + ".histograms");
    for (std::size_t i = 0; i < n; ++i) {
      if (values[i].is_null()) continue;  // none in this interval
      intervals[i].histograms.emplace(
          name, parse_histogram(values[i],
                                where + ".histograms." + name + "[" + std::to_string(i) + "]"));
    }
  }
  return intervals;
}

}  // namespace

std::optional<double> milliseconds_per(const std::string& unit) {
  if (unit == "ns") return 1e-6;
  if (unit == "us") return 1e-3;
  if (unit == "ms") return 1;
  if (unit == "s") return 1e3;
  return std::nullopt;
}

Metrics parse_metrics(const json& object) {
  const std::string where = "record";
  const int64_t version = integer(object, "version", where);
  if (version != test_rig::kMetricsVersion) {
    malformed(where, "version " + std::to_string(version) + "; this test-rig reads version " +
                         std::to_string(test_rig::kMetricsVersion));
  }
  Metrics m;
  m.start_unix_ms = integer(object, "start_unix_ms", where);
  m.seconds = number(object, "seconds", where);
  m.threads = integer(object, "threads", where);
  m.throughput = object.value("throughput", "");
  m.counters = parse_counters(field(object, "counters", where), "counters");
  m.errors = parse_counters(object.value("errors", json::object()), "errors");
  m.histograms = parse_histograms(field(object, "histograms", where), "histograms");
  m.shards = static_cast<int>(object.value("shards", 1));
  if (object.contains("intervals")) m.intervals = parse_intervals(object["intervals"]);
  return m;
}

Metrics merge_metrics(const std::vector<Metrics>& shards) {
  if (shards.empty()) throw std::invalid_argument("merge_metrics: no metrics");
  Metrics total;
  total.start_unix_ms = std::numeric_limits<int64_t>::max();
  total.throughput = shards.front().throughput;
  total.shards = 0;
  // The grid the intervals line up on: from the earliest interval's start,
  // in steps of the first interval's length.
  int64_t grid_ms = 0, anchor_ms = std::numeric_limits<int64_t>::max();
  for (const Metrics& shard : shards) {
    if (shard.intervals.empty()) continue;
    if (grid_ms == 0) {
      grid_ms = std::max<int64_t>(1, std::llround(shard.intervals.front().seconds * 1000));
    }
    anchor_ms = std::min(anchor_ms, shard.intervals.front().start_unix_ms);
  }
  std::map<int64_t, MetricsInterval> slots;
  for (const Metrics& shard : shards) {
    total.start_unix_ms = std::min(total.start_unix_ms, shard.start_unix_ms);
    total.seconds = std::max(total.seconds, shard.seconds);
    total.threads += shard.threads;
    total.shards += shard.shards;
    add_into(&total.counters, shard.counters);
    add_into(&total.errors, shard.errors);
    add_histograms(&total.histograms, shard.histograms, "");
    for (const MetricsInterval& interval : shard.intervals) {
      const int64_t slot = std::llround(static_cast<double>(interval.start_unix_ms - anchor_ms) /
                                        static_cast<double>(grid_ms));
      MetricsInterval& merged = slots[slot];
      merged.start_unix_ms = anchor_ms + slot * grid_ms;
      merged.seconds = std::max(merged.seconds, interval.seconds);
      merged.threads += interval.threads;
      add_into(&merged.counters, interval.counters);
      add_histograms(&merged.histograms, interval.histograms, "an interval's ");
    }
  }
  for (auto& [slot, interval] : slots) total.intervals.push_back(std::move(interval));
  return total;
}

std::string metrics_text(const Metrics& m) {
  std::string text;
  if (m.shards > 1) text += "      merged from " + std::to_string(m.shards) + " runs\n";
  text += "      " + std::to_string(m.threads) + " thread(s), " + decimal_text(m.seconds, 2) + " s";
  if (!m.throughput.empty() && m.counters.count(m.throughput)) {
    const int64_t n = m.counters.at(m.throughput);
    text +=
        "; " + m.throughput + ": " + std::to_string(n) + " (" + decimal_text(m.rate(n), 2) + "/s)";
  }
  text += "\n";
  int64_t errors = 0;
  std::string by_code;
  for (const auto& [code, n] : m.errors) {
    errors += n;
    by_code += (by_code.empty() ? "" : ", ") + code + ": " + std::to_string(n);
  }
  text += "      errors: " + std::to_string(errors) +
          (by_code.empty() ? "" : " (" + by_code + ")") + "\n";
  text +=
      "      latency (ms)                  count       p50       p95       p99     p99.9       "
      "max\n";
  for (const auto& [name, h] : m.histograms) {
    const double scale = *milliseconds_per(h.unit);
    const test_rig::Histogram& hist = h.histogram;
    char line[256];
    std::snprintf(line, sizeof(line), "        %-26s %9llu %9.3f %9.3f %9.3f %9.3f %9.3f\n",
                  name.c_str(), static_cast<unsigned long long>(hist.count()),
                  hist.percentile(50) * scale, hist.percentile(95) * scale,
                  hist.percentile(99) * scale, hist.percentile(99.9) * scale, hist.max() * scale);
    text += line;
  }
  return text;
}

}  // namespace rig
