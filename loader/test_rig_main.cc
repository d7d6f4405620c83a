// test_rig_main: the whole of `test-rig`, callable in-process.
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

int dispatch(App& app) {
  const auto& words = app.command_line.words;
  if (app.command_line.version) {
    std::cout << "test-rig " << TEST_RIG_VERSION << " (plugin ABI v" << RIG_ABI_VERSION_MAJOR << "."
              << RIG_ABI_VERSION_MINOR << ")\n";
    return kExitPassed;
  }
  if (app.command_line.help || words.empty()) {
    std::cout << help_text(app.core_specs, app.registry);
    return words.empty() && !app.command_line.help ? kExitUsage : kExitPassed;
  }
  const std::string& command = words.front();
  if (command == "list") return list_command(app);
  if (command == "describe") return describe_command(app);
  if (command == "run") return run_command(app);
  if (command == "sandbox") return sandbox_command(app);
  if (command == "config") {
    if (words.size() == 2 && words[1] == "show") return config_show_command(app);
    if (words.size() == 1) throw UsageError("config needs a subcommand: config show");
    if (words[1] != "show") {
      throw UsageError("unknown subcommand 'config " + words[1] + "'; did you mean config show?");
    }
    throw UsageError("config show takes no arguments, got '" + words[2] +
                     "'; options such as -c FILE go before or after it");
  }
  throw UsageError("unknown command '" + command +
                   "'; commands are list, describe, run, config show, sandbox");
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
