#include "py_values.h"

#include <cstdio>

namespace py = pybind11;

namespace rig_python {
namespace {

// The datetime and decimal types, imported once (the GIL serialises this).
struct PythonTypes {
  py::object date, datetime, timedelta, decimal;
};

const PythonTypes& types() {
  static const PythonTypes* cached = [] {
    py::module_ datetime = py::module_::import("datetime");
    return new PythonTypes{datetime.attr("date"), datetime.attr("datetime"),
                           datetime.attr("timedelta"),
                           py::module_::import("decimal").attr("Decimal")};
  }();
  return *cached;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// "2026-11-26 18:00:01.250000" -> datetime(2026, 11, 26, 18, 0, 1, 250000).
// Zero dates ("0000-00-00") have no Python value and stay text.
py::object parse_datetime(std::string_view text, bool with_time) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char fraction[8] = "";
  std::string buffer(text);
  int fields =
      std::sscanf(buffer.c_str(), "%d-%d-%d %d:%d:%d.%6[0-9]", &y, &mo, &d, &h, &mi, &s, fraction);
  if (fields < 3 || y == 0 || mo == 0 || d == 0) return py::str(buffer);
  if (!with_time) return types().date(y, mo, d);
  std::string micros(fraction);
  micros.resize(6, '0');
  return types().datetime(y, mo, d, h, mi, s, std::stoi(micros));
}

// "-838:59:59.5" -> timedelta(hours=-838, ...): TIME is a duration.
py::object parse_time(std::string_view text) {
  std::string buffer(text);
  bool negative = !buffer.empty() && buffer[0] == '-';
  int h = 0, mi = 0, s = 0;
  char fraction[8] = "";
  std::sscanf(buffer.c_str() + (negative ? 1 : 0), "%d:%d:%d.%6[0-9]", &h, &mi, &s, fraction);
  std::string micros(fraction);
  micros.resize(6, '0');
  py::object value =
      types().timedelta(py::arg("hours") = h, py::arg("minutes") = mi, py::arg("seconds") = s,
                        py::arg("microseconds") = std::stoi(micros));
  return negative ? value.attr("__neg__")() : value;
}

}  // namespace

py::object cell_to_python(rig_column_type type, std::string_view text) {
  switch (type) {
    case RIG_COLUMN_INT:
      return py::reinterpret_steal<py::object>(
          PyLong_FromString(std::string(text).c_str(), nullptr, 10));
    case RIG_COLUMN_FLOAT: return py::float_(std::stod(std::string(text)));
    case RIG_COLUMN_DECIMAL: return types().decimal(py::str(text.data(), text.size()));
    case RIG_COLUMN_BYTES: return py::bytes(text.data(), text.size());
    case RIG_COLUMN_DATE: return parse_datetime(text, false);
    case RIG_COLUMN_DATETIME: return parse_datetime(text, true);
    case RIG_COLUMN_TIME: return parse_time(text);
    default: return py::str(text.data(), text.size());
  }
}

std::string sql_literal(const py::handle& value) {
  if (value.is_none()) return "NULL";
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "1" : "0";
  if (py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value) ||
      py::isinstance(value, types().decimal)) {
    return py::str(value).cast<std::string>();
  }
  if (py::isinstance<py::str>(value)) return "_utf8mb4 X'" + hex(value.cast<std::string>()) + "'";
  if (py::isinstance<py::bytes>(value) || py::isinstance<py::bytearray>(value)) {
    return "X'" + hex(py::bytes(py::reinterpret_borrow<py::object>(value)).cast<std::string>()) +
           "'";
  }
  if (py::isinstance(value, types().date) || py::isinstance(value, types().timedelta)) {
    // str() of date, datetime and timedelta is the server's own format.
    return "'" + py::str(value).cast<std::string>() + "'";
  }
  throw py::type_error("cannot pass a " +
                       py::str(value.get_type().attr("__name__")).cast<std::string>() +
                       " as an SQL parameter");
}

std::string bind_parameters(std::string_view sql, const py::object& params) {
  if (params.is_none()) return std::string(sql);
  const bool by_name = py::isinstance<py::dict>(params);
  py::sequence positional;
  if (!by_name) positional = py::sequence(params);
  std::size_t next = 0;
  std::string out;
  out.reserve(sql.size() + 16);
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '%' || i + 1 == sql.size()) {
      out += sql[i];
      continue;
    }
    char kind = sql[i + 1];
    if (kind == '%') {
      out += '%';
      ++i;
    } else if (kind == 's' && !by_name) {
      if (next >= positional.size()) {
        throw py::value_error("more %s placeholders than parameters");
      }
      out += sql_literal(positional[next++]);
      ++i;
    } else if (kind == '(' && by_name) {
      std::size_t close = sql.find(")s", i + 2);
      if (close == std::string_view::npos) throw py::value_error("unterminated %(name)s");
      std::string name(sql.substr(i + 2, close - i - 2));
      py::dict mapping = params;
      if (!mapping.contains(name)) throw py::value_error("no parameter named '" + name + "'");
      out += sql_literal(mapping[py::str(name)]);
      i = close + 1;
    } else {
      out += sql[i];
    }
  }
  if (!by_name && next != positional.size()) {
    throw py::value_error(std::to_string(positional.size()) + " parameters for " +
                          std::to_string(next) + " %s placeholders");
  }
  return out;
}

}  // namespace rig_python
