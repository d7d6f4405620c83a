#include "py_context.h"

#include <pybind11/stl.h>

#include <utility>

#include "py_values.h"

namespace py = pybind11;

namespace rig_python {

py::list PyConnection::execute_query(const std::string& sql, const py::object& params) {
  std::string statement = bind_parameters(sql, params);
  std::optional<test_rig::QueryResult> result;
  {
    py::gil_scoped_release unlocked;
    result.emplace(db_.query(statement));
  }
  py::list rows;
  if (!result->has_rows()) return rows;
  const uint32_t columns = result->column_count();
  std::vector<py::str> names;
  std::vector<rig_column_type> column_types;
  for (uint32_t i = 0; i < columns; ++i) {
    names.emplace_back(result->column_name(i));
    column_types.push_back(result->column_type(i));
  }
  while (result->next()) {
    py::dict row;
    for (uint32_t i = 0; i < columns; ++i) {
      auto cell = result->get(i);
      row[names[i]] = cell ? cell_to_python(column_types[i], *cell) : py::none();
    }
    rows.append(std::move(row));
  }
  return rows;
}

uint64_t PyConnection::execute(const std::string& sql, const py::object& params) {
  std::string statement = bind_parameters(sql, params);
  py::gil_scoped_release unlocked;
  return db_.execute(statement);
}

void PyConnection::reconnect() {
  py::gil_scoped_release unlocked;
  db_.reconnect();
}

PyStateContext::PyStateContext(rig_run* run) : ctx_(run), settings_(ctx_.connection_settings()) {}

py::object PyStateContext::password() const {
  if (settings_.password == nullptr) return py::none();
  return py::str(settings_.password);
}

PyConnection PyStateContext::get_connection(const std::string& name, const py::object& server) {
  if (server.is_none()) {
    py::gil_scoped_release unlocked;
    return PyConnection(ctx_.connection(name));
  }
  const auto index = server.cast<uint32_t>();
  py::gil_scoped_release unlocked;
  return PyConnection(ctx_.connection_to(name, index));
}

void PyStateContext::set_custom_data(const std::string& key, const py::object& value) {
  // Text, so that C++ handlers of the same run read the same bytes.
  std::string text = py::isinstance<py::bytes>(value) ? value.cast<std::string>()
                                                      : py::str(value).cast<std::string>();
  ctx_.set_custom_data(key, text);
}

py::object PyStateContext::get_custom_data(const std::string& key,
                                           const py::object& fallback) const {
  auto value = ctx_.get_custom_data(key);
  if (!value) return fallback;
  return py::str(*value);
}

py::object PyStateContext::option(const std::string& name) const {
  const std::optional<rig_option_type> type = ctx_.option_type(name);
  if (!type) throw py::key_error("plugin " + ctx_.plugin_name() + " has no option '" + name + "'");
  switch (*type) {
    case RIG_OPTION_BOOL: return py::bool_(ctx_.option_bool(name));
    case RIG_OPTION_INT: return py::int_(ctx_.option_int(name));
    case RIG_OPTION_FLOAT: return py::float_(ctx_.option_float(name));
    case RIG_OPTION_STRING:
    case RIG_OPTION_ENUM: return py::str(ctx_.option_string(name));
    case RIG_OPTION_LIST: return py::cast(ctx_.option_list(name));
    default:
      throw std::runtime_error("option '" + name + "' has a type this test-rig's Python API " +
                               "does not know (" + std::to_string(*type) + ")");
  }
}

void PyStateContext::record_json(const std::string& key, const py::object& value) {
  ctx_.record_json(key, py::module_::import("json").attr("dumps")(value).cast<std::string>());
}

py::object PyStateContext::retry_transaction(const py::function& body,
                                             const py::object& connection) {
  PyConnection db = connection.is_none() ? this->connection() : connection.cast<PyConnection>();
  py::object result = py::none();
  {
    py::gil_scoped_release unlocked;
    test_rig::retry_transaction(ctx_, db.sdk(), [&](test_rig::Connection&) {
      py::gil_scoped_acquire locked;
      try {
        result = body(db);
      } catch (py::error_already_set& e) {
        // A database error raised inside the body goes back to C++ so that
        // the retry loop can classify it.
        if (e.matches(py::module_::import("test_rig_python").attr("DbError"))) {
          py::object error = e.value();
          throw test_rig::DbError(error.attr("code").cast<uint32_t>(),
                                  error.attr("sqlstate").cast<std::string>(),
                                  error.attr("message").cast<std::string>(), "");
        }
        throw;
      }
    });
  }
  return result;
}

std::string PyStateContext::repr() const {
  // Never the password.
  return "<PyStateContext test=" + ctx_.test_name() + " " + settings_.user + "@" +
         (settings_.socket[0]
              ? std::string(settings_.socket)
              : std::string(settings_.host) + ":" + std::to_string(settings_.port)) +
         "/" + settings_.database + ">";
}

}  // namespace rig_python
