// plugins/load -- multi-session load with sysbench's workloads and tables,
// measured with latency histograms, and checked afterwards: every attempted
// event is accounted for and the tables are consistent with what committed.
//
//   test-rig run load/point_select --load.threads 4 --load.time 10
//
// Each workload is a test load/<workload> with the states
// prepare -> run -> cleanup -> completed (see workload.h for the workloads,
// load_run.h for the run and its accounting).
//
// A run split with --shard I/N runs every workload in every shard, each
// with its share of the threads, rate and events (shard_share.h). They meet
// in the database (shard_meeting.h): shard 0 prepares, measures the tables
// and says "ready"; each shard runs and says "done" with what its events
// did to the tables; shard 0 waits for them all, checks the tables against
// the sum, and cleans up.
#include <charconv>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "load_round.h"
#include "load_run.h"
#include "load_settings.h"
#include "load_tables.h"
#include "plugin_support.h"
#include "shard_meeting.h"
#include "shard_share.h"
#include "test_rig/sdk.h"
#include "tpcc_test.h"

namespace {

using rig_load::LoadSettings;
using rig_load::settings_from;
using rig_load::Workload;
using rig_plugins::scalar_int;
using rig_plugins::ShardMeeting;
using test_rig::Connection;
using test_rig::Context;
using test_rig::StateId;

// The tables' row counts and SUM(k), before and after a run.
struct TableState {
  int64_t rows = 0;
  int64_t sum_k = 0;
};

TableState table_state(Connection& db, const LoadSettings& settings) {
  TableState state;
  for (int t = 1; t <= settings.tables; ++t) {
    auto result = db.query("SELECT COUNT(*), COALESCE(SUM(k), 0) FROM " +
                           rig_load::quoted_table(settings.table_prefix, t));
    test_rig::expect(result.next(), "no row from COUNT(*)");
    state.rows += std::stoll(std::string(*result.get(0)));
    state.sum_k += std::stoll(std::string(*result.get(1)));
  }
  return state;
}

// The hook load/python calls once per event on every worker thread.
constexpr const char* kEventHook = "event";

// load/python without a handler bound to its event hook is skipped, before
// any table is made.
void skip_unless_bound(Context& ctx) {
  if (!ctx.bound_hook(kEventHook)) {
    throw test_rig::Skip(
        "no Python handler is bound to load/python's hook 'event': call "
        "register_python_handler(\"load/python\", \"event\", MyEvent()) in a file given "
        "with --python-tests");
  }
}

rig_load::TableSet table_set(const LoadSettings& s) {
  return {s.table_prefix, s.tables, s.table_size};
}

// The tables this run created, kept for cleanup as "1 2 3".
constexpr const char* kCreatedKey = "load.tables_created";

std::string numbers_text(const std::set<int>& numbers) {
  std::string text;
  for (int n : numbers) text += std::to_string(n) + " ";
  return text;
}

std::vector<int> numbers_in(const std::string& text) {
  std::vector<int> numbers;
  std::istringstream in(text);
  for (int n; in >> n;) numbers.push_back(n);
  return numbers;
}

class Prepare : public test_rig::StateHandler {
 public:
  explicit Prepare(Workload workload) : workload_(workload) {}

