// The table of test-rig's own commands, and running a command a plugin
// adds.
#include <iostream>

#include "core/config/password.h"
#include "core/db/connect_params.h"
#include "core/plugin/run_context.h"
#include "core/report/run_report.h"
#include "loader/app.h"

namespace rig {

const std::vector<BuiltinCommand>& builtin_commands() {
  static const std::vector<BuiltinCommand> table = {
      {"list", "list", "plugins, their tests, versions and files", &list_command},
      {"describe", "describe PLUGIN[/TEST]", "options, states and transitions; --dot for Graphviz",
       &describe_command},
      {"run", "run [PATTERN...]",
       "run tests: plugin/test, plugin, or a glob such as 'txn/*dead*'; no pattern runs every "
       "test",
       &run_command},
      {"config", "config show", "effective configuration and the source of each value",
       &config_command},
      {"sandbox", "sandbox start|stop|restart [DIR] [--nodes N] [--node K]",
       "a MariaDB sandbox that outlives this command; --nodes N: a Galera cluster of N nodes "
       "(start); --node K: only that node of a cluster (stop, restart)",
       &sandbox_command, &sandbox_command_options},
      {"report", "report merge REPORT.json... | compare BEFORE AFTER.json | html REPORT.json",
       "merge: the JSON reports of one run's shards as one (--report-json, --junit, --force); "
       "compare: two reports side by side, exit 1 on a regression (--max-p99-rise 10%, ...), "
       "or a report against a baseline a test recorded (--isolation.record FILE); "
       "html: the report as a page with charts (--report-html FILE, else REPORT.html)",
       &report_command, &report_command_options},
  };
  return table;
}

int plugin_command(App& app, const LoadedPlugin& plugin, const PluginCommand& command) {
  // A command never prompts: it may run where nobody can answer.
  const ConnectParams connect = connect_params(app.config, resolve_password(app.config, false));
  std::unique_ptr<rig_run> run =
      make_run_context(plugin.name, command.name, nullptr, connect, app.config);
  const auto& words = app.command_line.words;
  std::vector<const char*> args;
  for (std::size_t i = 1; i < words.size(); ++i) args.push_back(words[i].c_str());
  const int32_t code =
      command.run(command.user, run.get(), args.data(), static_cast<uint32_t>(args.size()));
  const int exit_code =
      code >= kExitPassed && code <= kExitInfrastructure ? code : kExitInfrastructure;
  if (exit_code != kExitPassed && !run->message.empty()) {
    std::cerr << "test-rig: " << command.name << ": " << run->message << "\n";
  }
  return exit_code;
}

}  // namespace rig
