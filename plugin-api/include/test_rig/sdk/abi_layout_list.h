/*
 * test_rig/sdk/abi_layout_list.h -- the one list of the plugin ABI's layout:
 * the byte offset of every field of every struct in plugin_api.h on LP64,
 * grouped by the minor version that added it. Offsets never change once
 * listed; a new field is appended to the struct and to this list.
 *
 * It is checked against every header it describes: the SDK's
 * abi_layout.h expands it over today's plugin_api.h, and
 * tests/abi/old_plugin.c over the frozen 1.0 to 1.4 headers (the #if
 * blocks below pick a header's own minor versions). Both turn each entry
 * into a static assertion, and tests/python/test_abi_append_only.py checks
 * that every field of today's header is listed.
 *
 * Include it with RIG_ABI_FIELD(type, field, offset) and
 * RIG_ABI_SIZE(type, size) defined; it defines nothing itself. No include
 * guard: each includer expands it once, its own way.
 */

/* ---- 1.0 ---- */
RIG_ABI_FIELD(rig_option_spec, struct_size, 0)
RIG_ABI_FIELD(rig_option_spec, name, 8)
RIG_ABI_FIELD(rig_option_spec, type, 16)
RIG_ABI_FIELD(rig_option_spec, default_value, 24)
RIG_ABI_FIELD(rig_option_spec, help, 32)
RIG_ABI_FIELD(rig_option_spec, flags, 40)
RIG_ABI_FIELD(rig_option_spec, min_value, 48)
RIG_ABI_FIELD(rig_option_spec, max_value, 56)
RIG_ABI_FIELD(rig_option_spec, choices, 64)
RIG_ABI_FIELD(rig_option_spec, choice_count, 72)
RIG_ABI_FIELD(rig_state_descriptor, struct_size, 0)
RIG_ABI_FIELD(rig_state_descriptor, id, 8)
RIG_ABI_FIELD(rig_state_descriptor, doc, 16)
RIG_ABI_FIELD(rig_state_descriptor, flags, 24)
RIG_ABI_FIELD(rig_state_descriptor, enter, 32)
RIG_ABI_FIELD(rig_state_descriptor, execute, 40)
RIG_ABI_FIELD(rig_state_descriptor, exit, 48)
RIG_ABI_FIELD(rig_state_descriptor, user, 56)
RIG_ABI_FIELD(rig_state_descriptor, timeout_ms, 64)
RIG_ABI_FIELD(rig_transition_descriptor, struct_size, 0)
RIG_ABI_FIELD(rig_transition_descriptor, from, 8)
RIG_ABI_FIELD(rig_transition_descriptor, to, 16)
RIG_ABI_FIELD(rig_test_descriptor, struct_size, 0)
RIG_ABI_FIELD(rig_test_descriptor, name, 8)
RIG_ABI_FIELD(rig_test_descriptor, doc, 16)
RIG_ABI_FIELD(rig_test_descriptor, states, 24)
RIG_ABI_FIELD(rig_test_descriptor, state_count, 32)
RIG_ABI_FIELD(rig_test_descriptor, transitions, 40)
RIG_ABI_FIELD(rig_test_descriptor, transition_count, 48)
RIG_ABI_FIELD(rig_test_descriptor, max_steps, 52)
RIG_ABI_FIELD(rig_plugin_descriptor, struct_size, 0)
RIG_ABI_FIELD(rig_plugin_descriptor, abi_major, 4)
RIG_ABI_FIELD(rig_plugin_descriptor, abi_minor, 8)
RIG_ABI_FIELD(rig_plugin_descriptor, name, 16)
RIG_ABI_FIELD(rig_plugin_descriptor, version, 24)
RIG_ABI_FIELD(rig_plugin_descriptor, doc, 32)
RIG_ABI_FIELD(rig_plugin_descriptor, options, 40)
RIG_ABI_FIELD(rig_plugin_descriptor, option_count, 48)
RIG_ABI_FIELD(rig_plugin_descriptor, tests, 56)
RIG_ABI_FIELD(rig_plugin_descriptor, test_count, 64)
RIG_ABI_FIELD(rig_server_info, struct_size, 0)
RIG_ABI_FIELD(rig_server_info, flavor, 4)
RIG_ABI_FIELD(rig_server_info, version, 8)
RIG_ABI_FIELD(rig_server_info, raw_version, 16)
RIG_ABI_FIELD(rig_server_info, major, 24)
RIG_ABI_FIELD(rig_server_info, minor, 28)
RIG_ABI_FIELD(rig_server_info, patch, 32)
RIG_ABI_FIELD(rig_error_class, struct_size, 0)
RIG_ABI_FIELD(rig_error_class, kind, 4)
RIG_ABI_FIELD(rig_error_class, retry, 8)
RIG_ABI_FIELD(rig_error_class, description, 16)
RIG_ABI_FIELD(rig_retry_policy, struct_size, 0)
RIG_ABI_FIELD(rig_retry_policy, max_attempts, 4)
RIG_ABI_FIELD(rig_retry_policy, base_delay_ms, 8)
RIG_ABI_FIELD(rig_retry_policy, max_delay_ms, 12)
RIG_ABI_FIELD(rig_retry_policy, multiplier, 16)
RIG_ABI_FIELD(rig_db_error, struct_size, 0)
RIG_ABI_FIELD(rig_db_error, code, 4)
RIG_ABI_FIELD(rig_db_error, sqlstate, 8)
RIG_ABI_FIELD(rig_db_error, message, 16)
RIG_ABI_FIELD(rig_host_api, struct_size, 0)
RIG_ABI_FIELD(rig_host_api, abi_major, 4)
RIG_ABI_FIELD(rig_host_api, abi_minor, 8)
RIG_ABI_FIELD(rig_host_api, log, 16)
RIG_ABI_FIELD(rig_host_api, set_message, 24)
RIG_ABI_FIELD(rig_host_api, record, 32)
RIG_ABI_FIELD(rig_host_api, context_set, 40)
RIG_ABI_FIELD(rig_host_api, context_get, 48)
RIG_ABI_FIELD(rig_host_api, get_option_bool, 56)
RIG_ABI_FIELD(rig_host_api, get_option_int, 64)
RIG_ABI_FIELD(rig_host_api, get_option_float, 72)
RIG_ABI_FIELD(rig_host_api, get_option_string, 80)
RIG_ABI_FIELD(rig_host_api, get_option_list, 88)
RIG_ABI_FIELD(rig_host_api, db_connect, 96)
RIG_ABI_FIELD(rig_host_api, db_execute, 104)
RIG_ABI_FIELD(rig_host_api, db_affected_rows, 112)
RIG_ABI_FIELD(rig_host_api, db_last_insert_id, 120)
RIG_ABI_FIELD(rig_host_api, db_connection_id, 128)
RIG_ABI_FIELD(rig_host_api, db_error, 136)
RIG_ABI_FIELD(rig_host_api, db_server_info, 144)
RIG_ABI_FIELD(rig_host_api, result_column_count, 152)
RIG_ABI_FIELD(rig_host_api, result_column_name, 160)
RIG_ABI_FIELD(rig_host_api, result_row_count, 168)
RIG_ABI_FIELD(rig_host_api, result_next_row, 176)
RIG_ABI_FIELD(rig_host_api, result_cell, 184)
RIG_ABI_FIELD(rig_host_api, result_free, 192)
RIG_ABI_FIELD(rig_host_api, run_test_name, 200)
RIG_ABI_FIELD(rig_host_api, run_plugin_name, 208)
RIG_ABI_FIELD(rig_host_api, add_case, 216)
RIG_ABI_FIELD(rig_host_api, record_json, 224)
RIG_ABI_FIELD(rig_host_api, add_summary_text, 232)
RIG_ABI_FIELD(rig_host_api, classify_error, 240)
RIG_ABI_FIELD(rig_host_api, retry_policy, 248)
RIG_ABI_FIELD(rig_host_api, db_reconnect, 256)
RIG_ABI_FIELD(rig_host_api, count_retry, 264)
RIG_ABI_FIELD(rig_entry_error, buffer, 0)
RIG_ABI_FIELD(rig_entry_error, buffer_size, 8)

