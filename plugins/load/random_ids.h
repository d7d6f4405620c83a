// plugins/load/random_ids.h -- the row ids a workload touches, drawn as
// sysbench draws them (--rand-type), reproducibly for a given seed.
//
//   RandomIds ids(Distribution::kZipfian, /*rows=*/10000, /*seed=*/42);
//   int64_t id = ids.next();   // in [1, rows]
//
// uniform: every id alike. gaussian: the sum of 12 uniform draws, centred on
// the middle. pareto: 80 % of draws in the first 20 % of ids (h = 0.2).
// zipfian: id k drawn with weight 1/k^0.8 (Gray et al.'s method, as in
// sysbench and YCSB). special: sysbench's default with its defaults
// (--rand-spec-pct 1, --rand-spec-res 75): three draws in four fall
// uniformly on a hot window of 0.75 % of the ids, from a quarter of 1 %
// below the middle to half of 1 % above it (sysbench reuses the draw that
// chose the window as the position in it, hence 0.75 % and off-centre);
// the others are gaussian. One RandomIds per thread; not thread-safe.
#ifndef TEST_RIG_PLUGINS_LOAD_RANDOM_IDS_H_
#define TEST_RIG_PLUGINS_LOAD_RANDOM_IDS_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "xoshiro256.h"

namespace rig_load {

enum class Distribution { kUniform, kGaussian, kPareto, kZipfian, kSpecial };

std::optional<Distribution> parse_distribution(const std::string& name);

class RandomIds {
 public:
  RandomIds(Distribution distribution, int64_t rows, uint64_t seed);

  int64_t next();
  // A uniform integer in [low, high], from the same generator.
  int64_t uniform(int64_t low, int64_t high);
  Xoshiro256& engine() { return engine_; }

 private:
  double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }
  int64_t gaussian();

  Distribution distribution_;
  int64_t rows_;
  Xoshiro256 engine_;
  // Zipfian constants for rows_ and theta = 0.8.
  double zeta_n_ = 0, alpha_ = 0, eta_ = 0;
};

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_RANDOM_IDS_H_
