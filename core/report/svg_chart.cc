#include "core/report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace rig {
namespace {

constexpr double kWidth = 720, kHeight = 260;
constexpr double kLeft = 64, kRight = 16, kTop = 28, kBottom = 40;

// A number as an axis or a tooltip shows it: few digits, no trailing zeros.
std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4g", value);
  return text;
}

// Up to about five round values from `low` to `high` (1, 2 or 5 times a
// power of ten apart).
std::vector<double> ticks(double low, double high) {
  if (!(high > low)) return {low};
  const double raw = (high - low) / 5;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  double step = power;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * power;
    if (step >= raw) break;
  }
  std::vector<double> values;
  for (double v = std::ceil(low / step) * step; v <= high + step * 1e-9; v += step) {
    values.push_back(std::abs(v) < step * 1e-9 ? 0 : v);
  }
  return values;
}

struct Frame {
  double x_low, x_high, y_low, y_high;
  double x(double value) const {
    return kLeft + (value - x_low) / (x_high - x_low) * (kWidth - kLeft - kRight);
  }
  double y(double value) const {
    return kHeight - kBottom - (value - y_low) / (y_high - y_low) * (kHeight - kTop - kBottom);
  }
};

std::string coordinate(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f", value);
  return text;
}

std::string svg_open(const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " +
         coordinate(kWidth) + " " + coordinate(kHeight) + "\" width=\"" + coordinate(kWidth) +
         "\" height=\"" + coordinate(kHeight) + "\" role=\"img\"><title>" + html_escaped(title) +
         "</title><text class=\"chart-title\" x=\"" + coordinate(kLeft) + "\" y=\"18\">" +
         html_escaped(title) + "</text>";
}

// The axes with their ticks; x tick labels through `x_label`.
template <typename Label>
std::string axes(const Frame& frame, const std::vector<double>& x_ticks, Label x_label,
                 const std::string& x_unit, const std::string& y_unit) {
  std::string svg;
  for (double v : ticks(frame.y_low, frame.y_high)) {
    svg += "<line class=\"grid\" x1=\"" + coordinate(kLeft) + "\" x2=\"" +
           coordinate(kWidth - kRight) + "\" y1=\"" + coordinate(frame.y(v)) + "\" y2=\"" +
           coordinate(frame.y(v)) + "\"/><text class=\"tick\" text-anchor=\"end\" x=\"" +
           coordinate(kLeft - 6) + "\" y=\"" + coordinate(frame.y(v) + 4) + "\">" +
           short_number(v) + "</text>";
  }
  for (double v : x_ticks) {
    svg += "<text class=\"tick\" text-anchor=\"middle\" x=\"" + coordinate(frame.x(v)) + "\" y=\"" +
           coordinate(kHeight - kBottom + 16) + "\">" + x_label(v) + "</text>";
  }
  svg += "<line class=\"axis\" x1=\"" + coordinate(kLeft) + "\" x2=\"" +
         coordinate(kWidth - kRight) + "\" y1=\"" + coordinate(kHeight - kBottom) + "\" y2=\"" +
         coordinate(kHeight - kBottom) + "\"/>";
  svg += "<text class=\"unit\" x=\"" + coordinate(kWidth - kRight) + "\" y=\"" +
         coordinate(kHeight - 6) + "\" text-anchor=\"end\">" + html_escaped(x_unit) + "</text>";
  svg += "<text class=\"unit\" x=\"4\" y=\"" + coordinate(kTop - 10) + "\">" +
         html_escaped(y_unit) + "</text>";
  return svg;
}

}  // namespace

std::string html_escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string line_chart(const LineChart& chart) {
  Frame frame{0, 1, 0, 1};
  bool any = false;
  for (const ChartSeries& series : chart.series) {
    for (auto [x, y] : series.points) {
      frame.x_low = any ? std::min(frame.x_low, x) : x;
      frame.x_high = any ? std::max(frame.x_high, x) : x;
      frame.y_high = any ? std::max(frame.y_high, y) : std::max(y, 0.0);
      any = true;
    }
  }
  frame.x_low = std::min(frame.x_low, 0.0);
  if (frame.x_high <= frame.x_low) frame.x_high = frame.x_low + 1;
  frame.y_high = frame.y_high > 0 ? frame.y_high * 1.1 : 1;
  std::string svg = svg_open(chart.title);
  for (const ChartSpan& span : chart.shaded) {
    const double from = std::clamp(span.from, frame.x_low, frame.x_high);
    const double to = std::clamp(span.to, frame.x_low, frame.x_high);
    svg += "<rect class=\"fault\" x=\"" + coordinate(frame.x(from)) + "\" y=\"" + coordinate(kTop) +
           "\" width=\"" + coordinate(std::max(1.0, frame.x(to) - frame.x(from))) + "\" height=\"" +
           coordinate(kHeight - kTop - kBottom) + "\"><title>" + html_escaped(span.label) +
           "</title></rect>";
  }
  svg += axes(frame, ticks(frame.x_low, frame.x_high), short_number, chart.x_unit, chart.y_unit);
  double legend_x = kLeft + 220;
  for (const ChartSeries& series : chart.series) {
    std::string line;
    for (auto [x, y] : series.points) {
      line += coordinate(frame.x(x)) + "," + coordinate(frame.y(y)) + " ";
    }
    svg += "<g class=\"series\" data-name=\"" + html_escaped(series.name) +
           "\"><polyline fill=\"none\" stroke=\"" + series.color +
           "\" stroke-width=\"1.5\" points=\"" + line + "\"/>";
    for (auto [x, y] : series.points) {
      svg += "<circle class=\"point\" r=\"2.5\" fill=\"" + series.color + "\" cx=\"" +
             coordinate(frame.x(x)) + "\" cy=\"" + coordinate(frame.y(y)) + "\"><title>" +
             html_escaped(series.name) + " at " + short_number(x) + " " + chart.x_unit + ": " +
             short_number(y) + " " + chart.y_unit + "</title></circle>";
    }
    svg += "</g><text class=\"legend\" x=\"" + coordinate(legend_x) + "\" y=\"18\" fill=\"" +
           series.color + "\">" + html_escaped(series.name) + "</text>";
    legend_x += 90;
  }
  return svg + "</svg>";
}