#if RIG_ABI_VERSION_MINOR >= 1
/* ---- 1.1 ---- */
RIG_ABI_FIELD(rig_value, type, 0)
RIG_ABI_FIELD(rig_value, reserved, 4)
RIG_ABI_FIELD(rig_value, int_value, 8)
RIG_ABI_FIELD(rig_value, double_value, 16)
RIG_ABI_FIELD(rig_value, text, 24)
RIG_ABI_FIELD(rig_value, text_size, 32)
RIG_ABI_FIELD(rig_connection_settings, struct_size, 0)
RIG_ABI_FIELD(rig_connection_settings, port, 4)
RIG_ABI_FIELD(rig_connection_settings, host, 8)
RIG_ABI_FIELD(rig_connection_settings, socket, 16)
RIG_ABI_FIELD(rig_connection_settings, user, 24)
RIG_ABI_FIELD(rig_connection_settings, password, 32)
RIG_ABI_FIELD(rig_connection_settings, database, 40)
RIG_ABI_FIELD(rig_host_api, result_column_type, 272)
RIG_ABI_FIELD(rig_host_api, get_host_list, 280)
RIG_ABI_FIELD(rig_host_api, run_connection_settings, 288)
RIG_ABI_FIELD(rig_host_api, bind_state_handler, 296)
RIG_ABI_FIELD(rig_host_api, db_prepare, 304)
RIG_ABI_FIELD(rig_host_api, stmt_execute, 312)
RIG_ABI_FIELD(rig_host_api, stmt_free, 320)
RIG_ABI_FIELD(rig_host_api, run_state_handlers, 328)
RIG_ABI_SIZE(rig_value, 40) /* passed in arrays: its size is part of the ABI */
#endif

