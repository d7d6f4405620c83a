// python-bridge/src/module.h -- the `test_rig_python` module: the Python API
// of test-rig handlers.
//
//   from test_rig_python import PyStateHandler, PyStateContext, PyState, PyTest
//
// The same definition serves the module embedded in the python plugin and
// the extension module that `python3 -m test_rig` imports.
#ifndef TEST_RIG_PYTHON_BRIDGE_MODULE_H_
#define TEST_RIG_PYTHON_BRIDGE_MODULE_H_

#include <pybind11/pybind11.h>

namespace rig_python {

void define_module(pybind11::module_& module);

}  // namespace rig_python

#endif  // TEST_RIG_PYTHON_BRIDGE_MODULE_H_
