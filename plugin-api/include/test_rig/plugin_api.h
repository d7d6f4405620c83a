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
 *     `struct_size`, set by its owner to `sizeof` of the struct as it was
 *     compiled. A reader uses only the first min(struct_size, its own sizeof)
 *     bytes and treats the rest as zero. The writer of an out-struct (one
 *     the caller owns and the callee fills: db_error, db_server_info,
 *     run_connection_settings, classify_error, retry_policy,
 *     run_state_handlers, run_shard) writes min(struct_size, its own
 *     sizeof) bytes and leaves struct_size as it was, so the caller sets
 *     struct_size before the call. New fields are added at the end only; existing fields never
 *     move (static_asserts in the C++ SDK guard the v1 layout).
 *  6. Enumerations are fixed-width integers (`int32_t`). A receiver treats a
 *     value it does not know as a failure, never as success.
 *  7. Status codes: every handler and most host functions return a
 *     `rig_status`. Details of a non-OK status are passed through
 *     `rig_host_api.set_message`, which copies the text.
 *  8. Thread tags: every function carries exactly one of these five.
 *       [main-thread]  only from the thread that loaded the plugin, before
 *                      any run starts (the entry function, a command);
 *       [run-thread]   only from the thread executing the run's handlers;
 *                      one run's handlers are always called from one
 *                      thread, but different runs may execute on different
 *                      threads or in different processes;
 *       [run-threads]  from the run's thread or from any thread the plugin
 *                      started for the run; the host serialises these calls
 *                      per run;
 *       [per-handle]   from one thread at a time per handle: a `rig_conn`
 *                      with its results and statements, or a `rig_result`;
 *       [thread-safe]  from any thread at any time.
 *     Handles (`rig_run`, `rig_conn`, `rig_result`) are opaque and not
 *     shareable across runs. A plugin may create its own threads inside a
 *     handler (for multi-session tests) and must join them before the
 *     handler returns. Handlers a plugin calls itself on such threads
 *     (run_state_handlers) may use the [run-threads] functions there.
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
#define RIG_ABI_VERSION_MINOR 5

#define RIG_PLUGIN_ENTRY_SYMBOL "rig_plugin_entry_v1"

#if defined(_WIN32)
#define RIG_PLUGIN_EXPORT __declspec(dllexport)
#else
#define RIG_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* ---- Status codes --------------------------------------------------------- */

typedef int32_t rig_status;
enum {
  RIG_OK = 0,     /* the call did what it should */
  RIG_FAILED = 1, /* an assertion about the database did not hold */
  RIG_ERROR = 2,  /* infrastructure or plugin error (could not connect, bug) */
  RIG_SKIPPED = 3 /* the test does not apply here; the message says why */
};

/* ---- Opaque handles (owned by the host) ----------------------------------- */

typedef struct rig_run rig_run;       /* one execution of one test */
typedef struct rig_conn rig_conn;     /* a database connection of a run */
typedef struct rig_result rig_result; /* a result set of a query */
typedef struct rig_stmt rig_stmt;     /* a prepared statement (ABI 1.1) */

/* ---- Options ---------------------------------------------------------------- */

typedef int32_t rig_option_type;
enum {
  RIG_OPTION_BOOL = 0,
  RIG_OPTION_INT = 1,   /* int64_t */
  RIG_OPTION_FLOAT = 2, /* double */
  RIG_OPTION_STRING = 3,
  RIG_OPTION_ENUM = 4, /* a string restricted to `choices` */
  RIG_OPTION_LIST = 5  /* a list of strings */
};

enum {
  RIG_OPTION_REQUIRED = 1u << 0,   /* no default; the user must supply it */
  RIG_OPTION_SECRET = 1u << 1,     /* masked in help, logs, reports */
  RIG_OPTION_HAS_BOUNDS = 1u << 2, /* INT/FLOAT: min_value/max_value apply;
                                      LIST: every item is a whole number
                                      within them (hosts of 2026-12 on;
                                      older ones ignore the bounds) */
  RIG_OPTION_OUTPUT = 1u << 3      /* names a file or directory the process
                                      writes (ABI 1.3): the shards of one
                                      run may differ in it, and the JSON
                                      report lists it apart from the options
                                      that say what ran (run.outputs) */
};

