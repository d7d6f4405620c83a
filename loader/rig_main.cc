// loader/rig_main.cc -- test_rig_main: the whole of `test-rig`, callable
// in-process.
#include <iostream>

#include "core/config/config_file.h"
#include "core/config/password.h"
#include "core/report/run_report.h"
#include "loader/app.h"

#ifndef TEST_RIG_VERSION
#define TEST_RIG_VERSION "0.0.0"
#endif

namespace rig {
namespace {

std::vector<CommandHelp> command_help(const PluginRegistry& registry) {
  std::vector<CommandHelp> help;
  for (const BuiltinCommand& command : builtin_commands()) {
    help.push_back({command.usage, command.doc,
                    command.options ? command.options() : std::vector<OptionSpec>{}});
  }
  for (const LoadedPlugin& plugin : registry.plugins()) {
    for (const PluginCommand& command : plugin.commands) {
      help.push_back({command.name + (command.usage.empty() ? "" : " " + command.usage),
                      command.doc + " (plugin " + plugin.name +
                          "; its options by their bare "
                          "names too, such as --" +
                          (plugin.options.empty() ? std::string("name") : plugin.options[0].name) +
                          ")",
                      {}});
    }
  }
  return help;
}

int dispatch(App& app) {
  const auto& words = app.command_line.words;
  if (app.command_line.version) {
    std::cout << "test-rig " << TEST_RIG_VERSION << " (plugin ABI v" << RIG_ABI_VERSION_MAJOR << "."
              << RIG_ABI_VERSION_MINOR << ")\n";
    return kExitPassed;
  }
  if (app.command_line.help || words.empty()) {
    std::cout << help_text(command_help(app.registry), app.core_specs, app.registry);
    return words.empty() && !app.command_line.help ? kExitUsage : kExitPassed;
  }
  const std::string& name = words.front();
  for (const BuiltinCommand& command : builtin_commands()) {
    if (name == command.name) return command.run(app);
  }
  if (const auto [plugin, command] = app.registry.find_command(name); command) {
    return plugin_command(app, *plugin, *command);
  }
  std::string names;
  for (const CommandHelp& command : command_help(app.registry)) {
    const std::string first = command.usage.substr(0, command.usage.find(' '));
    names += (names.empty() ? "" : ", ") + first;
  }
  throw UsageError("unknown command '" + name + "'; commands are " + names);
}

}  // namespace

int test_rig_main(int argc, const char* const* argv, const Embedding& embedding) {
  keep_secrets_out_of_core_dumps();
  try {
    App app = start_app(argc, argv, embedding);
    return dispatch(app);
  } catch (const UsageError& e) {
    std::cerr << "test-rig: " << e.what() << "\n";
  } catch (const ConfigError& e) {
    std::cerr << "test-rig: config error: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "test-rig: " << e.what() << "\n";
    return kExitInfrastructure;
  }
  return kExitUsage;
}

}  // namespace rig
