// plugins/common/shard_share.h -- a shard's share of work split over N
// shards (`--shard I/N`): its workers (a load's threads, a consistency
// run's sessions), and the rate and the count of units (events,
// transactions) that go with them.
//
//   Work whole{8, 1000, 0, "--load.threads", "--load.events"};
//   ShardShare s = shard_share(whole, /*index=*/1, /*count=*/3);
//   // s.first_worker 3, s.workers 3, s.rate 375
//   ShardShare mine = divided(whole, ctx.shard());   // a UsageError if it cannot be
//
// The workers are dealt out as evenly as they go (the first workers % N
// shards get one more), and each shard's rate and units are its workers'
// part of the whole, so the shards' workers are the workers of the run as
// one process would have them: worker k draws from seed stream k wherever
// it runs, and the shards' rates and units add up to the asked-for ones.
//
// Thread tags: [thread-safe].
#ifndef TEST_RIG_PLUGINS_COMMON_SHARD_SHARE_H_
#define TEST_RIG_PLUGINS_COMMON_SHARD_SHARE_H_

#include <cstdint>
#include <stdexcept>
#include <string>

#include "test_rig/sdk.h"

namespace rig_plugins {

struct Work {
  int workers = 1;
  double rate = 0;                           // units/s over all workers; 0: as fast as they go
  int64_t units = 0;                         // 0: until the time
  std::string workers_option, units_option;  // for the errors: "--load.threads"
};

struct ShardShare {
  int first_worker = 0;  // this shard's first worker among the run's
  int workers = 1;
  double rate = 0;
  int64_t units = 0;  // 0 only when the whole run's is
};

// Throws std::invalid_argument, saying what to give instead, when the work
// cannot be divided: fewer workers than shards, or fewer units than workers.
inline ShardShare shard_share(const Work& whole, uint32_t index, uint32_t count) {
  const int shards = static_cast<int>(count);
  const int i = static_cast<int>(index);
  if (whole.workers < shards) {
    throw std::invalid_argument(whole.workers_option + " " + std::to_string(whole.workers) +
                                " cannot be divided over " + std::to_string(shards) +
                                " shards: give at least one per shard");
  }
  if (whole.units > 0 && whole.units < whole.workers) {
    throw std::invalid_argument(whole.units_option + " " + std::to_string(whole.units) +
                                " cannot be divided over " + std::to_string(whole.workers) + " " +
                                whole.workers_option + " in " + std::to_string(shards) +
                                " shards: give at least one per " + whole.workers_option);
  }
  ShardShare share;
  const int base = whole.workers / shards, extra = whole.workers % shards;
  share.first_worker = i * base + (i < extra ? i : extra);
  share.workers = base + (i < extra ? 1 : 0);
  share.rate = whole.rate * share.workers / whole.workers;
  // Units up to a worker boundary, rounded down: the shards' parts add up
  // to the whole exactly, and none is 0 (which would mean no limit).
  auto units_before = [&](int worker) { return whole.units * worker / whole.workers; };
  share.units = units_before(share.first_worker + share.workers) - units_before(share.first_worker);
  return share;
}

// The share of `shard` (Context::shard), or a UsageError saying why the
// work cannot be divided.
inline ShardShare divided(const Work& whole, const test_rig::Context::Shard& shard) {
  try {
    return shard_share(whole, shard.index, shard.count);
  } catch (const std::invalid_argument& e) {
    throw test_rig::UsageError(e.what());
  }
}

}  // namespace rig_plugins

#endif  // TEST_RIG_PLUGINS_COMMON_SHARD_SHARE_H_
