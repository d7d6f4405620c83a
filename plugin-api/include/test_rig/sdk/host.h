// test_rig/sdk/host.h -- the plugin's pointer to the host services table.
//
// Set once by the entry function (see TEST_RIG_PLUGIN in plugin.h) before
// any handler runs, and read by Context and Connection. Each plugin library
// has its own copy: plugins are built with hidden visibility and loaded with
// RTLD_LOCAL.
#ifndef TEST_RIG_SDK_HOST_H_
#define TEST_RIG_SDK_HOST_H_

#include <cstddef>
#include <stdexcept>
#include <string>

#include "test_rig/plugin_api.h"

namespace test_rig {

// The SDK's one version guard. Minor versions append functions to
// rig_host_api, so a host older than the plugin's headers has a shorter
// table: whether `host` has the function at `offset`, given as
// offsetof(rig_host_api, function).
inline bool host_has(const rig_host_api& host, std::size_t offset) {
  return host.struct_size >= offset + sizeof(void (*)());
}

// Thrown by an SDK call that needs a host function this host lacks; the
// test ends in error with its message.
class HostTooOld : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace test_rig

namespace test_rig::internal {

inline const rig_host_api*& host_slot() {
  static const rig_host_api* host = nullptr;
  return host;
}

inline std::string& plugin_path_slot() {
  static std::string path;
  return path;
}

}  // namespace test_rig::internal

namespace test_rig {

// The host's table of services, as the entry function received it: for a
// call the SDK does not wrap. [thread-safe once the entry function returned]
inline const rig_host_api& host() { return *internal::host_slot(); }

// The file this plugin was loaded from, as the host told its entry
// function (ABI 1.2); "" from an older host and for a plugin linked into
// test-rig. [thread-safe once the entry function returned]
inline const std::string& plugin_path() { return internal::plugin_path_slot(); }

namespace internal {

// Throws HostTooOld naming `call` and the ABI minor version it needs
// unless the host has the function at `offset`.
inline void require_host(std::size_t offset, const char* call, int minor) {
  if (host_has(host(), offset)) return;
  throw HostTooOld(std::string(call) + " needs a test-rig that speaks plugin ABI 1." +
                   std::to_string(minor) + " or later; this one speaks 1." +
                   std::to_string(host().abi_minor) + ": upgrade test-rig");
}

}  // namespace internal
}  // namespace test_rig

#endif  // TEST_RIG_SDK_HOST_H_
