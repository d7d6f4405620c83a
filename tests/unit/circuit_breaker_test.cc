// The circuit breaker's state machine, driven by an explicit clock.
#include "core/errors/circuit_breaker.h"

#include <gtest/gtest.h>

namespace rig {
namespace {

using std::chrono::milliseconds;
using Clock = CircuitBreaker::Clock;

BreakerOptions options() {
  BreakerOptions o;
  o.failure_threshold = 3;
  o.window = milliseconds(1000);
  o.recovery_timeout = milliseconds(500);
  o.success_threshold = 2;
  return o;
}

TEST(CircuitBreaker, OpensAfterThresholdFailuresWithinWindowAndFailsFast) {
  CircuitBreaker breaker("db:3306", options());
  Clock::time_point t0{};
  breaker.record_failure(t0);
  breaker.record_failure(t0 + milliseconds(100));
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  EXPECT_TRUE(breaker.allow(t0 + milliseconds(150), nullptr));
  breaker.record_failure(t0 + milliseconds(200));
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);

  std::string why;
  EXPECT_FALSE(breaker.allow(t0 + milliseconds(300), &why));
  EXPECT_EQ(why, "circuit to db:3306 is open after 3 failures in 0.2 s; next probe in 0.4 s");
}

TEST(CircuitBreaker, FailuresOutsideTheWindowDoNotOpenIt) {
  CircuitBreaker breaker("db", options());
  Clock::time_point t0{};
  breaker.record_failure(t0);
  breaker.record_failure(t0 + milliseconds(600));
  breaker.record_failure(t0 + milliseconds(1200));  // the first one has aged out
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  breaker.record_failure(t0 + milliseconds(1300));
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
}

TEST(CircuitBreaker, HalfOpenAfterRecoveryTimeoutThenClosesOnSuccesses) {
  CircuitBreaker breaker("db", options());
  Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) breaker.record_failure(t0);
  EXPECT_FALSE(breaker.allow(t0 + milliseconds(499), nullptr));
  EXPECT_TRUE(breaker.allow(t0 + milliseconds(500), nullptr));
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
  breaker.record_success(t0 + milliseconds(510));
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
  breaker.record_success(t0 + milliseconds(520));
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);

  auto events = breaker.events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].to, BreakerState::kOpen);
  EXPECT_EQ(events[1].to, BreakerState::kHalfOpen);
  EXPECT_EQ(events[2].from, BreakerState::kHalfOpen);
  EXPECT_EQ(events[2].to, BreakerState::kClosed);
  EXPECT_EQ(events[2].reason, "2 successful probe(s)");
}

TEST(CircuitBreaker, AFailedProbeOpensItAgainForAnotherRecoveryTimeout) {
  CircuitBreaker breaker("db", options());
  Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) breaker.record_failure(t0);
  ASSERT_TRUE(breaker.allow(t0 + milliseconds(600), nullptr));
  breaker.record_success(t0 + milliseconds(600));
  breaker.record_failure(t0 + milliseconds(700));
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
  std::string why;
  EXPECT_FALSE(breaker.allow(t0 + milliseconds(1100), &why));
  EXPECT_NE(why.find("a probe failed"), std::string::npos) << why;
  EXPECT_TRUE(breaker.allow(t0 + milliseconds(1200), nullptr));
  // The success before the failed probe does not count towards closing.
  breaker.record_success(t0 + milliseconds(1200));
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
}

TEST(CircuitBreaker, ThresholdZeroNeverOpens) {
  BreakerOptions o = options();
  o.failure_threshold = 0;
  CircuitBreaker breaker("db", o);
  for (int i = 0; i < 100; ++i) breaker.record_failure(Clock::time_point{});
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  EXPECT_TRUE(breaker.allow(Clock::time_point{}, nullptr));
}

TEST(CircuitBreaker, OneBreakerPerServerInTheProcess) {
  auto a = CircuitBreaker::for_server("h1:1", options());
  auto b = CircuitBreaker::for_server("h1:1", options());
  auto c = CircuitBreaker::for_server("h2:1", options());
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
}

}  // namespace
}  // namespace rig
