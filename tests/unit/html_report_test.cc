// core/report/html_report.h and svg_chart.h: what the page draws from a
// report -- a point per interval, a shaded span per fault, a matrix cell
// per isolation cell, a cycle per explained cycle -- and that nothing a
// test wrote reaches the page unescaped.
#include "core/report/html_report.h"

#include <gtest/gtest.h>

#include <string>

#include "core/report/svg_chart.h"
#include "test_rig/sdk/metrics.h"

namespace rig {
namespace {

using nlohmann::json;

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

constexpr int64_t kStart = 1'796'000'000'000;

// A load's metrics: `intervals` one-second intervals of 100 events each.
json load_metrics(int intervals) {
  test_rig::Metrics m;
  m.start_unix_ms = kStart;
  m.seconds = intervals;
  m.threads = 2;
  m.throughput = "events.succeeded";
  m.counters["events.succeeded"] = 100 * intervals;
  m.errors["1213"] = 3;
  m.histograms["event"].unit = "ns";
  for (int i = 0; i < intervals; ++i) {
    test_rig::MetricsInterval interval;
    interval.start_unix_ms = kStart + 1000 * i;
    interval.seconds = 1;
    interval.threads = 2;
    interval.counters["events.succeeded"] = 100;
    test_rig::Histogram h(test_rig::kCoarse);
    for (int k = 1; k <= 100; ++k) {
      h.record(static_cast<uint64_t>(k) * 10'000);
      m.histograms["event"].histogram.record(static_cast<uint64_t>(k) * 10'000);
    }
    interval.histograms["event"] = {"ns", h};
    m.intervals.push_back(std::move(interval));
  }
  return json::parse(m.to_json());
}

TestResult test_named(const std::string& plugin, const std::string& test, TestStatus status) {
  TestResult result;
  result.plugin = plugin;
  result.test = test;
  result.status = status;
  return result;
}

// The part of `html` from the article of `name` to its end.
std::string article(const std::string& html, const std::string& id) {
  const std::size_t start = html.find("id=\"" + id + "\"");
  EXPECT_NE(start, std::string::npos) << id;
  return html.substr(start, html.find("</article>", start) - start);
}

TEST(HtmlReport, ALoadDrawsAPointPerIntervalAndShadesEachFault) {
  RunReport report;
  TestResult load = test_named("load", "read_write", TestStatus::kPassed);
  load.details = {{"metrics", load_metrics(5)}};
  report.results.push_back(load);
  // A pause from 1.5 s to 2.5 s into the window, and one still open at the end.
  report.nemesis = {
      {"events",
       {{{"phase", "start"}, {"fault", "pause"}, {"nodes", {1}}, {"unix_ms", kStart + 1500}},
        {{"phase", "heal"}, {"fault", "pause"}, {"nodes", {1}}, {"unix_ms", kStart + 2500}},
        {{"phase", "start"}, {"fault", "kill"}, {"nodes", {1}}, {"unix_ms", kStart + 4000}}}}};
  const std::string page = article(html_report(report), "test-load-read-write");
  const std::size_t throughput = page.find("<svg"), latency = page.find("<svg", throughput + 1),
                    histogram = page.find("<svg", latency + 1);
  ASSERT_NE(histogram, std::string::npos);
  const std::string first = page.substr(throughput, latency - throughput);
  const std::string second = page.substr(latency, histogram - latency);
  EXPECT_EQ(occurrences(first, "class=\"point\""), 5u);    // events/s per interval
  EXPECT_EQ(occurrences(second, "class=\"point\""), 15u);  // p50, p95, p99 per interval
  EXPECT_EQ(occurrences(first, "class=\"fault\""), 1u);    // the healed pause only
  EXPECT_NE(first.find("100 /s"), std::string::npos);      // 100 events in each second
  EXPECT_GT(occurrences(page.substr(histogram), "class=\"bar\""), 0u);
  EXPECT_NE(page.find("<td>1213</td>"), std::string::npos);
}

TEST(HtmlReport, IsolationCellsFormAMatrixWithATraceEachAndConsistencyCyclesAreDrawn) {
  RunReport report;
  TestResult isolation = test_named("isolation", "hermitage", TestStatus::kFailed);
  json cells = json::array();
  for (const char* level : {"read-committed", "serializable"}) {
    for (const char* scenario : {"g0", "p4"}) {
      cells.push_back(
          {{"profile", "mariadb"},
           {"level", level},
           {"scenario", scenario},
           {"observed", "anomaly"},
           {"expected", "prevented"},
           {"verdict", std::string(level) == "serializable" ? "differs" : "as-expected"},
           {"error", ""},
           {"trace", {{{"session", 1}, {"sql", "UPDATE t SET v = 11"}}}}});
    }
  }
  isolation.details = {{"isolation", {{"cells", cells}}}};
  TestResult consistency = test_named("consistency", "list-append", TestStatus::kPassed);
  consistency.details = {
      {"consistency",
       {{"workload", "list-append"},
        {"model", "read-committed"},
        {"anomalies", {{"G-single", 1}}},
        {"explanations",
         {{{"class", "G-single"},
           {"text", "G-single #1"},
           {"steps",
            {{{"from", "T1"}, {"to", "T2"}, {"kind", "rw"}},
             {{"from", "T2"}, {"to", "T1"}, {"kind", "wr"}}}}},
          {{"class", "internal"}, {"text", "internal #1"}, {"steps", json::array()}}}}}}};
  report.results = {isolation, consistency};
  const std::string html = html_report(report);
  const std::string matrix = article(html, "test-isolation-hermitage");
  EXPECT_EQ(occurrences(matrix, "<td class=\"as-expected\">"), 2u);
  EXPECT_EQ(occurrences(matrix, "<td class=\"differs\">"), 2u);
  EXPECT_EQ(occurrences(matrix, "class=\"trace\""), 4u);
  EXPECT_NE(matrix.find("T1: UPDATE t SET v = 11"), std::string::npos) << matrix;
  const std::string cycles = article(html, "test-consistency-list-append");
  EXPECT_EQ(occurrences(cycles, "class=\"cycle\""), 1u);  // the internal anomaly has no cycle
  EXPECT_EQ(occurrences(cycles, "<g class=\"edge\">"), 2u);
  EXPECT_EQ(occurrences(cycles, "<g class=\"node\">"), 2u);
}

TEST(HtmlReport, NothingATestWroteReachesThePageUnescapedAndNothingIsFetched) {
  RunReport report;
  TestResult evil = test_named("odd", "<script>", TestStatus::kFailed);
  evil.message = "</pre><script>alert('x')</script> & \"quotes\"";
  evil.summary_text = "<img src=x onerror=alert(1)>";
  report.results.push_back(evil);
  report.target = "rig@<host>";
  const std::string html = html_report(report);
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;/pre&gt;&lt;script&gt;alert(&#39;x&#39;)"), std::string::npos);
  EXPECT_EQ(html.find("src=\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
}

TEST(SvgChart, ALineChartHasAPointPerValueAndASpanPerShadedStretch) {
  LineChart chart{"t<1>", "s", "/s", {}, {{1, 2, "pause"}}};
  chart.series.push_back({"a", "#000", {{0, 1}, {1, 2}, {2, 3}}});
  chart.series.push_back({"b", "#111", {{0, 5}}});
  const std::string svg = line_chart(chart);
  EXPECT_EQ(occurrences(svg, "class=\"point\""), 4u);
  EXPECT_EQ(occurrences(svg, "class=\"fault\""), 1u);
  EXPECT_NE(svg.find("t&lt;1&gt;"), std::string::npos);
  EXPECT_EQ(line_chart(LineChart{"empty", "s", "/s", {}, {}}).find("class=\"point\""),
            std::string::npos);
}

}  // namespace
}  // namespace rig
