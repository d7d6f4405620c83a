#include "module.h"

#include <pybind11/eval.h>
#include <pybind11/stl.h>

#include "module_python.h"
#include "py_context.h"

namespace py = pybind11;

namespace rig_python {
namespace {

// Raises the module's Python exception `name` built from `args`.
template <typename... Args>
void raise(const char* name, Args&&... args) {
  py::object type = py::module_::import("test_rig_python").attr(name);
  py::object error = type(std::forward<Args>(args)...);
  PyErr_SetObject(type.ptr(), error.ptr());
}

void translate_sdk_exceptions(std::exception_ptr pending) {
  try {
    std::rethrow_exception(pending);
  } catch (const test_rig::DbError& e) {
    raise("DbError", e.code(), e.sqlstate(), e.message());
  } catch (const test_rig::IndeterminateCommit& e) {
    raise("IndeterminateCommit", std::string(e.what()));
  } catch (const test_rig::Context::ConnectError& e) {
    raise("ConnectError", static_cast<int>(e.status()));
  }
}

}  // namespace

void define_module(py::module_& m) {
  m.doc() = "test-rig's Python API: state handlers, their context and tests";
  py::exec(kModulePython, m.attr("__dict__"));
  // PyState's common states are the SDK's: PyState.connecting() returns
  // "connecting". error(message) stays Python's own: it raises.
  py::object staticmethod = py::module_::import("builtins").attr("staticmethod");
  for (test_rig::State state : test_rig::kStates) {
    if (state == test_rig::State::kError) continue;
    const std::string id(test_rig::state_id(state));
    py::setattr(m.attr("PyState"), id.c_str(), staticmethod(py::cpp_function([id] { return id; })));
  }
  py::register_exception_translator(&translate_sdk_exceptions);
  m.def("unique_name", &test_rig::unique_name, py::arg("prefix"),
        "prefix + '_' + this run's token: a name of this run's own for what a test creates");
  m.def("owner_comment", &test_rig::owner_comment,
        "the table option (COMMENT='test-rig:...') that marks a table as this run's, so that "
        "the next run drops it if this one is killed");

  py::class_<PyConnection>(m, "PyConnection", "A database session of the run.")
      .def("execute_query", &PyConnection::execute_query, py::arg("sql"),
           py::arg("params") = py::none(),
           "Runs a query; returns its rows as dicts keyed by column name.")
      .def("execute", &PyConnection::execute, py::arg("sql"), py::arg("params") = py::none(),
           "Runs a statement; returns the affected rows.")
      .def("begin", &PyConnection::begin)
      .def("commit", &PyConnection::commit)
      .def("rollback", &PyConnection::rollback)
      .def("reconnect", &PyConnection::reconnect)
      .def_property_readonly("connection_id", &PyConnection::connection_id)
      .def_property_readonly("last_insert_id", &PyConnection::last_insert_id)
      .def_property_readonly("server_flavor", &PyConnection::server_flavor)
      .def_property_readonly("server_version", &PyConnection::server_version);

  py::class_<PyStateContext>(m, "PyStateContext", "What a handler sees of its run.")
      .def_property_readonly("host", &PyStateContext::host)
      .def_property_readonly("port", &PyStateContext::port)
      .def_property_readonly("username", &PyStateContext::username)
      .def_property_readonly("database", &PyStateContext::database)
      .def_property_readonly("password", &PyStateContext::password,
                             "The password (None when none); never printed by repr.")
      .def_property_readonly("test_name", &PyStateContext::test_name)
      .def_property_readonly("connection", &PyStateContext::connection, "The run's main session.")
      .def("get_connection", &PyStateContext::get_connection, py::arg("name"),
           py::arg("server") = py::none(),
           "A further named session (opened on first use: on server `server`, "
           "0-based, of the --host list when given, else on the next in turn).")
      .def_property_readonly("server_count", &PyStateContext::server_count,
                             "How many servers the sessions go to (the --host list's length).")
      .def("set_custom_data", &PyStateContext::set_custom_data, py::arg("key"), py::arg("value"))
      .def("get_custom_data", &PyStateContext::get_custom_data, py::arg("key"),
           py::arg("default") = py::none())
      .def("option", &PyStateContext::option, py::arg("name"))
      .def("record", &PyStateContext::record, py::arg("key"), py::arg("value"))
      .def("record_json", &PyStateContext::record_json, py::arg("key"), py::arg("value"))
      .def("retry_transaction", &PyStateContext::retry_transaction, py::arg("body"),
           py::arg("connection") = py::none(),
           "Runs body(connection) between BEGIN and COMMIT, retried as a whole on "
           "transient errors under the [retry] policy.")
      .def("skip",
           [](PyStateContext&, const std::string& reason) {
             raise("Skip", reason);
             throw py::error_already_set();
           })
      .def("debug", [](PyStateContext& c, const std::string& s) { c.log(RIG_LOG_DEBUG, s); })
      .def("info", [](PyStateContext& c, const std::string& s) { c.log(RIG_LOG_INFO, s); })
      .def("warn", [](PyStateContext& c, const std::string& s) { c.log(RIG_LOG_WARN, s); })
      .def("error", [](PyStateContext& c, const std::string& s) { c.log(RIG_LOG_ERROR, s); })
      .def("__repr__", &PyStateContext::repr);
}

}  // namespace rig_python
