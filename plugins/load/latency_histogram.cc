#include "latency_histogram.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <new>
#include <vector>

namespace rig_load {

LatencyHistogram::LatencyHistogram(bool single_writer, test_rig::HistogramLayout layout)
    : single_writer_(single_writer),
      layout_(layout),
      counts_(static_cast<uint64_t*>(std::calloc(layout.bucket_count(), sizeof(uint64_t)))) {
  if (!counts_) throw std::bad_alloc();
}

void LatencyHistogram::record(std::chrono::nanoseconds latency) {
  const uint64_t value = static_cast<uint64_t>(std::max<int64_t>(0, latency.count()));
  std::atomic_ref<uint64_t> bucket(counts_[layout_.index_of(value)]);
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

test_rig::Histogram LatencyHistogram::snapshot() const {
  test_rig::Histogram snapshot(layout_);
  add_to(&snapshot);
  return snapshot;
}

void LatencyHistogram::add_to(test_rig::Histogram* total) const {
  constexpr auto relaxed = std::memory_order_relaxed;
  // No bucket above the maximum's holds a value yet. A value recorded
  // meanwhile above it is left to the next snapshot, whole: the count is
  // the sum of the buckets read, so percentiles stay consistent.
  const uint64_t max = max_.load(relaxed);
  const std::size_t used = layout_.index_of(max) + 1;
  for (std::size_t i = 0; i < used; ++i) {
    total->add_count(i, std::atomic_ref<uint64_t>(counts_[i]).load(relaxed));
  }
  total->add_sum_and_max(sum_.load(relaxed), max);
}

std::string ascii_chart(const test_rig::Histogram& histogram, std::size_t rows, std::size_t width) {
  const std::vector<uint64_t>& counts = histogram.counts();
  const test_rig::HistogramLayout& layout = histogram.layout();
  std::size_t first = counts.size(), last = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i]) {
      first = std::min(first, i);
      last = i;
    }
  }
  if (first > last) return "  (no values)\n";
  // Rows of equal width on a log scale of the value, from min to max.
  const double low = std::log(std::max<uint64_t>(1, layout.highest_in(first)));
  const double high = std::log(std::max<uint64_t>(2, layout.highest_in(last))) + 1e-9;
  rows = std::max<std::size_t>(rows, 1);
  std::vector<uint64_t> row_counts(rows, 0);
  std::vector<uint64_t> row_top(rows, 0);
  for (std::size_t i = first; i <= last; ++i) {
    if (!counts[i]) continue;
    const double v = std::log(std::max<uint64_t>(1, layout.highest_in(i)));
    std::size_t row = std::min(rows - 1, static_cast<std::size_t>((v - low) / (high - low) * rows));
    row_counts[row] += counts[i];
    row_top[row] = std::max(row_top[row], layout.highest_in(i));
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

}  // namespace rig_load
