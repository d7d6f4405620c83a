/* A plugin built for a future ABI: it exports only rig_plugin_entry_v2. */
#include "test_rig/plugin_api.h"

RIG_PLUGIN_EXPORT const void* rig_plugin_entry_v2(const void* host, void* error) {
  (void)host;
  (void)error;
  return 0;
}
