#include "core/errors/circuit_breaker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <utility>

namespace rig {
namespace {

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

const char* breaker_state_name(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed: return "closed";
    case BreakerState::kOpen: return "open";
    case BreakerState::kHalfOpen: return "half-open";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(std::string server, BreakerOptions options,
                               std::function<Clock::time_point()> clock)
    : server_(std::move(server)), options_(options), clock_(std::move(clock)) {}

bool CircuitBreaker::allow_slow(std::string* why) {
  std::lock_guard lock(mutex_);
  if (state_ != BreakerState::kOpen) return true;
  const Clock::time_point now = clock_();
  if (now - opened_at_ >= options_.recovery_timeout) {
    change_state(BreakerState::kHalfOpen, "recovery timeout passed; letting probes through");
    return true;
  }
  if (why) {
    *why = fmt::format("circuit to {} is {}; next probe in {:.1f} s", server_, open_reason_,
                       seconds(opened_at_ + options_.recovery_timeout - now));
  }
  return false;
}

bool CircuitBreaker::given_up(Clock::time_point not_before, std::string* why) const {
  if (options_.give_up_after.count() == 0 || state() == BreakerState::kClosed) return false;
  std::lock_guard lock(mutex_);
  const Clock::duration down = clock_() - std::max(outage_since_, not_before);
  if (state_.load() == BreakerState::kClosed || down < options_.give_up_after) return false;
  if (why) {
    *why = fmt::format(
        "gave up on {}: no call has worked for {:.1f} s (circuit_breaker.give_up_s "
        "= {:g})",
        server_, seconds(down), seconds(options_.give_up_after));
  }
  return true;
}

void CircuitBreaker::count_probe_success() {
  std::lock_guard lock(mutex_);
  if (state_ != BreakerState::kHalfOpen) return;
  if (++probe_successes_ >= options_.success_threshold) {
    change_state(BreakerState::kClosed, fmt::format("{} successful probe(s)", probe_successes_));
  }
}

void CircuitBreaker::record_failure() {
  if (options_.failure_threshold == 0) return;
  std::lock_guard lock(mutex_);
  const Clock::time_point now = clock_();
  switch (state_.load()) {
    case BreakerState::kOpen: return;  // a call that started before the circuit opened
    case BreakerState::kHalfOpen:
      opened_at_ = now;
      open_reason_ = "open again: a probe failed";
      change_state(BreakerState::kOpen, "a probe failed");
      return;
    case BreakerState::kClosed:
      recent_failures_.push_back(now);
      while (now - recent_failures_.front() > options_.window) recent_failures_.pop_front();
      if (recent_failures_.size() < options_.failure_threshold) return;
      opened_at_ = now;
      open_reason_ = fmt::format("open after {} failures in {:.1f} s", recent_failures_.size(),
                                 seconds(now - recent_failures_.front()));
      recent_failures_.clear();
      change_state(BreakerState::kOpen, open_reason_);
      return;
  }
}

BreakerState CircuitBreaker::state() const { return state_.load(std::memory_order_acquire); }

std::vector<BreakerEvent> CircuitBreaker::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

void CircuitBreaker::change_state(BreakerState to, std::string reason) {
  spdlog::log(to == BreakerState::kOpen ? spdlog::level::warn : spdlog::level::info,
              "circuit breaker for {}: {} -> {} ({})", server_, breaker_state_name(state_.load()),
              breaker_state_name(to), reason);
  if (state_.load() == BreakerState::kClosed) outage_since_ = clock_();
  events_.push_back({std::chrono::system_clock::now(), state_.load(), to, std::move(reason)});
  state_.store(to, std::memory_order_release);
  probe_successes_ = 0;
}

std::shared_ptr<CircuitBreaker> CircuitBreaker::for_server(const std::string& server,
                                                           const BreakerOptions& options) {
  static std::mutex registry_mutex;
  static std::map<std::string, std::shared_ptr<CircuitBreaker>> registry;
  std::lock_guard lock(registry_mutex);
  auto& breaker = registry[server];
  if (!breaker) breaker = std::make_shared<CircuitBreaker>(server, options);
  return breaker;
}

}  // namespace rig
