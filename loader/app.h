// loader/app.h -- what every command of `test-rig` starts from: logging set
// up, plugins loaded, the command line parsed against every option, and the
// configuration resolved.
#ifndef TEST_RIG_LOADER_APP_H_
#define TEST_RIG_LOADER_APP_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config_file.h"
#include "core/config/configuration.h"
#include "core/plugin/plugin_registry.h"
#include "loader/command_line.h"

namespace rig {

struct App {
  std::vector<OptionSpec> core_specs;
  // Options of the command being run that no other command takes (`sandbox
  // start --nodes 3`): on the command line only, by option name.
  std::map<std::string, OptionValue> command_options;
  PluginRegistry registry;
  CommandLine command_line;
  std::optional<ConfigFile> config_file;
  Configuration config;
  std::string executable_dir;

  // Every option, core first, then each plugin's.
  std::vector<OptionSpec> all_specs() const;
};

// A plugin linked into the program that runs test-rig (the python plugin
// inside `python3 -m test_rig`), registered before any plugin directory.
struct BuiltinPlugin {
  rig_plugin_entry_fn entry;
  std::string origin;  // "builtin:..."
};

// Words after the command that name test files: `python3 -m test_rig run
// tests/test_bank.py` for --python.tests tests/test_bank.py.
struct PathWords {
  std::string option;   // the plugin's list option they are items of ("python.tests")
  std::string suffix;   // a word naming a file ends in it (".py"); any directory counts
  std::string run_all;  // what `run` with no other word runs ("python")
};

// How test-rig runs inside another program (`python3 -m test_rig`).
struct Embedding {
  std::vector<BuiltinPlugin> builtins;
  std::optional<PathWords> path_words;  // none: every word is a command's word
};

// Builds the App. Throws UsageError or ConfigError (exit code 2).
App start_app(int argc, const char* const* argv, const Embedding& embedding);

// Everything the test-rig executable does, from its arguments to its exit
// code; also used in-process by `python3 -m test_rig`.
int test_rig_main(int argc, const char* const* argv, const Embedding& embedding = {});

// A command of test-rig's own. This table is the one place a command is
// added: dispatch, --help and the names plugin commands may not take all
// come from it.
struct BuiltinCommand {
  const char* name;
  const char* usage;  // for --help: the name and its words
  const char* doc;
  int (*run)(App& app);  // returns the process exit code
  // Options only this command takes, or null: parsed and checked as any
  // option, given on the command line only (App::command_options).
  std::vector<OptionSpec> (*options)() = nullptr;
};
const std::vector<BuiltinCommand>& builtin_commands();

// Commands; each returns the process exit code.
int list_command(App& app);
int describe_command(App& app);
int config_command(App& app);
int run_command(App& app);
int report_command(App& app);
std::vector<OptionSpec> report_command_options();
int sandbox_command(App& app);
std::vector<OptionSpec> sandbox_command_options();
// A command a plugin adds (`test-rig check HISTORY`), run in this process.
int plugin_command(App& app, const LoadedPlugin& plugin, const PluginCommand& command);

}  // namespace rig

#endif  // TEST_RIG_LOADER_APP_H_
