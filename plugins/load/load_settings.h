// plugins/load/load_settings.h -- a run's LoadSettings from the load
// plugin's options, for every workload's test.
//
//   LoadSettings s = settings_from(ctx, Workload::kReadWrite);  // throws on bad options
//
// Thread tags: [run-thread].
#ifndef TEST_RIG_PLUGINS_LOAD_LOAD_SETTINGS_H_
#define TEST_RIG_PLUGINS_LOAD_LOAD_SETTINGS_H_

#include "load_run.h"
#include "test_rig/sdk.h"

namespace rig_load {

// The options of the run's plugin as settings for `workload`, this shard's
// share of the threads, rate and events with --shard I/N. Throws
// std::runtime_error, one line, for options that cannot run (no time and
// no events, a table prefix that is no identifier, an error code that is
// no number).
LoadSettings settings_from(test_rig::Context& ctx, Workload workload);

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_LOAD_SETTINGS_H_
