#include "core/plugin/host_api.h"

#include <errmsg.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <optional>
#include <utility>

#include "core/db/column_type.h"
#include "core/errors/error_class.h"
#include "core/plugin/abi_struct.h"
#include "core/plugin/host_settings.h"
#include "core/plugin/run_context.h"
#include "core/plugin/run_sessions.h"

namespace rig {
namespace {

// Every entry point below is called from C: none may let an exception out.
template <typename Body>
auto no_throw(Body&& body, decltype(body()) on_error) noexcept -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    spdlog::error("host service failed: {}", e.what());
  } catch (...) {
    spdlog::error("host service failed");
  }
  return on_error;
}

spdlog::level::level_enum to_spdlog(rig_log_level level) {
  switch (level) {
    case RIG_LOG_TRACE: return spdlog::level::trace;
    case RIG_LOG_DEBUG: return spdlog::level::debug;
    case RIG_LOG_INFO: return spdlog::level::info;
    case RIG_LOG_WARN: return spdlog::level::warn;
    default: return spdlog::level::err;
  }
}

void log(rig_run* run, rig_log_level level, const char* message) {
  no_throw(
      [&] {
        if (run) {
          spdlog::log(to_spdlog(level), "[{}/{}] {}", run->plugin, run->test, message);
        } else {
          spdlog::log(to_spdlog(level), "{}", message);
        }
        return 0;
      },
      0);
}

void set_message(rig_run* run, const char* message) {
  no_throw(
      [&] {
        std::lock_guard lock(run->mutex);
        return (run->message = message ? message : "", 0);
      },
      0);
}

void record(rig_run* run, const char* key, const char* value) {
  no_throw(
      [&] {
        std::lock_guard lock(run->mutex);
        for (auto& [existing, old_value] : run->records) {
          if (existing == key) return (old_value = value, 0);
        }
        run->records.emplace_back(key, value);
        return 0;
      },
      0);
}

void context_set(rig_run* run, const char* key, const char* value, size_t size) {
  no_throw(
      [&] {
        std::lock_guard lock(run->mutex);
        return (run->custom_data[key] = std::string(value, size), 0);
      },
      0);
}

rig_status context_get(rig_run* run, const char* key, const char** value, size_t* size) {
  return no_throw(
      [&]() -> rig_status {
        std::lock_guard lock(run->mutex);
        auto it = run->custom_data.find(key);
        if (it == run->custom_data.end()) return RIG_ERROR;
        *value = it->second.data();
        *size = it->second.size();
        return RIG_OK;
      },
      RIG_ERROR);
}

// The option `name` of the run's plugin if it holds a T.
template <typename T>
const T* option_value(rig_run* run, const char* name) {
  auto it = run->options.find(name);
  if (it == run->options.end() || !it->second->value) return nullptr;
  return std::get_if<T>(&*it->second->value);
}

int32_t get_option_type(rig_run* run, const char* name) {
  auto it = run->options.find(name ? name : "");
  if (it == run->options.end()) return -1;
  switch (it->second->spec.type) {
    case OptionType::kBool: return RIG_OPTION_BOOL;
    case OptionType::kInt: return RIG_OPTION_INT;
    case OptionType::kFloat: return RIG_OPTION_FLOAT;
    case OptionType::kString: return RIG_OPTION_STRING;
    case OptionType::kEnum: return RIG_OPTION_ENUM;
    case OptionType::kList: return RIG_OPTION_LIST;
  }
  return -1;
}

rig_status get_option_bool(rig_run* run, const char* name, int32_t* value) {
  const bool* found = option_value<bool>(run, name);
  if (found == nullptr) return RIG_ERROR;
  *value = *found ? 1 : 0;
  return RIG_OK;
}

rig_status get_option_int(rig_run* run, const char* name, int64_t* value) {
  const int64_t* found = option_value<int64_t>(run, name);
  if (found == nullptr) return RIG_ERROR;
  *value = *found;
  return RIG_OK;
}

rig_status get_option_float(rig_run* run, const char* name, double* value) {
  const double* found = option_value<double>(run, name);
  if (found == nullptr) return RIG_ERROR;
  *value = *found;
  return RIG_OK;
}

rig_status get_option_string(rig_run* run, const char* name, const char** value) {
  const std::string* found = option_value<std::string>(run, name);
  if (found == nullptr) return RIG_ERROR;
  *value = found->c_str();
  return RIG_OK;
}

