// tests/integration/json_checked.h -- included first in every source of the
// integration test binaries (CMake's -include). nlohmann::json checks its
// preconditions with JSON_ASSERT, which is assert() and so compiled out in
// release builds: reading a key that is not there through a const json
// then reads past the end of a map, which passes, fails or crashes the
// test at random (a report entry without "details" did, one run in a
// dozen). Here a broken precondition throws, and the test fails each time,
// naming the check.
#ifndef TEST_RIG_TESTS_INTEGRATION_JSON_CHECKED_H_
#define TEST_RIG_TESTS_INTEGRATION_JSON_CHECKED_H_

#include <stdexcept>
#include <string>

namespace rig::testing {
// Throws; where nlohmann's check sits in a noexcept function (an
// invariant of its own), the throw ends the test binary at once instead.
[[noreturn]] inline void json_precondition_broken(const char* condition) {
  throw std::logic_error(std::string("nlohmann::json precondition broken: ") + condition);
}
}  // namespace rig::testing

#define JSON_ASSERT(condition) \
  ((condition) ? static_cast<void>(0) : ::rig::testing::json_precondition_broken(#condition))

#endif  // TEST_RIG_TESTS_INTEGRATION_JSON_CHECKED_H_
