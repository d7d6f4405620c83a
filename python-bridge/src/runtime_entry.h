// python-bridge/src/runtime_entry.h -- how the python plugin (plugin_entry.cc)
// hands its configure phase to the Python runtime it loads: one C function,
// found with dlsym, that starts the interpreter and defines the tests of
// the given files.
#ifndef TEST_RIG_PYTHON_BRIDGE_RUNTIME_ENTRY_H_
#define TEST_RIG_PYTHON_BRIDGE_RUNTIME_ENTRY_H_

#include <cstdint>

#include "test_rig/plugin_api.h"

namespace rig_python {

// The plugin with the tests of `paths` (--python.tests), or null with the
// reason in `error`. Called once. [main-thread]
using RuntimeConfigureFn = const rig_plugin_descriptor* (*)(const rig_host_api* host,
                                                            const char* const* paths,
                                                            uint32_t path_count,
                                                            rig_entry_error* error);
inline constexpr const char* kRuntimeConfigureSymbol = "rig_python_runtime_configure";

}  // namespace rig_python

#endif  // TEST_RIG_PYTHON_BRIDGE_RUNTIME_ENTRY_H_
