// core/config/option_spec.h -- one configurable option, core or plugin, and
// its typed value.
//
// Core options and plugin options share this model, so one resolver applies
// the precedence (CLI > environment > config file > default), one printer
// renders --help and `config show`, and one validator checks every value.
#ifndef TEST_RIG_CORE_CONFIG_OPTION_SPEC_H_
#define TEST_RIG_CORE_CONFIG_OPTION_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rig {

enum class OptionType { kBool, kInt, kFloat, kString, kEnum, kList };

const char* option_type_name(OptionType type);

using OptionValue = std::variant<bool, int64_t, double, std::string, std::vector<std::string>>;

struct OptionSpec {
  std::string owner;    // "" for core options, else the plugin's name
  std::string section;  // config-file table: "database", "plugins.<owner>"
  std::string name;     // key within the section
  OptionType type = OptionType::kString;
  std::optional<std::string> default_value;   // textual, as on the CLI
  std::optional<std::string> implicit_value;  // CLI value when given bare
  std::string help;
  bool required = false;
  bool secret = false;
  bool output = false;  // names what the process writes (RIG_OPTION_OUTPUT)
  std::optional<std::pair<double, double>> bounds;
  std::vector<std::string> choices;
  std::string cli_name;   // long option without dashes
  std::string cli_alias;  // a second long name (a plugin option's alias), or ""
  char cli_short = 0;
  std::string env_name;  // "" = not settable from the environment

  // "database.host", "plugins.connection.timeout".
  std::string config_key() const { return section + "." + name; }
};

// A value or the reason there is none.
struct ParsedValue {
  std::optional<OptionValue> value;
  std::string error;  // lower-case, no trailing period
};

// Parses `text` (from the CLI, environment or a default) as `spec` demands
// and checks bounds and choices. Lists are comma-separated.
ParsedValue parse_option_text(const OptionSpec& spec, const std::string& text);

// Checks an already-typed value (from a config file) against `spec`,
// converting integers to floats and strings to one-element lists.
ParsedValue check_option_value(const OptionSpec& spec, const OptionValue& value);

// The default as a user would type it, for --help and describe: "10" and
// "0.01", not "10.000000" (what plugins built with older SDKs declare).
// None for an option without a default (or an empty one), and for a secret.
std::optional<std::string> shown_default(const OptionSpec& spec);

// The value as it would be written on the command line; lists comma-joined.
std::string format_option_value(const OptionValue& value);

// PLUGIN_OPTION style: upper case, '-' and '.' become '_'.
std::string env_token(const std::string& text);

}  // namespace rig

#endif  // TEST_RIG_CORE_CONFIG_OPTION_SPEC_H_
