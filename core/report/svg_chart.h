// core/report/svg_chart.h -- charts as inline SVG for the HTML report: no
// script, no fonts or files to fetch, so the page renders anywhere alike.
//
//   LineChart chart{"throughput", "s", "events/s"};
//   chart.series.push_back({"events/s", "#1f77b4", {{1, 980}, {2, 1010}}});
//   chart.shaded.push_back({3.5, 5.0, "kill node 1"});
//   std::string svg = line_chart(chart);     // <svg ...>...</svg>
//
// Every point of a series is a <circle class="point"> with its value in a
// <title>, so that a reader hovers for the number and a test counts them.
//
// Thread tags: [thread-safe] (functions of their arguments).
#ifndef TEST_RIG_CORE_REPORT_SVG_CHART_H_
#define TEST_RIG_CORE_REPORT_SVG_CHART_H_

#include <string>
#include <utility>
#include <vector>

namespace rig {

struct ChartSeries {
  std::string name;
  std::string color;                              // CSS colour
  std::vector<std::pair<double, double>> points;  // x, y
};

// A stretch of the x axis to shade, such as the time a fault lasted.
struct ChartSpan {
  double from = 0, to = 0;
  std::string label;
};

struct LineChart {
  std::string title;
  std::string x_unit, y_unit;
  std::vector<ChartSeries> series;
  std::vector<ChartSpan> shaded;
};

std::string line_chart(const LineChart& chart);

// One bar per bucket in use: `bars` are {upper bound, count}; the x axis is
// logarithmic (latencies span decades).
struct BarChart {
  std::string title;
  std::string x_unit;
  std::vector<std::pair<double, double>> bars;
};

std::string bar_chart(const BarChart& chart);

// A cycle of nodes joined by labelled arrows (an anomaly's transactions
// and the dependencies between them), the nodes on a circle.
struct CycleGraph {
  std::vector<std::string> nodes;
  struct Edge {
    std::size_t from, to;  // indices into nodes
    std::string label;
  };
  std::vector<Edge> edges;
};

std::string cycle_graph(const CycleGraph& graph);

// `text` with &, <, >, " and ' escaped, for HTML and SVG alike.
std::string html_escaped(const std::string& text);

}  // namespace rig

#endif  // TEST_RIG_CORE_REPORT_SVG_CHART_H_
