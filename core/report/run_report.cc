#include "core/report/run_report.h"

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace rig {

namespace {

const char* status_label(TestStatus status) {
  switch (status) {
    case TestStatus::kPassed: return "PASS ";
    case TestStatus::kFailed: return "FAIL ";
    case TestStatus::kError: return "ERROR";
    case TestStatus::kSkipped: return "SKIP ";
    case TestStatus::kCrashed: return "CRASH";
  }
  return "ERROR";
}

std::map<std::string, int> zero_counts() {
  std::map<std::string, int> counts;
  for (TestStatus status : {TestStatus::kPassed, TestStatus::kFailed, TestStatus::kError,
                            TestStatus::kSkipped, TestStatus::kCrashed}) {
    counts[status_name(status)] = 0;
  }
  return counts;
}

}  // namespace

std::map<std::string, int> RunReport::counts() const {
  auto counts = zero_counts();
  for (const auto& result : results) ++counts[status_name(result.status)];
  return counts;
}

std::map<std::string, int> RunReport::case_counts() const {
  auto counts = zero_counts();
  for (const auto& result : results) {
    for (const auto& c : result.cases) ++counts[status_name(c.status)];
  }
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

void write_run_header(std::ostream& out, std::size_t tests, const std::string& target,
                      bool sandbox) {
  out << "running " << tests << " test(s) against " << target << (sandbox ? " (sandbox)" : "")
      << "\n";
}

void write_result_line(std::ostream& out, const TestResult& result, bool verbose) {
  out << status_label(result.status) << " " << std::left << std::setw(40) << result.name()
      << std::right << std::fixed << std::setprecision(3) << std::setw(9) << result.duration_s
      << " s\n";
  if (result.status != TestStatus::kPassed && !result.message.empty()) {
    out << "      " << result.message << "\n";
  }
  if (result.error_context.contains("last_db_error")) {
    const auto& failed = result.error_context["last_db_error"];
    out << "      last database error: " << failed["operation"].get<std::string>()
        << " on session '" << failed["connection"].get<std::string>() << "'";
    if (failed["connection_id"] != 0) out << " (id " << failed["connection_id"] << ")";
    out << ", error " << failed["code"] << " (" << failed["kind"].get<std::string>() << ", "
        << failed["retry"].get<std::string>() << ")\n";
  }
  if (verbose && !result.backtrace.empty()) {
    std::istringstream frames(result.backtrace);
    for (std::string frame; std::getline(frames, frame);) out << "        " << frame << "\n";
  }
  if (!result.summary_text.empty()) out << result.summary_text;
  out << std::flush;
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
  for (const auto& line : report.leftovers.removed) out << "leftover: " << line << "\n";
  for (const auto& line : report.leftovers.unjudged) out << "leftover: " << line << "\n";
  if (!report.nemesis.is_null()) {
    std::map<std::string, int> faults;
    std::string failures;
    for (const auto& event : report.nemesis["events"]) {
      if (event["phase"] == "start") ++faults[event["fault"].get<std::string>()];
      if (!event["note"].get<std::string>().empty()) {
        failures += "; " + event["phase"].get<std::string>() + " " +
                    event["fault"].get<std::string>() + ": " + event["note"].get<std::string>();
      }
    }
    out << "nemesis: ";
    if (faults.empty()) out << "no fault began";
    for (auto it = faults.begin(); it != faults.end(); ++it) {
      out << (it == faults.begin() ? "" : ", ") << it->first << " " << it->second;
    }
    out << (failures.empty() ? "; every fault healed, every server whole at the end" : failures)
        << "\n";
  }
  if (!report.aborted.empty()) out << "run stopped early: " << report.aborted << "\n";
  out << std::fixed << std::setprecision(2) << "summary: " << count["passed"] << " passed, "
      << count["failed"] << " failed, " << count["skipped"] << " skipped, " << count["error"]
      << " errors, " << count["crashed"] << " crashed in " << report.duration_s << " s\n";
  auto cases = report.case_counts();
  if (int total = cases["passed"] + cases["failed"] + cases["skipped"] + cases["error"] +
                  cases["crashed"]) {
    out << "cases: " << total << " (" << cases["passed"] << " passed, " << cases["failed"]
        << " failed, " << cases["skipped"] << " skipped, " << cases["error"] + cases["crashed"]
        << " errors)\n";
  }
}

void write_report_text(const std::string& path, const std::string& kind, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  if (!out) throw ReportError("cannot write the " + kind + " report to " + path);
}

}  // namespace rig
