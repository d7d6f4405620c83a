// plugins/consistency/flat_map.h -- a hash map from a pair of 64-bit
// integers to a 32-bit value, with open addressing: one flat array, no
// allocation per entry. The analyses look up (key, value) pairs millions of
// times per history; std::unordered_map costs a node and a cache miss each.
//
//   FlatPairMap index;
//   bool fresh = index.insert(key, value, 7);   // false: the pair was there
//   if (const uint32_t* found = index.find(key, value)) use(*found);
//
// Thread safety: none.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_FLAT_MAP_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_FLAT_MAP_H_

#include <cstdint>
#include <vector>

namespace consistency {

class FlatPairMap {
 public:
  // Inserts (a, b) -> value unless (a, b) is present; whether it inserted.
  // `*existing` receives the value already there.
  bool insert(int64_t a, int64_t b, uint32_t value, uint32_t* existing = nullptr) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    Slot& slot = locate(a, b);
    if (slot.used) {
      if (existing) *existing = slot.value;
      return false;
    }
    slot = {a, b, value, true};
    ++size_;
    return true;
  }

  // Room for `entries` without growing on the way.
  void reserve(std::size_t entries) {
    std::size_t slots = 16;
    while (entries * 4 > slots * 3) slots *= 2;
    if (slots > slots_.size()) rehash(slots);
  }

  const uint32_t* find(int64_t a, int64_t b) const {
    if (slots_.empty()) return nullptr;
    const Slot& slot = const_cast<FlatPairMap*>(this)->locate(a, b);
    return slot.used ? &slot.value : nullptr;
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    int64_t a = 0, b = 0;
    uint32_t value = 0;
    bool used = false;
  };

  static uint64_t hash(int64_t a, int64_t b) {
    // Two rounds of a 64-bit mixer (splitmix64's finalizer) over both halves.
    uint64_t h = static_cast<uint64_t>(a) * 0x9e3779b97f4a7c15u ^ static_cast<uint64_t>(b);
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebu;
    return h ^ (h >> 31);
  }

  Slot& locate(int64_t a, int64_t b) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(a, b) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (!slot.used || (slot.a == a && slot.b == b)) return slot;
    }
  }

  void grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }

  void rehash(std::size_t slots) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(slots, Slot{});
    for (const Slot& slot : old) {
      if (slot.used) locate(slot.a, slot.b) = slot;
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_FLAT_MAP_H_