/* One option of a plugin. The host exposes it as `--<plugin>.<name>` on the
 * command line, `[plugins.<plugin>] <name> = ...` in the config file, and
 * TEST_RIG_<PLUGIN>_<NAME> in the environment (upper-cased, '-' and '.'
 * become '_'). Precedence: CLI > environment > config file > default. */
typedef struct rig_option_spec {
  uint32_t struct_size;
  const char* name; /* [a-z0-9_-]+, unique within the plugin */
  rig_option_type type;
  const char* default_value; /* textual form, as on the CLI; NULL = none.
                                LIST: comma-separated. */
  const char* help;          /* one line, shown in --help */
  uint32_t flags;            /* RIG_OPTION_* bits */
  double min_value;          /* with RIG_OPTION_HAS_BOUNDS, inclusive */
  double max_value;
  const char* const* choices; /* ENUM: the allowed values */
  uint32_t choice_count;
  /* ---- ABI 1.2 ---- */
  const char* alias; /* a second command-line name, `--<alias>`, e.g.
                        "python-tests" for the python plugin's `tests`:
                        [a-z][a-z0-9-]*, no core option's nor another
                        alias; NULL for none. Older hosts ignore it. */
} rig_option_spec;

/* ---- Tests and their state machines -------------------------------------- */

/* Handlers. `user` is the state's `user` pointer, `run` the current run.
 * Ownership: `run` is borrowed for the call. Thread: [run-thread] (the host
 * calls them there; a plugin that gets them through run_state_handlers may
 * call them on its own threads of the run).
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
typedef rig_status (*rig_execute_fn)(void* user, rig_run* run, const char** next_state);
typedef rig_status (*rig_exit_fn)(void* user, rig_run* run);

enum {
  RIG_STATE_INITIAL = 1u << 0, /* exactly one state per test */
  RIG_STATE_TERMINAL = 1u << 1 /* the run ends here */
};

typedef struct rig_state_descriptor {
  uint32_t struct_size;
  const char* id;  /* unique within the test, e.g. "connecting" */
  const char* doc; /* one line; may be NULL */
  uint32_t flags;  /* RIG_STATE_* bits */
  rig_enter_fn enter;
  rig_execute_fn execute;
  rig_exit_fn exit;
  void* user;          /* passed back to the three handlers */
  uint32_t timeout_ms; /* per-state limit for enter+execute+exit; 0 = the
                          host's --state-timeout */
} rig_state_descriptor;

typedef struct rig_transition_descriptor {
  uint32_t struct_size;
  const char* from; /* state ids */
  const char* to;
} rig_transition_descriptor;

/* A hook of a test (ABI 1.2): a named slot for handlers that the test calls
 * itself -- say once per event on each of its worker threads -- and that
 * another plugin fills with bind_state_handler (a Python workload for a C++
 * load test). The state machine never enters a hook. The test gets the
 * bound handlers, or none, from run_state_handlers. */
typedef struct rig_hook_descriptor {
  uint32_t struct_size;
  const char* name; /* [a-z0-9_-]+, unique among the test's states and hooks */
  const char* doc;  /* one line: when the test calls it; may be NULL */
} rig_hook_descriptor;

/* How a test takes part in a run split over shards (`--shard I/N`, ABI 1.3).
 * A test without the flag is dealt to one shard; a test with it runs in
 * every shard, and each run does its own share of the work, as
 * run_shard says (a load's threads, rate and events divided). Such a test
 * still does all the work on a host older than 1.3, which runs it once. */
enum { RIG_TEST_DIVIDES_ITS_WORK = 1u << 0 };

