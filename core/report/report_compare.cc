#include "core/report/report_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "core/base/decimal_text.h"
#include "core/report/metrics.h"

namespace rig {
namespace {

using test_rig::Histogram;
using test_rig::MetricsInterval;

// The population standard deviation of `values`; none for fewer than two.
std::optional<double> spread(const std::vector<double>& values) {
  if (values.size() < 2) return std::nullopt;
  double mean = 0, variance = 0;
  for (double v : values) mean += v / static_cast<double>(values.size());
  for (double v : values) variance += (v - mean) * (v - mean) / static_cast<double>(values.size());
  return std::sqrt(variance);
}

// One figure of a test, before and after.
struct Figure {
  std::string label;
  double before = 0, after = 0;
  std::optional<double> noise;  // the larger run's interval-to-interval spread
  bool higher_is_worse = true;  // latencies, errors; not throughput
  std::optional<double> limit;  // the largest change allowed, as a fraction
  std::string limit_name;       // "--max-p99-rise"
};

// The change from before to after as a fraction; infinite from 0 to more.
double change_of(const Figure& f) {
  if (f.before == 0) return f.after == 0 ? 0 : std::numeric_limits<double>::infinity();
  return (f.after - f.before) / f.before;
}

std::string percent_text(double fraction) {
  if (std::isinf(fraction)) return "new";
  return (fraction >= 0 ? "+" : "") + decimal_text(100 * fraction, 1) + " %";
}

// The line of `f`, and a regression when it breaks its limit beyond noise.
std::string figure_line(const std::string& test, const Figure& f,
                        std::vector<std::string>* regressions) {
  const double change = change_of(f);
  const bool within_noise = f.noise && std::fabs(f.after - f.before) <= *f.noise;
  std::string verdict = within_noise ? "within noise" : "";
  const double worse = f.higher_is_worse ? change : -change;
  if (f.limit && !within_noise && worse > *f.limit) {
    verdict = "REGRESSION (" + f.limit_name + " " + decimal_text(100 * *f.limit, 1) + " %)";
    regressions->push_back(test + ": " + f.label + " " + decimal_text(f.before, 3) + " -> " +
                           decimal_text(f.after, 3) + " (" + percent_text(change) + "), beyond " +
                           f.limit_name + " " + decimal_text(100 * *f.limit, 1) + " %");
  }
  char line[256];
  std::snprintf(line, sizeof(line), "  %-40s %12s %12s %9s  %s\n", f.label.c_str(),
                decimal_text(f.before, 3).c_str(), decimal_text(f.after, 3).c_str(),
                percent_text(change).c_str(), verdict.c_str());
  return line;
}

// A per-interval series of each run, for the spread.
std::optional<double> noise_of(
    const Metrics& before, const Metrics& after,
    const std::function<std::optional<double>(const MetricsInterval&)>& of) {
  std::optional<double> largest;
  for (const Metrics* m : {&before, &after}) {
    std::vector<double> series;
    for (const MetricsInterval& interval : m->intervals) {
      if (auto value = of(interval)) series.push_back(*value);
    }
    if (auto s = spread(series)) largest = std::max(largest.value_or(0), *s);
  }
  return largest;
}

int64_t error_total(const Metrics& m) {
  int64_t total = 0;
  for (const auto& [code, n] : m.errors) total += n;
  return total;
}

std::vector<Figure> figures(const Metrics& before, const Metrics& after,
                            const CompareLimits& limits) {
  std::vector<Figure> out;
  const std::string& counter = after.throughput;
  if (!counter.empty() && before.counters.count(counter) && after.counters.count(counter)) {
    Figure f{"throughput (" + counter + "/s)", before.rate(before.counters.at(counter)),
             after.rate(after.counters.at(counter))};
    f.noise = noise_of(before, after, [&](const MetricsInterval& i) -> std::optional<double> {
      auto it = i.counters.find(counter);
      if (it == i.counters.end() || i.seconds <= 0) return std::nullopt;
      return it->second / i.seconds;
    });
    f.higher_is_worse = false;
    f.limit = limits.max_throughput_drop;
    f.limit_name = "--max-throughput-drop";
    out.push_back(f);
  }
  for (const auto& [name, b] : before.histograms) {
    auto a = after.histograms.find(name);
    if (a == after.histograms.end()) continue;
    const double to_ms = milliseconds_per(b.unit).value_or(1);
    out.push_back({name + " per s", before.rate(static_cast<int64_t>(b.histogram.count())),
                   after.rate(static_cast<int64_t>(a->second.histogram.count()))});
    out.back().higher_is_worse = false;
    const struct {
      const char* label;
      double p;
      std::optional<double> limit;
      const char* limit_name;
    } percentiles[] = {{"p50", 50, std::nullopt, ""},
                       {"p95", 95, std::nullopt, ""},
                       {"p99", 99, limits.max_p99_rise, "--max-p99-rise"},
                       {"p99.9", 99.9, limits.max_p999_rise, "--max-p999-rise"}};
    for (const auto& pc : percentiles) {
      Figure f{name + " " + pc.label + " (ms)", b.histogram.percentile(pc.p) * to_ms,
               a->second.histogram.percentile(pc.p) * to_ms};
      f.noise = noise_of(before, after, [&](const MetricsInterval& i) -> std::optional<double> {
        auto it = i.histograms.find(name);
        if (it == i.histograms.end() || it->second.histogram.count() == 0) return std::nullopt;
        return it->second.histogram.percentile(pc.p) * to_ms;
      });
      // Only a figure whose noise is known is judged against a limit.
      if (f.noise) {
        f.limit = pc.limit;
        f.limit_name = pc.limit_name;
      }
      out.push_back(f);
    }
  }
  Figure errors{"errors per s", before.rate(error_total(before)), after.rate(error_total(after))};
  errors.noise = noise_of(before, after, [](const MetricsInterval& i) -> std::optional<double> {
    auto it = i.counters.find("errors");
    if (it == i.counters.end() || i.seconds <= 0) return std::nullopt;
    return it->second / i.seconds;
  });
  errors.limit = limits.max_error_rise;
  errors.limit_name = "--max-error-rise";
  out.push_back(errors);
  return out;
}

bool passed_then_broke(std::optional<TestStatus> before, TestStatus after) {
  return (!before || *before == TestStatus::kPassed) &&
         (after == TestStatus::kFailed || after == TestStatus::kError ||
          after == TestStatus::kCrashed);
}

std::string status_text(std::optional<TestStatus> status) {
  return status ? status_name(*status) : "absent";
}

void compare_test(const TestResult* before, const TestResult* after, const CompareLimits& limits,
                  Comparison* out) {
  const std::string name = (before ? before : after)->name();
  const std::optional<TestStatus> was =
      before ? std::optional<TestStatus>(before->status) : std::nullopt;
  const std::optional<TestStatus> is =
      after ? std::optional<TestStatus>(after->status) : std::nullopt;
  out->text += "\n" + name + ": " + status_text(was) + " -> " + status_text(is);
  if (was != is) out->text += "  CHANGED";
  out->text += "\n";
  if (is && passed_then_broke(was, *is)) {
    out->regressions.push_back(name + ": " + status_text(was) + " -> " + status_text(is) +
                               (after->message.empty() ? "" : ": " + after->message));
  }
  if (!before || !after) return;
  std::map<std::string, TestStatus> cases_before;
  for (const CaseResult& c : before->cases) cases_before[c.name] = c.status;
  for (const CaseResult& c : after->cases) {
    auto it = cases_before.find(c.name);
    const std::optional<TestStatus> case_was =
        it == cases_before.end() ? std::nullopt : std::optional<TestStatus>(it->second);
    if (case_was == c.status || (!case_was && c.status == TestStatus::kPassed)) continue;
    const std::string line =
        "case " + c.name + ": " + status_text(case_was) + " -> " + status_name(c.status);
    out->text += "  " + line + "\n";
    if (passed_then_broke(case_was, c.status)) out->regressions.push_back(name + ": " + line);
  }
  if (!before->details.is_object() || !before->details.contains("metrics") ||
      !after->details.is_object() || !after->details.contains("metrics")) {
    return;
  }
  const Metrics b = parse_metrics(before->details["metrics"]);
  const Metrics a = parse_metrics(after->details["metrics"]);
  char header[256];
  std::snprintf(header, sizeof(header), "  %-40s %12s %12s %9s\n", "", "before", "after", "change");
  out->text += header;
  for (const Figure& f : figures(b, a, limits)) {
    out->text += figure_line(name, f, &out->regressions);
  }
}

// The closing lines: the regressions, one each, or that there are none.
void end_with_regressions(Comparison* out) {
  out->text += "\n";
  if (out->regressions.empty()) {
    out->text += "no regressions\n";
  } else {
    out->text += std::to_string(out->regressions.size()) + " regression(s):\n";
    for (const std::string& r : out->regressions) out->text += "  " + r + "\n";
  }
}

}  // namespace

std::optional<double> parse_percent(const std::string& text) {
  std::string digits = text;
  while (!digits.empty() && (digits.back() == '%' || digits.back() == ' ')) digits.pop_back();
  if (digits.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size() || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  return value / 100;
}

Comparison compare_reports(const RunReport& before, const RunReport& after,
                           const CompareLimits& limits) {
  Comparison out;
  std::map<std::string, const TestResult*> after_by_name;
  for (const TestResult& t : after.results) after_by_name[t.name()] = &t;
  std::set<std::string> seen;
  for (const TestResult& t : before.results) {
    seen.insert(t.name());
    auto it = after_by_name.find(t.name());
    compare_test(&t, it == after_by_name.end() ? nullptr : it->second, limits, &out);
  }
  for (const TestResult& t : after.results) {
    if (!seen.count(t.name())) compare_test(nullptr, &t, limits, &out);
  }
  end_with_regressions(&out);
  return out;
}

Comparison compare_to_baseline(const std::vector<BaselineJudgement>& judged,
                               const std::vector<std::string>& unjudged) {
  Comparison out;
  for (const BaselineJudgement& test : judged) {
    std::size_t kept = 0;
    for (const CaseResult& c : test.cases) kept += c.status == TestStatus::kPassed;
    out.text += "\n" + test.test + ": " + std::to_string(kept) + " of " +
                std::to_string(test.cases.size()) + " case(s) as the baseline recorded\n";
    if (!test.message.empty()) out.text += "  " + test.message + "\n";
    for (const CaseResult& c : test.cases) {
      if (c.status == TestStatus::kPassed) continue;
      // A failed case's message says what changed; another status is news.
      const std::string status =
          c.status == TestStatus::kFailed ? "" : std::string(status_name(c.status)) + ": ";
      const std::string line = "case " + c.name + ": " + status + c.message;
      out.text += "  " + line + "\n";
      out.regressions.push_back(test.test + ": " + line);
    }
  }
  if (!unjudged.empty()) {
    out.text += "\nnot judged (they record no such baseline):";
    for (const std::string& name : unjudged) out.text += " " + name;
    out.text += "\n";
  }
  end_with_regressions(&out);
  return out;
}

}  // namespace rig
