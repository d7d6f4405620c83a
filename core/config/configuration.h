// core/config/configuration.h -- the effective value of every option, and
// where it came from.
//
//   Configuration config = Configuration::resolve(specs, cli, getenv_lookup, &file);
//   std::string host = config.string("database.host");
//   for (const ResolvedOption& o : config.options()) print(o.spec.config_key(), o.origin);
//
// Precedence for core and plugin options alike: command line > environment >
// config file > default. Every value is validated against its spec; the
// first problem throws ConfigError naming the file, line and key (or the
// flag, or the variable).
#ifndef TEST_RIG_CORE_CONFIG_CONFIGURATION_H_
#define TEST_RIG_CORE_CONFIG_CONFIGURATION_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config_file.h"
#include "core/config/option_spec.h"

namespace rig {

enum class ValueSource { kUnset, kDefault, kConfigFile, kEnvironment, kCommandLine, kRuntime };

struct ResolvedOption {
  OptionSpec spec;
  std::optional<OptionValue> value;
  ValueSource source = ValueSource::kUnset;
  std::string origin;  // "default", "tidb_config.toml:3", "env TIDB_HOST", "--host"
};

// Raw command-line values by cli_name; repeated flags give several values.
using CliValues = std::map<std::string, std::vector<std::string>>;
// Returns the environment variable's value, or nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

EnvLookup process_environment();

class Configuration {
 public:
  Configuration() = default;

  static Configuration resolve(const std::vector<OptionSpec>& specs, const CliValues& cli,
                               const EnvLookup& env, const ConfigFile* file);

  const std::vector<ResolvedOption>& options() const { return options_; }
  const ResolvedOption* find(const std::string& config_key) const;
  // The options owned by `plugin`.
  std::vector<const ResolvedOption*> plugin_options(const std::string& plugin) const;

  // Typed access by config key; the key must exist with that type.
  bool boolean(const std::string& key) const;
  int64_t integer(const std::string& key) const;
  double floating(const std::string& key) const;
  std::optional<std::string> string(const std::string& key) const;
  std::vector<std::string> list(const std::string& key) const;

  // Overrides a value at run time, e.g. with the address of a sandbox the
  // run started; the source becomes kRuntime.
  void set(const std::string& key, OptionValue value, std::string origin);

 private:
  const OptionValue* value(const std::string& key) const;

  std::vector<ResolvedOption> options_;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_CONFIG_CONFIGURATION_H_
