// python-bridge/src/plugin_identity.h -- what both halves of the python
// plugin need: the plugin library the host loads (plugin_entry.cc) and the
// Python runtime it loads in turn (runtime_entry.cc). Neither needs Python.
#ifndef TEST_RIG_PYTHON_BRIDGE_PLUGIN_IDENTITY_H_
#define TEST_RIG_PYTHON_BRIDGE_PLUGIN_IDENTITY_H_

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <vector>

#include "test_rig/sdk.h"

namespace rig_python {

// The plugin as it loads, before its configure phase: name, version,
// description and the option naming its test files, `--python.tests`
// (also --python-tests).
inline test_rig::PluginDefinition python_plugin_declaration() {
  test_rig::PluginDefinition plugin("python", "1.0.0",
                                    "tests written in Python (--python-tests PATH)");
  plugin.option(test_rig::Option::list("tests", "",
                                       "a Python test file, or a directory of test_*.py "
                                       "files (repeatable)")
                    .alias("python-tests"));
  return plugin;
}

// A list setting of the host (see core/plugin/host_api.h), empty when the
// host does not have it.
inline std::vector<std::string> host_list(const rig_host_api& host, const char* key) {
  if (!test_rig::host_has(host, offsetof(rig_host_api, get_host_list))) return {};
  const char* const* items = nullptr;
  uint32_t count = 0;
  if (host.get_host_list(key, &items, &count) != RIG_OK) return {};
  return std::vector<std::string>(items, items + count);
}

// How long one Python test file may take to import (--plugin-load-timeout).
inline std::chrono::milliseconds python_load_limit(const rig_host_api& host) {
  const std::vector<std::string> seconds = host_list(host, "run.plugin_load_timeout");
  if (seconds.size() != 1) return std::chrono::milliseconds(30000);
  return std::chrono::milliseconds(static_cast<int64_t>(std::atof(seconds[0].c_str()) * 1000));
}

}  // namespace rig_python

#endif  // TEST_RIG_PYTHON_BRIDGE_PLUGIN_IDENTITY_H_
