// plugins/load/latency_histogram.h -- a latency histogram every worker
// thread records into at once, read as test_rig::Histogram values
// (test_rig/sdk/histogram.h) of its layout: three significant digits by
// default.
//
//   LatencyHistogram h;
//   h.record(std::chrono::nanoseconds(1500));     // any thread, lock-free
//   test_rig::Histogram now = h.snapshot();
//   test_rig::Histogram interval = now - previous;  // counts since `previous`
//   h.add_to(&total);                             // shards into one total
//   ascii_chart(now, 20, 40);                     // for the summary text
#ifndef TEST_RIG_PLUGINS_LOAD_LATENCY_HISTOGRAM_H_
#define TEST_RIG_PLUGINS_LOAD_LATENCY_HISTOGRAM_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "test_rig/sdk/histogram.h"

namespace rig_load {

// An event's latency has three significant digits; a statement's two and a
// bit (0.8 %), so that a long run's report holds a dozen of them in full
// and stays small (docs/reports.md).
inline constexpr test_rig::HistogramLayout kStatementLayout{7};

// On a cache line of its own: histograms of different threads never share
// one for their sum and maximum, which every record writes.
class alignas(64) LatencyHistogram {
 public:
  // With `single_writer`, only one thread ever records (others may take
  // snapshots): updates are plain stores, no locked read-modify-writes.
  explicit LatencyHistogram(bool single_writer = false,
                            test_rig::HistogramLayout layout = test_rig::kThreeDigits);
  void record(std::chrono::nanoseconds latency);
  test_rig::Histogram snapshot() const;
  // Adds the counts so far to `*total` (cheaper than adding a snapshot).
  void add_to(test_rig::Histogram* total) const;

 private:
  struct Free {
    void operator()(uint64_t* p) const { std::free(p); }
  };

  bool single_writer_;
  test_rig::HistogramLayout layout_;
  // Zeroed by calloc, read and written through std::atomic_ref: a run
  // touches only the pages of the buckets its latencies reach (a few of
  // the 68 of three digits), where value-initialised atomics would write
  // all 272 KiB.
  std::unique_ptr<uint64_t[], Free> counts_;
  std::atomic<uint64_t> sum_{0};
  std::atomic<uint64_t> max_{0};
};

// Rows "value (ms) | bars | count" of the buckets in use, merged into at
// most `rows` ranges of equal width on a log scale, as an ASCII bar chart
// `width` wide.
std::string ascii_chart(const test_rig::Histogram& histogram, std::size_t rows, std::size_t width);

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_LATENCY_HISTOGRAM_H_