/* Judges a report of the test against a baseline the test recorded (ABI
 * 1.4), for `test-rig report compare BASELINE AFTER.json`: `baseline` is
 * the text of a file the test wrote as a baseline (an expectations table,
 * say), `report_entry` the test's entry in AFTER.json, a JSON object whose
 * "details" hold what the test recorded with record_json. `run` is a
 * rig_run of no test, as a command's (the plugin's options, logging,
 * set_message), with no database session, in which add_case gives one case
 * per item of the baseline: RIG_OK when the report keeps it, RIG_FAILED
 * with a message saying what changed. Returns RIG_OK once it has judged,
 * whatever the cases say; RIG_SKIPPED when `baseline` is no baseline this
 * test records (the host then asks the report's other tests); RIG_ERROR,
 * with a message, for a baseline or report entry it cannot read.
 * Thread: [main-thread]. */
typedef rig_status (*rig_judge_baseline_fn)(void* user, rig_run* run, const char* baseline,
                                            size_t baseline_size, const char* report_entry,
                                            size_t report_entry_size);

/* Checks the options a run gives the test (ABI 1.5), before any test of
 * the run starts: the checks a declaration cannot make (a value's format,
 * two options that exclude each other). `run` is a rig_run of no test, as
 * a command's (the plugin's options, logging, set_message), with no
 * database session. Returns RIG_OK when the test can run with them;
 * RIG_ERROR, with a message that names the option and says what to give,
 * when it cannot: the host then runs no test and exits 2, a usage error.
 * Called once per selected test, in the host process. A host older than
 * 1.5 does not call it, so a test still checks its options as it runs.
 * Thread: [main-thread]. */
typedef rig_status (*rig_check_options_fn)(void* user, rig_run* run);

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
  /* ---- ABI 1.2 ---- */
  const rig_hook_descriptor* const* hooks;
  uint32_t hook_count;
  /* ---- ABI 1.3 ---- */
  uint32_t flags; /* RIG_TEST_* bits; older hosts ignore them */
  /* ---- ABI 1.4 ---- */
  rig_judge_baseline_fn judge_baseline; /* NULL: the test records no baseline */
  void* judge_baseline_user;            /* passed back to judge_baseline */
  /* ---- ABI 1.5 ---- */
  rig_check_options_fn check_options; /* NULL: the test checks its options as it runs */
  void* check_options_user;           /* passed back to check_options */
} rig_test_descriptor;

/* A command a plugin adds to test-rig's command line, beside list,
 * describe and run (ABI 1.2): `test-rig NAME [ARGS...]` calls `run` with the
 * words after NAME, such as `test-rig check HISTORY`. With a plugin's
 * command, the plugin's options may also be given by their bare names
 * (`--model` for `--consistency.model`). `run` receives a rig_run of no
 * test: the plugin's options, logging and database sessions work as in a
 * test; set_message gives the line printed on stderr when the command does
 * not succeed. It returns the process's exit code: 0 success, 1 a property
 * did not hold, 2 a usage error, 3 infrastructure; any other value is 3.
 * Thread: [main-thread]. */
typedef int32_t (*rig_command_fn)(void* user, rig_run* run, const char* const* args,
                                  uint32_t arg_count);

typedef struct rig_command_descriptor {
  uint32_t struct_size;
  const char* name;  /* [a-z][a-z0-9-]*; not a built-in command nor another plugin's */
  const char* usage; /* the words after the name, e.g. "HISTORY" */
  const char* doc;   /* one line */
  rig_command_fn run;
  void* user; /* passed back to run */
} rig_command_descriptor;

/* The configure phase (ABI 1.2): called once, after every plugin has loaded
 * and the command line, environment and config file have been resolved for
 * every option, before any test is listed or run. `run` is a rig_run of no
 * test through which the plugin reads its options (get_option_*), logs and
 * sets a message; it opens no database session. So a plugin can decide its
 * tests from its own options (the python plugin imports the files its
 * `--python.tests` names). Returns the configured descriptor, whose tests
 * and commands replace those of the entry function's (its name, version
 * and options are ignored: they are already resolved), or NULL to keep the
 * entry function's. After set_message, NULL makes a load problem of that
 * message. What the configured descriptor points to follows convention 4.
 * State handlers bound during configure (bind_state_handler) apply as if
 * bound by the entry function. Not called in the child process where a
 * plugin is tried first. Thread: [main-thread]. */
