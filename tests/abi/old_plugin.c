/* tests/abi/old_plugin.c -- a plugin built against a frozen copy of an older
 * plugin_api.h (tests/abi/v1_0 to v1_4), in plain C, to prove that
 * the current host keeps ABI 1.x's promise to binaries made before it.
 *
 * PLUGIN_NAME names the plugin (abi_v1_0 ... abi_v1_4). Its test `out-structs`
 * calls every host function of its ABI that fills a struct the plugin owns,
 * each struct followed by guard bytes that must come back untouched, and
 * checks what was written; with RIG_ABI_VERSION_MINOR >= 1 it also reads its
 * own state back through run_state_handlers and the run's connection
 * settings. A failed check is a FAILED run naming it. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "test_rig/plugin_api.h"

#ifndef PLUGIN_NAME
#error "compile with -DPLUGIN_NAME=\"abi_v1_0\" (or abi_v1_1 ... abi_v1_4)"
#endif

/* The frozen header's layout is the one today's SDK pins: every field of
 * its minor versions where the ABI's one list says. */
#if UINTPTR_MAX == 0xffffffffffffffffu
#include <stddef.h>
#define RIG_ABI_FIELD(type, field, offset) \
  _Static_assert(offsetof(type, field) == (offset), #type "." #field " moved");
#define RIG_ABI_SIZE(type, size) _Static_assert(sizeof(type) == (size), #type " changed size");
#include "../../plugin-api/include/test_rig/sdk/abi_layout_list.h"
#undef RIG_ABI_FIELD
#undef RIG_ABI_SIZE
#endif

static const rig_host_api* host;

#define GUARD_SIZE 32
#define GUARD_BYTE 0xA5

/* A struct of the plugin's build followed by guard bytes, all set to the
 * guard byte but for struct_size: what the host writes past the struct's
 * end shows in `guard`. */
#define GUARDED(type)                \
  struct {                           \
    type value;                      \
    unsigned char guard[GUARD_SIZE]; \
  }

#define PREPARE(guarded)                                   \
  do {                                                     \
    memset(&(guarded), GUARD_BYTE, sizeof(guarded));       \
    (guarded).value.struct_size = sizeof((guarded).value); \
  } while (0)

static int guard_intact(const unsigned char* guard) {
  for (int i = 0; i < GUARD_SIZE; ++i) {
    if (guard[i] != GUARD_BYTE) return 0;
  }
  return 1;
}

/* Ends the handler with a failure naming the check. */
#define CHECK(condition, what)                       \
  do {                                               \
    if (!(condition)) {                              \
      host->set_message(run, "check failed: " what); \
      return RIG_FAILED;                             \
    }                                                \
  } while (0)

static rig_status check_out_structs(void* user, rig_run* run, const char** next_state) {
  (void)user;
  rig_conn* conn = NULL;
  CHECK(host->db_connect(run, "main", &conn) == RIG_OK, "db_connect");

  /* A statement that succeeds, and its one cell. */
  rig_result* result = NULL;
  const char* select = "SELECT 6 * 7";
  CHECK(host->db_execute(conn, select, strlen(select), &result) == RIG_OK, "SELECT 6 * 7");
  CHECK(host->result_next_row(result) == 1, "a row from SELECT 6 * 7");
  const char* data = NULL;
  size_t size = 0;
  CHECK(host->result_cell(result, 0, &data, &size) == 0 && size == 2 && memcmp(data, "42", 2) == 0,
        "SELECT 6 * 7 gives 42");
  host->result_free(result);

  /* One that fails: its error through db_error. */
  const char* bad = "SELECT * FROM abi_no_such_table_of_anyone";
  CHECK(host->db_execute(conn, bad, strlen(bad), &result) != RIG_OK, "a missing table fails");
  GUARDED(rig_db_error) error;
  PREPARE(error);
  host->db_error(conn, &error.value);
  CHECK(guard_intact(error.guard), "db_error wrote past the plugin's rig_db_error");
  CHECK(error.value.code == 1146, "db_error code is 1146");
  CHECK(error.value.sqlstate && strcmp(error.value.sqlstate, "42S02") == 0, "db_error sqlstate");

  GUARDED(rig_server_info) server;
  PREPARE(server);
  host->db_server_info(conn, &server.value);
  CHECK(guard_intact(server.guard), "db_server_info wrote past the plugin's rig_server_info");
  CHECK(server.value.flavor == RIG_FLAVOR_MARIADB && server.value.major >= 10,
        "db_server_info says MariaDB 10 or later");

  GUARDED(rig_error_class) error_class;
  PREPARE(error_class);
  host->classify_error(1213, 0, &error_class.value);
  CHECK(guard_intact(error_class.guard), "classify_error wrote past the plugin's rig_error_class");
  CHECK(error_class.value.kind == RIG_ERROR_KIND_CONFLICT &&
            error_class.value.retry == RIG_RETRY_TRANSIENT,
        "1213 is a transient conflict");

  GUARDED(rig_retry_policy) policy;
  PREPARE(policy);
  host->retry_policy(run, &policy.value);
  CHECK(guard_intact(policy.guard), "retry_policy wrote past the plugin's rig_retry_policy");
  CHECK(policy.value.max_attempts >= 1 && policy.value.multiplier >= 1, "a sane retry policy");

#if RIG_ABI_VERSION_MINOR >= 1
  GUARDED(rig_connection_settings) settings;
  PREPARE(settings);
  host->run_connection_settings(run, &settings.value);
  CHECK(guard_intact(settings.guard),
        "run_connection_settings wrote past the plugin's rig_connection_settings");
  CHECK(settings.value.user && settings.value.user[0] != '\0', "the run's user is set");

  GUARDED(rig_state_descriptor) state;
  PREPARE(state);
  CHECK(host->run_state_handlers(run, "check", &state.value) == RIG_OK, "run_state_handlers");
  CHECK(guard_intact(state.guard), "run_state_handlers wrote past the plugin's descriptor");
  CHECK(state.value.execute == check_out_structs, "run_state_handlers returns this handler");
#endif

#if RIG_ABI_VERSION_MINOR >= 2
  /* The host's table reaches past 1.2's end; this plugin calls what it
   * knew then. */
  CHECK(host->struct_size >= sizeof(rig_host_api), "the host's table covers 1.2");
  CHECK(host->run_server_count(run) >= 1, "run_server_count");
#endif

#if RIG_ABI_VERSION_MINOR >= 3
  GUARDED(rig_run_shard) shard;
  PREPARE(shard);
  host->run_shard(run, &shard.value);
  CHECK(guard_intact(shard.guard), "run_shard wrote past the plugin's rig_run_shard");
  CHECK(shard.value.index == 0 && shard.value.count == 1, "an unsplit run is shard 0 of 1");
#endif

  char minor[4];
  snprintf(minor, sizeof(minor), "%d", RIG_ABI_VERSION_MINOR);
  host->record(run, "abi_minor_built_against", minor);
  *next_state = "completed";
  return RIG_OK;
}

static rig_status go_to_check(void* user, rig_run* run, const char** next_state) {
  (void)user;
  (void)run;
  *next_state = "check";
  return RIG_OK;
}

static const rig_state_descriptor kInitial = {sizeof(rig_state_descriptor),
                                              "initial",
                                              "start",
                                              RIG_STATE_INITIAL,
                                              NULL,
                                              go_to_check,
                                              NULL,
                                              NULL,
                                              0};
static const rig_state_descriptor kCheck = {sizeof(rig_state_descriptor),
                                            "check",
                                            "call the host's out-struct functions",
                                            0,
                                            NULL,
                                            check_out_structs,
                                            NULL,
                                            NULL,
                                            0};
static const rig_state_descriptor kCompleted = {sizeof(rig_state_descriptor),
                                                "completed",
                                                "done",
                                                RIG_STATE_TERMINAL,
                                                NULL,
                                                NULL,
                                                NULL,
                                                NULL,
                                                0};
static const rig_state_descriptor* kStates[] = {&kInitial, &kCheck, &kCompleted};
static const rig_transition_descriptor kToCheck = {sizeof(rig_transition_descriptor), "initial",
                                                   "check"};
static const rig_transition_descriptor kToCompleted = {sizeof(rig_transition_descriptor), "check",
                                                       "completed"};
static const rig_transition_descriptor* kTransitions[] = {&kToCheck, &kToCompleted};
static const rig_test_descriptor kTest = {
    sizeof(rig_test_descriptor),
    "out-structs",
    "the host fills this older plugin's structs exactly, never past their end",
    kStates,
    3,
    kTransitions,
    2,
    0};
static const rig_test_descriptor* kTests[] = {&kTest};
static const rig_plugin_descriptor kPlugin = {sizeof(rig_plugin_descriptor),
                                              RIG_ABI_VERSION_MAJOR,
                                              RIG_ABI_VERSION_MINOR,
                                              PLUGIN_NAME,
                                              "1.0.0",
                                              "built against a frozen older plugin_api.h",
                                              NULL,
                                              0,
                                              kTests,
                                              1};

RIG_PLUGIN_EXPORT const rig_plugin_descriptor* rig_plugin_entry_v1(const rig_host_api* api,
                                                                   rig_entry_error* error) {
  (void)error;
  host = api;
  return &kPlugin;
}