rig_status get_option_list(rig_run* run, const char* name, const char* const** items,
                           uint32_t* count) {
  return no_throw(
      [&]() -> rig_status {
        const auto* found = option_value<std::vector<std::string>>(run, name);
        if (found == nullptr) return RIG_ERROR;
        std::lock_guard lock(run->mutex);
        // Built once: the options do not change during the run, and an
        // array handed out before stays valid.
        auto [it, built] = run->list_views.try_emplace(name);
        std::vector<const char*>& view = it->second;
        if (built) {
          for (const auto& item : *found) view.push_back(item.c_str());
        }
        *items = view.data();
        *count = static_cast<uint32_t>(view.size());
        return RIG_OK;
      },
      RIG_ERROR);
}

rig_status db_connect(rig_run* run, const char* name, rig_conn** conn) {
  return no_throw([&] { return connect_session(run, name ? name : "main", std::nullopt, conn); },
                  RIG_ERROR);
}

rig_status db_connect_to(rig_run* run, const char* name, uint32_t server, rig_conn** conn) {
  return no_throw([&] { return connect_session(run, name ? name : "main", server, conn); },
                  RIG_ERROR);
}

const char* entry_plugin_path() {
  const std::string& path = entry_plugin_file();
  return path.empty() ? nullptr : path.c_str();
}

uint32_t run_server_count(rig_run* run) { return static_cast<uint32_t>(run->breakers.size()); }

void run_shard(rig_run* run, rig_run_shard* out) {
  rig_run_shard shard{};
  shard.index = run->shard_index;
  shard.count = run->shard_count;
  shard.run_id = run->run_id.c_str();
  write_struct(out, shard);
}

rig_status db_execute(rig_conn* conn, const char* sql, size_t size, rig_result** result) {
  return no_throw(
      [&]() -> rig_status {
        ensure_client_thread();
        const std::string_view statement(sql, size);
        MYSQL_RES* rows = nullptr;
        const bool ok = call_session(conn, "execute", statement, [&]() -> CallOutcome {
          if (conn->session->execute(statement, result ? &rows : nullptr)) return {};
          return {conn->session->error()};
        });
        if (!ok) return RIG_ERROR;
        if (result == nullptr) return RIG_OK;
        *result = nullptr;
        if (rows == nullptr) return RIG_OK;
        auto wrapped = std::make_unique<rig_result>();
        wrapped->rows = rows;
        MYSQL_FIELD* fields = mysql_fetch_fields(rows);
        for (unsigned i = 0; i < mysql_num_fields(rows); ++i) {
          wrapped->column_names.emplace_back(fields[i].name);
          wrapped->column_types.push_back(column_type(fields[i]));
        }
        *result = wrapped.release();
        return RIG_OK;
      },
      RIG_ERROR);
}

uint64_t db_affected_rows(rig_conn* conn) { return conn->session->affected_rows(); }
uint64_t db_last_insert_id(rig_conn* conn) { return conn->session->last_insert_id(); }
uint64_t db_connection_id(rig_conn* conn) { return conn->session->connection_id(); }

void db_error(rig_conn* conn, rig_db_error* error) {
  const SessionError& last = conn->host_error ? *conn->host_error : conn->session->error();
  rig_db_error value{};
  value.code = last.code;
  value.sqlstate = last.sqlstate.c_str();
  value.message = last.message.c_str();
  write_struct(error, value);
}

void db_server_info(rig_conn* conn, rig_server_info* info) {
  const ServerVersion& server = conn->session->server();
  rig_server_info value{};
  value.flavor = server.flavor;
  value.version = conn->version.c_str();
  value.raw_version = conn->raw_version.c_str();
  value.major = server.major;
  value.minor = server.minor;
  value.patch = server.patch;
  write_struct(info, value);
}

uint32_t result_column_count(rig_result* result) {
  return static_cast<uint32_t>(result->column_names.size());
}

const char* result_column_name(rig_result* result, uint32_t column) {
  if (column >= result->column_names.size()) return "";
  return result->column_names[column].c_str();
}

rig_column_type result_column_type(rig_result* result, uint32_t column) {
  return column < result->column_types.size() ? result->column_types[column] : RIG_COLUMN_TEXT;
}

rig_status get_host_list(const char* key, const char* const** items, uint32_t* count) {
  const std::vector<const char*>* list = host_list(key ? key : "");
  if (list == nullptr) return RIG_ERROR;
  *items = list->data();
  *count = static_cast<uint32_t>(list->size());
  return RIG_OK;
}

void run_connection_settings(rig_run* run, rig_connection_settings* out) {
  const ConnectParams& params = run->connect;
  rig_connection_settings value{};
  value.host = params.socket.empty() ? params.endpoint.host.c_str() : "";
  value.port = params.socket.empty() ? params.endpoint.port : 0;
  value.socket = params.socket.c_str();
  value.user = params.user.c_str();
  value.password = params.password ? params.password->c_str() : nullptr;
  value.database = params.database.c_str();
  write_struct(out, value);
}