#if RIG_ABI_VERSION_MINOR >= 2
/* ---- 1.2 ---- */
RIG_ABI_FIELD(rig_option_spec, alias, 80)
RIG_ABI_FIELD(rig_hook_descriptor, struct_size, 0)
RIG_ABI_FIELD(rig_hook_descriptor, name, 8)
RIG_ABI_FIELD(rig_hook_descriptor, doc, 16)
RIG_ABI_FIELD(rig_test_descriptor, hooks, 56)
RIG_ABI_FIELD(rig_test_descriptor, hook_count, 64)
RIG_ABI_FIELD(rig_command_descriptor, struct_size, 0)
RIG_ABI_FIELD(rig_command_descriptor, name, 8)
RIG_ABI_FIELD(rig_command_descriptor, usage, 16)
RIG_ABI_FIELD(rig_command_descriptor, doc, 24)
RIG_ABI_FIELD(rig_command_descriptor, run, 32)
RIG_ABI_FIELD(rig_command_descriptor, user, 40)
RIG_ABI_FIELD(rig_plugin_descriptor, commands, 72)
RIG_ABI_FIELD(rig_plugin_descriptor, command_count, 80)
RIG_ABI_FIELD(rig_plugin_descriptor, configure, 88)
RIG_ABI_FIELD(rig_plugin_descriptor, configure_user, 96)
RIG_ABI_FIELD(rig_host_api, run_expect_state_duration, 336)
RIG_ABI_FIELD(rig_host_api, run_server_count, 344)
RIG_ABI_FIELD(rig_host_api, db_connect_to, 352)
RIG_ABI_FIELD(rig_host_api, entry_plugin_path, 360)
RIG_ABI_FIELD(rig_host_api, get_option_type, 368)
#endif

#if RIG_ABI_VERSION_MINOR >= 3
/* ---- 1.3 ---- */
RIG_ABI_FIELD(rig_test_descriptor, flags, 68)
RIG_ABI_FIELD(rig_run_shard, struct_size, 0)
RIG_ABI_FIELD(rig_run_shard, index, 4)
RIG_ABI_FIELD(rig_run_shard, count, 8)
RIG_ABI_FIELD(rig_run_shard, run_id, 16)
RIG_ABI_FIELD(rig_host_api, run_shard, 376)
#endif

#if RIG_ABI_VERSION_MINOR >= 4
/* ---- 1.4 ---- */
RIG_ABI_FIELD(rig_test_descriptor, judge_baseline, 72)
RIG_ABI_FIELD(rig_test_descriptor, judge_baseline_user, 80)
#endif

#if RIG_ABI_VERSION_MINOR >= 5
/* ---- 1.5 ---- */
RIG_ABI_FIELD(rig_test_descriptor, check_options, 88)
RIG_ABI_FIELD(rig_test_descriptor, check_options_user, 96)
#endif
