// plugins/consistency/transaction_generator.h -- random transactions for
// the three workloads, as Elle's generators make them: a few operations on
// a small set of active keys (hot ones first with the exponential
// distribution), values unique per key, and a key retired for a fresh one
// once it has taken `max_writes_per_key` writes, so that lists stay short
// and every key's history is read back while it is still active.
//
//   TransactionGenerator generator(shape);
//   std::mt19937_64 rng(seed);
//   PlannedTransaction txn = generator.next(rng);   // any thread
//
// Thread safety: next() is [thread-safe]; the key state is shared by every
// session, each session drawing with its own random engine.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_TRANSACTION_GENERATOR_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_TRANSACTION_GENERATOR_H_

#include <cstdint>
#include <mutex>
#include <random>
#include <vector>

#include "analysis.h"
#include "history.h"

namespace consistency {

enum class KeyDistribution { kUniform, kExponential };

struct TransactionShape {
  Workload workload = Workload::kListAppend;
  int64_t keys = 10;  // active at a time
  KeyDistribution distribution = KeyDistribution::kExponential;
  int min_length = 1, max_length = 4;  // operations per transaction
  int max_writes_per_key = 32;
  double rollback_rate = 0;  // transactions the client ends with ROLLBACK
  int64_t accounts = 8;      // bank
  int64_t max_transfer = 5;  // bank: amounts are 1..this
  // A key's n-th write here puts (n - 1) * value_stride + value_offset + 1:
  // with the shard count and index, the shards of a split run never write
  // one value twice to a key.
  int64_t value_stride = 1, value_offset = 0;
};

struct PlannedOperation {
  MopKind kind;  // kAppend, kWrite, kRead (list-append, rw-register), kAdd (bank)
  int64_t key;
  int64_t value = 0;  // append/write: the value; add: the amount
};

struct PlannedTransaction {
  Function f = Function::kTxn;
  std::vector<PlannedOperation> operations;
  bool rollback = false;  // end it with ROLLBACK: it fails on purpose
};

class TransactionGenerator {
 public:
  explicit TransactionGenerator(const TransactionShape& shape);

  PlannedTransaction next(std::mt19937_64& rng);

  // Every key a transaction has used so far, in order of first use.
  std::vector<int64_t> keys_used() const;

 private:
  std::size_t pick(std::mt19937_64& rng) const;

  TransactionShape shape_;
  mutable std::mutex mutex_;
  std::vector<int64_t> active_;  // the keys in use, by slot
  std::vector<int64_t> writes_;  // writes each active key has taken
  int64_t next_key_ = 0;
};

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_TRANSACTION_GENERATOR_H_
