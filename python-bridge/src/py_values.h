// python-bridge/src/py_values.h -- between SQL text and Python values.
//
//   py::object v = cell_to_python(RIG_COLUMN_DECIMAL, "1.50");  // Decimal('1.50')
//   std::string sql = bind_parameters("SELECT %s, %(n)s", params);
//
// Cells arrive as the server's text; the column type picks the Python type
// (int, float, Decimal, str, bytes, date, datetime, timedelta, None).
// Parameters are written as SQL literals that need no escaping rules of the
// server's sql_mode: strings as _utf8mb4 X'..', bytes as X'..'. The GIL must
// be held.
#ifndef TEST_RIG_PYTHON_BRIDGE_PY_VALUES_H_
#define TEST_RIG_PYTHON_BRIDGE_PY_VALUES_H_

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>

#include "test_rig/plugin_api.h"

namespace rig_python {

pybind11::object cell_to_python(rig_column_type type, std::string_view text);

// `value` as a SQL literal. Throws pybind11::type_error for other types.
std::string sql_literal(const pybind11::handle& value);

// `sql` with %s (from a sequence) or %(name)s (from a mapping) replaced by
// literals of `params`; "%%" is a literal percent. `params` None returns
// `sql` unchanged. Throws pybind11::value_error on a mismatch.
std::string bind_parameters(std::string_view sql, const pybind11::object& params);

}  // namespace rig_python

#endif  // TEST_RIG_PYTHON_BRIDGE_PY_VALUES_H_
