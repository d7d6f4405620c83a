// core/plugin/host_api.h -- the host services table handed to every plugin.
//
// The table is built once and lives until the process exits. Each function
// translates between the C ABI and the host's RunContext; none throws.
#ifndef TEST_RIG_CORE_PLUGIN_HOST_API_H_
#define TEST_RIG_CORE_PLUGIN_HOST_API_H_

#include <string>
#include <vector>

#include "test_rig/plugin_api.h"

namespace rig {

const rig_host_api* host_api();

// A state handler one plugin binds to another's test (bind_state_handler).
struct StateBinding {
  std::string plugin, test, state;
  rig_enter_fn enter = nullptr;
  rig_execute_fn execute = nullptr;
  rig_exit_fn exit = nullptr;
  void* user = nullptr;
  uint32_t timeout_ms = 0;
  std::string origin;   // where the binding was made, for problems
  std::string problem;  // why it cannot apply (its descriptor is unreadable), or ""
};

// Says which plugin file's entry function is about to run (entry_plugin_path);
// "" once it returned, and for a plugin linked into test-rig. [main-thread]
void set_entry_plugin_path(std::string path);

// The bindings made so far, handed over once (the registry applies them
// after every plugin has loaded).
std::vector<StateBinding> take_state_bindings();

// Sets the list setting `key` that plugins read with get_host_list. The
// keys: "run.plugin_load_timeout" (seconds, one item; set before plugins
// load) and, in a test's process, "run.crash_fd" = {fd}: where an
// interpreter's crash handler may write its own traceback before the host
// adds the native stack (run/crash_trace.h).
void set_host_list(const std::string& key, std::vector<std::string> items);

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_HOST_API_H_
