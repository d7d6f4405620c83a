#include "load_summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "plugin_support.h"

namespace rig_load {
namespace {

using rig_plugins::fixed;

double ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }

// The columns of an interval, in the CSV's order: the JSON rows and the
// CSV are both written from this table.
struct IntervalColumn {
  const char* name;
  nlohmann::json (*value)(const IntervalRow& row);
};

const IntervalColumn kIntervalColumns[] = {
    {"time_s", [](const IntervalRow& r) -> nlohmann::json { return r.time_s; }},
    {"threads", [](const IntervalRow& r) -> nlohmann::json { return r.threads; }},
    {"tps", [](const IntervalRow& r) -> nlohmann::json { return r.tps; }},
    {"qps", [](const IntervalRow& r) -> nlohmann::json { return r.qps; }},
    {"reads_per_s", [](const IntervalRow& r) -> nlohmann::json { return r.reads_per_s; }},
    {"writes_per_s", [](const IntervalRow& r) -> nlohmann::json { return r.writes_per_s; }},
    {"other_per_s", [](const IntervalRow& r) -> nlohmann::json { return r.other_per_s; }},
    {"p50_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p50_ms; }},
    {"p90_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p90_ms; }},
    {"p95_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p95_ms; }},
    {"p99_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p99_ms; }},
    {"p999_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p999_ms; }},
    {"max_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.max_ms; }},
    {"errors_per_s", [](const IntervalRow& r) -> nlohmann::json { return r.errors_per_s; }},
    {"reconnects_per_s", [](const IntervalRow& r) -> nlohmann::json { return r.reconnects_per_s; }},
};

nlohmann::json latency_json(const LatencySummary& l) {
  return {{"count", l.count},   {"min_ms", l.min_ms},   {"avg_ms", l.avg_ms},
          {"p50_ms", l.p50_ms}, {"p90_ms", l.p90_ms},   {"p95_ms", l.p95_ms},
          {"p99_ms", l.p99_ms}, {"p999_ms", l.p999_ms}, {"max_ms", l.max_ms}};
}

nlohmann::json queries_json(const QueryCounts& q) {
  return {{"read", q.read}, {"write", q.write}, {"other", q.other}};
}

nlohmann::json optional_json(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

std::string latency_line(const std::string& name, const LatencySummary& l) {
  char line[256];
  std::snprintf(line, sizeof(line),
                "    %-17s %9lld %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f\n", name.c_str(),
                static_cast<long long>(l.count), l.min_ms, l.avg_ms, l.p50_ms, l.p90_ms, l.p95_ms,
                l.p99_ms, l.p999_ms, l.max_ms);
  return line;
}

}  // namespace

LatencySummary latency_summary(const HistogramSnapshot& s) {
  return {static_cast<int64_t>(s.count()),
          ms(s.min()),
          s.mean() / 1e6,
          ms(s.percentile(50)),
          ms(s.percentile(90)),
          ms(s.percentile(95)),
          ms(s.percentile(99)),
          ms(s.percentile(99.9)),
          ms(s.max())};
}

std::string progress_line(const IntervalRow& row) {
  return "[ " + fixed(row.time_s, 0) + "s ] thds: " + std::to_string(row.threads) +
         " tps: " + fixed(row.tps) + " qps: " + fixed(row.qps) +
         " (r/w/o: " + fixed(row.reads_per_s) + "/" + fixed(row.writes_per_s) + "/" +
         fixed(row.other_per_s) + ") lat (ms) p50: " + fixed(row.latency.p50_ms) +
         " p95: " + fixed(row.latency.p95_ms) + " p99: " + fixed(row.latency.p99_ms) +
         " p99.9: " + fixed(row.latency.p999_ms) + " max: " + fixed(row.latency.max_ms) +
         " err/s: " + fixed(row.errors_per_s) + " reconn/s: " + fixed(row.reconnects_per_s);
}

Fairness fairness_of(const std::vector<int64_t>& events_per_thread) {
  std::vector<double> events(events_per_thread.begin(), events_per_thread.end());
  const double n = static_cast<double>(events.size());
  double mean = 0, variance = 0;
  for (double e : events) mean += e / n;
  for (double e : events) variance += (e - mean) * (e - mean) / n;
  return {mean, std::sqrt(variance), *std::min_element(events.begin(), events.end()),
          *std::max_element(events.begin(), events.end())};
}

int64_t LoadSummary::error_count() const {
  int64_t count = 0;
  for (const auto& [code, n] : errors) count += n;
  return count;
}

nlohmann::json errors_json(const std::map<uint32_t, int64_t>& errors) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [code, n] : errors) json[std::to_string(code)] = n;
  return json;
}

nlohmann::json to_json(const LoadSummary& s) {
  nlohmann::json statements = nlohmann::json::object();
  for (const auto& [name, latency] : s.statements) statements[name] = latency_json(latency);
  nlohmann::json intervals = nlohmann::json::array();
  for (const IntervalRow& row : s.intervals) {
    nlohmann::json json;
    for (const IntervalColumn& column : kIntervalColumns) json[column.name] = column.value(row);
    intervals.push_back(std::move(json));
  }
  nlohmann::json queries = queries_json(s.queries);
  queries["total"] = s.queries.total();
  queries["in_failed_attempts"] = queries_json(s.queries_in_failed_attempts);
  const ClientCpu& cpu = s.client_cpu;
  return {{"workload", s.workload},
          {"dry_run", s.dry_run},
          {"prepared", s.prepared},
          {"threads", s.threads},
          {"seconds", s.seconds},
          {"rate", s.rate},
          {"events",
           {{"attempted", s.events.attempted},
            {"succeeded", s.events.succeeded},
            {"failed", s.events.failed},
            {"ignored", s.events.ignored},
            {"indeterminate", s.events.indeterminate}}},
          {"tps", s.tps()},
          {"qps", s.qps()},
          {"queries", queries},
          {"retries", s.retries},
          {"reconnects", s.reconnects},
          {"errors", errors_json(s.errors)},
          {"latency", latency_json(s.latency)},
          {"statements", statements},
          {"fairness",
           {{"events_avg", s.fairness.events_avg},
            {"events_stddev", s.fairness.events_stddev},
            {"events_min", s.fairness.events_min},
            {"events_max", s.fairness.events_max}}},
          {"client_memory_mib", {{"rss", s.memory.rss}, {"peak", s.memory.peak}}},
          {"client_cpu",
           {{"user_s", cpu.user_s},
            {"system_s", cpu.system_s},
            {"us_per_query", optional_json(cpu.us_per_query)},
            {"us_per_event", optional_json(cpu.us_per_event)},
            {"busy_cpus", cpu.busy_cpus},
            {"cpus", cpu.cpus},
            {"client_bound", cpu.client_bound}}},
          {"intervals", intervals}};
}

std::string busy_cpus_text(const ClientCpu& cpu) {
  return fixed(cpu.busy_cpus) + " of " + std::to_string(cpu.cpus) +
         (cpu.cpus == 1 ? " CPU" : " CPUs");
}

std::string summary_text(const LoadSummary& s) {
  const auto us = [](const std::optional<double>& value) {
    return value ? fixed(*value) + " us" : std::string("-");
  };
  const EventCounts& events = s.events;
  std::string text = "      " + s.workload + ", " + std::to_string(s.threads) + " thread(s), " +
                     fixed(s.seconds, 2) + " s" + (s.dry_run ? " (dry run: no server)" : "") + "\n";
  text += "      events: " + std::to_string(events.succeeded) + " succeeded (" + fixed(s.tps()) +
          "/s), " + std::to_string(events.failed) + " failed, " + std::to_string(events.ignored) +
          " ignored, " + std::to_string(events.indeterminate) + " indeterminate, of " +
          std::to_string(events.attempted) + " attempted\n";
  text += "      queries: " + std::to_string(s.queries.total()) + " (" + fixed(s.qps()) +
          "/s) read " + std::to_string(s.queries.read) + " write " +
          std::to_string(s.queries.write) + " other " + std::to_string(s.queries.other) +
          "; retries " + std::to_string(s.retries) + ", reconnects " +
          std::to_string(s.reconnects) + ", errors " + std::to_string(s.error_count()) +
          (s.errors.empty() ? "" : " " + errors_json(s.errors).dump()) + "\n";
  text +=
      "      latency (ms)            count       min       avg       p50       p90       "
      "p95       p99     p99.9       max\n";
  text += "  " + latency_line("event", s.latency);
  for (const auto& [name, latency] : s.statements) text += "  " + latency_line(name, latency);
  text += "      threads fairness: events avg/stddev " + fixed(s.fairness.events_avg) + "/" +
          fixed(s.fairness.events_stddev) + ", min " + fixed(s.fairness.events_min, 0) + ", max " +
          fixed(s.fairness.events_max, 0) + "\n";
  const ClientCpu& cpu = s.client_cpu;
  text += "      client: " + busy_cpus_text(cpu) + " busy" +
          (cpu.client_bound ? " (client-bound)" : "") + "; CPU " + us(cpu.us_per_query) +
          " per query, " + us(cpu.us_per_event) + " per event (user " + fixed(cpu.user_s) +
          " s, system " + fixed(cpu.system_s) + " s); memory " + fixed(s.memory.rss, 1) +
          " MiB (peak " + fixed(s.memory.peak, 1) + ")\n";
  return text;
}

void write_csv(const std::string& path, const std::vector<IntervalRow>& intervals) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write --load.csv file " + path);
  for (std::size_t i = 0; i < std::size(kIntervalColumns); ++i) {
    out << (i ? "," : "") << kIntervalColumns[i].name;
  }
  out << "\n";
  for (const IntervalRow& row : intervals) {
    for (std::size_t i = 0; i < std::size(kIntervalColumns); ++i) {
      out << (i ? "," : "") << kIntervalColumns[i].value(row).dump();
    }
    out << "\n";
  }
}

}  // namespace rig_load
