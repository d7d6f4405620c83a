// core/plugin/plugin_registry.h -- finding, loading and checking plugins.
//
//   PluginRegistry registry;
//   registry.load_directory("/usr/lib/test-rig/plugins", /*must_exist=*/false);
//   for (const LoadProblem& p : registry.problems()) warn(p.path, p.message);
//   for (const LoadedPlugin& plugin : registry.plugins()) ...
//
// A plugin is checked before it is trusted: the entry symbol must exist; the
// descriptor's struct_size must cover the v1 fields and its ABI major must
// match; names must be valid and unique; option defaults must parse; every
// test's machine must validate. A plugin (or a test) that fails is recorded
// as a LoadProblem naming its file, and the rest still load. Libraries are
// loaded with RTLD_NOW | RTLD_LOCAL and never unloaded.
#ifndef TEST_RIG_CORE_PLUGIN_PLUGIN_REGISTRY_H_
#define TEST_RIG_CORE_PLUGIN_PLUGIN_REGISTRY_H_

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/config/option_spec.h"
#include "core/engine/state_machine.h"
#include "core/plugin/host_settings.h"
#include "core/plugin/load_problem.h"

namespace rig {

// A command a plugin adds to test-rig (ABI 1.2).
struct PluginCommand {
  std::string name, usage, doc;
  rig_command_fn run = nullptr;
  void* user = nullptr;
};

struct LoadedPlugin {
  std::string name;
  std::string version;
  std::string doc;
  std::string path;       // its file, or the origin a built-in plugin was given
  bool built_in = false;  // linked into the host (load_builtin), not loaded from a file
  std::vector<OptionSpec> options;
  std::vector<TestMachine> tests;
  std::vector<PluginCommand> commands;
  // The plugin's configure phase (ABI 1.2), or null.
  rig_configure_fn configure = nullptr;
  void* configure_user = nullptr;
};

// A test picked by a pattern.
struct SelectedTest {
  const LoadedPlugin* plugin;
  const TestMachine* test;
};

class PluginRegistry {
 public:
  // Before a plugin file is loaded into this process, it is loaded and its
  // entry function called once in a child process: a plugin that exits,
  // crashes or hangs there is a problem and is skipped, never the end (or
  // a false green) of test-rig. A child that has not returned after
  // `limit` is killed.
  void set_trial_load_limit(std::chrono::milliseconds limit) { trial_load_limit_ = limit; }

  // Names no plugin command may take: the host's own commands. A plugin
  // command of such a name, or of another plugin's command, is a problem
  // and the command is left out.
  void reserve_command_names(std::set<std::string> names) { taken_commands_ = std::move(names); }
  // Command-line names no option alias may take: the core options'. An
  // alias of such a name, or of another alias, is a problem and is dropped.
  void reserve_option_names(std::set<std::string> names) { taken_options_ = std::move(names); }

  // Loads every *.so file in `directory`, in name order. A missing
  // directory is a problem only when `must_exist`.
  void load_directory(const std::string& directory, bool must_exist);
  void load_file(const std::string& path);
  // A plugin linked into the host itself; `origin` ("builtin:...") stands
  // for its path. A plugin file of the same name is then not loaded.
  void load_builtin(rig_plugin_entry_fn entry, const std::string& origin);

  const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
  const std::vector<LoadProblem>& problems() const { return problems_; }
  const LoadedPlugin* find(const std::string& name) const;
  // The plugin command called `name`, and its plugin; nulls when none.
  std::pair<const LoadedPlugin*, const PluginCommand*> find_command(const std::string& name) const;

  // The configure phase: calls each plugin's configure function (once every
  // option is resolved) with a run of no test from `make_run`, and takes
  // the tests of the descriptor it returns. A failure is a problem of the
  // plugin, which keeps the tests it had. [main-thread]
  void configure(const std::function<std::unique_ptr<rig_run>(const LoadedPlugin&)>& make_run);

  // Gives a state of a loaded test the handlers of `binding`; a binding to
  // a test or state that does not exist is recorded as a problem of its
  // origin.
  void bind_state(const StateBinding& binding);

  // Tests matching any pattern ("plugin/test", "plugin", or a glob such as
  // "txn/*dead*"), in load order, each once. No patterns selects all.
  // `unmatched` receives the patterns that matched nothing.
  std::vector<SelectedTest> select(const std::vector<std::string>& patterns,
                                   std::vector<std::string>* unmatched) const;

 private:
  // Calls the entry function and checks what it returns; throws BadPlugin.
  // `path` names the plugin in reports; `file` is the library it came from
  // ("" for one linked into test-rig), which its entry function is told.
  void add_plugin(rig_plugin_entry_fn entry, const std::string& path, const std::string& file);
  // The valid tests of `descriptor`; the others are problems of `plugin`.
  std::vector<TestMachine> read_tests(const rig_plugin_descriptor& descriptor,
                                      const LoadedPlugin& plugin);
  // Keeps the alias of `spec` if it is valid and free, else drops it as a
  // problem of `path`.
  void take_alias(OptionSpec& spec, const std::string& path);

  std::vector<LoadedPlugin> plugins_;
  std::vector<LoadProblem> problems_;
  std::set<std::string> searched_directories_;  // canonical paths
  std::set<std::string> taken_commands_;
  std::set<std::string> taken_options_;  // and the aliases given so far
  std::chrono::milliseconds trial_load_limit_{30000};
};

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_PLUGIN_REGISTRY_H_
