// python-bridge/src/python_plugin.h -- the "python" plugin's definition:
// the tests declared by the given test files and the test_*.py files of the
// given directories, and the handlers those files bind to other plugins'
// tests.
//
// A file that cannot be imported (syntax error, failing import, bad PyTest),
// or a given path that does not exist, becomes one test named after it that
// errors with the traceback or the reason, so the problem is reported for
// that file and the others still run.
#ifndef TEST_RIG_PYTHON_BRIDGE_PYTHON_PLUGIN_H_
#define TEST_RIG_PYTHON_BRIDGE_PYTHON_PLUGIN_H_

#include <string>
#include <vector>

#include "test_rig/sdk.h"

namespace rig_python {

// The GIL must be held unless `paths` is empty (which needs no Python).
// Bindings go to the host (bind_state_handler). Each file is imported in a
// child process first; one that has not returned within --plugin-load-timeout, or
// that ends or crashes the process, becomes an erroring test. So does a
// file that defines no test.
test_rig::PluginDefinition define_python_plugin(const std::vector<std::string>& paths);

}  // namespace rig_python

#endif  // TEST_RIG_PYTHON_BRIDGE_PYTHON_PLUGIN_H_
