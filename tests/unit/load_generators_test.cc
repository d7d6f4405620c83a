// The load plugin's seeded id generators and its open-loop rate limiter.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "random_ids.h"
#include "rate_limiter.h"

namespace rig_load {
namespace {

std::vector<int64_t> draw(Distribution d, int64_t rows, uint64_t seed, int n) {
  RandomIds ids(d, rows, seed);
  std::vector<int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(ids.next());
  return out;
}

double share_below(const std::vector<int64_t>& ids, int64_t limit) {
  return static_cast<double>(
             std::count_if(ids.begin(), ids.end(), [&](int64_t id) { return id <= limit; })) /
         static_cast<double>(ids.size());
}

TEST(RandomIds, SameSeedSameSequenceOtherSeedOtherSequence) {
  for (auto d : {Distribution::kUniform, Distribution::kGaussian, Distribution::kPareto,
                 Distribution::kZipfian, Distribution::kSpecial}) {
    EXPECT_EQ(draw(d, 1000, 7, 100), draw(d, 1000, 7, 100));
    EXPECT_NE(draw(d, 1000, 7, 100), draw(d, 1000, 8, 100));
  }
}

TEST(RandomIds, EveryDrawIsARowId) {
  for (auto d : {Distribution::kUniform, Distribution::kGaussian, Distribution::kPareto,
                 Distribution::kZipfian, Distribution::kSpecial}) {
    for (int64_t id : draw(d, 50, 1, 20000)) {
      ASSERT_GE(id, 1);
      ASSERT_LE(id, 50);
    }
  }
}

TEST(RandomIds, ShapesMatchTheirDistributions) {
  const int64_t rows = 10000;
  const int n = 200000;
  auto uniform = draw(Distribution::kUniform, rows, 1, n);
  EXPECT_NEAR(share_below(uniform, rows / 10), 0.10, 0.01);
  EXPECT_NEAR(share_below(uniform, rows / 2), 0.50, 0.01);

  // The mean of 12 uniforms: sd = rows / sqrt(144) ~ rows / 12 around the middle.
  auto gaussian = draw(Distribution::kGaussian, rows, 1, n);
  EXPECT_NEAR(share_below(gaussian, rows / 2 - rows / 12), 0.16, 0.02);
  EXPECT_LT(share_below(gaussian, rows / 4), 0.01);

  auto pareto = draw(Distribution::kPareto, rows, 1, n);
  EXPECT_NEAR(share_below(pareto, rows / 5), 0.80, 0.02);  // 80/20

  // Zipf(0.8): P(1) = 1 / zeta(rows, 0.8); zeta(10000, 0.8) ~ 27.3.
  auto zipf = draw(Distribution::kZipfian, rows, 1, n);
  EXPECT_NEAR(share_below(zipf, 1), 1 / 27.3, 0.005);
  EXPECT_GT(share_below(zipf, rows / 100), 0.3);

  // sysbench's special: 3/4 of the draws uniformly on ids 4975..5051
  // (0.75 % of 10 000, from a quarter of 1 % below the middle to half of
  // 1 % above), the rest gaussian. Expected: the shares sysbench 1.0.20's
  // own draws gave (sysbench.rand.default(1, 10000), --rand-type=special,
  // 400 000 draws): 0.759 in the window, 0.373 in its lower half, 0.040
  // below the middle less one gaussian sd.
  auto special = draw(Distribution::kSpecial, rows, 1, n);
  EXPECT_NEAR(share_below(special, 5051) - share_below(special, 4974), 0.759, 0.005);
  EXPECT_NEAR(share_below(special, 5012) - share_below(special, 4974), 0.373, 0.005);
  EXPECT_NEAR(share_below(special, rows / 2 - 833), 0.040, 0.005);
}

TEST(RandomIds, ParsesNames) {
  EXPECT_EQ(parse_distribution("zipfian"), Distribution::kZipfian);
  EXPECT_EQ(parse_distribution("special"), Distribution::kSpecial);
  EXPECT_EQ(parse_distribution("exponential"), std::nullopt);
}

TEST(RateLimiter, ThreadsInterleaveToTheTotalRate) {
  using namespace std::chrono;
  const auto t0 = RateLimiter::Clock::time_point{};
  std::vector<RateLimiter::Clock::time_point> starts;
  for (int thread = 0; thread < 4; ++thread) {
    RateLimiter pace(1000, 4, thread, t0);  // 1000/s over 4 threads
    for (int i = 0; i < 250; ++i) starts.push_back(pace.next());
  }
  std::sort(starts.begin(), starts.end());
  EXPECT_EQ(starts.front(), t0);
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_NEAR(duration<double>(starts[i] - starts[i - 1]).count(), 0.001, 1e-6) << i;
  }
}

TEST(RateLimiter, FallingBehindKeepsTheSchedule) {
  using namespace std::chrono;
  const auto t0 = RateLimiter::Clock::time_point{};
  RateLimiter pace(100, 1, 0, t0);
  EXPECT_EQ(pace.next(), t0);
  // However long the first event took, the next intended start is 10 ms
  // after the first, so a stall shows in the next event's latency.
  EXPECT_EQ(pace.next(), t0 + milliseconds(10));
}

TEST(RateLimiter, RateZeroIsClosedLoop) {
  EXPECT_FALSE(RateLimiter(0, 8, 3, {}).open_loop());
  EXPECT_TRUE(RateLimiter(0.5, 8, 3, {}).open_loop());
}

}  // namespace
}  // namespace rig_load
