#include "core/config/option_spec.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

namespace rig {
namespace {

std::string trim(const std::string& text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

std::optional<bool> parse_bool(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  return std::nullopt;
}

std::optional<int64_t> parse_int(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> parse_float(const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    double value = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

ParsedValue error(std::string message) { return {std::nullopt, std::move(message)}; }

ParsedValue check_bounds(const OptionSpec& spec, double number, OptionValue value) {
  if (spec.bounds && (number < spec.bounds->first || number > spec.bounds->second)) {
    return error("must be between " + format_number(spec.bounds->first) + " and " +
                 format_number(spec.bounds->second) + ", got " + format_number(number));
  }
  return {std::move(value), ""};
}

ParsedValue check_choice(const OptionSpec& spec, const std::string& text) {
  if (std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end()) {
    return {OptionValue(text), ""};
  }
  std::string allowed;
  for (const auto& choice : spec.choices) {
    allowed += (allowed.empty() ? "" : ", ") + choice;
  }
  return error("must be one of: " + allowed + "; got '" + text + "'");
}

}  // namespace

const char* option_type_name(OptionType type) {
  switch (type) {
    case OptionType::kBool: return "bool";
    case OptionType::kInt: return "int";
    case OptionType::kFloat: return "float";
    case OptionType::kString: return "string";
    case OptionType::kEnum: return "enum";
    case OptionType::kList: return "list";
  }
  return "unknown";
}

// A bounded list holds whole numbers within the bounds (error codes, say).
ParsedValue check_list_items(const OptionSpec& spec, std::vector<std::string> items) {
  if (spec.bounds) {
    for (const std::string& item : items) {
      auto number = parse_int(item);
      if (!number) {
        return error("expected whole numbers between " + format_number(spec.bounds->first) +
                     " and " + format_number(spec.bounds->second) + ", got '" + item + "'");
      }
      ParsedValue checked = check_bounds(spec, static_cast<double>(*number), *number);
      if (!checked.value) return checked;
    }
  }
  return {OptionValue(std::move(items)), ""};
}

ParsedValue parse_option_text(const OptionSpec& spec, const std::string& raw) {
  std::string text = spec.type == OptionType::kString ? raw : trim(raw);
  switch (spec.type) {
    case OptionType::kBool: {
      auto value = parse_bool(text);
      if (!value) return error("expected true or false, got '" + raw + "'");
      return {OptionValue(*value), ""};
    }
    case OptionType::kInt: {
      auto value = parse_int(text);
      if (!value) return error("expected an integer, got '" + raw + "'");
      return check_bounds(spec, static_cast<double>(*value), *value);
    }
    case OptionType::kFloat: {
      auto value = parse_float(text);
      if (!value) return error("expected a number, got '" + raw + "'");
      return check_bounds(spec, *value, *value);
    }
    case OptionType::kString: return {OptionValue(text), ""};
    case OptionType::kEnum: return check_choice(spec, text);
    case OptionType::kList: {
      std::vector<std::string> items;
      std::stringstream stream(text);
      std::string item;
      while (std::getline(stream, item, ',')) {
        item = trim(item);
        if (!item.empty()) items.push_back(item);
      }
      return check_list_items(spec, std::move(items));
    }
  }
  return error("unsupported option type");
}

std::optional<std::string> shown_default(const OptionSpec& spec) {
  if (!spec.default_value || spec.default_value->empty() || spec.secret) return std::nullopt;
  const std::string& text = *spec.default_value;
  double value = 0;
  if (spec.type != OptionType::kFloat ||
      std::from_chars(text.data(), text.data() + text.size(), value).ec != std::errc()) {
    return text;
  }
  char shortest[32];
  auto written = std::to_chars(shortest, shortest + sizeof(shortest), value);
  return std::string(shortest, written.ptr);
}

ParsedValue check_option_value(const OptionSpec& spec, const OptionValue& value) {
  const std::string expected = std::string("expected ") + option_type_name(spec.type);
  switch (spec.type) {
    case OptionType::kBool:
      if (std::holds_alternative<bool>(value)) return {value, ""};
      return error("expected true or false");
    case OptionType::kInt:
      if (auto* number = std::get_if<int64_t>(&value)) {
        return check_bounds(spec, static_cast<double>(*number), value);
      }
      return error("expected an integer");
    case OptionType::kFloat:
      if (auto* number = std::get_if<double>(&value)) return check_bounds(spec, *number, value);
      if (auto* number = std::get_if<int64_t>(&value)) {
        return check_bounds(spec, static_cast<double>(*number), static_cast<double>(*number));
      }
      return error("expected a number");
    case OptionType::kString:
      if (std::holds_alternative<std::string>(value)) return {value, ""};
      return error("expected a string");
    case OptionType::kEnum:
      if (auto* text = std::get_if<std::string>(&value)) return check_choice(spec, *text);
      return error("expected a string");
    case OptionType::kList:
      if (auto* items = std::get_if<std::vector<std::string>>(&value)) {
        return check_list_items(spec, *items);
      }
      if (auto* text = std::get_if<std::string>(&value)) {
        return check_list_items(spec, std::vector<std::string>{*text});
      }
      return error("expected a list of strings");
  }
  return error(expected);
}

std::string format_option_value(const OptionValue& value) {
  struct Formatter {
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return format_number(v); }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string joined;
      for (const auto& item : v) joined += (joined.empty() ? "" : ",") + item;
      return joined;
    }
  };
  return std::visit(Formatter{}, value);
}

std::string env_token(const std::string& text) {
  std::string token;
  for (unsigned char c : text) {
    token += (c == '-' || c == '.') ? '_' : static_cast<char>(std::toupper(c));
  }
  return token;
}

}  // namespace rig
