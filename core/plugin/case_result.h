// core/plugin/case_result.h -- what a test reports of itself and of each of
// its cases (add_case): a status and a message. Below the run and the
// reports, which carry these on.
#ifndef TEST_RIG_CORE_PLUGIN_CASE_RESULT_H_
#define TEST_RIG_CORE_PLUGIN_CASE_RESULT_H_

#include <optional>
#include <string>

#include "test_rig/plugin_api.h"

namespace rig {

enum class TestStatus { kPassed, kFailed, kError, kSkipped, kCrashed };

// The status a handler's rig_status stands for; a value the host does not
// know is an error, never a success.
TestStatus status_of(rig_status status);

// "passed", "failed", "error", "skipped", "crashed".
const char* status_name(TestStatus status);
std::optional<TestStatus> parse_status(const std::string& name);

// One case of a parametrised test, e.g. one cell of a result matrix.
struct CaseResult {
  std::string name;
  TestStatus status = TestStatus::kError;
  std::string message;
  double duration_s = 0;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_CASE_RESULT_H_