typedef const struct rig_plugin_descriptor* (*rig_configure_fn)(void* user, rig_run* run);

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
  /* ---- ABI 1.2 ---- */
  const rig_command_descriptor* const* commands;
  uint32_t command_count;
  rig_configure_fn configure; /* NULL: the tests are final as returned */
  void* configure_user;       /* passed back to configure */
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
enum { RIG_FLAVOR_UNKNOWN = 0, RIG_FLAVOR_MYSQL = 1, RIG_FLAVOR_MARIADB = 2, RIG_FLAVOR_TIDB = 3 };

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

/* The type of a result column, for converting cell text to typed values
 * (see rig_host_api.result_column_type). Cells always travel as the
 * server's text. */
typedef int32_t rig_column_type;
enum {
  RIG_COLUMN_TEXT = 0,     /* CHAR, VARCHAR, TEXT, ENUM, SET, JSON, and unknown types */
  RIG_COLUMN_INT = 1,      /* TINYINT .. BIGINT, YEAR (signed or unsigned) */
  RIG_COLUMN_FLOAT = 2,    /* FLOAT, DOUBLE */
  RIG_COLUMN_DECIMAL = 3,  /* DECIMAL, NUMERIC: exact */
  RIG_COLUMN_BYTES = 4,    /* BINARY, VARBINARY, BLOB, BIT, GEOMETRY */
  RIG_COLUMN_DATE = 5,     /* "YYYY-MM-DD" */
  RIG_COLUMN_DATETIME = 6, /* DATETIME, TIMESTAMP: "YYYY-MM-DD hh:mm:ss[.ffffff]" */
  RIG_COLUMN_TIME = 7,     /* "[-]hhh:mm:ss[.ffffff]", a duration */
  RIG_COLUMN_NULL = 8      /* the column of a bare NULL literal */
};

/* What an error code means (see rig_host_api.classify_error). */
typedef int32_t rig_error_kind;
enum {
  RIG_ERROR_KIND_NONE = 0,
  RIG_ERROR_KIND_CONNECTION = 1,     /* lost or could not connect */
  RIG_ERROR_KIND_CONFLICT = 2,       /* deadlock, lock wait timeout, write conflict */
  RIG_ERROR_KIND_SCHEMA_CHANGED = 3, /* TiDB 8027/8028 */
  RIG_ERROR_KIND_SERVER_BUSY = 4,    /* TiDB 9001-9005 */
  RIG_ERROR_KIND_AUTHENTICATION = 5, /* access denied */
  RIG_ERROR_KIND_UNKNOWN_DATABASE = 6,
  RIG_ERROR_KIND_SYNTAX = 7,
  RIG_ERROR_KIND_CONSTRAINT = 8, /* duplicate key, NOT NULL, foreign key */
  RIG_ERROR_KIND_UNSUPPORTED = 9,
  RIG_ERROR_KIND_OTHER = 10
};

/* An error code the host itself reports through rig_db_error, outside the
 * ranges servers and Connector/C use: the server's circuit breaker is open
 * (it failed repeatedly), so the call was not sent. Kind CONNECTION,
 * transient: back off and try again. */
#define RIG_ERROR_CIRCUIT_OPEN 50001u

/* Reported by the host, as RIG_ERROR_CIRCUIT_OPEN, once the circuit has been
 * open for the run's give-up time (circuit_breaker.give_up_s): the server
 * has been unreachable that long. Kind CONNECTION, but permanent: stop
 * retrying and end the run as an error. (Hosts of 2026-12 on.) */
#define RIG_ERROR_SERVER_GIVEN_UP 50002u

/* Reported by the host once the test has been told to stop (interrupted, or
 * its state over its timeout): the call was not sent. Permanent: record
 * what was gathered and return. (Hosts of 2026-12 on.) */
#define RIG_ERROR_RUN_STOPPING 50003u

