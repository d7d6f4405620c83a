// JUnit XML as CI systems read it: one <testsuite> per plugin, one
// <testcase> per test; failed -> <failure>, error and crashed -> <error>,
// skipped -> <skipped>. The states visited go to <system-out>.
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "core/report/run_report.h"

namespace rig {
namespace {

std::string xml_escape(const std::string& text) {
  std::string escaped;
  for (unsigned char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          escaped += '?';
        } else {
          escaped += static_cast<char>(c);
        }
    }
  }
  return escaped;
}

std::string seconds(double value) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << value;
  return out.str();
}

void write_case(std::ostream& out, const TestResult& result) {
  out << "    <testcase classname=\"" << xml_escape(result.plugin) << "\" name=\""
      << xml_escape(result.test) << "\" time=\"" << seconds(result.duration_s) << "\"";
  std::string message = xml_escape(result.message);
  switch (result.status) {
    case TestStatus::kPassed:
      out << ">\n";
      break;
    case TestStatus::kFailed:
      out << ">\n      <failure message=\"" << message << "\">" << message << "</failure>\n";
      break;
    case TestStatus::kError:
    case TestStatus::kCrashed:
      out << ">\n      <error type=\"" << status_name(result.status) << "\" message=\""
          << message << "\">" << message << "</error>\n";
      break;
    case TestStatus::kSkipped:
      out << ">\n      <skipped message=\"" << message << "\"/>\n";
      break;
  }
  std::string states;
  for (const auto& state : result.states) states += (states.empty() ? "" : " -> ") + state;
  out << "      <system-out>states: " << xml_escape(states) << "</system-out>\n";
  out << "    </testcase>\n";
}

}  // namespace

void write_junit_report(const std::string& path, const RunReport& report) {
  std::map<std::string, std::vector<const TestResult*>> by_plugin;
  for (const auto& result : report.results) by_plugin[result.plugin].push_back(&result);

  auto counts = report.counts();
  std::ostringstream xml;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"test-rig\" tests=\"" << report.results.size()
      << "\" failures=\"" << counts["failed"] << "\" errors=\""
      << counts["error"] + counts["crashed"] << "\" skipped=\"" << counts["skipped"]
      << "\" time=\"" << seconds(report.duration_s) << "\">\n";
  for (const auto& [plugin, results] : by_plugin) {
    int failures = 0, errors = 0, skipped = 0;
    double time = 0;
    for (const TestResult* result : results) {
      failures += result->status == TestStatus::kFailed;
      errors += result->status == TestStatus::kError || result->status == TestStatus::kCrashed;
      skipped += result->status == TestStatus::kSkipped;
      time += result->duration_s;
    }
    xml << "  <testsuite name=\"" << xml_escape(plugin) << "\" tests=\"" << results.size()
        << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" skipped=\""
        << skipped << "\" time=\"" << seconds(time) << "\" timestamp=\""
        << xml_escape(report.started_at) << "\">\n";
    for (const TestResult* result : results) write_case(xml, *result);
    xml << "  </testsuite>\n";
  }
  xml << "</testsuites>\n";

  std::ofstream out(path);
  if (!out) throw ReportError("cannot write the JUnit report to " + path);
  out << xml.str();
  if (!out) throw ReportError("cannot write the JUnit report to " + path);
}

}  // namespace rig
