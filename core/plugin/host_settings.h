// core/plugin/host_settings.h -- what passes between the host and its
// plugins outside any run, process-wide: the file whose entry function is
// running, the host's list settings, and the state handlers plugins bind
// to each other's tests while they load or configure.
//
// Thread tags: [main-thread], but for host_list, which a test's process
// reads on its run thread once set_host_list is done.
#ifndef TEST_RIG_CORE_PLUGIN_HOST_SETTINGS_H_
#define TEST_RIG_CORE_PLUGIN_HOST_SETTINGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "test_rig/plugin_api.h"

namespace rig {

// Says which plugin file's entry function is about to run (entry_plugin_path);
// "" once it returned, and for a plugin linked into test-rig.
void set_entry_plugin_path(std::string path);
const std::string& entry_plugin_file();

// Sets the list setting `key` that plugins read with get_host_list. The
// keys: "run.plugin_load_timeout" (seconds, one item; set before plugins
// load) and, in a test's process, "run.crash_fd" = {fd}: where an
// interpreter's crash handler may write its own traceback before the host
// adds the native stack (run/crash_trace.h).
void set_host_list(const std::string& key, std::vector<std::string> items);
// The items of `key` as C strings, valid until it is set again; null when
// it was never set.
const std::vector<const char*>* host_list(const std::string& key);

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

void add_state_binding(StateBinding binding);
// The bindings made so far, handed over once (the registry applies them
// after every plugin has loaded and configured).
std::vector<StateBinding> take_state_bindings();

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_HOST_SETTINGS_H_
