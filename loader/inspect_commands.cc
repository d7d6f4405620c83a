// The read-only commands: list, describe and config show.
#include <iomanip>
#include <iostream>

#include "core/config/password.h"
#include "core/engine/state_machine.h"
#include "core/report/run_report.h"
#include "loader/app.h"

namespace rig {

int list_command(App& app) {
  if (app.registry.plugins().empty()) {
    std::cout << "no plugins found; pass --plugin-dir DIR or set TEST_RIG_PLUGIN_PATH\n";
  }
  for (const auto& plugin : app.registry.plugins()) {
    std::cout << plugin.name << " " << plugin.version << "  " << plugin.path << "\n";
    if (!plugin.doc.empty()) std::cout << "  " << plugin.doc << "\n";
    for (const auto& test : plugin.tests) {
      std::cout << "  " << std::left << std::setw(36) << (plugin.name + "/" + test.name) << test.doc
                << "\n";
    }
  }
  for (const auto& problem : app.registry.problems()) {
    std::cout << "problem: " << problem.path << ": " << problem.message << "\n";
  }
  return app.registry.problems().empty() || !app.config.boolean("run.strict") ? kExitPassed
                                                                              : kExitUsage;
}

int describe_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() != 2) throw UsageError("usage: test-rig describe PLUGIN[/TEST] [--dot]");
  const std::string& target = words[1];
  const std::string plugin_name = target.substr(0, target.find('/'));
  const LoadedPlugin* plugin = app.registry.find(plugin_name);
  if (plugin == nullptr) {
    throw UsageError("no plugin named '" + plugin_name + "'; see test-rig list");
  }
  std::string test_name =
      target.find('/') == std::string::npos ? "" : target.substr(target.find('/') + 1);
  std::vector<const TestMachine*> tests;
  for (const auto& test : plugin->tests) {
    if (test_name.empty() || test.name == test_name) tests.push_back(&test);
  }
  if (!test_name.empty() && tests.empty()) {
    throw UsageError("plugin '" + plugin_name + "' has no test named '" + test_name +
                     "'; see test-rig describe " + plugin_name);
  }
  if (app.command_line.dot) {
    for (const TestMachine* test : tests) std::cout << to_dot(*test);
    return kExitPassed;
  }
  std::cout << plugin->name << " " << plugin->version << " (" << plugin->path << ")\n";
  if (!plugin->doc.empty()) std::cout << plugin->doc << "\n";
  std::cout << "\noptions:\n";
  if (plugin->options.empty()) std::cout << "  (none)\n";
  for (const auto& option : plugin->options) {
    std::cout << "  --" << option.cli_name;
    if (!option.cli_alias.empty()) std::cout << " (or --" << option.cli_alias << ")";
    std::cout << " (" << option_type_name(option.type);
    for (std::size_t i = 0; i < option.choices.size(); ++i) {
      std::cout << (i ? "|" : ": ") << option.choices[i];
    }
    std::cout << ")";
    if (auto shown = shown_default(option)) std::cout << " default " << *shown;
    std::cout << ": " << option.help << "\n";
  }
  if (!plugin->commands.empty()) {
    std::cout << "\ncommands (the options above also by their bare names, --"
              << (plugin->options.empty() ? std::string("name") : plugin->options[0].name)
              << "):\n";
    for (const auto& command : plugin->commands) {
      std::cout << "  test-rig " << command.name << (command.usage.empty() ? "" : " ")
                << command.usage << ": " << command.doc << "\n";
    }
  }
  for (const TestMachine* test : tests) {
    std::cout << "\ntest " << plugin->name << "/" << test->name << ": " << test->doc << "\n";
    if (test->divides_its_work) {
      std::cout << "  with --shard I/N: runs in every shard, each doing its share of the work\n";
    }
    std::cout << "  states:\n";
    for (const auto& state : test->states) {
      std::cout << "    " << std::left << std::setw(24) << state.id
                << (state.initial ? "[initial] " : "") << (state.terminal ? "[terminal] " : "")
                << state.doc << "\n";
    }
    std::cout << "  transitions:\n";
    for (const auto& [from, to] : test->transitions) {
      std::cout << "    " << from << " -> " << to << "\n";
    }
    if (!test->hooks.empty()) std::cout << "  hooks (bind a handler to call it):\n";
    for (const auto& hook : test->hooks) {
      std::cout << "    " << std::left << std::setw(24) << hook.id
                << (hook.execute ? "[bound] " : "[unbound] ") << hook.doc << "\n";
    }
  }
  return kExitPassed;
}

int config_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() == 1) throw UsageError("config needs a subcommand: config show");
  if (words[1] != "show") {
    throw UsageError("unknown subcommand 'config " + words[1] + "'; did you mean config show?");
  }
  if (words.size() > 2) {
    throw UsageError("config show takes no arguments, got '" + words[2] +
                     "'; options such as -c FILE go before or after it");
  }
  if (app.config_file) std::cout << "# config file: " << app.config_file->path() << "\n";
  std::string section;
  for (const auto& option : app.config.options()) {
    if (option.spec.section != section) {
      section = option.spec.section;
      std::cout << "\n[" << section << "]\n";
    }
    std::string value = "(unset)";
    if (option.value) {
      value = option.spec.secret ? kMaskedSecret : format_option_value(*option.value);
      if (!option.spec.secret && option.spec.type != OptionType::kBool &&
          option.spec.type != OptionType::kInt && option.spec.type != OptionType::kFloat) {
        value = "\"" + value + "\"";
      }
    }
    std::cout << std::left << std::setw(22) << option.spec.name << " = " << std::setw(28) << value
              << " # " << option.origin << "\n";
  }
  return kExitPassed;
}

}  // namespace rig