  StateId execute(Context& ctx) override {
    if (workload_ == Workload::kPython) skip_unless_bound(ctx);
    // Also checks the options, before any table is made.
    const LoadSettings s = settings_from(ctx, workload_);
    const std::string mode = ctx.option_string("prepare");
    if (s.dry_run) return "run";
    ShardMeeting meeting(ctx);
    if (meeting.split() && !meeting.first()) {
      ctx.record("tables_prepared_by", "shard 0");
      return "run";  // which waits for shard 0's "ready"
    }
    if (meeting.split()) {
      Connection db = ctx.connection();
      meeting.open(db);
    }
    const rig_load::TableSet set = table_set(s);
    rig_load::Prepared prepared;  // nothing, with --load.prepare skip
    if (mode != "skip") {
      Connection db = ctx.connection();
      std::set<int> armed;
      // A connection lost while preparing (a server restart, or a statement
      // slower than --read-timeout on a busy server) prepares again from the
      // start: prepare_tables makes the tables this run began over again.
      test_rig::retry_reads(ctx, db, [&](Connection& session) {
        rig_load::RandomIds ids(rig_load::Distribution::kUniform, s.table_size, s.seed);
        prepared = rig_load::prepare_tables(session, set, mode == "always", [&](int t) {
          // Armed first: a table half filled is this run's to drop as well.
          if (armed.insert(t).second) {
            ctx.set_custom_data(kCreatedKey, numbers_text(armed));
          }
          rig_plugins::insert_rows(session, rig_load::quoted_table(s.table_prefix, t), s.table_size,
                                   [&](int64_t id) {
                                     return std::to_string(id) + "," + std::to_string(ids.next()) +
                                            ",'" + rig_load::random_digits(ids, 10) + "','" +
                                            rig_load::random_digits(ids, 5) + "'";
                                   });
        });
      });
    }
    // The sabotage deletes a row of table 1: never of one the user owns.
    if (ctx.option_bool("sabotage") &&
        (prepared.created.empty() || prepared.created.front() != 1)) {
      throw std::runtime_error("--load.sabotage deletes a row of " +
                               rig_load::table_name(s.table_prefix, 1) +
                               ", which this run did not create; give --load.table-prefix for "
                               "tables of the run's own");
    }
    if (std::string note = rig_load::reuse_note(set, prepared.reused); !note.empty()) {
      ctx.add_summary_text(note + "\n");
    }
    ctx.record("tables_created", std::to_string(prepared.created.size()));
    ctx.record("tables_reused", std::to_string(prepared.reused.size()));
    return "run";
  }

 private:
  Workload workload_;
};

class Run : public test_rig::StateHandler {
 public:
  explicit Run(Workload workload) : workload_(workload) {}

  StateId execute(Context& ctx) override {
    LoadSettings settings = settings_from(ctx, workload_);
    if (workload_ == Workload::kPython) {
      // What the Python event needs to know of the tables.
      ctx.set_custom_data("load.table_prefix", settings.table_prefix);
      ctx.set_custom_data("load.tables", std::to_string(settings.tables));
      ctx.set_custom_data("load.table_size", std::to_string(settings.table_size));
      ctx.set_custom_data("load.seed", std::to_string(settings.seed));
      settings.event_handler = ctx.bound_hook(kEventHook).value_or(rig_state_descriptor{});
    }
    TableState before;
    rig_load::LoadRound round = rig_load::run_round(ctx, settings, [&](Connection& db) {
      before = table_state(db, settings);
      return std::string();  // nothing else for the other shards to know
    });
    std::optional<Connection>& db = round.db;
    if (db && ctx.option_bool("sabotage")) {
      // Proves the check below can fail: a row vanishes behind its back.
      db->execute("DELETE FROM " + rig_load::quoted_table(settings.table_prefix, 1) +
                  " ORDER BY id LIMIT 1");
    }
    if (db && round.checks_tables) {
      // The check reads only; a connection lost on the way (the session
      // sat idle through a server restart) is reopened and the check run
      // again.
      test_rig::retry_reads(ctx, *db, [&](Connection& reader) {
        check_tables(ctx, reader, settings, before, round.effects);
      });
    }
    rig_load::fail_on_failed_events(round.result);
    return "cleanup";
  }

