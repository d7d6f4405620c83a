// core/errors/circuit_breaker.h -- stops hammering a server that is down.
//
//   CircuitBreaker breaker("127.0.0.1:3306", {.failure_threshold = 5});
//   std::string why;
//   if (!breaker.allow(&why)) fail_fast(why);  // "circuit open after ..."
//   ... talk to the server ...
//   ok ? breaker.record_success() : breaker.record_failure();
//
// Closed: calls go through; `failure_threshold` failures within `window`
// open the circuit. Open: calls fail fast until `recovery_timeout` has
// passed, then the circuit is half-open. Half-open: calls go through as
// probes; `success_threshold` successes close it, one failure opens it
// again. Only failures that say the server is unreachable or overloaded
// count (the caller decides); a deadlock is not a sick server.
//
// Every change of state is logged and kept as an event, for the reports.
// A closed circuit costs one atomic load per call and no clock read, as
// it sits on every query's path; the clock is read only while failures
// are being counted or the circuit is not closed.
// Thread safety: all members may be called from any thread.
#ifndef TEST_RIG_CORE_ERRORS_CIRCUIT_BREAKER_H_
#define TEST_RIG_CORE_ERRORS_CIRCUIT_BREAKER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rig {

struct BreakerOptions {
  uint32_t failure_threshold = 5;  // 0 disables the breaker
  std::chrono::milliseconds window{10000};
  std::chrono::milliseconds recovery_timeout{1000};
  uint32_t success_threshold = 2;
  // A circuit that has not closed for this long (the server unreachable
  // all that time) is given up on: calls are refused saying so, and
  // callers stop retrying. 0: never give up.
  std::chrono::milliseconds give_up_after{60000};
};

enum class BreakerState { kClosed, kOpen, kHalfOpen };

// "closed", "open", "half-open".
const char* breaker_state_name(BreakerState state);

struct BreakerEvent {
  std::chrono::system_clock::time_point at;
  BreakerState from;
  BreakerState to;
  std::string reason;
};

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;

  // `clock` tells the time (tests pass their own).
  CircuitBreaker(std::string server, BreakerOptions options,
                 std::function<Clock::time_point()> clock = Clock::now);

  // Whether a call may go to the server now. When not, `why` (if not null)
  // says so and when the next probe will be let through.
  bool allow(std::string* why) {
    return state_.load(std::memory_order_acquire) == BreakerState::kClosed || allow_slow(why);
  }
  void record_success() {
    if (!answered_.load(std::memory_order_relaxed))
      answered_.store(true, std::memory_order_relaxed);
    if (state_.load(std::memory_order_acquire) == BreakerState::kHalfOpen) count_probe_success();
  }
  void record_failure();
  // Whether the circuit has been open or half-open for give_up_after,
  // counted from `not_before` at the earliest (a test's start: each test
  // gets the whole time); if so, `why` (if not null) says for how long.
  // Callers ask before allow(): a lone caller whose backoff outlasts the
  // recovery timeout finds the circuit half-open every time, and would
  // otherwise never be refused.
  bool given_up(Clock::time_point not_before, std::string* why) const;

  BreakerState state() const;
  // Whether a call to the server has ever worked in this process. One that
  // never has is more likely a wrong address than a server that went away.
  bool has_answered() const { return answered_.load(std::memory_order_relaxed); }
  const std::string& server() const { return server_; }
  // The state changes so far, oldest first.
  std::vector<BreakerEvent> events() const;

  // The process's breaker for `server`, created with `options` on first
  // use. One per server, shared by every run and thread of the process.
  static std::shared_ptr<CircuitBreaker> for_server(const std::string& server,
                                                    const BreakerOptions& options);

 private:
  bool allow_slow(std::string* why);  // open or half-open
  void count_probe_success();
  void change_state(BreakerState to, std::string reason);  // mutex_ held

  const std::string server_;
  const BreakerOptions options_;
  const std::function<Clock::time_point()> clock_;
  mutable std::mutex mutex_;
  // Written under mutex_; read without it on the fast path of a closed
  // circuit, so a healthy server costs no lock per call.
  std::atomic<BreakerState> state_{BreakerState::kClosed};
  // Read before it is written, so a healthy server's calls only load it.
  std::atomic<bool> answered_{false};
  std::deque<Clock::time_point> recent_failures_;  // within the window, closed only
  Clock::time_point opened_at_{};
  Clock::time_point outage_since_{};  // when the circuit last left closed
  std::string open_reason_;           // "open after 5 failures in 0.3 s"
  uint32_t probe_successes_ = 0;
  std::vector<BreakerEvent> events_;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_ERRORS_CIRCUIT_BREAKER_H_
