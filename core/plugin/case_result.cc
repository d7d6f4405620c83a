#include "core/plugin/case_result.h"

namespace rig {

TestStatus status_of(rig_status status) {
  switch (status) {
    case RIG_OK: return TestStatus::kPassed;
    case RIG_FAILED: return TestStatus::kFailed;
    case RIG_SKIPPED: return TestStatus::kSkipped;
    default: return TestStatus::kError;
  }
}

const char* status_name(TestStatus status) {
  switch (status) {
    case TestStatus::kPassed: return "passed";
    case TestStatus::kFailed: return "failed";
    case TestStatus::kError: return "error";
    case TestStatus::kSkipped: return "skipped";
    case TestStatus::kCrashed: return "crashed";
  }
  return "error";
}

std::optional<TestStatus> parse_status(const std::string& name) {
  for (TestStatus status : {TestStatus::kPassed, TestStatus::kFailed, TestStatus::kError,
                            TestStatus::kSkipped, TestStatus::kCrashed}) {
    if (name == status_name(status)) return status;
  }
  return std::nullopt;
}

}  // namespace rig
