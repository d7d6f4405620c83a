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

// The length of the well-formed UTF-8 sequence at text[at], or 0.
std::size_t utf8_sequence(const std::string& text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                       : lead >= 0xE0 && lead <= 0xEF ? 3
                       : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                      : 0;
  if (length == 0 || at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  }
  const unsigned char second = byte(at + 1);
  // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
      (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
    return 0;
  }
  return length;
}

// Text fit for an XML attribute or element: markup escaped, forbidden
// control characters as '?', bytes that are not UTF-8 as U+FFFD.
std::string xml_escape(const std::string& text) {
  std::string escaped;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8_sequence(text, at);
    if (length == 0) {
      escaped += "\xEF\xBF\xBD";
      ++at;
      continue;
    }
    if (length > 1) {
      escaped.append(text, at, length);
      at += length;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(text[at++]);
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

// One <testcase> with its outcome element; the caller closes it.
// `backtrace`, for a crash, follows the message in the element's text.
void open_case(std::ostream& out, const std::string& classname, const std::string& name,
               TestStatus status, const std::string& raw_message, double duration_s,
               const std::string& backtrace = "") {
  out << "    <testcase classname=\"" << xml_escape(classname) << "\" name=\"" << xml_escape(name)
      << "\" time=\"" << seconds(duration_s) << "\"";
  std::string message = xml_escape(raw_message);
  switch (status) {
    case TestStatus::kPassed: out << ">\n"; break;
    case TestStatus::kFailed:
      out << ">\n      <failure message=\"" << message << "\">" << message << "</failure>\n";
      break;
    case TestStatus::kError:
    case TestStatus::kCrashed:
      out << ">\n      <error type=\"" << status_name(status) << "\" message=\"" << message << "\">"
          << message << (backtrace.empty() ? "" : "\n" + xml_escape(backtrace)) << "</error>\n";
      break;
    case TestStatus::kSkipped: out << ">\n      <skipped message=\"" << message << "\"/>\n"; break;
  }
}

// The test's own case, then one per reported case (classname plugin.test).
void write_case(std::ostream& out, const TestResult& result) {
  open_case(out, result.plugin, result.test, result.status, result.message, result.duration_s,
            result.backtrace);
  std::string states;
  for (const auto& state : result.states) states += (states.empty() ? "" : " -> ") + state;
  out << "      <system-out>states: " << xml_escape(states) << "</system-out>\n";
  out << "    </testcase>\n";
  for (const auto& c : result.cases) {
    open_case(out, result.plugin + "." + result.test, c.name, c.status, c.message, c.duration_s);
    out << "    </testcase>\n";
  }
}

}  // namespace

// Testcase counts by JUnit category, over tests and their cases.
struct JunitCounts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;

  void add(TestStatus status) {
    ++tests;
    failures += status == TestStatus::kFailed;
    errors += status == TestStatus::kError || status == TestStatus::kCrashed;
    skipped += status == TestStatus::kSkipped;
  }
  void add(const TestResult& result) {
    add(result.status);
    for (const auto& c : result.cases) add(c.status);
  }
  std::string attributes() const {
    return "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
           "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) +
           "\"";
  }
};

void write_junit_report(const std::string& path, const RunReport& report) {
  std::map<std::string, std::vector<const TestResult*>> by_plugin;
  JunitCounts total;
  for (const auto& result : report.results) {
    by_plugin[result.plugin].push_back(&result);
    total.add(result);
  }
  std::ostringstream xml;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"test-rig\" " << total.attributes() << " time=\""
      << seconds(report.duration_s) << "\">\n";
  for (const auto& [plugin, results] : by_plugin) {
    JunitCounts suite;
    double time = 0;
    for (const TestResult* result : results) {
      suite.add(*result);
      time += result->duration_s;
    }
    xml << "  <testsuite name=\"" << xml_escape(plugin) << "\" " << suite.attributes() << " time=\""
        << seconds(time) << "\" timestamp=\"" << xml_escape(report.started_at) << "\">\n";
    for (const TestResult* result : results) write_case(xml, *result);
    xml << "  </testsuite>\n";
  }
  xml << "</testsuites>\n";

  write_report_text(path, "JUnit", xml.str());
}

}  // namespace rig