typedef int32_t rig_retry_class;
enum {
  RIG_RETRY_NONE = 0,          /* no error */
  RIG_RETRY_TRANSIENT = 1,     /* may be retried, after backoff */
  RIG_RETRY_INDETERMINATE = 2, /* outcome unknown (connection lost in COMMIT) */
  RIG_RETRY_PERMANENT = 3      /* fail fast */
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

/* A parameter of a prepared statement. Passed in arrays, so its layout is
 * fixed for ABI v1 and never grows (no struct_size). */
typedef int32_t rig_value_type;
enum {
  RIG_VALUE_NULL = 0,
  RIG_VALUE_INT = 1,    /* int_value */
  RIG_VALUE_DOUBLE = 2, /* double_value */
  RIG_VALUE_TEXT = 3    /* text, text_size bytes (borrowed for the call) */
};

typedef struct rig_value {
  rig_value_type type;
  uint32_t reserved; /* zero */
  int64_t int_value;
  double double_value;
  const char* text;
  size_t text_size;
} rig_value;

/* The connection settings of a run (see rig_host_api.run_connection_settings).
 * Strings are owned by the host and valid until the run ends. The password
 * is a secret: never log, record or print it. */
typedef struct rig_connection_settings {
  uint32_t struct_size;
  uint32_t port;      /* 0 with a unix socket */
  const char* host;   /* e.g. "127.0.0.1"; "" with a unix socket */
  const char* socket; /* "" for TCP */
  const char* user;
  const char* password; /* NULL when none was given */
  const char* database;
} rig_connection_settings;

/* The last error of a connection. Strings are owned by the host and valid
 * until the next call that uses the same connection. */
typedef struct rig_db_error {
  uint32_t struct_size;
  uint32_t code;        /* server or client error number; 0 = no error */
  const char* sqlstate; /* five characters, "00000" when no error */
  const char* message;
} rig_db_error;

/* Which share of a run split over shards a run is (ABI 1.3): see
 * rig_host_api.run_shard. Strings are owned by the host and valid until
 * the run ends. */
typedef struct rig_run_shard {
  uint32_t struct_size;
  uint32_t index;     /* 0 .. count-1 */
  uint32_t count;     /* 1 when the run is not split */
  const char* run_id; /* --run-id, the same in every shard of one run: what
                         the shards meet under (a table, a key); "" when
                         the run is not split */
} rig_run_shard;

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
   * a later call replaces it. [run-threads] */
  void (*set_message)(rig_run* run, const char* message);

  /* Records a fact about the run (e.g. "server_version") that appears in
   * the reports. The host copies key and value. [run-threads] */
  void (*record)(rig_run* run, const char* key, const char* value);

  /* Per-run key/value context shared by all handlers of the run (C++ and
   * Python alike). Values are bytes. context_get stores a pointer owned by
   * the host, valid until the key is set again or the run ends, and returns
   * RIG_OK, or RIG_ERROR if the key is absent. [run-threads] */
  void (*context_set)(rig_run* run, const char* key, const char* value, size_t value_size);
  rig_status (*context_get)(rig_run* run, const char* key, const char** value, size_t* value_size);

  /* The effective value of one of the plugin's own options. Each returns
   * RIG_ERROR (and sets no value) for an unknown name or a type mismatch.
   * get_option_string serves STRING and ENUM; strings are owned by the host
   * and valid until the run ends. get_option_list stores the item count and
   * an array of items, valid until the run ends. [run-threads] */
  rig_status (*get_option_bool)(rig_run* run, const char* name, int32_t* value);
  rig_status (*get_option_int)(rig_run* run, const char* name, int64_t* value);
  rig_status (*get_option_float)(rig_run* run, const char* name, double* value);
  rig_status (*get_option_string)(rig_run* run, const char* name, const char** value);
  rig_status (*get_option_list)(rig_run* run, const char* name, const char* const** items,
                                uint32_t* count);

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
   * RIG_ERROR; details through db_error. [per-handle] */
  rig_status (*db_execute)(rig_conn* conn, const char* sql, size_t sql_size, rig_result** result);

