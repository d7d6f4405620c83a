/*
 * test_rig/plugin_api.h -- the stable C ABI between `test-rig` and its plugins.
 *
 * A plugin is a shared library exporting exactly one function,
 * `rig_plugin_entry_v1`, which returns an immutable descriptor of the plugin:
 * its name, its options and the tests it provides. Each test is a state
 * machine: states with enter/execute/exit handlers, and allowed transitions.
 * The host (the `test-rig` executable) owns parsing, validation, scheduling,
 * database connections and reporting; it hands the plugin a table of host
 * services (`rig_host_api`) through which every handler talks to it.
 *
 * Conventions (they hold for every declaration below unless it says otherwise):
 *
 *  1. Plain C. No exceptions and no C++ types cross this boundary. A C++
 *     plugin must catch everything inside its handlers (the C++ SDK in
 *     test_rig/sdk.h does this for you).
 *  2. Strings are NUL-terminated UTF-8 (`const char*`). Data that may hold
 *     NUL bytes (SQL text, cell values, context values) travels as a pointer
 *     and a byte length.
 *  3. Borrowed, not owned: a pointer passed *into* a function is only valid
 *     for the duration of that call; the callee copies what it keeps. A
 *     pointer *returned* by a host function stays valid for the lifetime the
 *     function documents, never longer.
 *  4. Descriptors (`rig_plugin_descriptor` and everything it points to) are
 *     owned by the plugin and must stay valid and unchanged until the
 *     process exits. The host never unloads a plugin.
 *  5. Append-only structs: every struct that may grow starts with
 *     `struct_size`, set by its producer to `sizeof` of the struct as it was
 *     compiled. A reader uses only the first min(struct_size, its own sizeof)
 *     bytes and treats the rest as zero. New fields are added at the end
 *     only; existing fields never move (static_asserts in the C++ SDK guard
 *     the v1 layout).
 *  6. Enumerations are fixed-width integers (`int32_t`). A receiver treats a
 *     value it does not know as a failure, never as success.
 *  7. Status codes: every handler and most host functions return a
 *     `rig_status`. Details of a non-OK status are passed through
 *     `rig_host_api.set_message`, which copies the text.
 *  8. Thread tags on each function:
 *       [main-thread]  called only from the thread that loaded the plugin,
 *                      before any run starts;
 *       [run-thread]   called on the thread executing the run; one run's
 *                      handlers are always called from one thread, but
 *                      different runs may execute on different threads or in
 *                      different processes;
 *       [thread-safe]  may be called from any thread at any time.
 *     Handles (`rig_run`, `rig_conn`, `rig_result`) are opaque and not
 *     shareable across runs. A plugin may create its own threads inside a
 *     handler (for multi-session tests); it may use a `rig_conn` from one
 *     thread at a time and must join its threads before the handler returns.
 *  9. Version checks come first: the host reads `struct_size` and
 *     `abi_major` of the descriptor before anything else and rejects a
 *     plugin whose major version differs from RIG_ABI_VERSION_MAJOR.
 */
#ifndef TEST_RIG_PLUGIN_API_H_
#define TEST_RIG_PLUGIN_API_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI major version is part of the entry symbol's name. A change that
 * breaks existing plugins bumps it (and the symbol name); additions to the
 * end of structs and of rig_host_api bump only the minor version. */
#define RIG_ABI_VERSION_MAJOR 1
#define RIG_ABI_VERSION_MINOR 0

#define RIG_PLUGIN_ENTRY_SYMBOL "rig_plugin_entry_v1"

#if defined(_WIN32)
#define RIG_PLUGIN_EXPORT __declspec(dllexport)
#else
#define RIG_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* ---- Status codes --------------------------------------------------------- */

typedef int32_t rig_status;
enum {
  RIG_OK = 0,      /* the call did what it should */
  RIG_FAILED = 1,  /* an assertion about the database did not hold */
  RIG_ERROR = 2,   /* infrastructure or plugin error (could not connect, bug) */
  RIG_SKIPPED = 3  /* the test does not apply here; the message says why */
};

/* ---- Opaque handles (owned by the host) ----------------------------------- */

