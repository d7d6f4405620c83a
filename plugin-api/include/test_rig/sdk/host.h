// test_rig/sdk/host.h -- the plugin's pointer to the host services table.
//
// Set once by the entry function (see TEST_RIG_PLUGIN in plugin.h) before
// any handler runs, and read by Context and Connection. Each plugin library
// has its own copy: plugins are built with hidden visibility and loaded with
// RTLD_LOCAL.
#ifndef TEST_RIG_SDK_HOST_H_
#define TEST_RIG_SDK_HOST_H_

#include "test_rig/plugin_api.h"

namespace test_rig::internal {

inline const rig_host_api*& host_slot() {
  static const rig_host_api* host = nullptr;
  return host;
}

inline const rig_host_api& host() { return *host_slot(); }

}  // namespace test_rig::internal

#endif  // TEST_RIG_SDK_HOST_H_
