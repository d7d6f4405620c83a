// Latency histograms: the SDK's layout, precision, percentiles of known
// distributions, interval deltas, coarsening and the JSON form the reports
// merge; the load plugin's concurrent recorder.
#include "latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

namespace rig_load {
namespace {

using std::chrono::nanoseconds;
using test_rig::Histogram;
constexpr test_rig::HistogramLayout kLayout = test_rig::kThreeDigits;

TEST(LatencyHistogram, LayoutIsMonotonicAndPreciseToThreeDigits) {
  // Exact below 2048 ns; above, every value's bucket top is within 0.1 %.
  for (uint64_t v : {0ull, 1ull, 999ull, 2047ull}) {
    EXPECT_EQ(kLayout.highest_in(kLayout.index_of(v)), v);
  }
  std::mt19937_64 random(3);
  for (int i = 0; i < 100000; ++i) {
    uint64_t v = random() % test_rig::HistogramLayout::kMaxValue;
    uint64_t top = kLayout.highest_in(kLayout.index_of(v));
    ASSERT_GE(top, v);
    ASSERT_LE(static_cast<double>(top - v), static_cast<double>(v) / 1024.0 + 1) << v;
  }
  std::size_t previous = 0;
  for (uint64_t v = 1; v < test_rig::HistogramLayout::kMaxValue; v = v * 3 / 2 + 1) {
    std::size_t index = kLayout.index_of(v);
    ASSERT_GE(index, previous);
    previous = index;
  }
  // One hour fits; values past the range land in the last bucket.
  const uint64_t hour = 3600ull * 1000 * 1000 * 1000;
  EXPECT_LT(kLayout.index_of(hour), kLayout.bucket_count() - 1);
  EXPECT_EQ(kLayout.index_of(UINT64_MAX), kLayout.bucket_count() - 1);
}

TEST(LatencyHistogram, PercentilesOfAUniformDistribution) {
  LatencyHistogram h;
  for (int us = 1; us <= 10000; ++us) h.record(nanoseconds(us * 1000));  // 1 us .. 10 ms
  Histogram s = h.snapshot();
  EXPECT_EQ(s.count(), 10000u);
  for (double p : {50.0, 90.0, 95.0, 99.0, 99.9}) {
    double expected = p / 100.0 * 10000 * 1000;
    EXPECT_NEAR(static_cast<double>(s.percentile(p)), expected, expected * 0.002) << p;
  }
  EXPECT_EQ(s.percentile(100), 10000u * 1000);
  EXPECT_EQ(s.max(), 10000u * 1000);
  EXPECT_NEAR(s.mean(), 5000.5 * 1000, 1);
  EXPECT_NEAR(static_cast<double>(s.min()), 1000, 1);
}

TEST(LatencyHistogram, PercentilesOfAnExponentialDistribution) {
  // Exponential with mean 2 ms: the p-th percentile is -mean * ln(1 - p).
  std::mt19937_64 random(11);
  std::exponential_distribution<double> exp(1.0 / 2e6);
  LatencyHistogram h;
  for (int i = 0; i < 200000; ++i) h.record(nanoseconds(static_cast<int64_t>(exp(random))));
  Histogram s = h.snapshot();
  for (double p : {50.0, 90.0, 99.0}) {
    double expected = -2e6 * std::log(1 - p / 100);
    EXPECT_NEAR(static_cast<double>(s.percentile(p)), expected, expected * 0.03) << p;
  }
}

TEST(LatencyHistogram, IntervalIsTheDifferenceOfSnapshots) {
  LatencyHistogram h;
  for (int i = 0; i < 100; ++i) h.record(nanoseconds(5000));
  Histogram first = h.snapshot();
  for (int i = 0; i < 10; ++i) h.record(nanoseconds(900000));
  Histogram interval = h.snapshot() - first;
  EXPECT_EQ(interval.count(), 10u);
  EXPECT_NEAR(static_cast<double>(interval.percentile(50)), 900000, 900);
  EXPECT_NEAR(interval.mean(), 900000, 1);
}

TEST(LatencyHistogram, ShardsAddUpToOneHistogramOfEverything) {
  LatencyHistogram whole, fast, slow;
  for (int i = 0; i < 1000; ++i) {
    const nanoseconds short_wait(2000 + i), long_wait(3'000'000 + 1000 * i);
    fast.record(short_wait);
    slow.record(long_wait);
    whole.record(short_wait);
    whole.record(long_wait);
  }
  Histogram total(kLayout);
  fast.add_to(&total);  // the shorter snapshot first: the total grows
  slow.add_to(&total);
  const Histogram expected = whole.snapshot();
  EXPECT_EQ(total.count(), 2000u);
  EXPECT_EQ(total.max(), expected.max());
  EXPECT_EQ(total.min(), expected.min());
  EXPECT_DOUBLE_EQ(total.mean(), expected.mean());
  for (double p : {10.0, 50.0, 50.1, 90.0, 99.9, 100.0}) {
    EXPECT_EQ(total.percentile(p), expected.percentile(p)) << p;
  }
}

TEST(LatencyHistogram, ConcurrentRecordingLosesNothing) {
  LatencyHistogram h;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < 50000; ++i) h.record(nanoseconds(1000 + t * 100 + i % 7));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(h.snapshot().count(), 400000u);
}

TEST(LatencyHistogram, SingleWriterWhileAnotherThreadTakesSnapshots) {
  LatencyHistogram h(/*single_writer=*/true);
  std::thread writer([&h] {
    for (int i = 0; i < 200000; ++i) h.record(nanoseconds(1000 + i % 5000));
  });
  uint64_t last = 0;
  for (int i = 0; i < 100; ++i) {
    uint64_t now = h.snapshot().count();
    EXPECT_GE(now, last);  // snapshots never go backwards
    last = now;
  }
  writer.join();
  Histogram s = h.snapshot();
  EXPECT_EQ(s.count(), 200000u);
  EXPECT_EQ(s.max(), 1000u + 4999u);
}

TEST(LatencyHistogram, AsciiChartShowsEveryValue) {
  LatencyHistogram h;
  for (int i = 0; i < 90; ++i) h.record(nanoseconds(1000000));
  for (int i = 0; i < 10; ++i) h.record(nanoseconds(50000000));
  std::string chart = ascii_chart(h.snapshot(), 10, 40);
  EXPECT_NE(chart.find(" 90\n"), std::string::npos) << chart;
  EXPECT_NE(chart.find(" 10\n"), std::string::npos) << chart;
  EXPECT_NE(chart.find(std::string(40, '*')), std::string::npos) << chart;
}

TEST(Histogram, CoarseLayoutKeepsEveryValueWithinThreePerCent) {
  std::mt19937_64 random(5);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = random() % test_rig::HistogramLayout::kMaxValue;
    const uint64_t top = test_rig::kCoarse.highest_in(test_rig::kCoarse.index_of(v));
    ASSERT_GE(top, v);
    ASSERT_LE(static_cast<double>(top - v), static_cast<double>(v) / 32.0 + 1) << v;
  }
}

