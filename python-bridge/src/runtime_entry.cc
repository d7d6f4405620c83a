// The Python runtime: the body of the python plugin, which the plugin
// (plugin_entry.cc) loads and hands its entry call to when the run names
// Python tests. Starts the embedded interpreter once (it is never
// finalised: the host never unloads plugins) and declares the tests.
#include <dlfcn.h>
#include <pybind11/embed.h>

#include "module.h"
#include "plugin_identity.h"
#include "python_plugin.h"
#include "test_rig/sdk.h"

namespace py = pybind11;

PYBIND11_EMBEDDED_MODULE(test_rig_python, module) { rig_python::define_module(module); }

namespace {

// The host loads plugins with RTLD_LOCAL, which hides libpython's symbols
// from the extension modules Python loads later (_contextvars, _decimal, ...).
// Reopening the already-loaded libpython with RTLD_GLOBAL shares them.
void share_libpython_symbols() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&Py_InitializeEx), &info) && info.dli_fname) {
    dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
  }
}

test_rig::PluginDefinition define() {
  const std::vector<std::string> paths = rig_python::python_test_paths(test_rig::internal::host());
  share_libpython_symbols();
  // test-rig owns the signals (Ctrl-C stops the run), not Python.
  py::initialize_interpreter(/*init_signal_handlers=*/false);
  test_rig::PluginDefinition plugin = [&paths] {
    py::gil_scoped_acquire locked;
    return rig_python::define_python_plugin(
        paths, rig_python::python_load_limit(test_rig::internal::host()));
  }();
  // Let handlers on any thread (and in forked children) take the GIL.
  PyEval_SaveThread();
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
