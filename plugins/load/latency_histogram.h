// plugins/load/latency_histogram.h -- latencies with three significant
// digits from 1 ns to over two hours, shared by every worker thread.
//
//   LatencyHistogram h;
//   h.record(std::chrono::nanoseconds(1500));     // any thread, lock-free
//   HistogramSnapshot now = h.snapshot();
//   HistogramSnapshot interval = now - previous;  // counts since `previous`
//   interval.percentile(95)                       // nanoseconds
//   h.add_to(&total);                             // shards into one total
//
// Buckets are log-linear (as in HdrHistogram): values below 2048 ns are
// exact; above, each power of two is cut into 1024 equal sub-buckets, so a
// reported value is within 1/1024 (0.1 %) of the recorded one. Larger
// values than the range are counted in the last bucket; the exact maximum
// is kept apart.
#ifndef TEST_RIG_PLUGINS_LOAD_LATENCY_HISTOGRAM_H_
#define TEST_RIG_PLUGINS_LOAD_LATENCY_HISTOGRAM_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace rig_load {

// The bucket layout, shared by histograms and snapshots.
struct HistogramLayout {
  static constexpr int kSubBucketBits = 10;  // 1024 sub-buckets per power of two
  static constexpr int kMaxBits = 43;        // 2^43 ns: about 2.4 hours
  static constexpr uint64_t kMaxValue = (uint64_t{1} << kMaxBits) - 1;
  static std::size_t bucket_count();
  static std::size_t index_of(uint64_t value);
  // The largest value that falls in bucket `index`.
  static uint64_t highest_in(std::size_t index);
};

// Counts by bucket up to the highest one used (snapshots of latencies of
// a few milliseconds at most hold a third of the buckets).
class HistogramSnapshot {
 public:
  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / count_ : 0; }
  // The value at percentile `p` (0..100), in nanoseconds; 0 when empty.
  uint64_t percentile(double p) const;
  uint64_t min() const;

  // Counts recorded between `earlier` and this snapshot (max and min are
  // then bucket bounds, not exact values).
  HistogramSnapshot operator-(const HistogramSnapshot& earlier) const;

  // Rows "from_ns to_ns count" of the non-empty buckets, merged into at
  // most `rows` ranges, as an ASCII bar chart `width` wide.
  std::string ascii_chart(std::size_t rows, std::size_t width) const;

 private:
  friend class LatencyHistogram;
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t max_ = 0;
};

// On a cache line of its own: histograms of different threads never share
// one for their sum and maximum, which every record writes.
class alignas(64) LatencyHistogram {
 public:
  // With `single_writer`, only one thread ever records (others may take
  // snapshots): updates are plain stores, no locked read-modify-writes.
  explicit LatencyHistogram(bool single_writer = false);
  void record(std::chrono::nanoseconds latency);
  HistogramSnapshot snapshot() const;
  // Adds the counts so far to `*total` (cheaper than adding a snapshot).
  void add_to(HistogramSnapshot* total) const;

 private:
  struct Free {
    void operator()(uint64_t* p) const { std::free(p); }
  };

  bool single_writer_;
  // Zeroed by calloc, read and written through std::atomic_ref: a run
  // touches only the pages of the buckets its latencies reach (a few of
  // the 86), where value-initialised atomics would write all 352 KB.
  std::unique_ptr<uint64_t[], Free> counts_;
  std::atomic<uint64_t> sum_{0};
  std::atomic<uint64_t> max_{0};
};

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_LATENCY_HISTOGRAM_H_
