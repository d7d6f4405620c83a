#include "core/plugin/plugin_registry.h"

#include <dlfcn.h>
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <utility>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>

#include "core/plugin/abi_struct.h"
#include "core/plugin/host_api.h"
#include "core/plugin/host_settings.h"
#include "core/plugin/run_context.h"
#include "test_rig/sdk/isolated_call.h"

namespace rig {
namespace {

namespace fs = std::filesystem;

class BadPlugin : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string text(const char* value) { return value ? value : ""; }

bool valid_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::optional<OptionType> option_type(rig_option_type type) {
  switch (type) {
    case RIG_OPTION_BOOL: return OptionType::kBool;
    case RIG_OPTION_INT: return OptionType::kInt;
    case RIG_OPTION_FLOAT: return OptionType::kFloat;
    case RIG_OPTION_STRING: return OptionType::kString;
    case RIG_OPTION_ENUM: return OptionType::kEnum;
    case RIG_OPTION_LIST: return OptionType::kList;
    default: return std::nullopt;  // unknown values are failures (rule 11)
  }
}

OptionSpec read_option(const std::string& plugin, const rig_option_spec* raw) {
  rig_option_spec c = read_struct(raw, "option spec");
  OptionSpec spec;
  spec.owner = plugin;
  spec.section = "plugins." + plugin;
  spec.name = text(c.name);
  if (!valid_name(spec.name)) {
    throw BadPlugin("option name '" + spec.name + "' is not of the form [a-z0-9_-]+");
  }
  auto type = option_type(c.type);
  if (!type) {
    throw BadPlugin("option '" + spec.name + "' has unknown type " + std::to_string(c.type));
  }
  spec.type = *type;
  if (c.default_value) spec.default_value = c.default_value;
  spec.help = text(c.help);
  spec.required = c.flags & RIG_OPTION_REQUIRED;
  spec.secret = c.flags & RIG_OPTION_SECRET;
  spec.output = c.flags & RIG_OPTION_OUTPUT;
  if (c.flags & RIG_OPTION_HAS_BOUNDS) spec.bounds = {{c.min_value, c.max_value}};
  for (uint32_t i = 0; i < c.choice_count; ++i) spec.choices.push_back(text(c.choices[i]));
  if (spec.type == OptionType::kEnum && spec.choices.empty()) {
    throw BadPlugin("enum option '" + spec.name + "' declares no choices");
  }
  if (spec.type == OptionType::kBool) spec.implicit_value = "true";
  spec.cli_name = plugin + "." + spec.name;
  spec.cli_alias = text(c.alias);
  spec.env_name = "TEST_RIG_" + env_token(plugin) + "_" + env_token(spec.name);
  if (spec.default_value) {
    ParsedValue parsed = parse_option_text(spec, *spec.default_value);
    if (!parsed.value) {
      throw BadPlugin("default of option '" + spec.name + "' is invalid: " + parsed.error);
    }
  }
  return spec;
}

TestMachine read_test(const rig_test_descriptor* raw) {
  rig_test_descriptor c = read_struct(raw, "test descriptor");
  TestMachine machine;
  machine.name = text(c.name);
  machine.doc = text(c.doc);
  machine.max_steps = c.max_steps;
  machine.divides_its_work = (c.flags & RIG_TEST_DIVIDES_ITS_WORK) != 0;
  machine.judge_baseline = c.judge_baseline;
  machine.judge_baseline_user = c.judge_baseline_user;
  machine.check_options = c.check_options;
  machine.check_options_user = c.check_options_user;
  for (uint32_t i = 0; i < c.state_count; ++i) {
    rig_state_descriptor s = read_struct(c.states[i], "state descriptor");
    machine.states.push_back({text(s.id), text(s.doc), (s.flags & RIG_STATE_INITIAL) != 0,
                              (s.flags & RIG_STATE_TERMINAL) != 0, s.enter, s.execute, s.exit,
                              s.user, s.timeout_ms});
  }
  for (uint32_t i = 0; i < c.transition_count; ++i) {
    rig_transition_descriptor t = read_struct(c.transitions[i], "transition descriptor");
    machine.transitions.emplace_back(text(t.from), text(t.to));
  }
  for (uint32_t i = 0; i < c.hook_count; ++i) {
    rig_hook_descriptor h = read_struct(c.hooks[i], "hook descriptor");
    StateDefinition hook;
    hook.id = text(h.name);
    hook.doc = text(h.doc);
    machine.hooks.push_back(std::move(hook));
  }
  return machine;
}

// Libraries stay loaded until the process exits: unloading is where plugin
// hosts crash, so the handles are deliberately leaked.
std::vector<boost::dll::shared_library>& loaded_libraries() {
  static auto* libraries = new std::vector<boost::dll::shared_library>();
  return *libraries;
}

// Boost.DLL clears dlerror(); ask dlopen again for the loader's reason.
std::string dlopen_reason(const std::string& path) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle != nullptr) return "unknown reason";  // never dlclose'd, see above
  const char* reason = dlerror();
  return reason ? reason : "unknown reason";
}

