// core/run/result.h -- the outcome of one run of one test, as every
// report (summary, JSON, JUnit) and the child-process protocol see it.
#ifndef TEST_RIG_CORE_RUN_RESULT_H_
#define TEST_RIG_CORE_RUN_RESULT_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/plugin/case_result.h"

namespace rig {

struct ServerSummary {
  std::string flavor;       // "mariadb", "mysql", "tidb", "unknown"
  std::string version;      // product version, e.g. "10.11.19"
  std::string raw_version;  // as the server reported it
};

struct TestResult {
  std::string plugin;
  std::string test;
  TestStatus status = TestStatus::kError;
  double duration_s = 0;
  std::string message;              // why it failed, errored, crashed or was skipped
  std::vector<std::string> states;  // visited, in order
  std::vector<std::pair<std::string, std::string>> records;  // facts the test recorded
  std::vector<CaseResult> cases;
  nlohmann::json details;    // structured facts (record_json), an object or null
  std::string summary_text;  // printed under the test's line
  int64_t retries = 0;       // operations the test retried
  int64_t reconnects = 0;    // sessions it reopened
  // Failed database calls by error code: [{code, count, kind, retry,
  // description}], and the circuit breaker's changes of state during the
  // run: [{time, server, from, to, reason}]. Empty arrays when none.
  nlohmann::json errors = nlohmann::json::array();
  nlohmann::json breaker_events = nlohmann::json::array();
  // For runs that did not pass: where they ended and the run's last failed
  // database operation (plugin, test, state, target, operation, connection,
  // connection id, SQL, error code and class, attempt). Null otherwise.
  nlohmann::json error_context;
  // For a crash: the crashing thread's stack, one frame per line.
  std::string backtrace;
  std::optional<ServerSummary> server;  // set once the run connected

  std::string name() const { return plugin + "/" + test; }
};

void to_json(nlohmann::json& json, const TestResult& result);
void from_json(const nlohmann::json& json, TestResult& result);

}  // namespace rig

#endif  // TEST_RIG_CORE_RUN_RESULT_H_
