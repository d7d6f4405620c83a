// plugins/common/shard_share.h: how one test's workers, rate and units
// (a load's threads and events) are divided over the shards of a split run.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "shard_share.h"

namespace rig_plugins {
namespace {

TEST(ShardShare, TheSharesAreTheWholeRunsThreadsRateAndEventsExactly) {
  struct Whole {
    int threads;
    double rate;
    int64_t events;
    uint32_t shards;
  };
  for (const Whole& w : std::vector<Whole>{
           {6, 0, 0, 3}, {8, 1000, 0, 3}, {7, 99.5, 1001, 4}, {5, 0, 5, 5}, {64, 1, 100, 7}}) {
    int next_thread = 0;
    double rate = 0;
    int64_t events = 0;
    for (uint32_t i = 0; i < w.shards; ++i) {
      const ShardShare s = shard_share(
          {w.threads, w.rate, w.events, "--load.threads", "--load.events"}, i, w.shards);
      // Consecutive, disjoint thread ranges: thread k keeps seed stream k.
      EXPECT_EQ(s.first_worker, next_thread) << w.threads << " threads, shard " << i;
      EXPECT_GE(s.workers, w.threads / static_cast<int>(w.shards));
      EXPECT_LE(s.workers, w.threads / static_cast<int>(w.shards) + 1);
      next_thread += s.workers;
      rate += s.rate;
      events += s.units;
      // 0 events would mean "no limit": a limited run gives every shard some.
      if (w.events > 0) {
        EXPECT_GT(s.units, 0) << i;
      } else {
        EXPECT_EQ(s.units, 0);
      }
    }
    EXPECT_EQ(next_thread, w.threads);
    EXPECT_NEAR(rate, w.rate, 1e-9);
    EXPECT_EQ(events, w.events);
  }
  const ShardShare middle = shard_share({8, 1000, 0, "--load.threads", "--load.events"}, 1, 3);
  EXPECT_EQ(middle.first_worker, 3);
  EXPECT_EQ(middle.workers, 3);
  EXPECT_DOUBLE_EQ(middle.rate, 375);
}

TEST(ShardShare, WorkThatCannotBeDividedIsRefusedSayingWhatToGive) {
  const Work two{2, 0, 0, "--consistency.sessions", "--consistency.transactions"};
  try {
    shard_share(two, 0, 3);
    FAIL() << "2 sessions over 3 shards";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "--consistency.sessions 2 cannot be divided over 3 shards: give at least one per "
                 "shard");
  }
  const Work five{6, 0, 5, "--load.threads", "--load.events"};
  EXPECT_THROW(shard_share(five, 0, 3), std::invalid_argument);
  EXPECT_NO_THROW(shard_share({6, 0, 6, "--load.threads", "--load.events"}, 2, 3));
}

}  // namespace
}  // namespace rig_plugins
