// test-rig: discovers test plugins, merges their options into one CLI and
// config, and runs their state machines against a MySQL-protocol server.
#include <iostream>

#include "core/config/config_file.h"
#include "core/report/run_report.h"
#include "loader/app.h"

#ifndef TEST_RIG_VERSION
#define TEST_RIG_VERSION "0.0.0"
#endif

namespace {

int dispatch(rig::App& app) {
  const auto& words = app.command_line.words;
  if (app.command_line.version) {
    std::cout << "test-rig " << TEST_RIG_VERSION << " (plugin ABI v" << RIG_ABI_VERSION_MAJOR
              << "." << RIG_ABI_VERSION_MINOR << ")\n";
    return rig::kExitPassed;
  }
  if (app.command_line.help || words.empty()) {
    std::cout << rig::help_text(app.core_specs, app.registry);
    return words.empty() && !app.command_line.help ? rig::kExitUsage : rig::kExitPassed;
  }
  const std::string& command = words.front();
  if (command == "list") return rig::list_command(app);
  if (command == "describe") return rig::describe_command(app);
  if (command == "run") return rig::run_command(app);
  if (command == "sandbox") return rig::sandbox_command(app);
  if (command == "config" && words.size() == 2 && words[1] == "show") {
    return rig::config_show_command(app);
  }
  throw rig::UsageError("unknown command '" + command +
                        "'; commands are list, describe, run, config show, sandbox");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    rig::App app = rig::start_app(argc, argv);
    return dispatch(app);
  } catch (const rig::UsageError& e) {
    std::cerr << "test-rig: " << e.what() << "\n";
  } catch (const rig::ConfigError& e) {
    std::cerr << "test-rig: config error: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "test-rig: " << e.what() << "\n";
    return rig::kExitInfrastructure;
  }
  return rig::kExitUsage;
}
