// The Python runtime: the body of the python plugin, which the plugin
// (plugin_entry.cc) loads in its configure phase when --python.tests names
// test files. Starts the embedded interpreter once (it is never finalised:
// the host never unloads plugins) and defines the tests.
#include "runtime_entry.h"

#include <dlfcn.h>
#include <pybind11/embed.h>

#include "module.h"
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

}  // namespace

extern "C" RIG_PLUGIN_EXPORT const rig_plugin_descriptor* rig_python_runtime_configure(
    const rig_host_api* host, const char* const* paths, uint32_t path_count,
    rig_entry_error* error) {
  const std::vector<std::string> files(paths, paths + path_count);
  return test_rig::enter_plugin(host, error, [&files] {
    share_libpython_symbols();
    // test-rig owns the signals (Ctrl-C stops the run), not Python.
    py::initialize_interpreter(/*init_signal_handlers=*/false);
    test_rig::PluginDefinition plugin = [&files] {
      py::gil_scoped_acquire locked;
      return rig_python::define_python_plugin(files);
    }();
    // Let handlers on any thread (and in forked children) take the GIL.
    PyEval_SaveThread();
    return plugin;
  });
}
