/* A plugin whose entry function refuses to start, saying why. */
#include <string.h>

#include "test_rig/plugin_api.h"

RIG_PLUGIN_EXPORT const rig_plugin_descriptor* rig_plugin_entry_v1(const rig_host_api* host,
                                                                   rig_entry_error* error) {
  (void)host;
  strncpy(error->buffer, "required licence file /nonexistent/licence not found",
          error->buffer_size - 1);
  return 0;
}