  /* Rows changed by the last statement, its AUTO_INCREMENT id, and the
   * server's id for this session (CONNECTION_ID()). [per-handle] */
  uint64_t (*db_affected_rows)(rig_conn* conn);
  uint64_t (*db_last_insert_id)(rig_conn* conn);
  uint64_t (*db_connection_id)(rig_conn* conn);

  /* The last error of `conn`, see rig_db_error. [per-handle] */
  void (*db_error)(rig_conn* conn, rig_db_error* error);

  /* The server behind `conn`. [per-handle] */
  void (*db_server_info)(rig_conn* conn, rig_server_info* info);

  /* Result sets. Column names are owned by the result. result_next_row
   * advances to the next row and returns 1, or returns 0 at the end.
   * result_cell stores a pointer to the cell's bytes in the current row (valid
   * until the next result_next_row or result_free) and returns 1 if the cell
   * is SQL NULL, 0 otherwise. [per-handle] */
  uint32_t (*result_column_count)(rig_result* result);
  const char* (*result_column_name)(rig_result* result, uint32_t column);
  uint64_t (*result_row_count)(rig_result* result);
  int32_t (*result_next_row)(rig_result* result);
  int32_t (*result_cell)(rig_result* result, uint32_t column, const char** data, size_t* size);
  void (*result_free)(rig_result* result);

  /* The names of the test and plugin of `run`, owned by the host and valid
   * until the run ends. [run-threads] */
  const char* (*run_test_name)(rig_run* run);
  const char* (*run_plugin_name)(rig_run* run);

  /* Reports one case of a parametrised test (e.g. one cell of a matrix) with
   * its own status and message; cases appear as separate JUnit test cases
   * and in the JSON report under the test. They do not change the test's
   * own status: the handler decides that. The host copies the strings.
   * [run-threads] */
  void (*add_case)(rig_run* run, const char* name, rig_status status, const char* message,
                   double duration_s);

  /* Like `record`, but `json` is a JSON document embedded as structured data
   * in the JSON report (stored as a string if it does not parse).
   * [run-threads] */
  void (*record_json)(rig_run* run, const char* key, const char* json);

  /* Appends text printed under the test's line in the human summary (e.g. a
   * result matrix). [run-threads] */
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
   * reports. [per-handle] */
  rig_status (*db_reconnect)(rig_conn* conn);

  /* Counts one retry of an operation in the run's report. [thread-safe] */
  void (*count_retry)(rig_run* run);

  /* ---- Added in ABI 1.1 ---- */

  /* The type of a result column (see rig_column_type). [per-handle] */
  rig_column_type (*result_column_type)(rig_result* result, uint32_t column);

  /* A list-valued host setting: "run.plugin_load_timeout" (seconds, one
   * item: how long loading may take) and, in a test's process,
   * "run.crash_fd" (one item: a file descriptor where a crash handler may
   * write). Stores the item count and an array of items, owned by the host
   * and valid until the process exits; returns RIG_ERROR for an unknown or
   * unset key. (Until ABI 1.2 the Python test paths came this way; a
   * plugin's own options now reach it in its configure phase.)
   * [main-thread] */
  rig_status (*get_host_list)(const char* key, const char* const** items, uint32_t* count);

  /* The settings the run's connections use. [run-threads] */
  void (*run_connection_settings)(rig_run* run, rig_connection_settings* out);

  /* Replaces the handlers of state `state` of test `plugin`/`test` -- a test
   * of any plugin -- or fills its hook of that name (ABI 1.2 hosts), with
   * those of `handler` (its enter, execute, exit, user
   * and timeout_ms; id, doc and flags are ignored), e.g. to run a Python
   * handler in a C++ test. Applied once every plugin has loaded; a binding
   * whose test or state does not exist is reported as a load problem of the
   * binding plugin (`origin` names where the binding was made, e.g. a
   * file). `handler` is copied; what its `user` points to must stay
   * valid until the process exits. [main-thread] */
  void (*bind_state_handler)(const char* plugin, const char* test, const char* state,
                             const rig_state_descriptor* handler, const char* origin);