typedef struct rig_run rig_run;       /* one execution of one test */
typedef struct rig_conn rig_conn;     /* a database connection of a run */
typedef struct rig_result rig_result; /* a result set of a query */

/* ---- Options ---------------------------------------------------------------- */

typedef int32_t rig_option_type;
enum {
  RIG_OPTION_BOOL = 0,
  RIG_OPTION_INT = 1,    /* int64_t */
  RIG_OPTION_FLOAT = 2,  /* double */
  RIG_OPTION_STRING = 3,
  RIG_OPTION_ENUM = 4,   /* a string restricted to `choices` */
  RIG_OPTION_LIST = 5    /* a list of strings */
};

enum {
  RIG_OPTION_REQUIRED = 1u << 0,   /* no default; the user must supply it */
  RIG_OPTION_SECRET = 1u << 1,     /* masked in help, logs, reports */
  RIG_OPTION_HAS_BOUNDS = 1u << 2  /* INT/FLOAT: min_value/max_value apply */
};

/* One option of a plugin. The host exposes it as `--<plugin>.<name>` on the
 * command line, `[plugins.<plugin>] <name> = ...` in the config file, and
 * TEST_RIG_<PLUGIN>_<NAME> in the environment (upper-cased, '-' and '.'
 * become '_'). Precedence: CLI > environment > config file > default. */
typedef struct rig_option_spec {
  uint32_t struct_size;
  const char* name;          /* [a-z0-9_-]+, unique within the plugin */
  rig_option_type type;
  const char* default_value; /* textual form, as on the CLI; NULL = none.
                                LIST: comma-separated. */
  const char* help;          /* one line, shown in --help */
  uint32_t flags;            /* RIG_OPTION_* bits */
  double min_value;          /* with RIG_OPTION_HAS_BOUNDS, inclusive */
  double max_value;
  const char* const* choices; /* ENUM: the allowed values */
  uint32_t choice_count;
} rig_option_spec;

/* ---- Tests and their state machines -------------------------------------- */

/* Handlers. `user` is the state's `user` pointer, `run` the current run.
 * Ownership: `run` is borrowed for the call. Thread: [run-thread].
 *
 * enter   prepares the state. RIG_OK continues with execute; anything else
 *         ends the run with that status (exit is not called).
 * execute does the work and, on RIG_OK, stores in *next_state the id of the
 *         state to go to. The pointer must stay valid until execute returns
 *         (a string literal or a state id from the descriptor is fine); the
 *         host copies it. The transition must be declared.
 * exit    always runs once enter succeeded, even when execute failed, so
 *         cleanup belongs here. Its non-OK status fails the run only if the
 *         run had not already failed.
 * Any handler pointer may be NULL: a NULL enter or exit does nothing; a NULL
 * execute is allowed only on terminal states. Terminal states run enter and
 * exit but never execute. */
typedef rig_status (*rig_enter_fn)(void* user, rig_run* run);
typedef rig_status (*rig_execute_fn)(void* user, rig_run* run,
                                     const char** next_state);
typedef rig_status (*rig_exit_fn)(void* user, rig_run* run);

enum {
  RIG_STATE_INITIAL = 1u << 0,  /* exactly one state per test */
  RIG_STATE_TERMINAL = 1u << 1  /* the run ends here */
};

typedef struct rig_state_descriptor {
  uint32_t struct_size;
  const char* id;   /* unique within the test, e.g. "connecting" */
  const char* doc;  /* one line; may be NULL */
  uint32_t flags;   /* RIG_STATE_* bits */
  rig_enter_fn enter;
  rig_execute_fn execute;
  rig_exit_fn exit;
  void* user;       /* passed back to the three handlers */
  uint32_t timeout_ms; /* per-state limit for enter+execute+exit; 0 = the
                          host's --state-timeout */
} rig_state_descriptor;

typedef struct rig_transition_descriptor {
  uint32_t struct_size;
  const char* from; /* state ids */
  const char* to;
} rig_transition_descriptor;

