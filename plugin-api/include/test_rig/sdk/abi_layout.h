// test_rig/sdk/abi_layout.h -- compile-time guards on the ABI's layout.
//
// Every entry of abi_layout_list.h, the one list of where each field sits
// on LP64 platforms, becomes a static_assert over this plugin_api.h. If one
// fires, a change to plugin_api.h moved an existing field, which would
// break every plugin already built: add new fields at the end instead, and
// to the list.
#ifndef TEST_RIG_SDK_ABI_LAYOUT_H_
#define TEST_RIG_SDK_ABI_LAYOUT_H_

#include <cstddef>
#include <cstdint>

#include "test_rig/plugin_api.h"

namespace test_rig::internal {

#if UINTPTR_MAX == 0xffffffffffffffffu
#define RIG_ABI_FIELD(type, field, offset) \
  static_assert(offsetof(type, field) == (offset), #type "." #field " moved");
#define RIG_ABI_SIZE(type, size) static_assert(sizeof(type) == (size), #type " changed size");
#include "test_rig/sdk/abi_layout_list.h"
#undef RIG_ABI_FIELD
#undef RIG_ABI_SIZE
#endif

}  // namespace test_rig::internal

#endif  // TEST_RIG_SDK_ABI_LAYOUT_H_
