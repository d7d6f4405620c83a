// plugins/common/shard_meeting.h -- where the shards of a split run
// (`--shard I/N --run-id ID`) of one test meet: a table of the database
// they all reach, in which each posts what the others wait for.
//
//   ShardMeeting meeting(ctx);               // this run's shard, test and run id
//   if (meeting.first()) meeting.open(db);   // shard 0 creates the table
//   meeting.post(db, "ready");               // after shard 0's prepare
//   meeting.wait(db, "ready", {0}, meeting.wait_limit());   // the others
//   meeting.post(db, "done", effects_text);
//   auto all = meeting.wait(db, "done", meeting.every_shard(), 600);
//   meeting.close(db);                       // shard 0, at its cleanup
//
// The table is named for the run id and the test (rig_meet_<16 hex>), and
// carries shard 0's owner mark (test_rig/sdk/owner_mark.h): a run killed
// before its cleanup leaves it to test-rig's leftover sweep. A post is one
// transaction, so a waiting shard sees all of a payload or none of it. The
// waits poll; a run told to stop ends them, since the host then refuses
// every database call.
//
// Thread tags: [run-thread].
#ifndef TEST_RIG_PLUGINS_COMMON_SHARD_MEETING_H_
#define TEST_RIG_PLUGINS_COMMON_SHARD_MEETING_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "test_rig/sdk.h"

namespace rig_plugins {

class ShardMeeting {
 public:
  explicit ShardMeeting(test_rig::Context& ctx)
      : ctx_(ctx),
        shard_(ctx.shard()),
        table_(table_for(shard_.run_id, ctx.plugin_name() + "/" + ctx.test_name())) {}

  // The meeting table of test `test` ("load/read_write") in run `run_id`.
  static std::string table_for(const std::string& run_id, const std::string& test) {
    return "rig_meet_" + hex(fnv1a(run_id + "\n" + test));
  }

  // How long to wait for the other shards: the plugin's option
  // "shard-wait", by which the state's timeout grows too.
  double wait_limit() {
    const double seconds = ctx_.option_float("shard-wait");
    ctx_.expect_state_duration(seconds);
    return seconds;
  }

  // Whether the run is split at all: a whole run meets no one.
  bool split() const { return shard_.count > 1; }
  // Shard 0, which prepares and cleans up for all.
  bool first() const { return shard_.index == 0; }
  const test_rig::Context::Shard& shard() const { return shard_; }
  const std::string& table() const { return table_; }

  std::vector<uint32_t> every_shard() const {
    std::vector<uint32_t> all;
    for (uint32_t i = 0; i < shard_.count; ++i) all.push_back(i);
    return all;
  }

  // Shard 0: creates the meeting table. One that exists belongs to a run of
  // the same --run-id still going, or to one whose leftovers were not swept.
  void open(test_rig::Connection& db) {
    // Any other failure to create it is thrown as it is: close() drops
    // only a table this made.
    try {
      db.execute("CREATE TABLE " + table_ +
                 " (shard INT NOT NULL, phase VARCHAR(32) NOT NULL, part INT NOT NULL, "
                 "payload LONGBLOB NOT NULL, PRIMARY KEY (shard, phase, part)) " +
                 test_rig::owner_comment());
    } catch (const test_rig::DbError& e) {
      if (e.code() != 1050) throw;
      throw std::runtime_error("table " + table_ + ", where the shards of --run-id '" +
                               shard_.run_id +
                               "' meet, exists already: that run id is in use or was left "
                               "behind; give this run a new --run-id");
    }
  }

  // Shard 0: drops the meeting table, once no shard waits in it.
  void close(test_rig::Connection& db) { db.execute("DROP TABLE IF EXISTS " + table_); }

  // Says that this shard reached `phase`, with `payload` (any bytes) for
  // the shards that wait for it. Posting again replaces the payload: a post
  // whose COMMIT was lost with its connection may simply be repeated.
  void post(test_rig::Connection& db, const std::string& phase, const std::string& payload = "") {
    constexpr std::size_t kPart = std::size_t{1} << 20;  // well under max_allowed_packet
    db.execute("BEGIN");
    auto insert = db.prepare("REPLACE INTO " + table_ + " VALUES (?, ?, ?, ?)");
    for (std::size_t offset = 0, part = 0; offset == 0 || offset < payload.size();
         offset += kPart, ++part) {
      const std::string_view piece = std::string_view(payload).substr(offset, kPart);
      insert.execute({test_rig::int_value(shard_.index), test_rig::text_value(phase),
                      test_rig::int_value(static_cast<int64_t>(part)),
                      test_rig::text_value(piece)});
      if (payload.empty()) break;
    }
    db.execute("COMMIT");
  }

  // Waits until each of `shards` posted `phase`, and returns their payloads
  // by shard. Throws naming the shards still missing after `timeout_s`.
  std::map<uint32_t, std::string> wait(test_rig::Connection& db, const std::string& phase,
                                       const std::vector<uint32_t>& shards, double timeout_s) {
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
    auto next_note = start + std::chrono::seconds(10);
    std::map<uint32_t, std::string> posted;
    for (;;) {
      posted.clear();
      std::optional<test_rig::PreparedStatement> select;
      std::optional<test_rig::QueryResult> rows;
      try {
        select = db.prepare("SELECT shard, payload FROM " + table_ +
                            " WHERE phase = ? ORDER BY shard, part");
        rows = select->query({test_rig::text_value(phase)});
      } catch (const test_rig::DbError& e) {
        if (e.code() != 1146) throw;  // the table is not made yet: wait on
      }
      while (rows && rows->next()) {
        posted[static_cast<uint32_t>(std::stoul(std::string(*rows->get(0))))] +=
            std::string(rows->get(1).value_or(""));
      }
      std::string missing;
      for (uint32_t shard : shards) {
        if (!posted.count(shard)) missing += (missing.empty() ? "" : ", ") + std::to_string(shard);
      }
      if (missing.empty()) break;
      const auto now = std::chrono::steady_clock::now();
      if (now >= next_note) {  // progress, as a long prepare or a late shard is worth knowing
        ctx_.info(
            "waiting for shard(s) " + missing + " to reach '" + phase + "' (" +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now - start).count()) +
            " s of " + std::to_string(static_cast<int64_t>(timeout_s)) + ")");
        next_note += std::chrono::seconds(10);
      }
      if (now >= deadline) {
        throw std::runtime_error("shard(s) " + missing + " of --run-id '" + shard_.run_id +
                                 "' did not reach '" + phase + "' within " +
                                 std::to_string(static_cast<int64_t>(timeout_s)) +
                                 " s (see their own output; --shard-wait sets the limit)");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::map<uint32_t, std::string> wanted;
    for (uint32_t shard : shards) wanted[shard] = std::move(posted[shard]);
    return wanted;
  }

 private:
  static uint64_t fnv1a(const std::string& text) {
    uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
    return hash;
  }
  static std::string hex(uint64_t value) {
    char text[17];
    std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(value));
    return text;
  }
  test_rig::Context& ctx_;  // for the wait's option and progress lines
  test_rig::Context::Shard shard_;
  std::string table_;
};

}  // namespace rig_plugins

#endif  // TEST_RIG_PLUGINS_COMMON_SHARD_MEETING_H_
