// core/plugin/abi_struct.h -- the ABI's append-only struct rule (plugin_api.h
// convention 5), from both sides, in one place:
//
//   rig_option_spec spec = read_struct(raw, "option spec");  // a plugin's in-struct
//   write_struct(out, rig_error_class{...});                // a plugin's out-struct
//
// Whoever reads a struct the other side filled uses min(its struct_size,
// ours) bytes and zeroes the rest; whoever fills a struct the other side
// owns writes min(its struct_size, ours) bytes, never past the end of a
// smaller struct built against older headers.
//
// Thread tags: [thread-safe] (pure functions of their arguments).
#ifndef TEST_RIG_CORE_PLUGIN_ABI_STRUCT_H_
#define TEST_RIG_CORE_PLUGIN_ABI_STRUCT_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>

#include "test_rig/plugin_api.h"

namespace rig {

// The smallest struct_size that still covers every field of ABI v1 (of the
// minor version that introduced the struct, for later ones).
template <typename T>
constexpr std::size_t v1_size();
template <>
constexpr std::size_t v1_size<rig_plugin_descriptor>() {
  return offsetof(rig_plugin_descriptor, test_count) + sizeof(uint32_t);
}
template <>
constexpr std::size_t v1_size<rig_option_spec>() {
  return offsetof(rig_option_spec, choice_count) + sizeof(uint32_t);
}
template <>
constexpr std::size_t v1_size<rig_test_descriptor>() {
  return offsetof(rig_test_descriptor, max_steps) + sizeof(uint32_t);
}
template <>
constexpr std::size_t v1_size<rig_state_descriptor>() {
  return offsetof(rig_state_descriptor, timeout_ms) + sizeof(uint32_t);
}
template <>
constexpr std::size_t v1_size<rig_transition_descriptor>() {
  return offsetof(rig_transition_descriptor, to) + sizeof(const char*);
}
// Commands began with ABI 1.2, in this layout.
template <>
constexpr std::size_t v1_size<rig_command_descriptor>() {
  return offsetof(rig_command_descriptor, user) + sizeof(void*);
}

// Hooks began with ABI 1.2, in this layout.
template <>
constexpr std::size_t v1_size<rig_hook_descriptor>() {
  return offsetof(rig_hook_descriptor, doc) + sizeof(const char*);
}

// A plugin's struct that cannot be read: null, or too small for its fields.
class BadStruct : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A copy of the plugin-owned `source`: min(struct_size, ours) bytes, the
// rest zero. Throws BadStruct, naming `what`, when `source` is null or
// smaller than v1_size<T>().
template <typename T>
T read_struct(const T* source, const char* what) {
  if (source == nullptr) throw BadStruct(std::string(what) + " pointer is null");
  T copy{};
  const std::size_t size = source->struct_size;
  if (size < v1_size<T>()) {
    throw BadStruct(std::string(what) + " has struct_size " + std::to_string(size) +
                    ", smaller than the " + std::to_string(v1_size<T>()) + " bytes of ABI v1");
  }
  std::memcpy(&copy, source, std::min(size, sizeof(T)));
  return copy;
}

// Fills the plugin-owned `out` with `value`: min(out->struct_size, ours)
// bytes, so fields the plugin's headers do not have are not written; its
// struct_size stays as the plugin set it. A null `out` is ignored.
template <typename T>
void write_struct(T* out, T value) {
  if (out == nullptr) return;
  value.struct_size = out->struct_size;
  std::memcpy(out, &value, std::min<std::size_t>(out->struct_size, sizeof(T)));
}

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_ABI_STRUCT_H_
