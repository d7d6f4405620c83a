// The python plugin as the host loads it: a small library that does not
// link libpython. A run that names no Python tests (--python-tests) gets
// the plugin without tests and never maps the interpreter, which would add
// about 4.5 ms of CPU to every start (docs/load.md). A run that names some
// loads the Python runtime, python/python_runtime.so beside this file, and
// hands it the entry call: the runtime's descriptor is the plugin's.
#include <dlfcn.h>

#include <string>

#include "plugin_identity.h"
#include "test_rig/sdk.h"

namespace {

// python/python_runtime.so in the directory of this library, as the host
// says where it loaded it.
std::string runtime_path(const rig_host_api& host) {
  const char* self = test_rig::host_has(host, offsetof(rig_host_api, entry_plugin_path))
                         ? host.entry_plugin_path()
                         : nullptr;
  const std::string file = self ? self : "";
  const std::size_t slash = file.rfind('/');
  return (slash == std::string::npos ? std::string(".") : file.substr(0, slash)) +
         "/python/python_runtime.so";
}

// The runtime's entry function, or null with `*why` saying what to do.
rig_plugin_entry_fn load_runtime(const rig_host_api& host, std::string* why) {
  const std::string path = runtime_path(host);
  void* runtime = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (runtime == nullptr) {
    *why = std::string("cannot load the Python runtime: ") + dlerror() +
           "; rebuild or reinstall test-rig to run Python tests";
    return nullptr;
  }
  auto entry = reinterpret_cast<rig_plugin_entry_fn>(dlsym(runtime, RIG_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    *why = path + " is not test-rig's Python runtime (no entry function); rebuild or " +
           "reinstall test-rig to run Python tests";
  }
  return entry;
}

}  // namespace

extern "C" RIG_PLUGIN_EXPORT const rig_plugin_descriptor* rig_plugin_entry_v1(
    const rig_host_api* host, rig_entry_error* error) {
  // enter_plugin refuses a host of another ABI.
  const bool compatible = host != nullptr && host->abi_major == RIG_ABI_VERSION_MAJOR;
  if (!compatible || rig_python::python_test_paths(*host).empty() ||
      rig_python::in_trial_load(*host)) {
    return test_rig::internal::enter_plugin(host, error, rig_python::empty_python_plugin);
  }
  std::string why;
  rig_plugin_entry_fn runtime_entry = load_runtime(*host, &why);
  if (runtime_entry == nullptr) return test_rig::internal::refuse_entry(error, why.c_str());
  return runtime_entry(host, error);
}
