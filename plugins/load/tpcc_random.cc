#include "tpcc_random.h"

#include <array>
#include <cstdlib>

namespace rig_load::tpcc {
namespace {

constexpr std::array<const char*, 10> kSyllables = {"BAR", "OUGHT", "ABLE",  "PRI",   "PRES",
                                                    "ESE", "ANTI",  "CALLY", "ATION", "EING"};
constexpr std::string_view kAlphanumeric =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kDigits = "0123456789";

bool c_last_distance_allowed(uint32_t load, uint32_t run) {
  const int distance = std::abs(static_cast<int>(load) - static_cast<int>(run));
  return distance >= 65 && distance <= 119 && distance != 96 && distance != 112;
}

}  // namespace

NurandConstants NurandConstants::for_load(uint64_t seed) {
  Xoshiro256 engine(seed ^ 0x7470636c6f6164);  // "tpcload"
  return {static_cast<uint32_t>(engine.below(256)), static_cast<uint32_t>(engine.below(1024)),
          static_cast<uint32_t>(engine.below(8192))};
}

NurandConstants NurandConstants::for_run(uint64_t seed) const {
  Xoshiro256 engine(seed ^ 0x74706372756e);  // "tpcrun"
  NurandConstants run = *this;
  // Some C in 0..255 is always allowed: 65..119 away, on one side or the other.
  do {
    run.c_last = static_cast<uint32_t>(engine.below(256));
  } while (!c_last_distance_allowed(c_last, run.c_last));
  return run;
}

bool NurandConstants::allows_run(const NurandConstants& run) const {
  return run.c_id == c_id && run.ol_i_id == ol_i_id && c_last_distance_allowed(c_last, run.c_last);
}

std::string last_name(int number) {
  return std::string(kSyllables[static_cast<std::size_t>(number / 100)]) +
         kSyllables[static_cast<std::size_t>(number / 10 % 10)] +
         kSyllables[static_cast<std::size_t>(number % 10)];
}

int64_t TpccRandom::nurand(uint32_t a, int64_t x, int64_t y) {
  const uint32_t c = a == 255    ? constants_.c_last
                     : a == 1023 ? constants_.c_id
                                 : constants_.ol_i_id;
  return (((uniform(0, a) | uniform(x, y)) + c) % (y - x + 1)) + x;
}

std::string TpccRandom::characters(std::string_view alphabet, int min, int max) {
  std::string text(static_cast<std::size_t>(uniform(min, max)), ' ');
  for (char& c : text) c = alphabet[engine_.below(alphabet.size())];
  return text;
}

std::string TpccRandom::a_string(int min, int max) { return characters(kAlphanumeric, min, max); }

std::string TpccRandom::n_string(int min, int max) { return characters(kDigits, min, max); }

std::string TpccRandom::data_maybe_original(int min, int max) {
  std::string data = a_string(min, max);
  if (uniform(1, 10) == 1) {
    data.replace(static_cast<std::size_t>(uniform(0, static_cast<int64_t>(data.size()) - 8)), 8,
                 "ORIGINAL");
  }
  return data;
}

std::string TpccRandom::fixed(int64_t low, int64_t high, int scale) {
  const int64_t value = uniform(low, high);
  if (scale == 0) return std::to_string(value);
  int64_t unit = 1;
  for (int i = 0; i < scale; ++i) unit *= 10;
  std::string fraction = std::to_string(value % unit);
  fraction.insert(0, static_cast<std::size_t>(scale) - fraction.size(), '0');
  return std::to_string(value / unit) + "." + fraction;
}

}  // namespace rig_load::tpcc
