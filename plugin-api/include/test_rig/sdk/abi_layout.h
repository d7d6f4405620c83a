// test_rig/sdk/abi_layout.h -- compile-time guards on the v1 ABI layout.
//
// The offsets below are the v1 contract on LP64 platforms. If one of these
// assertions fires, a change to plugin_api.h moved an existing field, which
// would break every plugin already built: add new fields at the end instead.
#ifndef TEST_RIG_SDK_ABI_LAYOUT_H_
#define TEST_RIG_SDK_ABI_LAYOUT_H_

#include <cstddef>

#include "test_rig/plugin_api.h"

namespace test_rig::internal {

#if UINTPTR_MAX == 0xffffffffffffffffu
static_assert(offsetof(rig_plugin_descriptor, abi_major) == 4);
static_assert(offsetof(rig_plugin_descriptor, name) == 16);
static_assert(offsetof(rig_plugin_descriptor, options) == 40);
static_assert(offsetof(rig_plugin_descriptor, tests) == 56);
static_assert(offsetof(rig_plugin_descriptor, commands) == 72);  // ABI 1.2
static_assert(offsetof(rig_plugin_descriptor, configure) == 88);
static_assert(sizeof(rig_plugin_descriptor) == 104);
static_assert(offsetof(rig_command_descriptor, run) == 32);
static_assert(sizeof(rig_command_descriptor) == 48);
static_assert(offsetof(rig_option_spec, type) == 16);
static_assert(offsetof(rig_option_spec, choices) == 64);
static_assert(offsetof(rig_option_spec, alias) == 80);  // ABI 1.2
static_assert(sizeof(rig_option_spec) == 88);
static_assert(offsetof(rig_state_descriptor, enter) == 32);
static_assert(offsetof(rig_state_descriptor, user) == 56);
static_assert(sizeof(rig_state_descriptor) == 72);
static_assert(offsetof(rig_test_descriptor, states) == 24);
static_assert(offsetof(rig_test_descriptor, max_steps) == 52);
static_assert(offsetof(rig_test_descriptor, hooks) == 56);  // ABI 1.2
static_assert(sizeof(rig_test_descriptor) == 72);
static_assert(sizeof(rig_hook_descriptor) == 24);
static_assert(sizeof(rig_transition_descriptor) == 24);
static_assert(offsetof(rig_host_api, log) == 16);
static_assert(offsetof(rig_host_api, db_connect) == 96);
static_assert(offsetof(rig_host_api, run_plugin_name) == 208);
static_assert(offsetof(rig_host_api, add_case) == 216);
static_assert(offsetof(rig_host_api, classify_error) == 240);
static_assert(offsetof(rig_host_api, count_retry) == 264);
static_assert(offsetof(rig_host_api, result_column_type) == 272);  // ABI 1.1
static_assert(offsetof(rig_host_api, get_host_list) == 280);
static_assert(offsetof(rig_host_api, run_connection_settings) == 288);
static_assert(offsetof(rig_host_api, bind_state_handler) == 296);
static_assert(offsetof(rig_host_api, db_prepare) == 304);
static_assert(offsetof(rig_host_api, stmt_free) == 320);
static_assert(offsetof(rig_host_api, run_state_handlers) == 328);
static_assert(offsetof(rig_host_api, run_expect_state_duration) == 336);  // ABI 1.2
static_assert(offsetof(rig_host_api, db_connect_to) == 352);
static_assert(offsetof(rig_host_api, entry_plugin_path) == 360);
static_assert(offsetof(rig_host_api, get_option_type) == 368);
static_assert(sizeof(rig_host_api) == 376);
static_assert(sizeof(rig_value) == 40);
static_assert(sizeof(rig_connection_settings) == 48);
static_assert(sizeof(rig_error_class) == 24);
#endif

}  // namespace test_rig::internal

#endif  // TEST_RIG_SDK_ABI_LAYOUT_H_
