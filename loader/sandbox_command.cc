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

std::vector<OptionSpec> sandbox_command_options() {
  auto option = [](const char* name, const char* fallback, double low, const char* help) {
    OptionSpec spec;
    spec.name = spec.cli_name = name;
    spec.type = OptionType::kInt;
    spec.default_value = fallback;
    spec.bounds = {{low, 9}};
    spec.help = help;
    return spec;
  };
  return {option("nodes", "1", 1, "sandbox start: 2 or more nodes make a Galera cluster"),
          option("node", "0", 0, "sandbox stop|restart: only this node of a cluster (0: all)")};
}

int sandbox_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() < 2 || words.size() > 3 ||
      (words[1] != "start" && words[1] != "stop" && words[1] != "restart")) {
    throw UsageError("usage: test-rig sandbox start|stop|restart [DIR] [--nodes N] [--node K]");
  }
  const std::string directory = words.size() == 3 ? words[2] : ".test-rig-sandbox";
  const int nodes = static_cast<int>(std::get<int64_t>(app.command_options.at("nodes")));
  const int node = static_cast<int>(std::get<int64_t>(app.command_options.at("node")));
  if (words[1] == "start" && node != 0) {
    throw UsageError("--node is for sandbox stop and restart; start starts every node");
  }
  if (words[1] != "start" && nodes != 1) {
    throw UsageError("--nodes is for sandbox start; stop and restart act on the nodes it made");
  }
  try {
    if (words[1] == "stop") {
      // Stopping what is already gone succeeds, so that cleanup steps
      // (ctest's fixture under --repeat, a CI trap) may run twice.
      std::error_code ec;
      if (!std::filesystem::exists(directory, ec) && !ec) {
        std::cout << "no sandbox in " << directory << ": nothing to stop\n";
        return kExitPassed;
      }
      Sandbox::stop_directory(directory, node);
      std::cout << (node ? "node " + std::to_string(node) + " of the sandbox" : "sandbox") << " in "
                << directory << " stopped\n";
      return kExitPassed;
    }
    if (words[1] == "restart") {
      Sandbox::restart_directory(directory, node);
      std::cout << (node ? "node " + std::to_string(node) + " of the sandbox" : "sandbox") << " in "
                << directory << " restarted\n";
      return kExitPassed;
    }
    SandboxOptions options;
    options.kind = app.config.string(keys::kSandbox).value_or("off") == "tidb"
                       ? SandboxKind::kTiDb
                       : SandboxKind::kMariaDb;
    options.directory = directory;
    options.detach = true;
    options.tls = app.config.boolean(keys::kSandboxTls);
    options.nodes = nodes;
    Sandbox sandbox = Sandbox::start(options);
    std::string pids;
    for (pid_t pid : sandbox.pids()) pids += (pids.empty() ? "" : " ") + std::to_string(pid);
    std::cout << "sandbox running at " << sandbox.host_list()
              << (nodes > 1 ? " (a Galera cluster of " + std::to_string(nodes) + " nodes, pids "
                            : " (pid ")
              << pids << ")\n"
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
