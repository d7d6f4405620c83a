#include "core/base/utc_time.h"

#include <ctime>

#include <spdlog/fmt/fmt.h>

namespace rig {

std::string format_utc(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  std::time_t whole = system_clock::to_time_t(time);
  auto millis = duration_cast<milliseconds>(time.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&whole, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

}  // namespace rig
