/* Plugins whose entry function never returns: it ends the process with
 * exit(0) (a false green, were it loaded in test-rig's own process), or
 * crashes, or hangs, by the macro ENDING. */
#include <stdlib.h>

#include "test_rig/plugin_api.h"

RIG_PLUGIN_EXPORT const rig_plugin_descriptor* rig_plugin_entry_v1(const rig_host_api* host,
                                                                   rig_entry_error* error) {
  (void)host;
  (void)error;
#if ENDING == 1
  exit(0);
#elif ENDING == 2
  volatile int* nowhere = 0;
  *nowhere = 1;
#else
  for (;;) {
  }
#endif
  return 0;
}
