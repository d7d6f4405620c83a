#include "load_round.h"

#include <map>

#include "shard_meeting.h"

namespace rig_load {

LoadRound run_round(test_rig::Context& ctx, LoadSettings settings,
                    const std::function<std::string(test_rig::Connection&)>& before,
                    const std::function<void(LoadSettings&, const std::string&)>& adopt) {
  LoadRound round;
  std::optional<rig_plugins::ShardMeeting> meeting;
  std::string word;  // shard 0's, from `before`
  if (!settings.dry_run) {
    round.db = ctx.connection();
    if (rig_plugins::ShardMeeting(ctx).split()) meeting.emplace(ctx);
    if (!meeting || meeting->first()) word = before(*round.db);
    if (meeting && meeting->first()) meeting->post(*round.db, "ready", word);
    if (meeting) word = meeting->wait(*round.db, "ready", {0}, meeting->wait_limit()).at(0);
  }
  if (adopt) adopt(settings, word);
  round.checks_tables = !meeting || meeting->first();
  // --state-timeout bounds what the run does beyond its asked-for time
  // (the README's --load.time 300 --load.warmup 30 is no timeout).
  if (settings.time_s > 0) ctx.expect_state_duration(settings.warmup_s + settings.time_s);
  round.result = run_load(ctx, settings);
  const LoadResult& result = round.result;
  // The accounting is written however the run ended.
  ctx.record_json("load", to_json(result.summary).dump());
  ctx.record_json("metrics", metrics_of(result.summary).to_json());
  ctx.record("tps", std::to_string(result.summary.tps()));
  ctx.record("qps", std::to_string(result.summary.qps()));
  ctx.add_summary_text(result.text);
  // Every shard says what its events did, however its run ended; shard 0
  // waits for them all before anything of its own can end the test and
  // drop the tables under the others.
  round.effects = result.effects;
  if (meeting) {
    // Idle through the run, the session may have lost its connection.
    test_rig::retry_reads(ctx, *round.db, [&](test_rig::Connection& session) {
      meeting->post(session, "done", result.effects.to_text());
    });
    if (meeting->first()) {
      std::map<uint32_t, std::string> done;
      test_rig::retry_reads(ctx, *round.db, [&](test_rig::Connection& session) {
        done = meeting->wait(session, "done", meeting->every_shard(), meeting->wait_limit());
      });
      round.effects = {};
      for (const auto& [shard, text] : done) round.effects += TableEffects::from_text(text);
    } else {
      ctx.add_summary_text("the tables are checked by shard 0, for every shard's events\n");
    }
  }
  if (result.reported_failure) throw *result.reported_failure;
  if (result.stopped_by) throw std::runtime_error(*result.stopped_by);
  const EventCounts& events = result.summary.counts.events;
  test_rig::expect(
      events.succeeded + events.failed + events.ignored + events.indeterminate == events.attempted,
      "accounting: succeeded + failed + ignored + indeterminate != attempted");
  return round;
}

void fail_on_failed_events(const LoadResult& result) {
  const int64_t failed = result.summary.counts.events.failed;
  if (failed > 0) {
    throw std::runtime_error(std::to_string(failed) +
                             " event(s) failed after retries; errors by code: " +
                             errors_json(result.summary.errors).dump());
  }
}

}  // namespace rig_load
