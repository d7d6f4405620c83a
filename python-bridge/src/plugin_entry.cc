// The python plugin as the host loads it: a small library that does not
// link libpython. It declares --python.tests (also --python-tests) and, in
// its configure phase, loads the Python runtime, python/python_runtime.so
// beside this file, only when that option names test files: a run that
// names none never maps the interpreter, which would add about 4.5 ms of
// CPU to every start (docs/load.md).
#include <dlfcn.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "plugin_identity.h"
#include "runtime_entry.h"
#include "test_rig/sdk.h"

namespace {

// python/python_runtime.so in the directory of this library.
std::string runtime_path() {
  const std::string& self = test_rig::plugin_path();
  const std::size_t slash = self.rfind('/');
  return (slash == std::string::npos ? std::string(".") : self.substr(0, slash)) +
         "/python/python_runtime.so";
}

// The runtime's function that defines the plugin's tests; throws saying
// what to do when the runtime cannot be loaded.
rig_python::RuntimeConfigureFn load_runtime() {
  const std::string path = runtime_path();
  void* runtime = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (runtime == nullptr) {
    throw std::runtime_error(std::string("cannot load the Python runtime: ") + dlerror() +
                             "; rebuild or reinstall test-rig to run Python tests");
  }
  auto configure = reinterpret_cast<rig_python::RuntimeConfigureFn>(
      dlsym(runtime, rig_python::kRuntimeConfigureSymbol));
  if (configure == nullptr) {
    throw std::runtime_error(path + " is not test-rig's Python runtime; rebuild or " +
                             "reinstall test-rig to run Python tests");
  }
  return configure;
}

const rig_plugin_descriptor* configure(test_rig::Context& ctx) {
  const std::vector<std::string> paths = ctx.option_list("tests");
  if (paths.empty()) return nullptr;
  std::vector<const char*> items;
  for (const std::string& path : paths) items.push_back(path.c_str());
  char reason[1024] = "";
  rig_entry_error error{reason, sizeof(reason)};
  const rig_plugin_descriptor* configured =
      load_runtime()(&test_rig::host(), items.data(), static_cast<uint32_t>(items.size()), &error);
  if (configured == nullptr) throw std::runtime_error(reason);
  return configured;
}

test_rig::PluginDefinition define() {
  test_rig::PluginDefinition plugin = rig_python::python_plugin_declaration();
  plugin.configure(&configure);
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
