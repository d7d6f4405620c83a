#include "core/report/run_report.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace rig {
namespace {

TestResult result(const std::string& test, TestStatus status, const std::string& message) {
  TestResult r;
  r.plugin = "p";
  r.test = test;
  r.status = status;
  r.message = message;
  r.states = {"initial", "error"};
  return r;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(RunReport, ExitCodesFollowTheWorstOutcome) {
  RunReport report;
  EXPECT_EQ(report.exit_code(), kExitPassed);
  report.results.push_back(result("a", TestStatus::kSkipped, "n/a"));
  EXPECT_EQ(report.exit_code(), kExitPassed);
  report.results.push_back(result("b", TestStatus::kCrashed, "SIGSEGV"));
  EXPECT_EQ(report.exit_code(), kExitInfrastructure);
  report.results.push_back(result("c", TestStatus::kFailed, "expected 1, got 2"));
  EXPECT_EQ(report.exit_code(), kExitFailed);
}

TEST(RunReport, SummaryCountsTheCasesOfParametrisedTests) {
  RunReport report;
  report.results.push_back(result("matrix", TestStatus::kPassed, ""));
  report.results[0].cases = {{"a", TestStatus::kPassed, "", 0},
                             {"b", TestStatus::kSkipped, "no expectation", 0},
                             {"c", TestStatus::kSkipped, "no expectation", 0}};
  std::ostringstream out;
  write_summary(out, report);
  EXPECT_NE(out.str().find("summary: 1 passed, 0 failed, 0 skipped"), std::string::npos);
  EXPECT_NE(out.str().find("\ncases: 3 (1 passed, 0 failed, 2 skipped, 0 errors)\n"),
            std::string::npos)
      << out.str();
  std::string path = ::testing::TempDir() + "/cases.json";
  write_json_report(path, report);
  EXPECT_EQ(nlohmann::json::parse(slurp(path))["summary"]["cases"]["skipped"], 2);
  report.results[0].cases.clear();
  std::ostringstream plain;
  write_summary(plain, report);
  EXPECT_EQ(plain.str().find("cases:"), std::string::npos);
}

TEST(RunReport, JsonHasSummaryServerAndTests) {
  RunReport report;
  report.results.push_back(result("a", TestStatus::kPassed, ""));
  report.results.push_back(result("b", TestStatus::kFailed, "expected 1, got 2"));
  report.results[1].server = ServerSummary{"mariadb", "10.11.19", "10.11.19-MariaDB"};
  std::string path = ::testing::TempDir() + "/report.json";
  write_json_report(path, report);
  auto json = nlohmann::json::parse(slurp(path));
  EXPECT_EQ(json["summary"]["passed"], 1);
  EXPECT_EQ(json["summary"]["failed"], 1);
  EXPECT_EQ(json["summary"]["crashed"], 0);
  EXPECT_EQ(json["summary"]["cases"]["passed"], 0);
  EXPECT_EQ(json["server"]["flavor"], "mariadb");
  EXPECT_EQ(json["tests"][1]["name"], "p/b");
  EXPECT_EQ(json["tests"][1]["status"], "failed");
  EXPECT_EQ(json["tests"][1]["message"], "expected 1, got 2");
  EXPECT_EQ(json["tests"][1]["states"][1], "error");
  EXPECT_EQ(json["exit_code"], kExitFailed);
  // Round trip through the child-process protocol's representation.
  TestResult back = json["tests"][1].get<TestResult>();
  EXPECT_EQ(back.status, TestStatus::kFailed);
  EXPECT_EQ(back.server->version, "10.11.19");
}

TEST(RunReport, JunitEscapesAndCountsPerStatus) {
  RunReport report;
  report.results.push_back(result("a", TestStatus::kFailed, "got <x & \"y\">"));
  report.results.push_back(result("b", TestStatus::kCrashed, "SIGSEGV"));
  report.results.push_back(result("c", TestStatus::kSkipped, "needs TiDB"));
  std::string path = ::testing::TempDir() + "/junit.xml";
  write_junit_report(path, report);
  std::string xml = slurp(path);
  EXPECT_NE(xml.find("tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("got &lt;x &amp; &quot;y&quot;&gt;"), std::string::npos);
  EXPECT_NE(xml.find("<error type=\"crashed\" message=\"SIGSEGV\">"), std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"needs TiDB\"/>"), std::string::npos);
  EXPECT_EQ(xml.find("got <x"), std::string::npos);
}

TEST(RunReport, CasesBecomeJunitTestcasesAndJsonEntries) {
  RunReport report;
  TestResult matrix = result("m", TestStatus::kFailed, "1 cell differs");
  matrix.cases = {
      {"g0 @ read-committed", TestStatus::kPassed, "", 0.1},
      {"p4 @ repeatable-read", TestStatus::kFailed, "expected rollback, got anomaly", 0.2}};
  matrix.details = {{"matrix", {{"p4", "anomaly"}}}};
  report.results.push_back(matrix);
  std::string xml_path = ::testing::TempDir() + "/cases.xml";
  write_junit_report(xml_path, report);
  std::string xml = slurp(xml_path);
  EXPECT_NE(xml.find("tests=\"3\" failures=\"2\" errors=\"0\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testcase classname=\"p.m\" name=\"p4 @ repeatable-read\""),
            std::string::npos);
  std::string json_path = ::testing::TempDir() + "/cases.json";
  write_json_report(json_path, report);
  auto json = nlohmann::json::parse(slurp(json_path));
  EXPECT_EQ(json["tests"][0]["cases"][1]["status"], "failed");
  EXPECT_EQ(json["tests"][0]["details"]["matrix"]["p4"], "anomaly");
  EXPECT_EQ(json["tests"][0].get<TestResult>().cases.size(), 2u);
}

TEST(RunReport, UnwritablePathIsAReportError) {
  RunReport report;
  EXPECT_THROW(write_json_report("/nonexistent/dir/r.json", report), ReportError);
  EXPECT_THROW(write_junit_report("/nonexistent/dir/j.xml", report), ReportError);
  // A full disk shows only when the written bytes leave the buffer.
  EXPECT_THROW(write_json_report("/dev/full", report), ReportError);
  EXPECT_THROW(write_junit_report("/dev/full", report), ReportError);
}

// Server messages may be Latin-1, or cut inside a character: every byte
// that is not UTF-8 becomes U+FFFD, valid characters stay, nothing throws.
TEST(RunReport, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  RunReport report;
  report.results.push_back(result("a", TestStatus::kFailed,
                                  "caf\xe9 | cut \xe2\x82 | surrogate \xed\xa0\x80 | overlong "
                                  "\xc0\xaf | ok \xc3\xa9\xe2\x82\xac"));
  const std::string xml_path = ::testing::TempDir() + "/odd.xml";
  write_junit_report(xml_path, report);
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_NE(slurp(xml_path).find("caf" + replacement + " | cut " + replacement + replacement +
                                 " | surrogate " + replacement + replacement + replacement +
                                 " | overlong " + replacement + replacement +
                                 " | ok \xc3\xa9\xe2\x82\xac"),
            std::string::npos)
      << slurp(xml_path);
  const std::string json_path = ::testing::TempDir() + "/odd.json";
  write_json_report(json_path, report);
  const std::string message = nlohmann::json::parse(slurp(json_path))["tests"][0]["message"];
  EXPECT_EQ(message.rfind("caf" + replacement + " | cut ", 0), 0u) << message;
  EXPECT_NE(message.find("ok \xc3\xa9\xe2\x82\xac"), std::string::npos) << message;
}

}  // namespace
}  // namespace rig
