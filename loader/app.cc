#include "loader/app.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "core/config/core_options.h"
#include "core/db/session.h"
#include "core/log/logging.h"
#include "core/plugin/host_settings.h"
#include "core/plugin/run_context.h"
#include "core/report/report_formats.h"

namespace rig {
namespace {

namespace fs = std::filesystem;

std::string executable_directory() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "." : self.parent_path().string();
}

// --config, else TEST_RIG_CONFIG, else ./tidb_config.toml or .json if present.
std::optional<ConfigFile> find_config_file(const CommandLine& line) {
  if (line.config_file) return ConfigFile::load(*line.config_file);
  if (const char* from_env = std::getenv("TEST_RIG_CONFIG")) return ConfigFile::load(from_env);
  for (const char* name : {"tidb_config.toml", "tidb_config.json"}) {
    std::error_code ec;
    if (fs::exists(name, ec)) return ConfigFile::load(name);
  }
  return std::nullopt;
}

// The core options, resolved before plugins load (plugin sections of the
// config file cannot be checked yet, so they are left out).
Configuration early_configuration(const std::vector<OptionSpec>& core_specs,
                                  const CommandLine& line, const ConfigFile* file) {
  std::optional<ConfigFile> core_part;
  if (file) core_part = file->without_prefix("plugins.");
  return Configuration::resolve(core_specs, line.values, process_environment(),
                                core_part ? &*core_part : nullptr);
}

LogSettings log_settings(const Configuration& config) {
  LogSettings settings;
  settings.level = config.string(keys::kLogLevel).value_or("info");
  if (config.boolean(keys::kVerbose) &&
      config.find(keys::kLogLevel)->source == ValueSource::kDefault) {
    settings.level = "debug";
  }
  settings.file = config.string(keys::kLogFile).value_or("");
  settings.format = config.string(keys::kLogFormat).value_or("text") == "json" ? LogFormat::kJson
                                                                               : LogFormat::kText;
  return settings;
}

// The words after the command that name a directory or a file ending in
// `words.suffix`.
std::vector<std::string> path_words(const std::vector<std::string>& words, const PathWords& rule) {
  std::vector<std::string> paths;
  for (std::size_t i = 1; i < words.size(); ++i) {
    std::error_code ec;
    const bool file =
        words[i].size() > rule.suffix.size() &&
        words[i].compare(words[i].size() - rule.suffix.size(), std::string::npos, rule.suffix) == 0;
    if (file || fs::is_directory(words[i], ec)) paths.push_back(words[i]);
  }
  return paths;
}

// Takes the path words out of the command's words. The first parse knew
// no plugin options, so a path it took for a word may be an option's value
// (`--isolation.expectations DIR`): that is refused, naming the fix.
void remove_words(CommandLine& line, const std::vector<std::string>& paths, const PathWords& rule) {
  for (const std::string& path : paths) {
    auto found = std::find(line.words.begin(), line.words.end(), path);
    if (found == line.words.end()) {
      throw UsageError("'" + path + "' is both an option's value and a test path; give " +
                       "the option as --name=" + path + ", or the path as --" + rule.option + " " +
                       path);
    }
    line.words.erase(found);
  }
  if (line.words.size() == 1 && line.words.front() == "run") line.words.push_back(rule.run_all);
}

void load_plugins(App& app, const Configuration& early,
                  const std::vector<BuiltinPlugin>& builtins) {
  const double load_limit_s = early.floating(keys::kPluginLoadTimeout);
  set_host_list(keys::kPluginLoadTimeout, {std::to_string(load_limit_s)});
  app.registry.set_trial_load_limit(
      std::chrono::milliseconds(static_cast<int64_t>(load_limit_s * 1000)));
  std::set<std::string> builtin_names;
  for (const BuiltinCommand& command : builtin_commands()) builtin_names.insert(command.name);
  app.registry.reserve_command_names(std::move(builtin_names));
  std::set<std::string> core_option_names;
  for (const OptionSpec& spec : app.core_specs) core_option_names.insert(spec.cli_name);
  app.registry.reserve_option_names(std::move(core_option_names));
  for (const BuiltinPlugin& builtin : builtins)
    app.registry.load_builtin(builtin.entry, builtin.origin);
  for (const auto& dir : early.list(keys::kPluginDirs)) {
    app.registry.load_directory(dir, /*must_exist=*/true);
  }
  if (const char* path = std::getenv("TEST_RIG_PLUGIN_PATH")) {
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      if (!dir.empty()) app.registry.load_directory(dir, /*must_exist=*/true);
    }
  }
  // Installed layout: bin/test-rig next to lib/test-rig/plugins.
  app.registry.load_directory(app.executable_dir + "/../lib/test-rig/plugins",
                              /*must_exist=*/false);
}

