// core/run/shard.h -- one shard of a run split over N processes or machines
// (`--shard I/N`): which of the selected tests are this shard's.
//
//   std::optional<Shard> shard = parse_shard("1/3");   // nullopt: not I/N
//   shard->owns(4)   // the 5th selected test: 4 % 3 == 1, so yes
//
// Tests are dealt out in the order of the selection, which every shard of
// one run computes alike, so the shards' tests are disjoint and together
// are the whole selection.
//
// Thread tags: [thread-safe].
#ifndef TEST_RIG_CORE_RUN_SHARD_H_
#define TEST_RIG_CORE_RUN_SHARD_H_

#include <cstddef>
#include <optional>
#include <string>

namespace rig {

struct Shard {
  int index = 0;  // 0 .. count-1
  int count = 1;

  bool owns(std::size_t test_position) const {
    return static_cast<int>(test_position % static_cast<std::size_t>(count)) == index;
  }
};

// "I/N" with 0 <= I < N <= 10000; nullopt for anything else.
std::optional<Shard> parse_shard(const std::string& text);

}  // namespace rig

#endif  // TEST_RIG_CORE_RUN_SHARD_H_
