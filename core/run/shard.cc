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

}  // namespace rig
