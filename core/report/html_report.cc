#include "core/report/html_report.h"

#include <map>
#include <set>

#include "core/base/decimal_text.h"
#include "core/report/metrics.h"
#include "core/report/svg_chart.h"

namespace rig {
namespace {

using nlohmann::json;

constexpr const char* kStyle = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1100px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin: 0 0 6px; } h3 { font-size: 14px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
article.test { border: 1px solid #ddd; border-left: 6px solid #999; padding: 10px 14px;
  margin: 14px 0; }
article.passed { border-left-color: #2ca02c; } article.failed { border-left-color: #d62728; }
article.error, article.crashed { border-left-color: #ff7f0e; }
.counts .passed { color: #2ca02c; } .counts .failed { color: #d62728; }
.counts .error, .counts .crashed { color: #ff7f0e; }
td.message { white-space: pre-wrap; font-family: monospace; font-size: 12px; }
.status { font-weight: 600; text-transform: uppercase; font-size: 12px; }
.counts span { margin-right: 14px; }
svg.chart { display: block; margin: 8px 0; }
svg .grid { stroke: #eee; } svg .axis { stroke: #888; }
svg .tick, svg .unit { font-size: 11px; fill: #555; }
svg .legend { font-size: 11px; font-weight: 600; } svg .chart-title { font-size: 13px; font-weight: 600; }
svg .fault { fill: #d62728; fill-opacity: 0.12; } svg .bar { fill: #1f77b4; }
svg.cycle .node rect { fill: #fff; stroke: #555; } svg.cycle text { font-size: 11px; }
svg.cycle .edge line { stroke: #555; } svg.cycle .edge text { fill: #a33; }
table.matrix td { text-align: center; min-width: 70px; }
table.matrix td a { display: block; color: inherit; text-decoration: none; }
td.as-expected { background: #d9f2d9; } td.differs { background: #f8d0d0; }
td.undecided, td.skipped { background: #eee; } td.cell-error { background: #fde3c8; }
.trace { display: none; } .trace:target { display: block; }
)";

std::string escaped(const std::string& text) { return html_escaped(text); }

std::string row(const std::string& name, const std::string& value) {
  return "<tr><th>" + escaped(name) + "</th><td>" + value + "</td></tr>";
}

std::string anchor_of(const std::string& name) {
  std::string id;
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return id;
}

std::string summary_section(const RunReport& report) {
  std::string html = "<section id=\"summary\"><p class=\"counts\">";
  for (const auto& [status, count] : report.counts()) {
    html += "<span class=\"" + status + "\">" + std::to_string(count) + " " + status + "</span>";
  }
  html += "</p><table>";
  html += row("started", escaped(report.started_at));
  html += row("duration", decimal_text(report.duration_s, 1) + " s");
  if (!report.target.empty()) html += row("target", escaped(report.target));
  if (auto server = report.server()) {
    html += row("server", escaped(server->flavor + " " + server->version));
  }
  if (report.run.is_object()) {
    std::string selected;
    for (const json& name : report.run.value("selected", json::array())) {
      selected += (selected.empty() ? "" : ", ") + name.get<std::string>();
    }
    html += row("selected", escaped(selected));
    if (const json shard = report.run.value("shard", json()); shard.is_object()) {
      html += row("shard", std::to_string(shard.value("index", 0)) + " of " +
                               std::to_string(shard.value("count", 0)) + " (run " +
                               escaped(shard.value("run_id", "")) + ")");
    }
    if (report.run.contains("merged_from")) {
      html += row("merged from", std::to_string(report.run["merged_from"].size()) + " report(s)");
    }
  }
  html += row("exit code", std::to_string(report.exit_code()));
  if (!report.aborted.empty()) html += row("aborted", escaped(report.aborted));
  return html + "</table></section>";
}

// The faults the nemesis injected, as spans of seconds after `start_unix_ms`.
std::vector<ChartSpan> fault_spans(const json& nemesis, int64_t start_unix_ms) {
  std::vector<ChartSpan> spans;
  if (!nemesis.is_object()) return spans;
  std::map<std::string, double> started;  // fault and nodes -> when it began
  for (const json& event : nemesis.value("events", json::array())) {
    if (!event.contains("unix_ms")) continue;  // a report of before 0.2
    const double at = static_cast<double>(event["unix_ms"].get<int64_t>() - start_unix_ms) / 1000;
    const std::string fault = event.value("fault", "");
    const std::string key = fault + " " + event.value("nodes", json::array()).dump();
    const std::string phase = event.value("phase", "");
    if (phase == "start") started[key] = at;
    if (phase == "heal" && started.count(key)) {
      spans.push_back(
          {started[key], at, fault + " of node(s) " + event.value("nodes", json::array()).dump()});
      started.erase(key);
    }
  }
  return spans;
}

std::string metrics_section(const Metrics& m, const json& nemesis) {
  std::string html;
  LineChart throughput{"throughput", "s", "/s", {}, fault_spans(nemesis, m.start_unix_ms)};
  LineChart latency{"latency percentiles", "s", "ms", {}, throughput.shaded};
  // The event histogram if the test has one, else its first.
  std::string histogram_name = m.histograms.count("event") ? "event" : "";
  if (histogram_name.empty() && !m.histograms.empty()) histogram_name = m.histograms.begin()->first;
  ChartSeries rate{m.throughput.empty() ? "rate" : m.throughput, "#1f77b4", {}};
  ChartSeries p50{"p50", "#2ca02c", {}}, p95{"p95", "#ff7f0e", {}}, p99{"p99", "#d62728", {}};
  for (const test_rig::MetricsInterval& interval : m.intervals) {
    const double end =
        static_cast<double>(interval.start_unix_ms - m.start_unix_ms) / 1000 + interval.seconds;
    if (auto n = interval.counters.find(m.throughput);
        n != interval.counters.end() && interval.seconds > 0) {
      rate.points.emplace_back(end, static_cast<double>(n->second) / interval.seconds);
    }
    auto h = interval.histograms.find(histogram_name);
    if (h == interval.histograms.end() || h->second.histogram.count() == 0) continue;
    const double ms = milliseconds_per(h->second.unit).value_or(1);
    p50.points.emplace_back(end, ms * static_cast<double>(h->second.histogram.percentile(50)));
    p95.points.emplace_back(end, ms * static_cast<double>(h->second.histogram.percentile(95)));
    p99.points.emplace_back(end, ms * static_cast<double>(h->second.histogram.percentile(99)));
  }
  if (!rate.points.empty()) {
    throughput.series.push_back(std::move(rate));
    html += line_chart(throughput);
  }
  if (!p50.points.empty()) {
    latency.series = {std::move(p50), std::move(p95), std::move(p99)};
    html += line_chart(latency);
  }
  if (auto h = m.histograms.find(histogram_name); h != m.histograms.end()) {
    const double ms = milliseconds_per(h->second.unit).value_or(1);
    const test_rig::Histogram shown = h->second.histogram.coarsened(test_rig::kCoarse);
    BarChart bars{histogram_name + " latency histogram (" +
                      std::to_string(h->second.histogram.count()) + " values)",
                  "ms",
                  {}};
    for (std::size_t i = 0; i < shown.counts().size(); ++i) {
      if (shown.counts()[i] == 0) continue;
      bars.bars.emplace_back(ms * static_cast<double>(shown.layout().highest_in(i)),
                             static_cast<double>(shown.counts()[i]));
    }
    html += bar_chart(bars);
  }
  return html;
}

std::string errors_section(const TestResult& result, const Metrics* metrics) {
  std::map<std::string, std::string> by_code;  // code -> "count (kind, retry)"
  for (const json& error : result.errors) {
    by_code[std::to_string(error.value("code", 0))] =
        std::to_string(error.value("count", 0)) +
        " failed call(s): " + escaped(error.value("description", "")) + " (" +
        escaped(error.value("kind", "")) + ", " + escaped(error.value("retry", "")) + ")";
  }
  if (metrics) {
    for (const auto& [code, count] : metrics->errors) {
      by_code.emplace(code, std::to_string(count) + " in the workload's events");
    }
  }
  if (by_code.empty()) return "";
  std::string html =
      "<h3>errors by code</h3><table class=\"errors\"><tr><th>code</th><th>"
      "</th></tr>";
  for (const auto& [code, text] : by_code)
    html += "<tr><td>" + code + "</td><td>" + text + "</td></tr>";
  return html + "</table>";
}

std::string trace_text(const json& trace) {
  std::string text;
  for (const json& step : trace) {
    const json& session = step.value("session", json());
    text += (session.is_string() ? session.get<std::string>() : "T" + session.dump()) + ": " +
            step.value("sql", "");
    if (step.value("blocked", false)) text += "   [blocked]";
    if (step.contains("rows")) text += "\n      -> " + step["rows"].get<std::string>();
    if (step.contains("error")) text += "\n      -> error " + step["error"].get<std::string>();
    text += "\n";
  }
  return text;
}

// The cells as a matrix per profile: a row per level, a column per
// scenario, coloured by how the cell came out; a click shows its trace.
std::string isolation_section(const json& isolation, const std::string& test_anchor) {
  const json& cells = isolation["cells"];
  std::set<std::string> profiles;
  std::vector<std::string> levels, scenarios;
  for (const json& cell : cells) {
    profiles.insert(cell.value("profile", ""));
    for (auto [list, key] : {std::pair{&levels, "level"}, std::pair{&scenarios, "scenario"}}) {
      const std::string value = cell.value(key, "");
      if (std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
    }
  }
  std::string html, traces;
  for (const std::string& profile : profiles) {
    html +=
        "<h3>isolation matrix: " + escaped(profile) + "</h3><table class=\"matrix\"><tr><th></th>";
    for (const std::string& scenario : scenarios) html += "<th>" + escaped(scenario) + "</th>";
    html += "</tr>";
    for (const std::string& level : levels) {
      html += "<tr><th>" + escaped(level) + "</th>";
      for (const std::string& scenario : scenarios) {
        const json* found = nullptr;
        std::size_t index = 0;
        for (std::size_t i = 0; i < cells.size(); ++i) {
          if (cells[i].value("profile", "") == profile && cells[i].value("level", "") == level &&
              cells[i].value("scenario", "") == scenario) {
            found = &cells[i];
            index = i;
          }
        }
        if (!found) {
          html += "<td></td>";
          continue;
        }
        const std::string observed =
            (*found)["observed"].is_string() ? (*found)["observed"].get<std::string>() : "";
        const std::string expected = found->value("expected", "");
        std::string kind = found->value("verdict", "undecided");
        if (kind == "error") kind = "cell-error";
        const std::string id = test_anchor + "-cell-" + std::to_string(index);
        html += "<td class=\"" + kind + "\"><a href=\"#" + id + "\" title=\"expected " +
                escaped(expected) + "\">" + escaped(observed.empty() ? "?" : observed) +
                "</a></td>";
        traces += "<div class=\"trace\" id=\"" + id + "\"><h3>" +
                  escaped(profile + " / " + level + " / " + scenario) + ": expected " +
                  escaped(expected) + ", observed " + escaped(observed) + "</h3><pre>" +
                  escaped(found->value("error", "") + trace_text(found->value("trace", json()))) +
                  "</pre></div>";
      }
      html += "</tr>";
    }
    html += "</table>";
  }
  return html + traces;
}

std::string consistency_section(const json& consistency) {
  std::string html = "<h3>consistency: " + escaped(consistency.value("workload", "")) +
                     " against " + escaped(consistency.value("model", "")) + "</h3><table>";
  html += "<tr><th>anomaly</th><th>found</th><th>forbidden by the model</th></tr>";
  std::set<std::string> forbidden;
  for (const json& name : consistency.value("forbidden", json::array())) {
    forbidden.insert(name.get<std::string>());
  }
  const json anomalies = consistency.value("anomalies", json::object());
  for (const auto& [name, count] : anomalies.items()) {
    html += "<tr><td>" + escaped(name) + "</td><td>" + count.dump() + "</td><td>" +
            (forbidden.count(name) ? "yes" : "") + "</td></tr>";
  }
  html += "</table>";
  for (const json& anomaly : consistency.value("explanations", json::array())) {
    html += "<div class=\"anomaly\"><pre>" + escaped(anomaly.value("text", "")) + "</pre>";
    CycleGraph graph;
    std::map<std::string, std::size_t> index;
    auto node = [&](const std::string& name) {
      auto [it, added] = index.emplace(name, graph.nodes.size());
      if (added) graph.nodes.push_back(name);
      return it->second;
    };
    for (const json& step : anomaly.value("steps", json::array())) {
      graph.edges.push_back(
          {node(step.value("from", "")), node(step.value("to", "")), step.value("kind", "")});
    }
    if (!graph.edges.empty()) html += cycle_graph(graph);
    html += "</div>";
  }
  return html;
}

std::string test_section(const TestResult& result, const json& nemesis) {
  const std::string status = status_name(result.status);
  const std::string anchor = "test-" + anchor_of(result.name());
  std::string html = "<article class=\"test " + status + "\" id=\"" + anchor + "\"><h2>" +
                     escaped(result.name()) + " <span class=\"status\">" + status +
                     "</span></h2><p>" + decimal_text(result.duration_s, 2) + " s";
  if (result.retries || result.reconnects) {
    html += "; " + std::to_string(result.retries) + " retries, " +
            std::to_string(result.reconnects) + " reconnects";
  }
  html += "</p>";
  if (!result.message.empty())
    html += "<pre class=\"message\">" + escaped(result.message) + "</pre>";
  const json details = result.details.is_object() ? result.details : json::object();
  std::optional<Metrics> metrics;
  if (details.contains("metrics")) {
    try {
      metrics = parse_metrics(details["metrics"]);
    } catch (const ReportError& e) {
      html += "<p>metrics unreadable: " + escaped(e.what()) + "</p>";
    }
  }
  if (metrics) html += metrics_section(*metrics, nemesis);
  html += errors_section(result, metrics ? &*metrics : nullptr);
  if (details.contains("isolation") && details["isolation"].contains("cells")) {
    html += isolation_section(details["isolation"], anchor);
  } else if (details.contains("consistency")) {
    html += consistency_section(details["consistency"]);  // its cases are the anomaly classes
  } else if (!result.cases.empty()) {
    html += "<h3>cases</h3><table><tr><th>case</th><th>status</th><th></th></tr>";
    for (const CaseResult& c : result.cases) {
      html += "<tr><td>" + escaped(c.name) + "</td><td>" + status_name(c.status) +
              "</td><td class=\"message\">" + escaped(c.message) + "</td></tr>";
    }
    html += "</table>";
  }
  if (!result.summary_text.empty()) {
    html += "<details><summary>summary text</summary><pre>" + escaped(result.summary_text) +
            "</pre></details>";
  }
  return html + "</article>";
}

}  // namespace

std::string html_report(const RunReport& report) {
  const auto counts = report.counts();
  std::string title = "test-rig report: ";
  for (const auto& [status, count] : counts) {
    if (count) title += std::to_string(count) + " " + status + " ";
  }
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                     escaped(title) + "</title><style>" + kStyle + "</style></head><body><h1>" +
                     escaped(title) + "</h1>";
  html += summary_section(report);
  // A merged report keeps each report's nemesis apart; its faults are not
  // shaded (their clocks are the reports' own).
  const json nemesis =
      report.nemesis.is_object() && !report.nemesis.contains("by_report") ? report.nemesis : json();
  for (const TestResult& result : report.results) {
    // A report written by another version may hold a record of a shape
    // this one does not draw: the page says so and goes on.
    try {
      html += test_section(result, nemesis);
    } catch (const json::exception& e) {
      html += "<article class=\"test\"><h2>" + escaped(result.name()) +
              "</h2><p>not drawn: a record of an unexpected shape (" + escaped(e.what()) +
              ")</p></article>";
    }
  }
  return html + "</body></html>\n";
}

void write_html_report(const std::string& path, const RunReport& report) {
  write_report_text(path, "HTML", html_report(report));
}

}  // namespace rig
