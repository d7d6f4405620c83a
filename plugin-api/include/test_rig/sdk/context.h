// test_rig/sdk/context.h -- what a handler sees of its run.
//
//   void execute(Context& ctx) {
//     int64_t rows = ctx.option_int("rows");     // the plugin's own option
//     ctx.set_custom_data("table", "t_1");        // shared with later states
//     Connection db = ctx.connection();           // "main" session
//     Connection other = ctx.connection("b");     // a second session
//     ctx.info("loaded " + std::to_string(rows) + " rows");
//     ctx.record("rows_loaded", std::to_string(rows));  // appears in reports
//   }
//
// A Context is valid only during the handler call it was given to.
// Thread safety: [run-thread]; connections obtained from it may be handed to
// threads the handler starts and joins.
#ifndef TEST_RIG_SDK_CONTEXT_H_
#define TEST_RIG_SDK_CONTEXT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "test_rig/plugin_api.h"
#include "test_rig/sdk/connection.h"
#include "test_rig/sdk/errors.h"
#include "test_rig/sdk/host.h"

namespace test_rig {

class Context {
 public:
  explicit Context(rig_run* run) : run_(run) {}

  std::string test_name() const { return host().run_test_name(run_); }
  std::string plugin_name() const { return host().run_plugin_name(run_); }

  // ---- Custom data, shared by all handlers of the run (also Python ones).
  void set_custom_data(const std::string& key, std::string_view value) {
    host().context_set(run_, key.c_str(), value.data(), value.size());
  }
  std::optional<std::string> get_custom_data(const std::string& key) const {
    const char* data = nullptr;
    std::size_t size = 0;
    if (host().context_get(run_, key.c_str(), &data, &size) != RIG_OK) {
      return std::nullopt;
    }
    return std::string(data, size);
  }

  // ---- The plugin's options (throw std::runtime_error on a wrong name/type).
  bool option_bool(const std::string& name) const {
    int32_t value = 0;
    check_option(host().get_option_bool(run_, name.c_str(), &value), name);
    return value != 0;
  }
  int64_t option_int(const std::string& name) const {
    int64_t value = 0;
    check_option(host().get_option_int(run_, name.c_str(), &value), name);
    return value;
  }
  double option_float(const std::string& name) const {
    double value = 0;
    check_option(host().get_option_float(run_, name.c_str(), &value), name);
    return value;
  }
  std::string option_string(const std::string& name) const {
    const char* value = nullptr;
    check_option(host().get_option_string(run_, name.c_str(), &value), name);
    return value;
  }
  std::vector<std::string> option_list(const std::string& name) const {
    const char* const* items = nullptr;
    uint32_t count = 0;
    check_option(host().get_option_list(run_, name.c_str(), &items, &count), name);
    return std::vector<std::string>(items, items + count);
  }
  // The type (RIG_OPTION_*) of the plugin's option `name`, or nullopt when
  // it declares none (ABI 1.2; HostTooOld on an older host).
  std::optional<rig_option_type> option_type(const std::string& name) const {
    internal::require_host(offsetof(rig_host_api, get_option_type), "Context::option_type", 2);
    const int32_t type = host().get_option_type(run_, name.c_str());
    if (type < 0) return std::nullopt;
    return type;
  }

  // ---- Database sessions of this run, opened on first use.
  Connection connection(const std::string& name = "main") {
    rig_conn* conn = nullptr;
    rig_status status = host().db_connect(run_, name.c_str(), &conn);
    if (status != RIG_OK) throw ConnectError(status);
    return Connection(conn);
  }
  // The session `name`, opened on server `server` (0-based, modulo
  // server_count()) of the --host list when it is new: sessions that must
  // share a node, or sit on different ones. ABI 1.2 (HostTooOld before).
  Connection connection_to(const std::string& name, uint32_t server) {
    internal::require_host(offsetof(rig_host_api, db_connect_to), "ctx.connection_to", 2);
    rig_conn* conn = nullptr;
    rig_status status = host().db_connect_to(run_, name.c_str(), server, &conn);
    if (status != RIG_OK) throw ConnectError(status);
    return Connection(conn);
  }
  // How many servers the sessions go to (the --host list's length). ABI
  // 1.2 (HostTooOld before).
  uint32_t server_count() const {
    internal::require_host(offsetof(rig_host_api, run_server_count), "ctx.server_count", 2);
    return host().run_server_count(run_);
  }

