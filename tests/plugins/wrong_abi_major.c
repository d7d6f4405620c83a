/* A plugin whose descriptor claims ABI major 2 through the v1 entry point:
 * the host must reject it by reading abi_major before anything else. */
#include "test_rig/plugin_api.h"

static const rig_plugin_descriptor kDescriptor = {
    sizeof(rig_plugin_descriptor), 2, 0, "wrong_abi_major", "1.0", "claims ABI v2", 0, 0, 0, 0};

RIG_PLUGIN_EXPORT const rig_plugin_descriptor* rig_plugin_entry_v1(const rig_host_api* host,
                                                                   rig_entry_error* error) {
  (void)host;
  (void)error;
  return &kDescriptor;
}
