// core/plugin/run_context.h -- the host-side state behind the opaque
// rig_run, rig_conn and rig_result handles of the plugin ABI.
//
// A rig_run lives for exactly one run of one test (or one command, or one
// plugin's configure phase): it owns the run's connections, custom data,
// recorded facts and the message of the last handler. Thread safety: the
// [run-threads] services take `mutex`; a rig_conn is used by one thread at
// a time (plugin_api.h, convention 8).
#ifndef TEST_RIG_CORE_PLUGIN_RUN_CONTEXT_H_
#define TEST_RIG_CORE_PLUGIN_RUN_CONTEXT_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <mysql.h>
#include <nlohmann/json.hpp>

#include "core/config/configuration.h"
#include "core/db/prepared_statement.h"
#include "core/db/session.h"
#include "core/engine/state_machine.h"
#include "core/errors/circuit_breaker.h"
#include "core/plugin/case_result.h"

namespace rig {
// The last database operation of a run that failed, for error context.
struct FailedOperation {
  std::string operation;   // "connect" or "execute"
  std::string connection;  // the session's name
  uint64_t connection_id = 0;
  std::string sql;  // truncated
  uint32_t code = 0;
  std::string message;
  // Failed calls in a row on this session, this one included: 1 for a
  // first failure, counting up while reconnects to a server that is down
  // keep failing.
  uint32_t attempt = 1;
};
}  // namespace rig

struct rig_conn {
  rig_run* run = nullptr;
  std::string name;
  std::unique_ptr<rig::Session> session;
  // An error the host reported instead of the session's own (the circuit
  // was open, or a reconnect failed); cleared by the next call.
  std::optional<rig::SessionError> host_error;
  std::string version;  // kept for rig_server_info's borrowed strings
  std::string raw_version;
  // Counts reconnects: a prepared statement of an earlier session is stale.
  uint64_t generation = 0;
  std::size_t server = 0;          // index into the run's servers and breakers
  uint32_t failures_in_a_row = 0;  // reset by a call that works
  // A reconnect failed: the session is dead, and is reopened before the
  // next call instead of sending on it.
  bool reopen_first = false;
};

struct rig_stmt {
  rig_conn* conn = nullptr;
  uint64_t generation = 0;
  std::unique_ptr<rig::PreparedStatement> statement;
};

// A result set: Connector/C's (from db_execute) or rows read in full from a
// prepared statement (`rows` null, `stored` set).
struct rig_result {
  MYSQL_RES* rows = nullptr;
  MYSQL_ROW row = nullptr;
  unsigned long* lengths = nullptr;
  std::vector<std::string> column_names;
  std::vector<rig_column_type> column_types;
  rig::StatementRows stored;
  std::size_t next_stored = 0;  // the current stored row is next_stored - 1
};

struct rig_run {
  std::string plugin;
  std::string test;
  const rig::TestMachine* machine = nullptr;  // the test being run
  rig::ConnectParams connect;
  rig_retry_policy retry_policy{};
  // When the run began: its give-up time (circuit_breaker.give_up_s) counts
  // from here at the earliest.
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<int64_t> retries{0};
  std::atomic<int64_t> reconnects{0};
  // Each server's breaker (as connect.servers), and how many of its events
  // predate this run; the server the next new session goes to.
  std::vector<std::shared_ptr<rig::CircuitBreaker>> breakers;
  std::vector<std::size_t> breaker_events_before;
  std::atomic<std::size_t> next_server{0};
  // The run's shard (--shard I/N, --run-id), as run_shard gives it.
  uint32_t shard_index = 0;
  uint32_t shard_count = 1;
  std::string run_id;
  // The plugin's resolved options, by option name.
  std::map<std::string, const rig::ResolvedOption*> options;

  // Guards every member below it while the run's handlers run: the
  // [run-threads] and [thread-safe] host functions may be called from the
  // plugin's own threads at once. The host reads them after the handler
  // returned (its threads joined) without it.
  std::mutex mutex;
  std::string message;  // set by the last handler through set_message
  std::map<std::string, std::string> custom_data;
  std::vector<std::pair<std::string, std::string>> records;
  std::vector<rig::CaseResult> cases;
  nlohmann::json details = nlohmann::json::object();  // from record_json
  std::string summary_text;
  // Storage for get_option_list's borrowed arrays, built once per option.
  std::map<std::string, std::vector<const char*>> list_views;
  std::map<std::string, std::unique_ptr<rig_conn>> connections;
  std::optional<rig::ServerVersion> server;  // from the first connection
  std::optional<rig::FailedOperation> last_failure;
  std::map<uint32_t, int64_t> error_counts;  // failed database calls by code
  // Gives the current state `extra` more time (run_expect_state_duration);
  // set by whoever watches the state's timeout.
  std::function<void(std::chrono::milliseconds extra)> extend_state;
};

namespace rig {

// Builds a run's context from the effective configuration: of a test, or
// (`test` null) of a plugin command called `name`.
std::unique_ptr<rig_run> make_run_context(const std::string& plugin, const std::string& name,
                                          const TestMachine* test, const ConnectParams& connect,
                                          const Configuration& config);

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_RUN_CONTEXT_H_
