#include "rate_limiter.h"

namespace rig_load {

RateLimiter::RateLimiter(double rate, int threads, int thread, Clock::time_point start)
    : interval_(rate > 0 ? threads / rate : 0.0),
      first_(start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(rate > 0 ? thread / rate : 0.0))) {}

RateLimiter::Clock::time_point RateLimiter::next() {
  const auto offset =
      std::chrono::duration_cast<Clock::duration>(interval_ * static_cast<double>(events_++));
  return first_ + offset;
}

}  // namespace rig_load
