/* A plugin whose descriptor's struct_size is too small to hold the v1
 * fields: the host must refuse to read past it. */
#include "test_rig/plugin_api.h"

static const rig_plugin_descriptor kDescriptor = {
    16, RIG_ABI_VERSION_MAJOR, 0, "truncated", "1.0", "struct_size too small", 0, 0, 0, 0};

RIG_PLUGIN_EXPORT const rig_plugin_descriptor* rig_plugin_entry_v1(const rig_host_api* host,
                                                                   rig_entry_error* error) {
  (void)host;
  (void)error;
  return &kDescriptor;
}