std::string missing_entry_message(const boost::dll::shared_library& library) {
  for (int major = 0; major <= 9; ++major) {
    if (major == RIG_ABI_VERSION_MAJOR) continue;
    std::string other = "rig_plugin_entry_v" + std::to_string(major);
    if (library.has(other)) {
      return "built for plugin ABI v" + std::to_string(major) + " (exports " + other +
             "), but this test-rig speaks v" + std::to_string(RIG_ABI_VERSION_MAJOR) +
             "; rebuild the plugin against this SDK";
    }
  }
  return std::string("no ") + RIG_PLUGIN_ENTRY_SYMBOL +
         " symbol; not a test-rig plugin (define it with TEST_RIG_PLUGIN)";
}

bool matches(const std::string& pattern, const LoadedPlugin& plugin, const TestMachine& test) {
  const std::string full = plugin.name + "/" + test.name;
  if (fnmatch(pattern.c_str(), full.c_str(), 0) == 0) return true;
  return pattern.find('/') == std::string::npos &&
         fnmatch(pattern.c_str(), plugin.name.c_str(), 0) == 0;
}

}  // namespace

void PluginRegistry::load_directory(const std::string& directory, bool must_exist) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    if (must_exist) problems_.push_back({directory, "plugin directory does not exist"});
    return;
  }
  // The same directory named twice (say --plugin-dir and the install
  // directory) is searched once, not reported as duplicate plugins.
  if (!searched_directories_.insert(fs::canonical(directory, ec).string()).second) return;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".so") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    // A plugin built into the host (the python plugin of `python3 -m
    // test_rig`) is not loaded again from its file.
    const LoadedPlugin* builtin = find(fs::path(file).stem().string());
    if (builtin && builtin->built_in) continue;
    load_file(file);
  }
}

void PluginRegistry::bind_state(const StateBinding& binding) {
  const std::string target = binding.plugin + "/" + binding.test;
  if (!binding.problem.empty()) {
    problems_.push_back({binding.origin, "cannot bind a handler to " + target + " state '" +
                                             binding.state + "': " + binding.problem});
    return;
  }
  for (LoadedPlugin& plugin : plugins_) {
    if (plugin.name != binding.plugin) continue;
    for (TestMachine& test : plugin.tests) {
      if (test.name != binding.test) continue;
      // A state or a hook (never terminal) takes a binding the same way.
      for (std::vector<StateDefinition>* slots : {&test.states, &test.hooks}) {
        for (StateDefinition& slot : *slots) {
          if (slot.id != binding.state) continue;
          if (!slot.terminal && binding.execute == nullptr) {
            problems_.push_back(
                {binding.origin, "handler bound to " + target +
                                     (slots == &test.hooks ? " hook '" : " state '") +
                                     binding.state + "' has no execute"});
            return;
          }
          slot.enter = binding.enter;
          slot.execute = slot.terminal ? nullptr : binding.execute;
          slot.exit = binding.exit;
          slot.user = binding.user;
          if (binding.timeout_ms) slot.timeout_ms = binding.timeout_ms;
          return;
        }
      }
      problems_.push_back({binding.origin, "cannot bind a handler: " + target +
                                               " has no state or hook '" + binding.state + "'"});
      return;
    }
  }
  problems_.push_back({binding.origin, "cannot bind a handler: no test " + target});
}