  /* Prepares `sql` (with `?` placeholders) on `conn` for the binary
   * protocol. *stmt is owned by the caller and freed with stmt_free, before
   * or after the run ends. Returns RIG_OK, or RIG_ERROR with the reason in
   * db_error(conn). After db_reconnect the statement belongs to a closed
   * session: executing it fails with 2006, so prepare it again.
   * [per-handle] */
  rig_status (*db_prepare)(rig_conn* conn, const char* sql, size_t sql_size, rig_stmt** stmt);

  /* Executes a prepared statement with `count` parameters. With `result`
   * NULL any rows are read and discarded; otherwise *result receives them
   * (NULL for statements without rows), to free with result_free. Cells
   * are the text form of the values, as with db_execute. Affected rows go
   * to db_affected_rows of the statement's connection. Returns RIG_OK or
   * RIG_ERROR (details through db_error). [per-handle] */
  rig_status (*stmt_execute)(rig_stmt* stmt, const rig_value* params, uint32_t count,
                             rig_result** result);

  /* Frees a prepared statement. NULL is allowed. [per-handle] */
  void (*stmt_free)(rig_stmt* stmt);

  /* Fills *out with state `state` of the run's own test: its id, doc and
   * flags (strings valid for the run) and the handlers the host runs for it
   * -- the plugin's own, or those another plugin bound with
   * bind_state_handler -- so that a plugin can call a state's handlers
   * itself. On ABI 1.2 hosts `state` may also name a hook: its handlers are
   * those bound to it, all NULL while none is. Returns RIG_ERROR for an
   * unknown name. The plugin may call the handlers it gets from any thread
   * it started for the run. [run-thread] */
  rig_status (*run_state_handlers)(rig_run* run, const char* state, rig_state_descriptor* out);

  /* ---- ABI 1.2 ---- */

  /* Says that the current state will run about `seconds` from now, as its
   * options ask (a load's --load.time and warm-up, a soak's duration). Its
   * timeout becomes `seconds` plus the timeout it had, counted from now,
   * so that --state-timeout bounds what the state does beyond its asked-for
   * work instead of cutting that work short. Values <= 0 are ignored.
   * [run-thread] */
  void (*run_expect_state_duration)(rig_run* run, double seconds);

  /* The servers the run's sessions go to: the --host list's length (1 for
   * one server). [thread-safe] */
  uint32_t (*run_server_count)(rig_run* run);

  /* Like db_connect, but a new session opens on server `server` (0-based,
   * taken modulo run_server_count) instead of the next in turn: for tests
   * whose sessions must share one node (row locks) or sit on different
   * nodes (conflicts between nodes). A session already open is returned as
   * it is. A reconnect after a lost connection may still fail over to
   * another server. [thread-safe] */
  rig_status (*db_connect_to)(rig_run* run, const char* name, uint32_t server, rig_conn** conn);

  /* The file of the plugin whose entry function is running, as the host
   * loaded it (e.g. /opt/test-rig/lib/test-rig/plugins/isolation.so), so
   * that a plugin finds the data installed beside it without asking the
   * dynamic linker. NULL outside an entry function and for a plugin linked
   * into test-rig. Valid until the entry function returns. [main-thread] */
  const char* (*entry_plugin_path)(void);

  /* The type (RIG_OPTION_*) of option `name` of the run's plugin, or -1 when
   * the plugin declares none of that name: for a binding that reads an
   * option without knowing its type (Python's ctx.option(name)), then
   * calls the one get_option_* of that type. [run-threads] */
  int32_t (*get_option_type)(rig_run* run, const char* name);

  /* ---- ABI 1.3 ---- */

  /* Fills *out with the run's shard: index 0 of count 1 unless the run was
   * started with --shard I/N. A test flagged RIG_TEST_DIVIDES_ITS_WORK runs
   * in all N shards and does share `index` of its work. [run-threads] */
  void (*run_shard)(rig_run* run, rig_run_shard* out);
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
typedef const rig_plugin_descriptor* (*rig_plugin_entry_fn)(const rig_host_api* host,
                                                            rig_entry_error* error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TEST_RIG_PLUGIN_API_H_ */
