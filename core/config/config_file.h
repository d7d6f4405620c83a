// core/config/config_file.h -- reading a TOML or JSON config file into flat,
// typed entries that remember where they came from.
//
//   ConfigFile file = ConfigFile::load("tidb_config.toml");   // throws ConfigError
//   for (const auto& entry : file.entries())
//     use(entry.key, entry.value, entry.line);   // "database.host", ..., 3
//
// The format follows the extension: ".json" is JSON, anything else TOML.
// Tables become dotted key prefixes; arrays must hold strings.
#ifndef TEST_RIG_CORE_CONFIG_CONFIG_FILE_H_
#define TEST_RIG_CORE_CONFIG_CONFIG_FILE_H_

#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/option_spec.h"

namespace rig {

// A configuration problem; the message names the file, line and key when
// they are known. Leads to exit code 2.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& message) : std::runtime_error(message) {}
};

struct ConfigEntry {
  std::string key;  // dotted path
  OptionValue value;
  int line = 0;  // 1-based; 0 when unknown
};

class ConfigFile {
 public:
  static ConfigFile load(const std::string& path);
  static ConfigFile parse(const std::string& path, const std::string& text);

  const std::string& path() const { return path_; }
  const std::vector<ConfigEntry>& entries() const { return entries_; }

  // A copy without the entries whose key starts with `prefix`.
  ConfigFile without_prefix(const std::string& prefix) const;

  // "file:line" or "file" for messages.
  std::string where(const ConfigEntry& entry) const;

 private:
  std::string path_;
  std::vector<ConfigEntry> entries_;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_CONFIG_CONFIG_FILE_H_
