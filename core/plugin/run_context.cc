#include "core/plugin/run_context.h"

namespace rig {

std::unique_ptr<rig_run> make_run_context(const std::string& plugin, const std::string& test,
                                          const ConnectParams& connect,
                                          const Configuration& config) {
  auto run = std::make_unique<rig_run>();
  run->plugin = plugin;
  run->test = test;
  run->connect = connect;
  for (const ResolvedOption* option : config.plugin_options(plugin)) {
    run->options[option->spec.name] = option;
  }
  return run;
}

}  // namespace rig