/* A test. The host validates it before any run: every transition names
 * declared states; exactly one initial state; every state reachable from it
 * has an execute handler unless terminal; a terminal state is reachable from
 * every reachable state. A test failing validation is rejected with the
 * offending states named. The state "error" is implicit: a run that fails
 * ends there, and a declared "error" state's enter/exit run for cleanup. */
typedef struct rig_test_descriptor {
  uint32_t struct_size;
  const char* name; /* [a-z0-9_-]+, unique within the plugin */
  const char* doc;  /* one line */
  const rig_state_descriptor* const* states;
  uint32_t state_count;
  const rig_transition_descriptor* const* transitions;
  uint32_t transition_count;
  uint32_t max_steps; /* 0 = the host's --max-steps */
} rig_test_descriptor;

/* The plugin, as returned by the entry function. */
typedef struct rig_plugin_descriptor {
  uint32_t struct_size;
  uint32_t abi_major; /* must be RIG_ABI_VERSION_MAJOR */
  uint32_t abi_minor; /* the minor version the plugin was built against */
  const char* name;   /* [a-z0-9_-]+, unique among loaded plugins */
  const char* version;
  const char* doc;
  const rig_option_spec* const* options;
  uint32_t option_count;
  const rig_test_descriptor* const* tests;
  uint32_t test_count;
} rig_plugin_descriptor;

/* ---- Host services -------------------------------------------------------- */

typedef int32_t rig_log_level;
enum {
  RIG_LOG_TRACE = 0,
  RIG_LOG_DEBUG = 1,
  RIG_LOG_INFO = 2,
  RIG_LOG_WARN = 3,
  RIG_LOG_ERROR = 4
};

typedef int32_t rig_server_flavor;
enum {
  RIG_FLAVOR_UNKNOWN = 0,
  RIG_FLAVOR_MYSQL = 1,
  RIG_FLAVOR_MARIADB = 2,
  RIG_FLAVOR_TIDB = 3
};

/* What the host knows about the server a connection talks to. Strings are
 * owned by the host and valid until the run ends. */
typedef struct rig_server_info {
  uint32_t struct_size;
  rig_server_flavor flavor;
  const char* version;     /* the server's product version, e.g. "10.11.19"
                              (for TiDB the TiDB release, e.g. "8.5.0") */
  const char* raw_version; /* SELECT VERSION() as returned */
  uint32_t major, minor, patch;
} rig_server_info;

/* What an error code means (see rig_host_api.classify_error). */
typedef int32_t rig_error_kind;
enum {
  RIG_ERROR_KIND_NONE = 0,
  RIG_ERROR_KIND_CONNECTION = 1,      /* lost or could not connect */
  RIG_ERROR_KIND_CONFLICT = 2,        /* deadlock, lock wait timeout, write conflict */
  RIG_ERROR_KIND_SCHEMA_CHANGED = 3,  /* TiDB 8027/8028 */
  RIG_ERROR_KIND_SERVER_BUSY = 4,     /* TiDB 9001-9005 */
  RIG_ERROR_KIND_AUTHENTICATION = 5,  /* access denied */
  RIG_ERROR_KIND_UNKNOWN_DATABASE = 6,
  RIG_ERROR_KIND_SYNTAX = 7,
  RIG_ERROR_KIND_CONSTRAINT = 8,      /* duplicate key, NOT NULL, foreign key */
  RIG_ERROR_KIND_UNSUPPORTED = 9,
  RIG_ERROR_KIND_OTHER = 10
};

/* An error code the host itself reports through rig_db_error, outside the
 * ranges servers and Connector/C use: the server's circuit breaker is open
 * (it failed repeatedly), so the call was not sent. Kind CONNECTION,
 * transient: back off and try again. */
#define RIG_ERROR_CIRCUIT_OPEN 50001u

typedef int32_t rig_retry_class;
enum {
  RIG_RETRY_NONE = 0,           /* no error */
  RIG_RETRY_TRANSIENT = 1,      /* may be retried, after backoff */
  RIG_RETRY_INDETERMINATE = 2,  /* outcome unknown (connection lost in COMMIT) */
  RIG_RETRY_PERMANENT = 3       /* fail fast */
};

