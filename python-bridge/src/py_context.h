// python-bridge/src/py_context.h -- what a Python handler sees of its run:
// PyStateContext (settings, sessions, custom data, options, logging) and
// PyConnection (queries with Python-typed rows).
//
// Both wrap the C++ SDK over the host's services. The GIL is released
// around every database call, so handlers on several threads overlap their
// waits on the server. Thread safety: a PyConnection is used by one thread
// at a time, as every connection of the ABI.
#ifndef TEST_RIG_PYTHON_BRIDGE_PY_CONTEXT_H_
#define TEST_RIG_PYTHON_BRIDGE_PY_CONTEXT_H_

#include <pybind11/pybind11.h>

#include <string>

#include "test_rig/sdk.h"

namespace rig_python {

class PyConnection {
 public:
  explicit PyConnection(test_rig::Connection db) : db_(db) {}

  // Rows as dicts keyed by column name, with Python-typed values.
  pybind11::list execute_query(const std::string& sql, const pybind11::object& params);
  // Runs a statement; returns the affected rows.
  uint64_t execute(const std::string& sql, const pybind11::object& params);
  void begin() { execute("BEGIN", pybind11::none()); }
  void commit() { execute("COMMIT", pybind11::none()); }
  void rollback() { execute("ROLLBACK", pybind11::none()); }
  uint64_t connection_id() const { return db_.connection_id(); }
  uint64_t last_insert_id() const { return db_.last_insert_id(); }
  std::string server_flavor() const { return db_.server().flavor_name(); }
  std::string server_version() const { return db_.server().version; }
  // Reopens the session after a lost connection (counted in the report).
  void reconnect();

  test_rig::Connection& sdk() { return db_; }

 private:
  test_rig::Connection db_;
};

class PyStateContext {
 public:
  explicit PyStateContext(rig_run* run);

  std::string host() const { return settings_.host; }
  uint32_t port() const { return settings_.port; }
  std::string username() const { return settings_.user; }
  std::string database() const { return settings_.database; }
  pybind11::object password() const;

  // The run's "main" session, and further named ones.
  PyConnection connection() { return get_connection("main", pybind11::none()); }
  PyConnection get_connection(const std::string& name, const pybind11::object& server);
  uint32_t server_count() const { return ctx_.server_count(); }

  void set_custom_data(const std::string& key, const pybind11::object& value);
  pybind11::object get_custom_data(const std::string& key, const pybind11::object& fallback) const;

  // One of the python plugin's options, typed; KeyError when unknown.
  pybind11::object option(const std::string& name) const;

  void log(rig_log_level level, const std::string& message) const { ctx_.log(level, message); }
  void record(const std::string& key, const std::string& value) { ctx_.record(key, value); }
  void record_json(const std::string& key, const pybind11::object& value);

  std::string test_name() const { return ctx_.test_name(); }

  // Runs `body(connection)` inside BEGIN/COMMIT, retried as a whole on
  // transient errors under the run's [retry] policy; returns its result.
  pybind11::object retry_transaction(const pybind11::function& body,
                                     const pybind11::object& connection);

  std::string repr() const;
  test_rig::Context& sdk() { return ctx_; }

 private:
  test_rig::Context ctx_;
  rig_connection_settings settings_{};
};

}  // namespace rig_python

#endif  // TEST_RIG_PYTHON_BRIDGE_PY_CONTEXT_H_
