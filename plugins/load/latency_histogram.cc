#include "latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <new>

namespace rig_load {
namespace {

constexpr uint64_t kSubBuckets = uint64_t{1} << HistogramLayout::kSubBucketBits;  // 1024
constexpr uint64_t kExact = 2 * kSubBuckets;                                      // 2048

}  // namespace

std::size_t HistogramLayout::bucket_count() { return index_of(kMaxValue) + 1; }

std::size_t HistogramLayout::index_of(uint64_t value) {
  value = std::min(value, kMaxValue);
  if (value < kExact) return static_cast<std::size_t>(value);
  // value is in [2^(shift+11), 2^(shift+12)): keep its top 11 bits.
  const int shift = std::bit_width(value) - 1 - kSubBucketBits;
  const uint64_t sub = value >> shift;  // in [1024, 2048)
  return static_cast<std::size_t>(kExact + (shift - 1) * kSubBuckets + (sub - kSubBuckets));
}

uint64_t HistogramLayout::highest_in(std::size_t index) {
  if (index < kExact) return index;
  const uint64_t past = index - kExact;
  const int shift = static_cast<int>(past / kSubBuckets) + 1;
  const uint64_t sub = kSubBuckets + past % kSubBuckets;
  return ((sub + 1) << shift) - 1;
}

uint64_t HistogramSnapshot::percentile(double p) const {
  if (count_ == 0) return 0;
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(count_);
  const uint64_t wanted = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(rank)));
  uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= wanted) return std::min(HistogramLayout::highest_in(i), max_ ? max_ : UINT64_MAX);
  }
  return max_;
}

uint64_t HistogramSnapshot::min() const {
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i]) return HistogramLayout::highest_in(i);
  }
  return 0;
}

HistogramSnapshot HistogramSnapshot::operator-(const HistogramSnapshot& earlier) const {
  HistogramSnapshot delta;
  delta.counts_.resize(counts_.size());
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    delta.counts_[i] = counts_[i] - (i < earlier.counts_.size() ? earlier.counts_[i] : 0);
    if (delta.counts_[i]) delta.max_ = HistogramLayout::highest_in(i);
  }
  delta.count_ = count_ - earlier.count_;
  delta.sum_ = sum_ - earlier.sum_;
  delta.max_ = std::min(delta.max_, max_);
  return delta;
}

std::string HistogramSnapshot::ascii_chart(std::size_t rows, std::size_t width) const {
  std::size_t first = counts_.size(), last = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i]) {
      first = std::min(first, i);
      last = i;
    }
  }
  if (first > last) return "  (no values)\n";
  // Rows of equal width on a log scale of the value, from min to max.
  const double low = std::log(std::max<uint64_t>(1, HistogramLayout::highest_in(first)));
  const double high = std::log(std::max<uint64_t>(2, HistogramLayout::highest_in(last))) + 1e-9;
  rows = std::max<std::size_t>(rows, 1);
  std::vector<uint64_t> row_counts(rows, 0);
  std::vector<uint64_t> row_top(rows, 0);
  for (std::size_t i = first; i <= last; ++i) {
    if (!counts_[i]) continue;
    const double v = std::log(std::max<uint64_t>(1, HistogramLayout::highest_in(i)));
    std::size_t row = std::min(rows - 1, static_cast<std::size_t>((v - low) / (high - low) * rows));
    row_counts[row] += counts_[i];
    row_top[row] = std::max(row_top[row], HistogramLayout::highest_in(i));
  }
  const uint64_t peak = *std::max_element(row_counts.begin(), row_counts.end());
  std::string out = "       value (ms)  ------------- distribution ------------- count\n";
  for (std::size_t r = 0; r < rows; ++r) {
    if (!row_counts[r]) continue;
    std::size_t bar = static_cast<std::size_t>(
        std::ceil(static_cast<double>(row_counts[r]) / static_cast<double>(peak) * width));
    char line[64];
    std::snprintf(line, sizeof(line), "%17.3f |", static_cast<double>(row_top[r]) / 1e6);
    out += line;
    out += std::string(bar, '*') + std::string(width - bar, ' ');
    std::snprintf(line, sizeof(line), " %llu\n", static_cast<unsigned long long>(row_counts[r]));
    out += line;
  }
  return out;
}

LatencyHistogram::LatencyHistogram(bool single_writer)
    : single_writer_(single_writer),
      counts_(
          static_cast<uint64_t*>(std::calloc(HistogramLayout::bucket_count(), sizeof(uint64_t)))) {
  if (!counts_) throw std::bad_alloc();
}

void LatencyHistogram::record(std::chrono::nanoseconds latency) {
  const uint64_t value = static_cast<uint64_t>(std::max<int64_t>(0, latency.count()));
  std::atomic_ref<uint64_t> bucket(counts_[HistogramLayout::index_of(value)]);
  constexpr auto relaxed = std::memory_order_relaxed;
  if (single_writer_) {
    bucket.store(bucket.load(relaxed) + 1, relaxed);
    sum_.store(sum_.load(relaxed) + value, relaxed);
    if (value > max_.load(relaxed)) max_.store(value, relaxed);
    return;
  }
  bucket.fetch_add(1, relaxed);
  sum_.fetch_add(value, relaxed);
  uint64_t seen = max_.load(relaxed);
  while (value > seen && !max_.compare_exchange_weak(seen, value, relaxed)) {
  }
}

HistogramSnapshot LatencyHistogram::snapshot() const {
  HistogramSnapshot snapshot;
  add_to(&snapshot);
  return snapshot;
}

void LatencyHistogram::add_to(HistogramSnapshot* total) const {
  constexpr auto relaxed = std::memory_order_relaxed;
  // No bucket above the maximum's holds a value yet. A value recorded
  // meanwhile above it is left to the next snapshot, whole: the count is
  // the sum of the buckets read, so percentiles stay consistent.
  const uint64_t max = max_.load(relaxed);
  const std::size_t used = HistogramLayout::index_of(max) + 1;
  if (total->counts_.size() < used) total->counts_.resize(used);
  uint64_t count = 0;
  for (std::size_t i = 0; i < used; ++i) {
    const uint64_t c = std::atomic_ref<uint64_t>(counts_[i]).load(relaxed);
    total->counts_[i] += c;
    count += c;
  }
  total->count_ += count;
  total->sum_ += sum_.load(relaxed);
  total->max_ = std::max(total->max_, max);
}

}  // namespace rig_load
