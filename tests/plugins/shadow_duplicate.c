/* A plugin that reuses the name of another ("invalid_machine"), loaded after
 * it from the same directory: the second is refused. */
#include "test_rig/plugin_api.h"

static const rig_plugin_descriptor kDescriptor = {sizeof(rig_plugin_descriptor),
                                                  RIG_ABI_VERSION_MAJOR,
                                                  RIG_ABI_VERSION_MINOR,
                                                  "invalid_machine",
                                                  "9.9",
                                                  "an impostor",
                                                  0,
                                                  0,
                                                  0,
                                                  0};

RIG_PLUGIN_EXPORT const rig_plugin_descriptor* rig_plugin_entry_v1(const rig_host_api* host,
                                                                   rig_entry_error* error) {
  (void)host;
  (void)error;
  return &kDescriptor;
}
