#include "core/report/run_report.h"

#include <cstdio>
#include <fstream>
#include <iomanip>

namespace rig {

std::map<std::string, int> RunReport::counts() const {
  std::map<std::string, int> counts;
  for (TestStatus status : {TestStatus::kPassed, TestStatus::kFailed, TestStatus::kError,
                            TestStatus::kSkipped, TestStatus::kCrashed}) {
    counts[status_name(status)] = 0;
  }
  for (const auto& result : results) ++counts[status_name(result.status)];
  return counts;
}

std::optional<ServerSummary> RunReport::server() const {
  for (const auto& result : results) {
    if (result.server) return result.server;
  }
  return std::nullopt;
}

int RunReport::exit_code() const {
  auto count = counts();
  if (count["failed"] > 0) return kExitFailed;
  if (count["error"] > 0 || count["crashed"] > 0 || !aborted.empty()) {
    return kExitInfrastructure;
  }
  return kExitPassed;
}

void write_summary(std::ostream& out, const RunReport& report) {
  auto count = report.counts();
  out << "\n";
  if (auto server = report.server()) {
    out << "server: " << server->flavor << " " << server->version << " (" << server->raw_version
        << ") at " << report.target << "\n";
  }
  for (const auto& problem : report.load_problems) {
    out << "plugin problem: " << problem.path << ": " << problem.message << "\n";
  }
  if (!report.aborted.empty()) out << "run stopped early: " << report.aborted << "\n";
  out << std::fixed << std::setprecision(2) << "summary: " << count["passed"] << " passed, "
      << count["failed"] << " failed, " << count["skipped"] << " skipped, " << count["error"]
      << " errors, " << count["crashed"] << " crashed in " << report.duration_s << " s\n";
}

}  // namespace rig
