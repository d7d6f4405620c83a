// test_rig/sdk/histogram.h -- latency histograms that reports merge
// exactly: the counts by bucket, written into the JSON report in full.
//
//   test_rig::Histogram h;                      // three significant digits
//   h.record(1500);                             // nanoseconds, say
//   h.percentile(99);                           // the bucket's top, <= max
//   total += h;                                 // bucket by bucket
//   Histogram interval = now - previous;        // counts since `previous`
//   std::string json = h.to_json("ns");         // docs/reports.md, "histogram"
//
// Buckets are log-linear, as in HdrHistogram: with sub_bucket_bits b,
// values below 2^(b+1) have a bucket each; above, each power of two is cut
// into 2^b equal sub-buckets, so a bucket's top is within 1/2^b of every
// value in it. kThreeDigits (b = 10) keeps 0.1 %; kCoarse (b = 5), 3 %, for
// the many small histograms of a run's intervals. Values past 2^43 - 1
// (2.4 hours in nanoseconds) count in the last bucket; the exact maximum
// is kept apart.
//
// Thread safety: [per-handle] (a value; share it under a lock).
#ifndef TEST_RIG_SDK_HISTOGRAM_H_
#define TEST_RIG_SDK_HISTOGRAM_H_

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace test_rig {

class HistogramLayout {
 public:
  static constexpr int kMaxValueBits = 43;
  static constexpr uint64_t kMaxValue = (uint64_t{1} << kMaxValueBits) - 1;

  explicit constexpr HistogramLayout(int sub_bucket_bits) : bits_(sub_bucket_bits) {}

  constexpr int sub_bucket_bits() const { return bits_; }
  constexpr std::size_t bucket_count() const { return index_of(kMaxValue) + 1; }

  constexpr std::size_t index_of(uint64_t value) const {
    value = std::min(value, kMaxValue);
    const uint64_t sub_buckets = uint64_t{1} << bits_;
    if (value < 2 * sub_buckets) return static_cast<std::size_t>(value);
    // value is in [2^(shift+b+1), 2^(shift+b+2)): keep its top b+1 bits.
    const int shift = std::bit_width(value) - 1 - bits_;
    const uint64_t sub = value >> shift;  // in [2^b, 2^(b+1))
    return static_cast<std::size_t>(2 * sub_buckets + (shift - 1) * sub_buckets +
                                    (sub - sub_buckets));
  }

  // The largest value that falls in bucket `index`.
  constexpr uint64_t highest_in(std::size_t index) const {
    const uint64_t sub_buckets = uint64_t{1} << bits_;
    if (index < 2 * sub_buckets) return index;
    const uint64_t past = index - 2 * sub_buckets;
    const int shift = static_cast<int>(past / sub_buckets) + 1;
    const uint64_t sub = sub_buckets + past % sub_buckets;
    return ((sub + 1) << shift) - 1;
  }

  constexpr bool operator==(const HistogramLayout&) const = default;

 private:
  int bits_;
};

inline constexpr HistogramLayout kThreeDigits{10};
inline constexpr HistogramLayout kCoarse{5};

class Histogram {
 public:
  Histogram() : layout_(kThreeDigits) {}
  explicit Histogram(HistogramLayout layout) : layout_(layout) {}

  const HistogramLayout& layout() const { return layout_; }
  uint64_t count() const { return count_; }
  uint64_t sum() const { return sum_; }
  // The largest value recorded (after a subtraction or a coarsening, the
  // top of the largest bucket in use, if that is smaller).
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / count_ : 0; }
  // Counts by bucket index, up to the highest bucket in use.
  const std::vector<uint64_t>& counts() const { return counts_; }

  void record(uint64_t value) {
    add_count(layout_.index_of(value), 1);
    sum_ += value;
    max_ = std::max(max_, value);
  }

  // For code that keeps its own buckets of this layout (a concurrent
  // recorder) or reads them back (a report): `n` more values in bucket
  // `index`, then their sum and largest value.
  void add_count(std::size_t index, uint64_t n) {
    if (n == 0) return;
    index = std::min(index, layout_.bucket_count() - 1);
    if (counts_.size() <= index) counts_.resize(index + 1);
    counts_[index] += n;
    count_ += n;
  }
  void add_sum_and_max(uint64_t sum, uint64_t max) {
    sum_ += sum;
    max_ = std::max(max_, max);
  }

  // The value at percentile `p` (0..100): the top of the bucket that holds
  // it, at most max(); 0 when empty.
  uint64_t percentile(double p) const {
    if (count_ == 0) return 0;
    const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(count_);
    const uint64_t wanted = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(rank)));
    uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= wanted) return std::min(layout_.highest_in(i), max_);
    }
    return max_;
  }

  // The top of the lowest bucket in use; 0 when empty.
  uint64_t min() const {
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i]) return std::min(layout_.highest_in(i), max_);
    }
    return 0;
  }

  // Adds `other` bucket by bucket; its layout must be this one's.
  Histogram& operator+=(const Histogram& other) {
    if (!(other.layout_ == layout_)) {
      throw std::invalid_argument("histograms of different layouts cannot be added");
    }
    for (std::size_t i = 0; i < other.counts_.size(); ++i) add_count(i, other.counts_[i]);
    add_sum_and_max(other.sum_, other.max_);
    return *this;
  }

  // The values recorded after `earlier`, an earlier state of this histogram.
  Histogram operator-(const Histogram& earlier) const {
    Histogram delta(layout_);
    uint64_t top = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      const uint64_t before = i < earlier.counts_.size() ? earlier.counts_[i] : 0;
      delta.add_count(i, counts_[i] - before);
      if (counts_[i] > before) top = layout_.highest_in(i);
    }
    delta.sum_ = sum_ - earlier.sum_;
    delta.max_ = std::min(top, max_);
    return delta;
  }

  // The same values in a layout of fewer sub-buckets.
  Histogram coarsened(HistogramLayout coarser) const {
    Histogram result(coarser);
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      result.add_count(coarser.index_of(layout_.highest_in(i)), counts_[i]);
    }
    result.add_sum_and_max(sum_, max_);
    return result;
  }

  // The JSON object of docs/reports.md: the unit, the layout, count, sum,
  // max, and "buckets": runs of neighbouring buckets in use, each
  // [first index, count, count, ...] (a run bridges up to two empty ones).
  std::string to_json(const std::string& unit) const {
    std::string out = "{\"unit\":\"" + unit +
                      "\",\"sub_bucket_bits\":" + std::to_string(layout_.sub_bucket_bits()) +
                      ",\"count\":" + std::to_string(count_) + ",\"sum\":" + std::to_string(sum_) +
                      ",\"max\":" + std::to_string(max_) + ",\"buckets\":[";
    constexpr std::size_t kLongestBridge = 2;
    std::size_t i = 0;
    bool first_run = true;
    while (i < counts_.size()) {
      if (counts_[i] == 0) {
        ++i;
        continue;
      }
      out += first_run ? "[" : ",[";
      first_run = false;
      out += std::to_string(i);
      std::size_t end = i;  // one past the run's last bucket in use
      for (std::size_t j = i; j < counts_.size() && j <= end + kLongestBridge; ++j) {
        if (counts_[j]) end = j + 1;
      }
      for (std::size_t j = i; j < end; ++j) out += "," + std::to_string(counts_[j]);
      out += "]";
      i = end;
    }
    return out + "]}";
  }

 private:
  HistogramLayout layout_;
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t max_ = 0;
};

}  // namespace test_rig

#endif  // TEST_RIG_SDK_HISTOGRAM_H_