void PluginRegistry::load_file(const std::string& path) {
  try {
    const test_rig::IsolatedCall trial = test_rig::call_isolated(
        [&path] {
          // What cannot load here is reported by the real load below.
          void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
          if (handle == nullptr) return;
          auto entry =
              reinterpret_cast<rig_plugin_entry_fn>(dlsym(handle, RIG_PLUGIN_ENTRY_SYMBOL));
          if (entry == nullptr) return;
          char reason[1024] = "";
          rig_entry_error error{reason, sizeof(reason)};
          set_entry_plugin_path(path);
          entry(host_api(), &error);
        },
        trial_load_limit_);
    if (!trial.returned()) {
      throw BadPlugin("skipped: loading it (tried first in a child process) " + trial.describe());
    }
    boost::dll::fs::error_code ec;
    boost::dll::shared_library library(
        path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (ec) throw BadPlugin("cannot load: " + dlopen_reason(path));
    if (!library.has(RIG_PLUGIN_ENTRY_SYMBOL)) throw BadPlugin(missing_entry_message(library));
    auto entry = library.get<const rig_plugin_descriptor*(const rig_host_api*, rig_entry_error*)>(
        RIG_PLUGIN_ENTRY_SYMBOL);
    loaded_libraries().push_back(library);
    add_plugin(entry, path, path);
  } catch (const std::exception& e) {
    problems_.push_back({path, e.what()});
  }
}

void PluginRegistry::load_builtin(rig_plugin_entry_fn entry, const std::string& origin) {
  try {
    add_plugin(entry, origin, "");
  } catch (const std::exception& e) {
    problems_.push_back({origin, e.what()});
  }
}

void PluginRegistry::add_plugin(rig_plugin_entry_fn entry, const std::string& path,
                                const std::string& file) {
  char reason[1024] = "";
  rig_entry_error error{reason, sizeof(reason)};
  set_entry_plugin_path(file);
  const rig_plugin_descriptor* raw = entry(host_api(), &error);
  set_entry_plugin_path("");
  if (raw == nullptr) {
    throw BadPlugin(std::string("initialisation failed: ") +
                    (reason[0] ? reason : "the entry function returned no descriptor"));
  }
  if (raw->abi_major != RIG_ABI_VERSION_MAJOR) {
    throw BadPlugin("descriptor declares plugin ABI v" + std::to_string(raw->abi_major) +
                    ", but this test-rig speaks v" + std::to_string(RIG_ABI_VERSION_MAJOR));
  }
  rig_plugin_descriptor descriptor = read_struct(raw, "plugin descriptor");

  LoadedPlugin plugin;
  plugin.name = text(descriptor.name);
  plugin.version = text(descriptor.version);
  plugin.doc = text(descriptor.doc);
  plugin.path = path;
  plugin.built_in = file.empty();
  if (!valid_name(plugin.name)) {
    throw BadPlugin("plugin name '" + plugin.name + "' is not of the form [a-z0-9_-]+");
  }
  if (const LoadedPlugin* existing = find(plugin.name)) {
    throw BadPlugin("duplicate plugin name '" + plugin.name + "' (already loaded from " +
                    existing->path + ")");
  }
  std::set<std::string> option_names;
  for (uint32_t i = 0; i < descriptor.option_count; ++i) {
    OptionSpec spec = read_option(plugin.name, descriptor.options[i]);
    if (!option_names.insert(spec.name).second) {
      throw BadPlugin("option '" + spec.name + "' is declared twice");
    }
    plugin.options.push_back(std::move(spec));
  }
  plugin.tests = read_tests(descriptor, plugin);
  plugin.configure = descriptor.configure;
  plugin.configure_user = descriptor.configure_user;
  for (uint32_t i = 0; i < descriptor.command_count; ++i) {
    rig_command_descriptor c = read_struct(descriptor.commands[i], "command descriptor");
    PluginCommand command{text(c.name), text(c.usage), text(c.doc), c.run, c.user};
    const bool valid = valid_name(command.name) && command.name[0] >= 'a' &&
                       command.name[0] <= 'z' && command.run != nullptr;
    const auto [owner, taken] = find_command(command.name);
    if (!valid) {
      problems_.push_back({path, "command '" + command.name +
                                     "' needs a name of the form [a-z][a-z0-9_-]* and a function; "
                                     "command skipped"});
    } else if (taken_commands_.count(command.name) || taken) {
      problems_.push_back({path, "command '" + command.name + "' is taken by " +
                                     (taken ? "plugin " + owner->name : std::string("test-rig")) +
                                     "; command skipped"});
    } else {
      plugin.commands.push_back(std::move(command));
    }
  }
  for (OptionSpec& spec : plugin.options) take_alias(spec, path);
  plugins_.push_back(std::move(plugin));
}

void PluginRegistry::take_alias(OptionSpec& spec, const std::string& path) {
  if (spec.cli_alias.empty()) return;
  const std::string alias = std::exchange(spec.cli_alias, "");
  const bool valid = alias[0] >= 'a' && alias[0] <= 'z' &&
                     std::all_of(alias.begin(), alias.end(), [](unsigned char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                     });
  if (!valid) {
    problems_.push_back({path, "alias '" + alias + "' of option '" + spec.cli_name +
                                   "' is not of the form [a-z][a-z0-9-]*; alias dropped"});
  } else if (!taken_options_.insert(alias).second) {
    problems_.push_back({path, "alias '" + alias + "' of option '" + spec.cli_name +
                                   "' is already a test-rig option's name; alias dropped"});
  } else {
    spec.cli_alias = alias;
  }
}

std::vector<TestMachine> PluginRegistry::read_tests(const rig_plugin_descriptor& descriptor,
                                                    const LoadedPlugin& plugin) {
  std::vector<TestMachine> tests;
  std::set<std::string> test_names;
  for (uint32_t i = 0; i < descriptor.test_count; ++i) {
    TestMachine test = read_test(descriptor.tests[i]);
    if (!valid_name(test.name)) {
      problems_.push_back({plugin.path, "test name '" + test.name +
                                            "' is not of the form [a-z0-9_-]+; test skipped"});
      continue;
    }
    if (!test_names.insert(test.name).second) {
      problems_.push_back({plugin.path, "test '" + test.name + "' is declared twice; skipped"});
      continue;
    }
    std::vector<std::string> invalid = validate(test);
    if (!invalid.empty()) {
      std::string joined;
      for (const auto& why : invalid) joined += (joined.empty() ? "" : "; ") + why;
      problems_.push_back({plugin.path, "test '" + plugin.name + "/" + test.name +
                                            "' has an invalid state machine: " + joined});
      continue;
    }
    tests.push_back(std::move(test));
  }
  return tests;
}

void PluginRegistry::configure(
    const std::function<std::unique_ptr<rig_run>(const LoadedPlugin&)>& make_run) {
  for (LoadedPlugin& plugin : plugins_) {
    if (plugin.configure == nullptr) continue;
    std::unique_ptr<rig_run> run = make_run(plugin);
    try {
      const rig_plugin_descriptor* configured = plugin.configure(plugin.configure_user, run.get());
      if (configured == nullptr) {
        if (!run->message.empty()) {
          problems_.push_back({plugin.path, "configure failed: " + run->message});
        }
        continue;
      }
      plugin.tests = read_tests(read_struct(configured, "configured plugin descriptor"), plugin);
    } catch (const std::exception& e) {
      problems_.push_back({plugin.path, std::string("configure failed: ") + e.what()});
    }
  }
}

std::pair<const LoadedPlugin*, const PluginCommand*> PluginRegistry::find_command(
    const std::string& name) const {
  for (const auto& plugin : plugins_) {
    for (const auto& command : plugin.commands) {
      if (command.name == name) return {&plugin, &command};
    }
  }
  return {nullptr, nullptr};
}

const LoadedPlugin* PluginRegistry::find(const std::string& name) const {
  for (const auto& plugin : plugins_) {
    if (plugin.name == name) return &plugin;
  }
  return nullptr;
}

std::vector<SelectedTest> PluginRegistry::select(const std::vector<std::string>& patterns,
                                                 std::vector<std::string>* unmatched) const {
  std::vector<SelectedTest> selected;
  std::set<const TestMachine*> seen;
  for (const auto& plugin : plugins_) {
    for (const auto& test : plugin.tests) {
      bool wanted = patterns.empty() ||
                    std::any_of(patterns.begin(), patterns.end(), [&](const auto& pattern) {
                      return matches(pattern, plugin, test);
                    });
      if (wanted && seen.insert(&test).second) selected.push_back({&plugin, &test});
    }
  }
  if (unmatched) {
    for (const auto& pattern : patterns) {
      bool any = std::any_of(selected.begin(), selected.end(), [&](const SelectedTest& t) {
        return matches(pattern, *t.plugin, *t.test);
      });
      if (!any) unmatched->push_back(pattern);
    }
  }
  return selected;
}

}  // namespace rig
