// The test_rig_python extension module, imported by `python3 -m test_rig`:
// the same bindings as the python plugin, plus _main, which runs test-rig's
// own code in this process with the python plugin built in. No test-rig
// executable and no second interpreter are involved.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "loader/app.h"
#include "module.h"
#include "plugin_identity.h"
#include "python_plugin.h"
#include "test_rig/sdk.h"

namespace py = pybind11;

namespace {

// The python plugin built in: the interpreter is this process's own.
const rig_plugin_descriptor* builtin_entry(const rig_host_api* host, rig_entry_error* error) {
  return test_rig::enter_plugin(host, error, [] {
    test_rig::PluginDefinition plugin = rig_python::python_plugin_declaration();
    plugin.configure([](test_rig::Context& ctx) -> const rig_plugin_descriptor* {
      const std::vector<std::string> paths = ctx.option_list("tests");
      if (paths.empty()) return nullptr;
      py::gil_scoped_acquire locked;
      return test_rig::keep(rig_python::define_python_plugin(paths));
    });
    return plugin;
  });
}

// Runs test-rig with `args` (argv without the program name); returns the
// exit code. The GIL is released: handlers take it per call, as in the
// plugin.
int run_test_rig(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"python3 -m test_rig"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  py::gil_scoped_release unlocked;
  rig::Embedding embedding;
  embedding.builtins = {{&builtin_entry, "builtin:test_rig_python"}};
  embedding.path_words = rig::PathWords{"python.tests", ".py", "python"};
  return rig::test_rig_main(static_cast<int>(argv.size()), argv.data(), embedding);
}

}  // namespace

PYBIND11_MODULE(test_rig_python, module) {
  rig_python::define_module(module);
  module.def("_main", &run_test_rig, py::arg("args"),
             "Runs test-rig in this process with the python plugin built in.");
}
