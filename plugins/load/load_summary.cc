#include "load_summary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "plugin_support.h"

namespace rig_load {
namespace {

using rig_plugins::fixed;

double ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }

// The columns of the CSV, one line per interval.
struct IntervalColumn {
  const char* name;
  nlohmann::json (*value)(const IntervalRow& row);
};

const IntervalColumn kIntervalColumns[] = {
    {"time_s", [](const IntervalRow& r) -> nlohmann::json { return r.time_s; }},
    {"threads", [](const IntervalRow& r) -> nlohmann::json { return r.threads; }},
    {"tps",
     [](const IntervalRow& r) -> nlohmann::json { return r.per_s(r.counts.events.succeeded); }},
    {"qps",
     [](const IntervalRow& r) -> nlohmann::json { return r.per_s(r.counts.queries.total()); }},
    {"reads_per_s",
     [](const IntervalRow& r) -> nlohmann::json { return r.per_s(r.counts.queries.read); }},
    {"writes_per_s",
     [](const IntervalRow& r) -> nlohmann::json { return r.per_s(r.counts.queries.write); }},
    {"other_per_s",
     [](const IntervalRow& r) -> nlohmann::json { return r.per_s(r.counts.queries.other); }},
    {"p50_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p50_ms; }},
    {"p90_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p90_ms; }},
    {"p95_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p95_ms; }},
    {"p99_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p99_ms; }},
    {"p999_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.p999_ms; }},
    {"max_ms", [](const IntervalRow& r) -> nlohmann::json { return r.latency.max_ms; }},
    {"errors_per_s",
     [](const IntervalRow& r) -> nlohmann::json { return r.per_s(r.counts.errors); }},
    {"reconnects_per_s",
     [](const IntervalRow& r) -> nlohmann::json { return r.per_s(r.counts.reconnects); }},
};

// Every count of `counts` (const or not), in the order of kCountNames:
// the one list that adds, subtracts and names them.
template <class CountsType>
auto count_fields(CountsType& c) {
  return std::array{&c.events.attempted,
                    &c.events.succeeded,
                    &c.events.failed,
                    &c.events.ignored,
                    &c.events.indeterminate,
                    &c.queries.read,
                    &c.queries.write,
                    &c.queries.other,
                    &c.queries_in_failed_attempts.read,
                    &c.queries_in_failed_attempts.write,
                    &c.queries_in_failed_attempts.other,
                    &c.retries,
                    &c.reconnects,
                    &c.errors};
}

// The counters of the metrics record, named as in the "load" record.
constexpr const char* kCountNames[] = {"events.attempted",
                                       "events.succeeded",
                                       "events.failed",
                                       "events.ignored",
                                       "events.indeterminate",
                                       "queries.read",
                                       "queries.write",
                                       "queries.other",
                                       "queries.in_failed_attempts.read",
                                       "queries.in_failed_attempts.write",
                                       "queries.in_failed_attempts.other",
                                       "retries",
                                       "reconnects",
                                       "errors"};
static_assert(std::size(kCountNames) ==
              std::tuple_size_v<decltype(count_fields(std::declval<Counts&>()))>);

test_rig::Counters counters_of(const Counts& counts) {
  test_rig::Counters counters;
  const auto fields = count_fields(counts);
  for (std::size_t i = 0; i < fields.size(); ++i) counters[kCountNames[i]] = *fields[i];
  return counters;
}

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

LatencySummary latency_summary(const test_rig::Histogram& s) {
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
  const Counts& c = row.counts;
  return "[ " + fixed(row.time_s, 0) + "s ] thds: " + std::to_string(row.threads) +
         " tps: " + fixed(row.per_s(c.events.succeeded)) +
         " qps: " + fixed(row.per_s(c.queries.total())) +
         " (r/w/o: " + fixed(row.per_s(c.queries.read)) + "/" + fixed(row.per_s(c.queries.write)) +
         "/" + fixed(row.per_s(c.queries.other)) + ") lat (ms) p50: " + fixed(row.latency.p50_ms) +
         " p95: " + fixed(row.latency.p95_ms) + " p99: " + fixed(row.latency.p99_ms) +
         " p99.9: " + fixed(row.latency.p999_ms) + " max: " + fixed(row.latency.max_ms) +
         " err/s: " + fixed(row.per_s(c.errors)) + " reconn/s: " + fixed(row.per_s(c.reconnects));
}

Counts& Counts::operator+=(const Counts& other) {
  const auto theirs = count_fields(other);
  const auto mine = count_fields(*this);
  for (std::size_t i = 0; i < mine.size(); ++i) *mine[i] += *theirs[i];
  return *this;
}

Counts Counts::operator-(const Counts& earlier) const {
  Counts delta = *this;
  const auto theirs = count_fields(earlier);
  const auto mine = count_fields(delta);
  for (std::size_t i = 0; i < mine.size(); ++i) *mine[i] -= *theirs[i];
  return delta;
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

nlohmann::json errors_json(const std::map<uint32_t, int64_t>& errors) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [code, n] : errors) json[std::to_string(code)] = n;
  return json;
}

nlohmann::json to_json(const LoadSummary& s) {
  nlohmann::json statements = nlohmann::json::object();
  for (const auto& [name, histogram] : s.statements) {
    statements[name] = latency_json(latency_summary(histogram));
  }
  const Counts& c = s.counts;
  nlohmann::json queries = queries_json(c.queries);
  queries["total"] = c.queries.total();
  queries["in_failed_attempts"] = queries_json(c.queries_in_failed_attempts);
  const ClientCpu& cpu = s.client_cpu;
  return {{"workload", s.workload},
          {"dry_run", s.dry_run},
          {"prepared", s.prepared},
          {"threads", s.threads},
          {"seconds", s.seconds},
          {"rate", s.rate},
          {"events",
           {{"attempted", c.events.attempted},
            {"succeeded", c.events.succeeded},
            {"failed", c.events.failed},
            {"ignored", c.events.ignored},
            {"indeterminate", c.events.indeterminate}}},
          {"tps", s.tps()},
          {"qps", s.qps()},
          {"queries", queries},
          {"retries", c.retries},
          {"reconnects", c.reconnects},
          {"errors", errors_json(s.errors)},
          {"latency", latency_json(latency_summary(s.latency))},
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
            {"client_bound", cpu.client_bound}}}};
}

test_rig::Metrics metrics_of(const LoadSummary& s) {
  test_rig::Metrics m;
  m.start_unix_ms = s.start_unix_ms;
  m.seconds = s.seconds;
  m.threads = s.threads;
  m.throughput = "events.succeeded";
  m.counters = counters_of(s.counts);
  for (const auto& [code, n] : s.errors) m.errors[std::to_string(code)] = n;
  m.histograms["event"] = {"ns", s.latency};
  for (const auto& [name, histogram] : s.statements) {
    m.histograms["statement." + name] = {"ns", histogram};
  }
  for (const IntervalRow& row : s.intervals) {
    m.intervals.push_back({row.start_unix_ms,
                           row.seconds,
                           row.threads,
                           counters_of(row.counts),
                           {{"event", {"ns", row.histogram}}}});
  }
  return m;
}

std::string busy_cpus_text(const ClientCpu& cpu) {
  return fixed(cpu.busy_cpus) + " of " + std::to_string(cpu.cpus) +
         (cpu.cpus == 1 ? " CPU" : " CPUs");
}

std::string summary_text(const LoadSummary& s) {
  const auto us = [](const std::optional<double>& value) {
    return value ? fixed(*value) + " us" : std::string("-");
  };
  const EventCounts& events = s.counts.events;
  const QueryCounts& queries = s.counts.queries;
  std::string text = "      " + s.workload + ", " + std::to_string(s.threads) + " thread(s), " +
                     fixed(s.seconds, 2) + " s" + (s.dry_run ? " (dry run: no server)" : "") + "\n";
  text += "      events: " + std::to_string(events.succeeded) + " succeeded (" + fixed(s.tps()) +
          "/s), " + std::to_string(events.failed) + " failed, " + std::to_string(events.ignored) +
          " ignored, " + std::to_string(events.indeterminate) + " indeterminate, of " +
          std::to_string(events.attempted) + " attempted\n";
  text += "      queries: " + std::to_string(queries.total()) + " (" + fixed(s.qps()) +
          "/s) read " + std::to_string(queries.read) + " write " + std::to_string(queries.write) +
          " other " + std::to_string(queries.other) + "; retries " +
          std::to_string(s.counts.retries) + ", reconnects " + std::to_string(s.counts.reconnects) +
          ", errors " + std::to_string(s.counts.errors) +
          (s.errors.empty() ? "" : " " + errors_json(s.errors).dump()) + "\n";
  text +=
      "      latency (ms)            count       min       avg       p50       p90       "
      "p95       p99     p99.9       max\n";
  text += "  " + latency_line("event", latency_summary(s.latency));
  for (const auto& [name, histogram] : s.statements) {
    text += "  " + latency_line(name, latency_summary(histogram));
  }
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
