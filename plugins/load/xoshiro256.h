// plugins/load/xoshiro256.h -- the workers' pseudo-random generator:
// xoshiro256** (Blackman and Vigna, 2018), seeded through SplitMix64 as its
// authors advise. A draw is a handful of shifts and multiplies, against a
// few hundred instructions for std::mt19937_64 with
// std::uniform_int_distribution: it sits on every event's path. Meets
// UniformRandomBitGenerator, so <random>'s distributions take it too.
// For workload generation only, never for anything secret.
#ifndef TEST_RIG_PLUGINS_LOAD_XOSHIRO256_H_
#define TEST_RIG_PLUGINS_LOAD_XOSHIRO256_H_

#include <array>
#include <bit>
#include <cstdint>

namespace rig_load {

class Xoshiro256 {
 public:
  using result_type = uint64_t;

  explicit Xoshiro256(uint64_t seed) {
    for (uint64_t& word : state_) word = split_mix(seed);
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return UINT64_MAX; }

  result_type operator()() {
    const uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  // A uniform integer in [0, range), range > 0: the high half of a 128-bit
  // product (Lemire's method without its rejection step; the bias, under
  // range / 2^64, is far below anything a benchmark can see).
  uint64_t below(uint64_t range) {
    __extension__ using Wide = unsigned __int128;  // GCC and Clang, on 64-bit targets
    return static_cast<uint64_t>((static_cast<Wide>((*this)()) * range) >> 64);
  }

 private:
  // SplitMix64: spreads any seed, even 0, over the whole state.
  static uint64_t split_mix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

  std::array<uint64_t, 4> state_;
};

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_XOSHIRO256_H_
