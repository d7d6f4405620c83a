// core/plugin/host_api.h -- the host services table handed to every plugin.
//
// The table is built once and lives until the process exits. Each function
// translates between the C ABI and the services behind it (run_context,
// run_sessions, host_settings); none throws.
#ifndef TEST_RIG_CORE_PLUGIN_HOST_API_H_
#define TEST_RIG_CORE_PLUGIN_HOST_API_H_

#include "test_rig/plugin_api.h"

namespace rig {

const rig_host_api* host_api();

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_HOST_API_H_
