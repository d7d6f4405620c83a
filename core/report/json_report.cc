// The JSON report: summary counts, server, what ran, every test with its
// states, records and message, and the plugins that failed to load; and
// reading one back (docs/reports.md has the schema).
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/report/run_report.h"

namespace rig {
namespace {

// A container with no object inside: written on one line.
bool is_flat(const nlohmann::json& value) {
  for (const auto& element : value) {
    if (element.is_object() || (element.is_array() && !is_flat(element))) return false;
  }
  return true;
}

// Indented as dump(2) would, except that flat containers take one line: a
// histogram's buckets or an interval's column of counts would otherwise
// take a line per number, and a long run's report tens of megabytes.
// Server messages and plugin text may hold bytes that are not UTF-8: they
// become U+FFFD rather than cost the whole report.
void write_laid_out(std::string* out, const nlohmann::json& value, int depth) {
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
  if (!value.is_structured() || is_flat(value)) {
    *out += value.dump(-1, ' ', false, kReplace);
    return;
  }
  const std::string inner(2 * (depth + 1), ' ');
  *out += value.is_object() ? "{\n" : "[\n";
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    *out += first ? "" : ",\n";
    first = false;
    *out += inner;
    if (value.is_object()) *out += nlohmann::json(it.key()).dump(-1, ' ', false, kReplace) + ": ";
    write_laid_out(out, *it, depth + 1);
  }
  *out += "\n" + std::string(2 * depth, ' ') + (value.is_object() ? "}" : "]");
}

}  // namespace

void write_json_report(const std::string& path, const RunReport& report) {
  nlohmann::json document;
  document["tool"] = "test-rig";
  document["schema_version"] = kReportSchemaVersion;
  document["started_at"] = report.started_at;
  document["duration_s"] = report.duration_s;
  document["target"] = report.target;
  auto counts = report.counts();
  document["summary"] = counts;
  document["summary"]["total"] = static_cast<int>(report.results.size());
  document["summary"]["cases"] = report.case_counts();
  if (auto server = report.server()) {
    document["server"] = {{"flavor", server->flavor},
                          {"version", server->version},
                          {"raw_version", server->raw_version}};
  } else {
    document["server"] = nullptr;
  }
  document["tests"] = report.results;
  document["load_problems"] = nlohmann::json::array();
  for (const auto& problem : report.load_problems) {
    document["load_problems"].push_back({{"path", problem.path}, {"message", problem.message}});
  }
  document["leftovers"] = {{"removed", report.leftovers.removed},
                           {"unjudged", report.leftovers.unjudged}};
  if (!report.nemesis.is_null()) document["nemesis"] = report.nemesis;
  document["run"] = report.run;
  document["aborted"] =
      report.aborted.empty() ? nlohmann::json(nullptr) : nlohmann::json(report.aborted);
  document["exit_code"] = report.exit_code();

  std::string text;
  write_laid_out(&text, document, 0);
  write_report_text(path, "JSON", text + "\n");
}

RunReport parse_json_report(const nlohmann::json& document) {
  if (!document.is_object() || document.value("tool", "") != "test-rig") {
    throw ReportError("not a test-rig JSON report (no \"tool\": \"test-rig\")");
  }
  const int version = document.value("schema_version", 1);
  if (version > kReportSchemaVersion) {
    throw ReportError("a report of schema version " + std::to_string(version) +
                      "; this test-rig reads up to " + std::to_string(kReportSchemaVersion) +
                      ": upgrade test-rig");
  }
  RunReport report;
  try {
    report.started_at = document.at("started_at").get<std::string>();
    report.duration_s = document.at("duration_s").get<double>();
    report.target = document.at("target").get<std::string>();
    report.results = document.at("tests").get<std::vector<TestResult>>();
    for (const auto& problem : document.value("load_problems", nlohmann::json::array())) {
      report.load_problems.push_back(
          {problem.at("path").get<std::string>(), problem.at("message").get<std::string>()});
    }
    const nlohmann::json leftovers = document.value("leftovers", nlohmann::json::object());
    report.leftovers.removed = leftovers.value("removed", std::vector<std::string>{});
    report.leftovers.unjudged = leftovers.value("unjudged", std::vector<std::string>{});
    report.nemesis = document.value("nemesis", nlohmann::json());
    const nlohmann::json& aborted = document.value("aborted", nlohmann::json());
    report.aborted = aborted.is_string() ? aborted.get<std::string>() : "";
    report.run = document.value("run", nlohmann::json());
  } catch (const nlohmann::json::exception& e) {
    throw ReportError("a field is missing or of the wrong type: " + std::string(e.what()));
  }
  return report;
}

}  // namespace rig
