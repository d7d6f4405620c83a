#include "core/config/configuration.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace rig {
namespace {

// Levenshtein distance, for "did you mean" hints on misspelt keys.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string suggestion(const std::string& key, const std::vector<OptionSpec>& specs) {
  std::string best;
  std::size_t best_distance = 3;  // farther than this is no hint
  for (const auto& spec : specs) {
    std::size_t distance = edit_distance(key, spec.config_key());
    if (distance < best_distance) {
      best_distance = distance;
      best = spec.config_key();
    }
  }
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

// The last entry for `key` (TOML forbids repeats; JSON keeps the last).
const ConfigEntry* find_entry(const ConfigFile* file, const std::string& key) {
  if (file == nullptr) return nullptr;
  const ConfigEntry* found = nullptr;
  for (const auto& entry : file->entries()) {
    if (entry.key == key) found = &entry;
  }
  return found;
}

std::string describe_cli(const OptionSpec& spec) { return "--" + spec.cli_name; }

void check_file_keys(const ConfigFile& file, const std::vector<OptionSpec>& specs) {
  std::set<std::string> owners;
  for (const auto& spec : specs) owners.insert(spec.owner);
  for (const auto& entry : file.entries()) {
    bool known = std::any_of(specs.begin(), specs.end(), [&](const OptionSpec& spec) {
      return spec.config_key() == entry.key;
    });
    if (known) continue;
    const std::string prefix = "plugins.";
    if (entry.key.rfind(prefix, 0) == 0) {
      std::string plugin =
          entry.key.substr(prefix.size(), entry.key.find('.', prefix.size()) - prefix.size());
      if (!owners.count(plugin)) {
        throw ConfigError(file.where(entry) + ": key '" + entry.key +
                          "': no loaded plugin is named '" + plugin + "'");
      }
    }
    throw ConfigError(file.where(entry) + ": unknown key '" + entry.key + "'" +
                      suggestion(entry.key, specs));
  }
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Configuration Configuration::resolve(const std::vector<OptionSpec>& specs, const CliValues& cli,
                                     const EnvLookup& env, const ConfigFile* file) {
  if (file) check_file_keys(*file, specs);
  Configuration config;
  for (const OptionSpec& spec : specs) {
    ResolvedOption resolved{spec, std::nullopt, ValueSource::kUnset, "unset"};
    auto take = [&](ParsedValue parsed, ValueSource source, const std::string& origin) {
      if (!parsed.value) throw ConfigError(origin + ": " + parsed.error);
      resolved.value = std::move(parsed.value);
      resolved.source = source;
      resolved.origin = origin;
    };

    if (auto it = cli.find(spec.cli_name); it != cli.end() && !it->second.empty()) {
      const std::string origin = describe_cli(spec);
      if (spec.type == OptionType::kList) {
        // Repeated flags and comma-separated values both add items.
        std::vector<std::string> items;
        for (const auto& raw : it->second) {
          auto parsed = parse_option_text(spec, raw);
          if (!parsed.value) take(std::move(parsed), ValueSource::kCommandLine, origin);
          auto& part = std::get<std::vector<std::string>>(*parsed.value);
          items.insert(items.end(), part.begin(), part.end());
        }
        take({OptionValue(items), ""}, ValueSource::kCommandLine, origin);
      } else {
        take(parse_option_text(spec, it->second.back()), ValueSource::kCommandLine, origin);
      }
    } else if (auto text = spec.env_name.empty() ? std::nullopt : env(spec.env_name)) {
      take(parse_option_text(spec, *text), ValueSource::kEnvironment,
           "environment variable " + spec.env_name);
    } else if (const ConfigEntry* entry = find_entry(file, spec.config_key())) {
      take(check_option_value(spec, entry->value), ValueSource::kConfigFile,
           file->where(*entry) + ": key '" + entry->key + "'");
    } else if (spec.default_value) {
      take(parse_option_text(spec, *spec.default_value), ValueSource::kDefault, "default");
    } else if (spec.required) {
      std::string ways = describe_cli(spec) + ", key '" + spec.config_key() + "'";
      if (!spec.env_name.empty()) ways += " or " + spec.env_name;
      throw ConfigError("option " + describe_cli(spec) + " is required; set it with " + ways);
    }
    config.options_.push_back(std::move(resolved));
  }
  return config;
}

const ResolvedOption* Configuration::find(const std::string& config_key) const {
  for (const auto& option : options_) {
    if (option.spec.config_key() == config_key) return &option;
  }
  return nullptr;
}

std::vector<const ResolvedOption*> Configuration::plugin_options(const std::string& plugin) const {
  std::vector<const ResolvedOption*> owned;
  for (const auto& option : options_) {
    if (option.spec.owner == plugin) owned.push_back(&option);
  }
  return owned;
}

const OptionValue* Configuration::value(const std::string& key) const {
  const ResolvedOption* option = find(key);
  if (option == nullptr) throw std::logic_error("no option with config key " + key);
  return option->value ? &*option->value : nullptr;
}

bool Configuration::boolean(const std::string& key) const {
  const OptionValue* v = value(key);
  return v && std::get<bool>(*v);
}

int64_t Configuration::integer(const std::string& key) const {
  const OptionValue* v = value(key);
  return v ? std::get<int64_t>(*v) : 0;
}

double Configuration::floating(const std::string& key) const {
  const OptionValue* v = value(key);
  return v ? std::get<double>(*v) : 0.0;
}

std::optional<std::string> Configuration::string(const std::string& key) const {
  const OptionValue* v = value(key);
  if (v == nullptr) return std::nullopt;
  return std::get<std::string>(*v);
}

std::vector<std::string> Configuration::list(const std::string& key) const {
  const OptionValue* v = value(key);
  return v ? std::get<std::vector<std::string>>(*v) : std::vector<std::string>{};
}

void Configuration::set(const std::string& key, OptionValue value, std::string origin) {
  for (auto& option : options_) {
    if (option.spec.config_key() != key) continue;
    option.value = std::move(value);
    option.source = ValueSource::kRuntime;
    option.origin = std::move(origin);
    return;
  }
  throw std::logic_error("no option with config key " + key);
}

}  // namespace rig
