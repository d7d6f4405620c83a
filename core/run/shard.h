// core/run/shard.h -- one shard of a run split over N processes or machines
// (`--shard I/N --run-id ID`): which of the selected tests are this shard's.
//
//   std::optional<Shard> shard = parse_shard("1/3");   // nullopt: not I/N
//   shard_tests(*shard, {false, true, false, false, false})   // {1, 4}
//
// A test that divides its own work (RIG_TEST_DIVIDES_ITS_WORK) runs in
// every shard. The others are dealt out in the order of the selection,
// which every shard of one run computes alike: the k-th of them goes to
// shard k mod N, so they are disjoint and together the whole selection.
//
// Thread tags: [thread-safe].
#ifndef TEST_RIG_CORE_RUN_SHARD_H_
#define TEST_RIG_CORE_RUN_SHARD_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rig {

struct Shard {
  int index = 0;  // 0 .. count-1
  int count = 1;
  std::string run_id;  // --run-id: the same in every shard of one run
};

// "I/N" with 0 <= I < N <= 10000; nullopt for anything else.
std::optional<Shard> parse_shard(const std::string& text);

// The positions in the selection of the tests `shard` runs; `divides[k]`
// says whether the k-th selected test divides its own work.
std::vector<std::size_t> shard_tests(const Shard& shard, const std::vector<bool>& divides);

}  // namespace rig

#endif  // TEST_RIG_CORE_RUN_SHARD_H_
