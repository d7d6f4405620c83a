#include "core/config/config_file.h"

#include <toml++/toml.h>
#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "test_rig/sdk/small_file.h"

namespace rig {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string join_key(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

// A config file is a few KiB; a larger one is a mistake (a log, a device).
constexpr std::size_t kMaxConfigFileBytes = 1 << 20;

// A NUL inside a value would be cut off silently wherever the value becomes
// a C string (a host name, a password, SQL), so it is refused here.
std::string checked_text(std::string text, const std::string& path, int line,
                         const std::string& key) {
  if (text.find('\0') != std::string::npos) {
    throw ConfigError(path + ":" + std::to_string(line) + ": key '" + key +
                      "': a NUL character is not allowed in a value");
  }
  return text;
}

// ---- TOML: toml++ keeps the source line of every node.

OptionValue toml_array_value(const toml::array& array, const std::string& path,
                             const std::string& key, int line) {
  std::vector<std::string> items;
  for (const toml::node& item : array) {
    auto text = item.value<std::string>();
    if (!text || !item.is_string()) {
      throw ConfigError(path + ":" + std::to_string(line) + ": key '" + key +
                        "': list items must be strings");
    }
    items.push_back(checked_text(*text, path, line, key));
  }
  return items;
}

void flatten_toml(const toml::table& table, const std::string& prefix, const std::string& path,
                  std::vector<ConfigEntry>& out) {
  for (const auto& [raw_key, node] : table) {
    std::string key = join_key(prefix, std::string(raw_key.str()));
    int line = static_cast<int>(node.source().begin.line);
    if (const toml::table* child = node.as_table()) {
      flatten_toml(*child, key, path, out);
    } else if (const toml::array* array = node.as_array()) {
      out.push_back({key, toml_array_value(*array, path, key, line), line});
    } else if (auto b = node.as_boolean()) {
      out.push_back({key, b->get(), line});
    } else if (auto i = node.as_integer()) {
      out.push_back({key, static_cast<int64_t>(i->get()), line});
    } else if (auto f = node.as_floating_point()) {
      out.push_back({key, f->get(), line});
    } else if (auto s = node.as_string()) {
      out.push_back({key, checked_text(s->get(), path, line, key), line});
    } else {
      throw ConfigError(path + ":" + std::to_string(line) + ": key '" + key +
                        "': dates and times are not supported here");
    }
  }
}

std::vector<ConfigEntry> parse_toml(const std::string& path, const std::string& text) {
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(path + ":" + std::to_string(e.source().begin.line) +
                      ": invalid TOML: " + std::string(e.description()));
  }
  std::vector<ConfigEntry> entries;
  flatten_toml(table, "", path, entries);
  return entries;
}

// ---- JSON: nlohmann/json keeps no positions, so the line of a key is found
// by locating its quoted name in the text, searching forward from where its
// parent object's key was found. Good enough to point a person at the line.

int line_of(const std::string& text, std::size_t offset) {
  return 1 + static_cast<int>(
                 std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

void flatten_json(const nlohmann::json& object, const std::string& prefix, const std::string& path,
                  const std::string& text, std::size_t search_from, std::vector<ConfigEntry>& out) {
  for (const auto& [raw_key, node] : object.items()) {
    std::string key = join_key(prefix, raw_key);
    std::size_t at = text.find("\"" + raw_key + "\"", search_from);
    if (at == std::string::npos) at = search_from;
    int line = line_of(text, at);
    auto fail = [&](const std::string& why) {
      throw ConfigError(path + ":" + std::to_string(line) + ": key '" + key + "': " + why);
    };
    if (node.is_object()) {
      flatten_json(node, key, path, text, at, out);
    } else if (node.is_array()) {
      std::vector<std::string> items;
      for (const auto& item : node) {
        if (!item.is_string()) fail("list items must be strings");
        items.push_back(checked_text(item.get<std::string>(), path, line, key));
      }
      out.push_back({key, items, line});
    } else if (node.is_boolean()) {
      out.push_back({key, node.get<bool>(), line});
    } else if (node.is_number_integer()) {
      out.push_back({key, node.get<int64_t>(), line});
    } else if (node.is_number_float()) {
      out.push_back({key, node.get<double>(), line});
    } else if (node.is_string()) {
      out.push_back({key, checked_text(node.get<std::string>(), path, line, key), line});
    } else {
      fail("null is not a valid value");
    }
  }
}

// nlohmann/json keeps the last of two equal keys; a config file that sets
// one option twice is refused instead, as TOML does, naming the key.
class DuplicateKeyCheck {
 public:
  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) keys_.emplace_back();
    if (event == Event::object_end) keys_.pop_back();
    if (event == Event::key && !keys_.empty() &&
        !keys_.back().insert(parsed.get<std::string>()).second) {
      duplicate_ = parsed.get<std::string>();
      throw DuplicateKey{};
    }
    return true;
  }
  struct DuplicateKey {};
  const std::string& duplicate() const { return duplicate_; }

 private:
  std::vector<std::set<std::string>> keys_;
  std::string duplicate_;
};

std::vector<ConfigEntry> parse_json(const std::string& path, const std::string& text) {
  nlohmann::json document;
  DuplicateKeyCheck check;
  try {
    document = nlohmann::json::parse(text, std::ref(check));
  } catch (const DuplicateKeyCheck::DuplicateKey&) {
    throw ConfigError(path + ": invalid JSON: key '" + check.duplicate() +
                      "' appears twice in one object; keep one");
  } catch (const nlohmann::json::exception& e) {
    // parse_error knows where; others (a number too large, found by the
    // config fuzzer) do not.
    const auto* parse_error = dynamic_cast<const nlohmann::json::parse_error*>(&e);
    std::string where = parse_error ? ":" + std::to_string(line_of(text, parse_error->byte)) : "";
    std::string what = e.what();
    // Drop the library's "[json.exception.parse_error.101] " prefix.
    auto bracket = what.find("] ");
    if (bracket != std::string::npos) what = what.substr(bracket + 2);
    throw ConfigError(path + where + ": invalid JSON: " + what);
  }
  if (!document.is_object()) {
    throw ConfigError(path + ":1: invalid JSON: the top level must be an object");
  }
  std::vector<ConfigEntry> entries;
  flatten_json(document, "", path, text, 0, entries);
  return entries;
}

}  // namespace

ConfigFile ConfigFile::load(const std::string& path) {
  std::string text, why;
  if (!test_rig::read_small_file(path, kMaxConfigFileBytes, &text, &why)) {
    throw ConfigError(path + ": cannot read the config file: " + why);
  }
  return parse(path, text);
}

ConfigFile ConfigFile::parse(const std::string& path, const std::string& text) {
  ConfigFile file;
  file.path_ = path;
  file.entries_ = ends_with(path, ".json") ? parse_json(path, text) : parse_toml(path, text);
  return file;
}

ConfigFile ConfigFile::without_prefix(const std::string& prefix) const {
  ConfigFile copy;
  copy.path_ = path_;
  for (const auto& entry : entries_) {
    if (entry.key.rfind(prefix, 0) != 0) copy.entries_.push_back(entry);
  }
  return copy;
}

std::string ConfigFile::where(const ConfigEntry& entry) const {
  return entry.line > 0 ? path_ + ":" + std::to_string(entry.line) : path_;
}

}  // namespace rig