 private:
  // The tables hold what committed: row counts and SUM(k) moved exactly as
  // the committed events say (indeterminate ones may or may not count), and
  // CHECK TABLE finds nothing.
  static void check_tables(Context& ctx, Connection& db, const LoadSettings& settings,
                           const TableState& before, const rig_load::TableEffects& done) {
    TableState after = table_state(db, settings);
    // Rows the run may have removed: each committed or indeterminate DELETE
    // of load/delete (one row at most); and without transactions
    // (--load.skip-trx), the DELETEs of events that did not succeed, whose
    // INSERTs may never have run (up to delete-inserts each).
    int64_t may_delete = 0;
    if (settings.workload == Workload::kDelete) {
      may_delete += done.committed_deletes + done.indeterminate;
    }
    if (settings.shape.skip_trx) may_delete += done.unfinished * settings.shape.delete_inserts;
    auto within = [&](int64_t change, int64_t committed, int64_t deleted, const std::string& what) {
      test_rig::expect(
          change >= committed - deleted && change <= committed + done.indeterminate,
          what + " changed by " + std::to_string(change) + ", but " + std::to_string(committed) +
              " committed (+ up to " + std::to_string(done.indeterminate) + " indeterminate" +
              (deleted ? ", - up to " + std::to_string(deleted) + " deleted" : "") + ")");
    };
    // A Python workload writes what it likes: only CHECK TABLE applies.
    if (settings.workload != Workload::kPython) {
      within(after.rows - before.rows,
             settings.workload == Workload::kInsert ? done.committed_inserts : 0, may_delete,
             "row count");
    }
    if (settings.workload == Workload::kUpdateIndex) {
      within(after.sum_k - before.sum_k, done.committed_index_updates, 0, "SUM(k)");
    }
    for (int t = 1; t <= settings.tables; ++t) {
      const std::string table = rig_load::table_name(settings.table_prefix, t);
      auto check = db.query("CHECK TABLE " + rig_load::quoted_table(settings.table_prefix, t));
      while (check.next()) {
        auto type = check.get(2), text = check.get(3);
        if (type && (*type == "error" || *type == "Error")) {
          throw test_rig::Failure("CHECK TABLE " + table + ": " + std::string(text.value_or("")));
        }
      }
    }
    ctx.record("rows_after", std::to_string(after.rows));
  }

  Workload workload_;
};

class Cleanup : public test_rig::StateHandler {
 public:
  explicit Cleanup(Workload workload) : workload_(workload) {}

  StateId execute(Context& ctx) override {
    const LoadSettings s = settings_from(ctx, workload_);
    if (s.dry_run) return test_rig::State::kCompleted;
    ShardMeeting meeting(ctx);
    if (meeting.split() && !meeting.first()) return test_rig::State::kCompleted;  // shard 0's
    const std::string mode = ctx.option_string("cleanup");
    std::vector<int> numbers = numbers_in(ctx.get_custom_data(kCreatedKey).value_or(""));
    if (mode == "all") {
      numbers.resize(static_cast<std::size_t>(s.tables));
      for (int t = 1; t <= s.tables; ++t) numbers[static_cast<std::size_t>(t - 1)] = t;
    }
    std::vector<std::string> tables;
    for (int t : numbers) tables.push_back(rig_load::table_name(s.table_prefix, t));
    Connection db = ctx.connection();
    // A connection lost on the way (a fault as the run ends) is reopened
    // and the cleanup goes on where it stopped.
    if (mode == "none") {
      // The user's to keep now: no later run takes them for leftovers.
      rig_plugins::comment_tables(ctx, db, tables, [](const std::string&) { return ""; });
    } else {
      rig_plugins::drop_tables(ctx, db, tables);
    }
    if (meeting.split()) meeting.close(db);
    return test_rig::State::kCompleted;
  }

