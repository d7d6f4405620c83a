// plugins/load/rate_limiter.h -- open-loop pacing for --load.rate.
//
//   RateLimiter pace(/*rate=*/1000, /*threads=*/4, /*thread=*/1, start);
//   auto intended = pace.next();       // when the next event should start
//   sleep_until(intended); run the event;
//   latency = now - intended;          // includes time spent behind schedule
//
// Each of T threads runs every T/rate seconds, offset by thread/rate, so
// together they start `rate` events a second. A thread that falls behind
// does not skip events and does not reset its schedule: the wait it caused
// shows in the latencies (no coordinated omission). Rate 0 means closed
// loop: each event starts when the one before ends, and there is no
// schedule to ask for.
#ifndef TEST_RIG_PLUGINS_LOAD_RATE_LIMITER_H_
#define TEST_RIG_PLUGINS_LOAD_RATE_LIMITER_H_

#include <chrono>
#include <cstdint>

namespace rig_load {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(double rate, int threads, int thread, Clock::time_point start);

  bool open_loop() const { return interval_.count() > 0; }
  // The intended start of the next event. Open loop only.
  Clock::time_point next();

 private:
  std::chrono::duration<double> interval_;  // zero: closed loop
  Clock::time_point first_;
  uint64_t events_ = 0;
};

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_RATE_LIMITER_H_
