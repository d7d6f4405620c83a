#include "transaction_generator.h"

#include <algorithm>

namespace consistency {

TransactionGenerator::TransactionGenerator(const TransactionShape& shape) : shape_(shape) {
  for (int64_t k = 0; k < shape_.keys; ++k) {
    active_.push_back(next_key_++);
    writes_.push_back(0);
  }
}

std::size_t TransactionGenerator::pick(std::mt19937_64& rng) const {
  const auto n = active_.size();
  if (shape_.distribution == KeyDistribution::kUniform) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  }
  // Exponential: slot i with a weight falling by e every n/4 slots, so the
  // first few keys take most operations (contention), the rest some.
  std::exponential_distribution<double> slot(4.0 / static_cast<double>(n));
  return std::min(static_cast<std::size_t>(slot(rng)), n - 1);
}

PlannedTransaction TransactionGenerator::next(std::mt19937_64& rng) {
  PlannedTransaction txn;
  std::uniform_real_distribution<double> unit(0, 1);
  if (shape_.workload == Workload::kBank) {
    if (rng() % 2) {
      txn.f = Function::kRead;
      for (int64_t a = 0; a < shape_.accounts; ++a) txn.operations.push_back({MopKind::kRead, a});
      return txn;
    }
    txn.f = Function::kTransfer;
    std::uniform_int_distribution<int64_t> account(0, shape_.accounts - 1);
    const int64_t from = account(rng);
    int64_t to = account(rng);
    while (to == from) to = account(rng);
    const int64_t amount = std::uniform_int_distribution<int64_t>(1, shape_.max_transfer)(rng);
    txn.operations = {{MopKind::kAdd, from, -amount}, {MopKind::kAdd, to, amount}};
    txn.rollback = unit(rng) < shape_.rollback_rate;
    return txn;
  }
  const MopKind write =
      shape_.workload == Workload::kListAppend ? MopKind::kAppend : MopKind::kWrite;
  const int length = std::uniform_int_distribution<int>(shape_.min_length, shape_.max_length)(rng);
  std::lock_guard lock(mutex_);
  for (int i = 0; i < length; ++i) {
    const std::size_t slot = pick(rng);
    const int64_t key = active_[slot];
    if (rng() % 2) {
      txn.operations.push_back({MopKind::kRead, key});
      continue;
    }
    // Values count up per key from 1 (in this shard's residue class):
    // unique, as the checker needs.
    ++writes_[slot];
    txn.operations.push_back(
        {write, key, (writes_[slot] - 1) * shape_.value_stride + shape_.value_offset + 1});
    if (writes_[slot] >= shape_.max_writes_per_key) {
      active_[slot] = next_key_++;
      writes_[slot] = 0;
    }
  }
  txn.rollback = unit(rng) < shape_.rollback_rate;
  return txn;
}

std::vector<int64_t> TransactionGenerator::keys_used() const {
  std::lock_guard lock(mutex_);
  std::vector<int64_t> keys;
  if (shape_.workload == Workload::kBank) {
    for (int64_t a = 0; a < shape_.accounts; ++a) keys.push_back(a);
    return keys;
  }
  for (int64_t k = 0; k < next_key_; ++k) keys.push_back(k);
  return keys;
}

}  // namespace consistency
