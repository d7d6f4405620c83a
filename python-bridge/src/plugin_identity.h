// python-bridge/src/plugin_identity.h -- what both halves of the python
// plugin need: the plugin library the host loads (plugin_entry.cc) and the
// Python runtime it loads in turn (runtime_entry.cc). Neither needs Python.
#ifndef TEST_RIG_PYTHON_BRIDGE_PLUGIN_IDENTITY_H_
#define TEST_RIG_PYTHON_BRIDGE_PLUGIN_IDENTITY_H_

#include <cstddef>
#include <string>
#include <vector>

#include "test_rig/sdk.h"

namespace rig_python {

// The plugin without tests: its name, version and description.
inline test_rig::PluginDefinition empty_python_plugin() {
  return test_rig::PluginDefinition("python", "1.0.0",
                                    "tests written in Python (--python-tests PATH)");
}

// The files and directories of --python-tests, from the host.
inline std::vector<std::string> python_test_paths(const rig_host_api& host) {
  if (host.struct_size <= offsetof(rig_host_api, get_host_list)) return {};
  const char* const* items = nullptr;
  uint32_t count = 0;
  if (host.get_host_list("python.tests", &items, &count) != RIG_OK) return {};
  return std::vector<std::string>(items, items + count);
}

}  // namespace rig_python

#endif  // TEST_RIG_PYTHON_BRIDGE_PLUGIN_IDENTITY_H_