std::string bar_chart(const BarChart& chart) {
  double low = 0, high = 1, top = 1;
  bool any = false;
  for (auto [bound, count] : chart.bars) {
    if (bound <= 0) continue;
    const double decade = std::log10(bound);
    low = any ? std::min(low, decade) : decade;
    high = any ? std::max(high, decade) : decade;
    top = std::max(top, count);
    any = true;
  }
  low = std::floor(low);
  high = std::max(std::ceil(high), low + 1);
  const Frame frame{low, high, 0, top * 1.1};
  std::string svg = svg_open(chart.title);
  std::vector<double> decades;
  for (double d = low; d <= high; ++d) decades.push_back(d);
  svg += axes(
      frame, decades, [](double d) { return short_number(std::pow(10, d)); }, chart.x_unit,
      "count");
  for (auto [bound, count] : chart.bars) {
    if (bound <= 0) continue;
    const double x = frame.x(std::log10(bound));
    svg += "<rect class=\"bar\" x=\"" + coordinate(x - 1) + "\" y=\"" + coordinate(frame.y(count)) +
           "\" width=\"2\" height=\"" + coordinate(frame.y(0) - frame.y(count)) +
           "\"><title>up to " + short_number(bound) + " " + html_escaped(chart.x_unit) + ": " +
           short_number(count) + "</title></rect>";
  }
  return svg + "</svg>";
}

std::string cycle_graph(const CycleGraph& graph) {
  const double size = 320, center = size / 2, radius = graph.nodes.size() > 1 ? 110 : 0;
  auto at = [&](std::size_t i) {
    const double angle = 2 * std::numbers::pi * static_cast<double>(i) /
                             static_cast<double>(std::max<std::size_t>(1, graph.nodes.size())) -
                         std::numbers::pi / 2;
    return std::pair{center + radius * std::cos(angle), center + radius * std::sin(angle)};
  };
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cycle\" viewBox=\"0 0 320 320\" "
      "width=\"320\" height=\"320\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" "
      "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path "
      "d=\"M 0 0 L 10 5 L 0 10 z\"/></marker></defs>";
  for (const CycleGraph::Edge& edge : graph.edges) {
    auto [x1, y1] = at(edge.from);
    auto [x2, y2] = at(edge.to);
    // Stop short of the nodes' boxes.
    const double dx = x2 - x1, dy = y2 - y1, length = std::max(1.0, std::hypot(dx, dy));
    const double cut = std::min(28.0, length / 3);
    svg += "<g class=\"edge\"><line x1=\"" + coordinate(x1 + dx / length * cut) + "\" y1=\"" +
           coordinate(y1 + dy / length * cut) + "\" x2=\"" + coordinate(x2 - dx / length * cut) +
           "\" y2=\"" + coordinate(y2 - dy / length * cut) +
           "\" marker-end=\"url(#arrow)\"/><text x=\"" + coordinate((x1 + x2) / 2) + "\" y=\"" +
           coordinate((y1 + y2) / 2 - 4) + "\" text-anchor=\"middle\">" + html_escaped(edge.label) +
           "</text></g>";
  }
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    auto [x, y] = at(i);
    svg += "<g class=\"node\"><rect x=\"" + coordinate(x - 26) + "\" y=\"" + coordinate(y - 12) +
           "\" width=\"52\" height=\"24\" rx=\"4\"/><text x=\"" + coordinate(x) + "\" y=\"" +
           coordinate(y + 4) + "\" text-anchor=\"middle\">" + html_escaped(graph.nodes[i]) +
           "</text></g>";
  }
  return svg + "</svg>";
}

}  // namespace rig
