// plugins/load/load_round.h -- one measured run of a load test, as every
// load workload's `run` state does it: the shards meet before it (shard 0
// measured the tables and says "ready"), it runs, its figures go into the
// report however it ended, and every shard says "done" with what its
// events did to the tables, which shard 0 sums for its check.
//
//   LoadRound round = run_round(ctx, settings, [&](Connection& db) {
//     before = measure(db);
//     return "";  // nothing else for the other shards to know
//   });
//   if (round.checks_tables) check(db, before, round.effects);
//
// Thread tags: [run-thread].
#ifndef TEST_RIG_PLUGINS_LOAD_LOAD_ROUND_H_
#define TEST_RIG_PLUGINS_LOAD_LOAD_ROUND_H_

#include <functional>
#include <optional>

#include "load_run.h"
#include "test_rig/sdk.h"

namespace rig_load {

struct LoadRound {
  LoadResult result;
  // Every shard's effects summed, on shard 0 (this run's own otherwise).
  TableEffects effects;
  // Whether this process checks the tables: shard 0, or an unsplit run.
  bool checks_tables = true;
  std::optional<test_rig::Connection> db;  // the state's main session; none in a dry run
};

// Runs `settings` and records the load and metrics records, tps, qps and
// the summary text. First `before` runs on shard 0 (or an unsplit run) with
// the main session; what it returns is shard 0's word to every shard
// ("ready"'s payload), which `adopt`, if given, turns into the settings'
// last details on each. Throws once every shard said "done": the host's
// reported failure, the permanent error that stopped the run, or an
// accounting that does not add up.
LoadRound run_round(test_rig::Context& ctx, LoadSettings settings,
                    const std::function<std::string(test_rig::Connection&)>& before,
                    const std::function<void(LoadSettings&, const std::string&)>& adopt = {});

// Events that failed after retries say nothing against the database's
// properties, but the load asked for did not happen: an error, with the
// errors by code. Call after the check.
void fail_on_failed_events(const LoadResult& result);

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_LOAD_ROUND_H_
