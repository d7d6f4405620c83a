// The JSON report: summary counts, server, every test with its states,
// records and message, and the plugins that failed to load.
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/report/run_report.h"

namespace rig {

void write_json_report(const std::string& path, const RunReport& report) {
  nlohmann::json document;
  document["tool"] = "test-rig";
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
  document["aborted"] =
      report.aborted.empty() ? nlohmann::json(nullptr) : nlohmann::json(report.aborted);
  document["exit_code"] = report.exit_code();

  std::ofstream out(path);
  if (!out) throw ReportError("cannot write the JSON report to " + path);
  // Server messages and plugin text may hold bytes that are not UTF-8: they
  // become U+FFFD rather than cost the whole report.
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  out.flush();  // a full disk shows only when the buffer goes out
  if (!out) throw ReportError("cannot write the JSON report to " + path);
}

}  // namespace rig