// The configure phase, once every option is resolved; then the state
// handlers bound while plugins loaded or configured apply.
void configure_plugins(App& app) {
  // Configuring opens no session, so it needs no server settings: `list`
  // and `config show` work whatever --host says.
  app.registry.configure([&](const LoadedPlugin& plugin) {
    return make_run_context(plugin.name, "configure", nullptr, ConnectParams{}, app.config);
  });
  for (const StateBinding& binding : take_state_bindings()) app.registry.bind_state(binding);
  for (const auto& problem : app.registry.problems()) {
    spdlog::warn("plugin {}: {}", problem.path, problem.message);
  }
}

}  // namespace

std::vector<OptionSpec> App::all_specs() const {
  std::vector<OptionSpec> specs = core_specs;
  for (const auto& plugin : registry.plugins()) {
    specs.insert(specs.end(), plugin.options.begin(), plugin.options.end());
  }
  return specs;
}

App start_app(int argc, const char* const* argv, const Embedding& embedding) {
  App app;
  app.core_specs = core_option_specs();
  for (OptionSpec& spec : report_format_options()) app.core_specs.push_back(std::move(spec));
  app.executable_dir = executable_directory();

  const std::vector<std::string> raw_args(argv, argv + argc);
  CommandLine early_line = parse_command_line(raw_args, app.core_specs, true);
  app.config_file = find_config_file(early_line);
  Configuration early = early_configuration(app.core_specs, early_line,
                                            app.config_file ? &*app.config_file : nullptr);
  configure_logging(log_settings(early));
  const std::vector<std::string> words_as_paths =
      embedding.path_words ? path_words(early_line.words, *embedding.path_words)
                           : std::vector<std::string>{};
  load_plugins(app, early, embedding.builtins);

  // After a plugin's command, its options may go by their bare names; a
  // built-in command may take options of its own.
  std::vector<std::string> args = raw_args;
  std::vector<OptionSpec> command_specs;
  if (!early_line.words.empty()) {
    const std::string& name = early_line.words.front();
    const auto [plugin, command] = app.registry.find_command(name);
    if (command) args = with_plugin_option_names(raw_args, *plugin, app.core_specs);
    for (const BuiltinCommand& builtin : builtin_commands()) {
      if (builtin.name == name && builtin.options) command_specs = builtin.options();
    }
  }
  std::vector<OptionSpec> specs = app.all_specs();
  specs.insert(specs.end(), command_specs.begin(), command_specs.end());
  app.command_line = parse_command_line(args, specs, false);
  for (const OptionSpec& spec : command_specs) {
    auto given = app.command_line.values.find(spec.cli_name);
    ParsedValue parsed = parse_option_text(
        spec, given != app.command_line.values.end() ? given->second.back() : *spec.default_value);
    if (!parsed.value) throw UsageError("--" + spec.cli_name + ": " + parsed.error);
    app.command_options[spec.name] = *parsed.value;
    if (given != app.command_line.values.end()) app.command_line.values.erase(given);
  }
  if (!words_as_paths.empty()) {
    remove_words(app.command_line, words_as_paths, *embedding.path_words);
  }
  app.config =
      Configuration::resolve(app.all_specs(), app.command_line.values, process_environment(),
                             app.config_file ? &*app.config_file : nullptr);
  if (!words_as_paths.empty() && app.config.find("plugins." + embedding.path_words->option)) {
    const std::string key = "plugins." + embedding.path_words->option;
    std::vector<std::string> paths = app.config.list(key);
    paths.insert(paths.end(), words_as_paths.begin(), words_as_paths.end());
    app.config.set(key, paths, "the command's words");
  }
  configure_logging(log_settings(app.config));
  configure_plugins(app);
  return app;
}

}  // namespace rig