TEST(Histogram, CoarseningKeepsTheCountsAndMovesPercentilesByABucketAtMost) {
  std::mt19937_64 random(7);
  std::lognormal_distribution<double> latency(std::log(3e6), 0.6);
  Histogram fine;
  for (int i = 0; i < 100000; ++i) fine.record(static_cast<uint64_t>(latency(random)));
  const Histogram coarse = fine.coarsened(test_rig::kCoarse);
  EXPECT_EQ(coarse.count(), fine.count());
  EXPECT_EQ(coarse.sum(), fine.sum());
  EXPECT_EQ(coarse.max(), fine.max());
  for (double p : {50.0, 95.0, 99.0, 99.9}) {
    const double exact = static_cast<double>(fine.percentile(p));
    EXPECT_GE(static_cast<double>(coarse.percentile(p)), exact) << p;
    EXPECT_LE(static_cast<double>(coarse.percentile(p)), exact * (1 + 1.0 / 32)) << p;
  }
  EXPECT_THROW(fine += coarse, std::invalid_argument);
}

TEST(Histogram, SumOfHistogramsIsTheHistogramOfAllValues) {
  std::mt19937_64 random(9);
  Histogram all, parts[3];
  for (int i = 0; i < 30000; ++i) {
    const uint64_t v = 1000 + random() % 50'000'000;
    all.record(v);
    parts[i % 3].record(v);
  }
  Histogram total;
  for (const Histogram& part : parts) total += part;
  EXPECT_EQ(total.counts(), all.counts());
  EXPECT_EQ(total.count(), all.count());
  EXPECT_EQ(total.sum(), all.sum());
  EXPECT_EQ(total.max(), all.max());
  EXPECT_EQ(total.to_json("ns"), all.to_json("ns"));
}

TEST(Histogram, JsonHoldsRunsOfTheBucketsInUse) {
  Histogram h;
  for (uint64_t v : {5, 5, 6, 9, 100}) h.record(v);
  // 7 and 8 are empty: bridged; 10..99 are not.
  EXPECT_EQ(h.to_json("ns"), R"({"unit":"ns","sub_bucket_bits":10,"count":5,"sum":125,"max":100,)"
                             R"("buckets":[[5,2,1,0,0,1],[100,1]]})");
  EXPECT_EQ(Histogram().to_json("ns"),
            R"({"unit":"ns","sub_bucket_bits":10,"count":0,"sum":0,"max":0,"buckets":[]})");
}

}  // namespace
}  // namespace rig_load