rig_status db_prepare(rig_conn* conn, const char* sql, size_t size, rig_stmt** stmt) {
  return no_throw(
      [&]() -> rig_status {
        ensure_client_thread();
        const std::string_view statement(sql, size);
        std::unique_ptr<PreparedStatement> prepared;
        const bool ok = call_session(conn, "prepare", statement, [&]() -> CallOutcome {
          SessionError error;
          prepared = PreparedStatement::prepare(*conn->session, statement, &error);
          if (prepared) return {};
          return {error};
        });
        if (!ok) return RIG_ERROR;
        *stmt = new rig_stmt{conn, conn->generation, std::move(prepared)};
        return RIG_OK;
      },
      RIG_ERROR);
}

rig_status stmt_execute(rig_stmt* stmt, const rig_value* params, uint32_t count,
                        rig_result** result) {
  return no_throw(
      [&]() -> rig_status {
        rig_conn* conn = stmt->conn;
        std::unique_ptr<rig_result> rows;
        if (result) rows = std::make_unique<rig_result>();
        const bool ok = call_session(conn, "execute prepared", "", [&]() -> CallOutcome {
          if (stmt->generation != conn->generation) {
            return {SessionError{CR_SERVER_GONE_ERROR, "HY000",
                                 "the statement was prepared on a session that has since "
                                 "reconnected; prepare it again"},
                    /*sent=*/false};
          }
          if (stmt->statement->execute(params, count, rows ? &rows->stored : nullptr)) return {};
          return {stmt->statement->error()};
        });
        if (!ok) return RIG_ERROR;
        if (result) {
          *result = nullptr;
          if (!rows->stored.column_names.empty()) {
            rows->column_names = rows->stored.column_names;
            rows->column_types = rows->stored.column_types;
            *result = rows.release();
          }
        }
        return RIG_OK;
      },
      RIG_ERROR);
}

void stmt_free(rig_stmt* stmt) { delete stmt; }

rig_status run_state_handlers(rig_run* run, const char* state, rig_state_descriptor* out) {
  const StateDefinition* found =
      run->machine ? run->machine->find_state_or_hook(state ? state : "") : nullptr;
  if (found == nullptr || out == nullptr) return RIG_ERROR;
  rig_state_descriptor value{};
  value.id = found->id.c_str();
  value.doc = found->doc.c_str();
  if (found->initial) value.flags |= RIG_STATE_INITIAL;
  if (found->terminal) value.flags |= RIG_STATE_TERMINAL;
  value.enter = found->enter;
  value.execute = found->execute;
  value.exit = found->exit;
  value.user = found->user;
  value.timeout_ms = found->timeout_ms;
  write_struct(out, value);
  return RIG_OK;
}

void bind_state_handler(const char* plugin, const char* test, const char* state,
                        const rig_state_descriptor* handler, const char* origin) {
  no_throw(
      [&] {
        StateBinding binding{plugin ? plugin : "", test ? test : "", state ? state : ""};
        binding.origin = origin ? origin : "";
        try {
          const rig_state_descriptor d = read_struct(handler, "the handler's state descriptor");
          binding.enter = d.enter;
          binding.execute = d.execute;
          binding.exit = d.exit;
          binding.user = d.user;
          binding.timeout_ms = d.timeout_ms;
        } catch (const BadStruct& e) {
          binding.problem = e.what();
        }
        add_state_binding(std::move(binding));
        return 0;
      },
      0);
}

uint64_t result_row_count(rig_result* result) {
  return result->rows ? mysql_num_rows(result->rows) : result->stored.rows.size();
}

int32_t result_next_row(rig_result* result) {
  if (result->rows == nullptr) {
    if (result->next_stored >= result->stored.rows.size()) return 0;
    ++result->next_stored;
    return 1;
  }
  result->row = mysql_fetch_row(result->rows);
  result->lengths = result->row ? mysql_fetch_lengths(result->rows) : nullptr;
  return result->row ? 1 : 0;
}

int32_t result_cell(rig_result* result, uint32_t column, const char** data, size_t* size) {
  if (result->rows == nullptr) {
    const auto& rows = result->stored.rows;
    const std::size_t current = result->next_stored - 1;
    if (result->next_stored == 0 || current >= rows.size() || column >= rows[current].size() ||
        !rows[current][column]) {
      *data = nullptr;
      *size = 0;
      return 1;
    }
    *data = rows[current][column]->data();
    *size = rows[current][column]->size();
    return 0;
  }
  if (result->row == nullptr || column >= result->column_names.size() ||
      result->row[column] == nullptr) {
    *data = nullptr;
    *size = 0;
    return 1;
  }
  *data = result->row[column];
  *size = result->lengths[column];
  return 0;
}

