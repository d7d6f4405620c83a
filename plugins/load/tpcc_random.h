// plugins/load/tpcc_random.h -- the random values of TPC-C (specification
// clauses 2.1.6 and 4.3.2): NURand with its constants, customer last names
// from syllables, a-strings and n-strings, zip codes, and the "ORIGINAL"
// that 10 % of items' and stock rows' data hold.
//
//   TpccRandom random(seed, NurandConstants::for_load(seed));
//   int64_t customer = random.customer_id();      // NURand(1023, 1, 3000)
//   std::string name = last_name(random.nurand(255, 0, 999));
//
// Thread safety: none; one TpccRandom per thread.
#ifndef TEST_RIG_PLUGINS_LOAD_TPCC_RANDOM_H_
#define TEST_RIG_PLUGINS_LOAD_TPCC_RANDOM_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "xoshiro256.h"

namespace rig_load::tpcc {

// The scale of the population per warehouse (4.3.3.1): what every
// generator, the prepare and the check count on.
inline constexpr int kItems = 100000;
inline constexpr int kDistrictsPerWarehouse = 10;
inline constexpr int kCustomersPerDistrict = 3000;
inline constexpr int kOrdersPerDistrict = 3000;
// Orders 2101..3000 of each district are not delivered: a NEW-ORDER row each.
inline constexpr int kFirstUndeliveredOrder = 2101;

// NURand's run-time constant C per A (2.1.6): 255 for C_LAST, 1023 for C_ID,
// 8191 for OL_I_ID. The population uses one set; a run uses C_ID's and
// OL_I_ID's as they were and a C_LAST whose distance to the population's is
// in 65..119 and neither 96 nor 112 (2.1.6.1).
struct NurandConstants {
  uint32_t c_last = 0;
  uint32_t c_id = 0;
  uint32_t ol_i_id = 0;

  static NurandConstants for_load(uint64_t seed);
  // The run's constants for a population made with these; `seed` picks the
  // C_LAST among those the rule allows.
  NurandConstants for_run(uint64_t seed) const;
  // Whether `run` keeps 2.1.6.1's rule against these (the load's).
  bool allows_run(const NurandConstants& run) const;
};

// "BARBARBAR" .. "EINGEINGEING": the syllables of `number`'s three digits
// (4.3.2.3), 0 <= number <= 999.
std::string last_name(int number);

class TpccRandom {
 public:
  TpccRandom(uint64_t seed, NurandConstants constants) : engine_(seed), constants_(constants) {}

  // Uniform in [low, high], both included.
  int64_t uniform(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(engine_.below(static_cast<uint64_t>(high - low + 1)));
  }
  // NURand(A, x, y) = (((random(0, A) | random(x, y)) + C) % (y - x + 1)) + x,
  // with the C of A (255, 1023 or 8191).
  int64_t nurand(uint32_t a, int64_t x, int64_t y);
  int64_t customer_id() { return nurand(1023, 1, kCustomersPerDistrict); }
  int64_t item_id() { return nurand(8191, 1, kItems); }
  std::string customer_last_name() { return last_name(static_cast<int>(nurand(255, 0, 999))); }

  // Random alphanumeric characters, of a length uniform in [min, max].
  std::string a_string(int min, int max);
  // Random digits, of a length uniform in [min, max].
  std::string n_string(int min, int max);
  // 4 random digits and "11111" (4.3.2.7).
  std::string zip() { return n_string(4, 4) + "11111"; }
  // An a-string of [min, max] characters; in 10 % of them, "ORIGINAL" at
  // a random place (4.3.3.1's I_DATA and S_DATA).
  std::string data_maybe_original(int min, int max);
  // A value uniform in [low, high] with `scale` digits after the point,
  // as SQL text: fixed(1, 10000, 2) is "0.01" .. "100.00".
  std::string fixed(int64_t low, int64_t high, int scale);

  Xoshiro256& engine() { return engine_; }
  const NurandConstants& constants() const { return constants_; }

 private:
  std::string characters(std::string_view alphabet, int min, int max);

  Xoshiro256 engine_;
  NurandConstants constants_;
};

}  // namespace rig_load::tpcc

#endif  // TEST_RIG_PLUGINS_LOAD_TPCC_RANDOM_H_