  // The run's share of a run split over shards (ABI 1.3): {0, 1, ""} when
  // it is not split, and on an older host, which runs every test whole.
  struct Shard {
    uint32_t index = 0;
    uint32_t count = 1;
    std::string run_id;  // what the shards of one run share; "" unsplit
  };
  Shard shard() const {
    if (!host_has(host(), offsetof(rig_host_api, run_shard))) return {};
    rig_run_shard out{};
    out.struct_size = sizeof(out);
    host().run_shard(run_, &out);
    return {out.index, out.count, out.run_id ? out.run_id : ""};
  }

  // ---- Logging and reporting.
  void log(rig_log_level level, const std::string& message) const {
    host().log(run_, level, message.c_str());
  }
  void debug(const std::string& message) const { log(RIG_LOG_DEBUG, message); }
  void info(const std::string& message) const { log(RIG_LOG_INFO, message); }
  void warn(const std::string& message) const { log(RIG_LOG_WARN, message); }

  // The current state will run about `seconds` from now (a load's asked-for
  // time): its timeout grows by as much. A host older than ABI 1.2 keeps
  // the timeout as it was.
  void expect_state_duration(double seconds) {
    const rig_host_api& host = test_rig::host();
    if (host_has(host, offsetof(rig_host_api, run_expect_state_duration))) {
      host.run_expect_state_duration(run_, seconds);
    }
  }

  // Adds a fact to the run's entry in the reports.
  void record(const std::string& key, const std::string& value) {
    host().record(run_, key.c_str(), value.c_str());
  }

  // Structured data for the JSON report; `json` must be a JSON document.
  void record_json(const std::string& key, const std::string& json) {
    host().record_json(run_, key.c_str(), json.c_str());
  }

  // One case of a parametrised test: its own JUnit test case and JSON entry.
  void add_case(const std::string& name, rig_status status, const std::string& message,
                double duration_s) {
    host().add_case(run_, name.c_str(), status, message.c_str(), duration_s);
  }

  // Text printed under the test's line in the human summary.
  void add_summary_text(const std::string& text) { host().add_summary_text(run_, text.c_str()); }

  rig_run* handle() const { return run_; }

  // The handlers bound to hook `name` of the run's test (ABI 1.2), or
  // nullopt while none is bound (and on an older host, which has no
  // hooks). The test may call them on the threads it starts for the run.
  std::optional<rig_state_descriptor> bound_hook(const std::string& name) const {
    // Hooks came with ABI 1.2, whose first function marks such a host.
    if (!host_has(host(), offsetof(rig_host_api, run_expect_state_duration))) return std::nullopt;
    rig_state_descriptor handlers{};
    handlers.struct_size = sizeof(handlers);
    if (host().run_state_handlers(run_, name.c_str(), &handlers) != RIG_OK) {
      throw std::runtime_error("test " + test_name() + " declares no hook '" + name + "'");
    }
    if (handlers.execute == nullptr) return std::nullopt;
    return handlers;
  }

  // The settings the run's connections use (ABI 1.1), for a client of the
  // plugin's own (a Python driver). Strings are the host's, valid until the
  // run ends; the password is a secret. Throws HostTooOld on an older host.
  rig_connection_settings connection_settings() const {
    internal::require_host(offsetof(rig_host_api, run_connection_settings),
                           "Context::connection_settings", 1);
    rig_connection_settings settings{};
    settings.struct_size = sizeof(settings);
    host().run_connection_settings(run_, &settings);
    return settings;
  }

  // Thrown when the host could not connect. The host has already set the
  // run's message (e.g. "authentication failed for rig@127.0.0.1:3306") and
  // chosen the status (RIG_FAILED when only the database is missing), so the
  // trampoline keeps both.
  class ConnectError : public ReportedError {
   public:
    explicit ConnectError(rig_status status) : ReportedError(status) {}
    const char* what() const noexcept override { return "could not connect"; }
  };

 private:
  static void check_option(rig_status status, const std::string& name) {
    if (status != RIG_OK) {
      throw std::runtime_error("option '" + name +
                               "' is not declared by this plugin with that type");
    }
  }

  rig_run* run_;
};

}  // namespace test_rig

#endif  // TEST_RIG_SDK_CONTEXT_H_
