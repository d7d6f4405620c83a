// The SDK's backoff schedule: grows by the multiplier, stops at the cap,
// and jitter keeps it between half and all of the nominal delay.
#include <gtest/gtest.h>

#include "test_rig/sdk/retry.h"

namespace {

TEST(Backoff, GrowsThenCapsWithBoundedJitter) {
  test_rig::RetryPolicy policy{5, 100, 1000, 2.0};
  EXPECT_EQ(test_rig::backoff_delay(policy, 1, 1.0).count(), 100);
  EXPECT_EQ(test_rig::backoff_delay(policy, 2, 1.0).count(), 200);
  EXPECT_EQ(test_rig::backoff_delay(policy, 3, 1.0).count(), 400);
  EXPECT_EQ(test_rig::backoff_delay(policy, 5, 1.0).count(), 1000);  // 1600 capped
  EXPECT_EQ(test_rig::backoff_delay(policy, 9, 1.0).count(), 1000);
  EXPECT_EQ(test_rig::backoff_delay(policy, 2, 0.0).count(), 100);  // half with no jitter luck
  for (double r : {0.1, 0.37, 0.9}) {
    auto delay = test_rig::backoff_delay(policy, 3, r).count();
    EXPECT_GE(delay, 200);
    EXPECT_LE(delay, 400);
  }
}

}  // namespace
