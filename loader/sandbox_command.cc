// `test-rig sandbox start|stop|restart [DIR]`: a sandbox server that outlives the
// command, for trying tests by hand. Connection settings, password included,
// go to DIR/tidb_config.toml (mode 0600), never to the terminal.
#include <filesystem>
#include <iostream>

#include "core/config/core_options.h"
#include "core/report/run_report.h"
#include "core/sandbox/sandbox.h"
#include "loader/app.h"

namespace rig {

int sandbox_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() < 2 || words.size() > 3 ||
      (words[1] != "start" && words[1] != "stop" && words[1] != "restart")) {
    throw UsageError("usage: test-rig sandbox start|stop|restart [DIR]");
  }
  const std::string directory = words.size() == 3 ? words[2] : ".test-rig-sandbox";
  try {
    if (words[1] == "stop") {
      // Stopping what is already gone succeeds, so that cleanup steps
      // (ctest's fixture under --repeat, a CI trap) may run twice.
      std::error_code ec;
      if (!std::filesystem::exists(directory, ec) && !ec) {
        std::cout << "no sandbox in " << directory << ": nothing to stop\n";
        return kExitPassed;
      }
      Sandbox::stop_directory(directory);
      std::cout << "sandbox in " << directory << " stopped\n";
      return kExitPassed;
    }
    if (words[1] == "restart") {
      Sandbox::restart_directory(directory);
      std::cout << "sandbox in " << directory << " restarted\n";
      return kExitPassed;
    }
    SandboxOptions options;
    options.kind = app.config.string(keys::kSandbox).value_or("off") == "tidb"
                       ? SandboxKind::kTiDb
                       : SandboxKind::kMariaDb;
    options.directory = directory;
    options.detach = true;
    options.tls = app.config.boolean(keys::kSandboxTls);
    Sandbox sandbox = Sandbox::start(options);
    std::cout << "sandbox running at " << sandbox.endpoint().to_string() << " (pid "
              << sandbox.pid() << ")\n"
              << "use it with:  test-rig --config " << sandbox.config_path() << " run\n"
              << "stop it with: test-rig sandbox stop " << directory << "\n";
    sandbox.release();
    return kExitPassed;
  } catch (const SandboxError& e) {
    std::cerr << "test-rig: " << e.what() << "\n";
    return kExitInfrastructure;
  }
}

}  // namespace rig