void result_free(rig_result* result) {
  if (result == nullptr) return;
  if (result->rows) mysql_free_result(result->rows);
  delete result;
}

void add_case(rig_run* run, const char* name, rig_status status, const char* message,
              double duration_s) {
  no_throw(
      [&] {
        std::lock_guard lock(run->mutex);
        run->cases.push_back({name, status_of(status), message ? message : "", duration_s});
        return 0;
      },
      0);
}

void record_json(rig_run* run, const char* key, const char* json) {
  no_throw(
      [&] {
        auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
        std::lock_guard lock(run->mutex);
        run->details[key] = parsed.is_discarded() ? nlohmann::json(json) : std::move(parsed);
        return 0;
      },
      0);
}

void add_summary_text(rig_run* run, const char* text) {
  no_throw(
      [&] {
        std::lock_guard lock(run->mutex);
        return (run->summary_text += text, 0);
      },
      0);
}

void classify_error(uint32_t code, int32_t during_commit, rig_error_class* out) {
  ErrorClass c = rig::classify_error(code, during_commit != 0);
  rig_error_class value{};
  value.kind = c.kind;
  value.retry = c.retry;
  value.description = c.description;
  write_struct(out, value);
}

void retry_policy(rig_run* run, rig_retry_policy* out) { write_struct(out, run->retry_policy); }

rig_status db_reconnect(rig_conn* conn) {
  return no_throw([&] { return reopen_session(conn); }, RIG_ERROR);
}

void count_retry(rig_run* run) { ++run->retries; }

void run_expect_state_duration(rig_run* run, double seconds) {
  if (!(seconds > 0) || !run->extend_state) return;
  run->extend_state(std::chrono::milliseconds(static_cast<int64_t>(std::min(seconds, 1e9) * 1000)));
}

const char* run_test_name(rig_run* run) { return run->test.c_str(); }
const char* run_plugin_name(rig_run* run) { return run->plugin.c_str(); }

rig_host_api make_table() {
  rig_host_api api{};
  api.struct_size = sizeof(rig_host_api);
  api.abi_major = RIG_ABI_VERSION_MAJOR;
  api.abi_minor = RIG_ABI_VERSION_MINOR;
  api.log = &log;
  api.set_message = &set_message;
  api.record = &record;
  api.context_set = &context_set;
  api.context_get = &context_get;
  api.get_option_bool = &get_option_bool;
  api.get_option_int = &get_option_int;
  api.get_option_float = &get_option_float;
  api.get_option_string = &get_option_string;
  api.get_option_list = &get_option_list;
  api.db_connect = &db_connect;
  api.db_execute = &db_execute;
  api.db_affected_rows = &db_affected_rows;
  api.db_last_insert_id = &db_last_insert_id;
  api.db_connection_id = &db_connection_id;
  api.db_error = &db_error;
  api.db_server_info = &db_server_info;
  api.result_column_count = &result_column_count;
  api.result_column_name = &result_column_name;
  api.result_row_count = &result_row_count;
  api.result_next_row = &result_next_row;
  api.result_cell = &result_cell;
  api.result_free = &result_free;
  api.run_test_name = &run_test_name;
  api.run_plugin_name = &run_plugin_name;
  api.add_case = &add_case;
  api.record_json = &record_json;
  api.add_summary_text = &add_summary_text;
  api.classify_error = &classify_error;
  api.retry_policy = &retry_policy;
  api.db_reconnect = &db_reconnect;
  api.count_retry = &count_retry;
  api.result_column_type = &result_column_type;
  api.get_host_list = &get_host_list;
  api.run_connection_settings = &run_connection_settings;
  api.bind_state_handler = &bind_state_handler;
  api.db_prepare = &db_prepare;
  api.stmt_execute = &stmt_execute;
  api.stmt_free = &stmt_free;
  api.run_state_handlers = &run_state_handlers;
  api.run_expect_state_duration = &run_expect_state_duration;
  api.run_server_count = &run_server_count;
  api.db_connect_to = &db_connect_to;
  api.entry_plugin_path = &entry_plugin_path;
  api.get_option_type = &get_option_type;
  api.run_shard = &run_shard;
  return api;
}

}  // namespace

const rig_host_api* host_api() {
  static const rig_host_api table = make_table();
  return &table;
}

}  // namespace rig