typedef struct rig_error_class {
  uint32_t struct_size;
  rig_error_kind kind;
  rig_retry_class retry;
  const char* description; /* static text, valid until the process exits */
} rig_error_class;

/* How a plugin should retry transient errors (from the [retry] config). */
typedef struct rig_retry_policy {
  uint32_t struct_size;
  uint32_t max_attempts;  /* attempts in all, >= 1 */
  uint32_t base_delay_ms; /* delay before the second attempt */
  uint32_t max_delay_ms;  /* cap of any delay */
  double multiplier;      /* growth per attempt, >= 1 */
} rig_retry_policy;

/* The last error of a connection. Strings are owned by the host and valid
 * until the next call that uses the same connection. */
typedef struct rig_db_error {
  uint32_t struct_size;
  uint32_t code;        /* server or client error number; 0 = no error */
  const char* sqlstate; /* five characters, "00000" when no error */
  const char* message;
} rig_db_error;

/* The table of services the host hands to the entry function. It is owned by
 * the host and valid until the process exits; the plugin may keep the
 * pointer. Functions added in later minor versions are appended; check
 * `struct_size` before calling one newer than your RIG_ABI_VERSION_MINOR. */
typedef struct rig_host_api {
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;

  /* Logs one message through the host's logger, tagged with the run's plugin,
   * test and state. `run` may be NULL outside a run. [thread-safe] */
  void (*log)(rig_run* run, rig_log_level level, const char* message);

  /* Sets the message explaining the status the current handler is about to
   * return (the failure, the error or the skip reason). The host copies it;
   * a later call replaces it. [run-thread] */
  void (*set_message)(rig_run* run, const char* message);

  /* Records a fact about the run (e.g. "server_version") that appears in
   * the reports. The host copies key and value. [run-thread] */
  void (*record)(rig_run* run, const char* key, const char* value);

  /* Per-run key/value context shared by all handlers of the run (C++ and
   * Python alike). Values are bytes. context_get stores a pointer owned by
   * the host, valid until the key is set again or the run ends, and returns
   * RIG_OK, or RIG_ERROR if the key is absent. [run-thread] */
  void (*context_set)(rig_run* run, const char* key, const char* value,
                      size_t value_size);
  rig_status (*context_get)(rig_run* run, const char* key, const char** value,
                            size_t* value_size);

  /* The effective value of one of the plugin's own options. Each returns
   * RIG_ERROR (and sets no value) for an unknown name or a type mismatch.
   * get_option_string serves STRING and ENUM; strings are owned by the host
   * and valid until the run ends. get_option_list stores the item count and
   * an array of items. [run-thread] */
  rig_status (*get_option_bool)(rig_run* run, const char* name, int32_t* value);
  rig_status (*get_option_int)(rig_run* run, const char* name, int64_t* value);
  rig_status (*get_option_float)(rig_run* run, const char* name, double* value);
  rig_status (*get_option_string)(rig_run* run, const char* name,
                                  const char** value);
  rig_status (*get_option_list)(rig_run* run, const char* name,
                                const char* const** items, uint32_t* count);

  /* Opens (on first use) and returns the run's connection called `name`;
   * "main" is the default session. Further names give further sessions with
   * the same credentials, for multi-session tests. The connection is owned by
   * the host and closed when the run ends. On failure sets the run's message
   * to the reason (e.g. authentication failed for user@host) and returns
   * RIG_ERROR, or RIG_FAILED when the server is up and the credentials work
   * but the configured database does not exist; a handler should return that
   * status as it is. [thread-safe] */
  rig_status (*db_connect)(rig_run* run, const char* name, rig_conn** conn);

  /* Runs one SQL statement. With `result` NULL any rows are discarded;
   * while the server's circuit breaker is open the statement is not sent
   * and the call fails with RIG_ERROR_CIRCUIT_OPEN.
   * otherwise *result receives a result set (or NULL for statements without
   * one) that the caller must free with result_free. Returns RIG_OK or
   * RIG_ERROR; details through db_error. [one thread per connection] */
  rig_status (*db_execute)(rig_conn* conn, const char* sql, size_t sql_size,
                           rig_result** result);

  /* Rows changed by the last statement, its AUTO_INCREMENT id, and the
   * server's id for this session (CONNECTION_ID()). [one thread per conn] */
  uint64_t (*db_affected_rows)(rig_conn* conn);
  uint64_t (*db_last_insert_id)(rig_conn* conn);
  uint64_t (*db_connection_id)(rig_conn* conn);

  /* The last error of `conn`, see rig_db_error. [one thread per conn] */
  void (*db_error)(rig_conn* conn, rig_db_error* error);

  /* The server behind `conn`. [one thread per conn] */
  void (*db_server_info)(rig_conn* conn, rig_server_info* info);

  /* Result sets. Column names are owned by the result. result_next_row
   * advances to the next row and returns 1, or returns 0 at the end.
   * result_cell stores a pointer to the cell's bytes in the current row (valid
   * until the next result_next_row or result_free) and returns 1 if the cell
   * is SQL NULL, 0 otherwise. [one thread per result] */
  uint32_t (*result_column_count)(rig_result* result);
  const char* (*result_column_name)(rig_result* result, uint32_t column);
  uint64_t (*result_row_count)(rig_result* result);
  int32_t (*result_next_row)(rig_result* result);
  int32_t (*result_cell)(rig_result* result, uint32_t column,
                         const char** data, size_t* size);
  void (*result_free)(rig_result* result);

  /* The names of the test and plugin of `run`, owned by the host and valid
   * until the run ends. [run-thread] */
  const char* (*run_test_name)(rig_run* run);
  const char* (*run_plugin_name)(rig_run* run);

  /* Reports one case of a parametrised test (e.g. one cell of a matrix) with
   * its own status and message; cases appear as separate JUnit test cases
   * and in the JSON report under the test. They do not change the test's
   * own status: the handler decides that. The host copies the strings.
   * [run-thread] */
  void (*add_case)(rig_run* run, const char* name, rig_status status,
                   const char* message, double duration_s);

  /* Like `record`, but `json` is a JSON document embedded as structured data
   * in the JSON report (stored as a string if it does not parse).
   * [run-thread] */
  void (*record_json)(rig_run* run, const char* key, const char* json);

  /* Appends text printed under the test's line in the human summary (e.g. a
   * result matrix). [run-thread] */
  void (*add_summary_text)(rig_run* run, const char* text);

  /* Classifies a server or client error code from the host's single table:
   * its kind and whether it may be retried. `during_commit` non-zero means
   * the error ended a COMMIT (a lost connection is then indeterminate).
   * [thread-safe] */
  void (*classify_error)(uint32_t code, int32_t during_commit, rig_error_class* out);

  /* The run's retry policy. [thread-safe] */
  void (*retry_policy)(rig_run* run, rig_retry_policy* out);

  /* Closes `conn` and opens it again with the same name and settings (after
   * a lost connection). Returns RIG_OK, or RIG_ERROR with the run's message
   * set and the reason in db_error (e.g. RIG_ERROR_CIRCUIT_OPEN); `conn`
   * stays usable for another reconnect. Counted as a reconnect in the
   * reports. [one thread per conn] */
  rig_status (*db_reconnect)(rig_conn* conn);

  /* Counts one retry of an operation in the run's report. [thread-safe] */
  void (*count_retry)(rig_run* run);
} rig_host_api;

/* ---- The entry point -------------------------------------------------------- */

/* Storage for the reason the entry function failed. */
typedef struct rig_entry_error {
  char* buffer;       /* owned by the host */
  size_t buffer_size; /* write at most this many bytes, NUL included */
} rig_entry_error;

/* The one function a plugin exports (use RIG_PLUGIN_EXPORT). Called once per
 * process, right after loading, before anything else in the plugin.
 * `host` stays valid until the process exits. Returns the descriptor, which
 * the plugin owns (see convention 4), or NULL after writing the reason into
 * `error`. Must not throw. [main-thread] */
typedef const rig_plugin_descriptor* (*rig_plugin_entry_fn)(
    const rig_host_api* host, rig_entry_error* error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TEST_RIG_PLUGIN_API_H_ */
