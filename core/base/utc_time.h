// core/base/utc_time.h -- timestamps as the reports and the run write them.
#ifndef TEST_RIG_CORE_BASE_UTC_TIME_H_
#define TEST_RIG_CORE_BASE_UTC_TIME_H_

#include <chrono>
#include <string>

namespace rig {

// ISO 8601 in UTC with milliseconds, e.g. "2026-11-26T18:40:02.125Z".
std::string format_utc(std::chrono::system_clock::time_point time);

}  // namespace rig

#endif  // TEST_RIG_CORE_BASE_UTC_TIME_H_
