// The circuit breaker's state machine, driven by a clock the test sets.
#include "core/errors/circuit_breaker.h"

#include <gtest/gtest.h>

namespace rig {
namespace {

using std::chrono::milliseconds;
using Clock = CircuitBreaker::Clock;

// The time the breakers under test see: t0 + `elapsed`.
class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreaker make(const std::string& server, BreakerOptions o) {
    return CircuitBreaker(server, o, [this] { return Clock::time_point{} + elapsed_; });
  }
  void at(int ms) { elapsed_ = milliseconds(ms); }

  static BreakerOptions options() {
    BreakerOptions o;
    o.failure_threshold = 3;
    o.window = milliseconds(1000);
    o.recovery_timeout = milliseconds(500);
    o.success_threshold = 2;
    return o;
  }

 private:
  milliseconds elapsed_{0};
};

TEST_F(CircuitBreakerTest, OpensAfterThresholdFailuresWithinWindowAndFailsFast) {
  CircuitBreaker breaker = make("db:3306", options());
  breaker.record_failure();
  at(100);
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  at(150);
  EXPECT_TRUE(breaker.allow(nullptr));
  at(200);
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);

  std::string why;
  at(300);
  EXPECT_FALSE(breaker.allow(&why));
  EXPECT_EQ(why, "circuit to db:3306 is open after 3 failures in 0.2 s; next probe in 0.4 s");
}

TEST_F(CircuitBreakerTest, FailuresOutsideTheWindowDoNotOpenIt) {
  CircuitBreaker breaker = make("db", options());
  breaker.record_failure();
  at(600);
  breaker.record_failure();
  at(1200);
  breaker.record_failure();  // the first one has aged out
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  at(1300);
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
}

TEST_F(CircuitBreakerTest, HalfOpenAfterRecoveryTimeoutThenClosesOnSuccesses) {
  CircuitBreaker breaker = make("db", options());
  for (int i = 0; i < 3; ++i) breaker.record_failure();
  at(499);
  EXPECT_FALSE(breaker.allow(nullptr));
  at(500);
  EXPECT_TRUE(breaker.allow(nullptr));
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
  breaker.record_success();
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
  breaker.record_success();
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);

  auto events = breaker.events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].to, BreakerState::kOpen);
  EXPECT_EQ(events[1].to, BreakerState::kHalfOpen);
  EXPECT_EQ(events[2].from, BreakerState::kHalfOpen);
  EXPECT_EQ(events[2].to, BreakerState::kClosed);
  EXPECT_EQ(events[2].reason, "2 successful probe(s)");
}

TEST_F(CircuitBreakerTest, AFailedProbeOpensItAgainForAnotherRecoveryTimeout) {
  CircuitBreaker breaker = make("db", options());
  for (int i = 0; i < 3; ++i) breaker.record_failure();
  at(600);
  ASSERT_TRUE(breaker.allow(nullptr));
  breaker.record_success();
  at(700);
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
  std::string why;
  at(1100);
  EXPECT_FALSE(breaker.allow(&why));
  EXPECT_NE(why.find("a probe failed"), std::string::npos) << why;
  at(1200);
  EXPECT_TRUE(breaker.allow(nullptr));
  // The success before the failed probe does not count towards closing.
  breaker.record_success();
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
}

// A lone caller whose backoff outlasts the recovery timeout finds the
// circuit half-open each time; the outage is counted all the same, from the
// moment the circuit left closed, or from `not_before` if that is later.
TEST_F(CircuitBreakerTest, GivesUpAfterTheOutageLastedGiveUpAfterEvenHalfOpen) {
  BreakerOptions o = options();
  o.give_up_after = milliseconds(3000);
  CircuitBreaker breaker = make("db:3306", o);
  for (int ms : {0, 10, 20}) {
    at(ms);
    breaker.record_failure();
  }
  ASSERT_EQ(breaker.state(), BreakerState::kOpen);
  for (int probe = 1; probe <= 5; ++probe) {  // a probe every 1 s, each failing
    at(20 + probe * 1000);
    EXPECT_EQ(breaker.given_up(Clock::time_point{}, nullptr), probe >= 3) << probe;
    EXPECT_TRUE(breaker.allow(nullptr)) << "half-open: the probe goes through";
    breaker.record_failure();
  }
  std::string why;
  at(5020);
  EXPECT_TRUE(breaker.given_up(Clock::time_point{}, &why));
  EXPECT_EQ(why,
            "gave up on db:3306: no call has worked for 5.0 s (circuit_breaker.give_up_s = 3)");
  // A test that began at 4 s gets its own 3 s.
  EXPECT_FALSE(breaker.given_up(Clock::time_point{} + milliseconds(4000), nullptr));
  // A closed circuit is never given up on; 0 never gives up.
  at(5600);
  ASSERT_TRUE(breaker.allow(nullptr));
  breaker.record_success();
  breaker.record_success();
  ASSERT_EQ(breaker.state(), BreakerState::kClosed);
  EXPECT_FALSE(breaker.given_up(Clock::time_point{}, nullptr));
}

TEST_F(CircuitBreakerTest, ThresholdZeroNeverOpens) {
  BreakerOptions o = options();
  o.failure_threshold = 0;
  CircuitBreaker breaker = make("db", o);
  for (int i = 0; i < 100; ++i) breaker.record_failure();
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  EXPECT_TRUE(breaker.allow(nullptr));
}

TEST_F(CircuitBreakerTest, RemembersWhetherTheServerEverAnsweredThroughFailures) {
  CircuitBreaker breaker = make("db", options());
  breaker.record_failure();
  EXPECT_FALSE(breaker.has_answered()) << "a server that only failed never answered";
  breaker.record_success();
  for (int i = 0; i < 5; ++i) breaker.record_failure();
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
  EXPECT_TRUE(breaker.has_answered()) << "a server that went away had answered";
}

TEST_F(CircuitBreakerTest, OneBreakerPerServerInTheProcess) {
  auto a = CircuitBreaker::for_server("h1:1", options());
  auto b = CircuitBreaker::for_server("h1:1", options());
  auto c = CircuitBreaker::for_server("h2:1", options());
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
}

}  // namespace
}  // namespace rig
