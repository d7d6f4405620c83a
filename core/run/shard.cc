#include "core/run/shard.h"

#include <charconv>

namespace rig {

std::optional<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  Shard shard;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [index_end, index_error] = std::from_chars(begin, begin + slash, shard.index);
  auto [count_end, count_error] = std::from_chars(begin + slash + 1, end, shard.count);
  if (index_error != std::errc() || index_end != begin + slash || count_error != std::errc() ||
      count_end != end) {
    return std::nullopt;
  }
  if (shard.count < 1 || shard.count > 10000 || shard.index < 0 || shard.index >= shard.count) {
    return std::nullopt;
  }
  return shard;
}

std::vector<std::size_t> shard_tests(const Shard& shard, const std::vector<bool>& divides) {
  std::vector<std::size_t> positions;
  std::size_t dealt = 0;  // tests dealt out so far
  for (std::size_t k = 0; k < divides.size(); ++k) {
    if (divides[k] ||
        static_cast<int>(dealt++ % static_cast<std::size_t>(shard.count)) == shard.index) {
      positions.push_back(k);
    }
  }
  return positions;
}

}  // namespace rig