 private:
  Workload workload_;
};

test_rig::PluginDefinition define() {
  using test_rig::Option;
  test_rig::PluginDefinition plugin("load", "1.0.0",
                                    "sysbench's OLTP workloads, measured and checked");
  plugin.option(Option::integer("threads", 1, "worker threads, one session each").bounds(1, 4096))
      .option(Option::floating("time", 10, "seconds to run after the warm-up (0: no limit)")
                  .bounds(0, 86400 * 7))
      .option(Option::integer("events", 0, "events to run in all (0: no limit)").bounds(0, 1e15))
      .option(Option::floating("rate", 0,
                               "events per second over all threads, open loop; latency is "
                               "measured from each event's intended start (0: closed loop)")
                  .bounds(0, 1e9))
      .option(Option::floating("warmup", 0, "seconds run first and not counted").bounds(0, 86400))
      .option(Option::floating("report-interval", 1, "seconds between progress lines")
                  .bounds(0.01, 86400))
      .option(Option::choice("rand-type", "uniform",
                             {"uniform", "gaussian", "pareto", "zipfian", "special"},
                             "distribution of row ids (special: sysbench's default)"))
      .option(Option::integer("seed", 1, "random seed; the same seed draws the same ids")
                  .bounds(0, 1e15))
      .option(Option::integer("tables", 1, "tables <prefix>1..N").bounds(1, 1000))
      .option(Option::string("table-prefix", "sbtest",
                             "table names are this and a number (sbtest1, as sysbench); letters, "
                             "digits and '_' only"))
      .option(Option::integer("table-size", 10000, "rows per table").bounds(1, 1e10))
      .option(Option::integer("point-selects", 10, "point selects per read_only/read_write event")
                  .bounds(0, 1000000))
      .option(Option::integer("simple-ranges", 1, "simple range selects per read event")
                  .bounds(0, 1000000))
      .option(
          Option::integer("sum-ranges", 1, "SUM() range selects per read event").bounds(0, 1000000))
      .option(Option::integer("order-ranges", 1, "ORDER BY range selects per read event")
                  .bounds(0, 1000000))
      .option(Option::integer("distinct-ranges", 1, "DISTINCT range selects per read event")
                  .bounds(0, 1000000))
      .option(Option::integer("range-size", 100, "rows a range select spans").bounds(1, 1e9))
      .option(Option::boolean("range-selects", true, "run the range selects at all"))
      .option(Option::integer("index-updates", 1,
                              "UPDATEs of k per read_write, write_only or update_index event")
                  .bounds(0, 1000000))
      .option(Option::integer("non-index-updates", 1,
                              "UPDATEs of c per read_write, write_only or update_non_index event")
                  .bounds(0, 1000000))
      .option(Option::integer("delete-inserts", 1,
                              "DELETE + INSERT pairs per read_write/write_only event")
                  .bounds(0, 1000000))
      .option(Option::boolean("skip-trx", false,
                              "no BEGIN/COMMIT around read_only, read_write, write_only events: "
                              "every statement autocommits"))
      .option(Option::boolean("prepared", false, "use prepared statements (binary protocol)"))
      .option(Option::boolean("dry-run", false,
                              "drive the workload without a server, to measure the rig itself"))
      .option(Option::list("ignore-errors", "",
                           "error codes that end an event as 'ignored' instead of retrying it")
                  .bounds(1, 65535))
      .option(Option::choice("prepare", "auto", {"auto", "always", "skip"},
                             "auto: create the missing tables, use existing ones of sysbench's "
                             "layout and --load.table-size rows, refuse others; always: drop "
                             "and recreate them, tables this run did not make included; skip: "
                             "use them as they are"))
      .option(Option::choice("cleanup", "created", {"created", "none", "all"},
                             "afterwards drop the tables this run created; none: keep them; "
                             "all: drop every <prefix>1..N, tables this run did not make "
                             "included"))
      .option(Option::string("csv", "", "write the per-interval figures to this CSV file").output())
      .option(Option::boolean("histogram", false, "print an ASCII latency histogram"))
      .option(
          Option::boolean("sabotage", false, "delete a row before the table check, to see it fail"))
      .option(Option::floating("shard-wait", 600,
                               "with --shard: seconds a shard waits for the others (for shard "
                               "0's prepare; shard 0 for the others' runs)")
                  .bounds(1, 86400 * 7))
      .option(Option::string("raw-latencies", "",
                             "a test aid: write every measured event's latency (ns, one per "
                             "line) to DIR/<workload>.txt, holding them in memory until the end")
                  .output());
  for (Workload workload : rig_load::kWorkloads) {
    test_rig::TestDefinition test(
        rig_load::workload_name(workload),
        workload == Workload::kPython
            ? "a Python handler per thread as the workload: prepare, run, check, cleanup"
            : std::string("sysbench oltp_") + rig_load::workload_name(workload) +
                  ": prepare, run, check, cleanup");
    test.initial("prepare", std::make_unique<Prepare>(workload), "create sbtest tables")
        .state("run", std::make_unique<Run>(workload), "run the workload and check the tables")
        .state("cleanup", std::make_unique<Cleanup>(workload), "drop the tables")
        .terminal(test_rig::State::kCompleted)
        .transition("prepare", "run")
        .transition("run", "cleanup")
        .transition("cleanup", test_rig::State::kCompleted)
        .divides_its_work()
        .checks_options([workload](Context& ctx) { settings_from(ctx, workload); });
    if (workload == Workload::kPython) {
      test.hook(kEventHook, "one event, on every worker thread; bind a Python handler here");
    }
    plugin.test(std::move(test));
  }
  rig_load::add_tpcc_options(plugin);
  plugin.test(rig_load::tpcc_test());
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
