/* A shared library that is not a test-rig plugin at all. */
#include "test_rig/plugin_api.h"

RIG_PLUGIN_EXPORT int some_other_function(void) { return 42; }
