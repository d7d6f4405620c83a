// plugins/consistency -- Elle-style consistency checking: random concurrent
// transactions over a few hot keys, every one recorded, and the history
// checked in process for the anomalies the expected consistency model
// forbids, each explained.
//
//   test-rig run consistency/list-append --consistency.isolation serializable
//   test-rig check history.jsonl --workload list-append --model snapshot-isolation
//
// Each workload is a test consistency/<workload> with the states
// prepare -> run -> check -> cleanup -> completed (and error, which drops
// the table). See workload_run.h for the run and checker.h for the check.
//
// A run split with --shard I/N runs every workload in every shard, each
// with its share of the sessions, rate and transactions, as disjoint
// processes writing disjoint values. They meet in the database
// (shard_meeting.h): shard 0 creates the table and says "ready" with its
// name; each other shard runs and posts its history; shard 0 merges them
// all onto its clock and checks the one history.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "baseline_judge.h"
#include "check_report.h"
#include "checker.h"
#include "history_json.h"
#include "model_expectations.h"
#include "plugin_support.h"
#include "server_profile.h"
#include "shard_meeting.h"
#include "shard_share.h"
#include "test_rig/sdk.h"
#include "workload_run.h"
#include "write_file.h"

namespace consistency {
namespace {

using rig_plugins::ShardMeeting;
using test_rig::Connection;
using test_rig::Context;
using test_rig::StateId;

constexpr const char* kTableKey = "consistency.table";  // set once the table exists

Workload workload_named(const std::string& name) {
  return name == "bank"          ? Workload::kBank
         : name == "rw-register" ? Workload::kRwRegister
                                 : Workload::kListAppend;
}

// The options, checked (a runtime_error names the problem).
WorkloadSettings settings_from(Context& ctx, Workload workload) {
  WorkloadSettings s;
  s.shape.workload = workload;
  s.shape.keys = ctx.option_int("keys");
  s.shape.distribution = ctx.option_string("key-distribution") == "uniform"
                             ? KeyDistribution::kUniform
                             : KeyDistribution::kExponential;
  s.shape.min_length = static_cast<int>(ctx.option_int("min-txn-length"));
  s.shape.max_length = static_cast<int>(ctx.option_int("max-txn-length"));
  s.shape.max_writes_per_key = static_cast<int>(ctx.option_int("max-writes-per-key"));
  s.shape.rollback_rate = ctx.option_float("rollback-rate");
  s.shape.accounts = ctx.option_int("accounts");
  s.shape.max_transfer = ctx.option_int("max-transfer");
  s.initial_balance = ctx.option_int("balance");
  s.sessions = static_cast<int>(ctx.option_int("sessions"));
  s.time_s = ctx.option_float("time");
  s.transactions = ctx.option_int("transactions");
  s.rate = ctx.option_float("rate");
  s.seed = static_cast<uint64_t>(ctx.option_int("seed"));
  s.report_interval_s = ctx.option_float("report-interval");
  s.record = ctx.option_bool("record");
  if (s.shape.min_length > s.shape.max_length) {
    throw std::runtime_error("--consistency.min-txn-length " + std::to_string(s.shape.min_length) +
                             " is above --consistency.max-txn-length " +
                             std::to_string(s.shape.max_length));
  }
  if (s.time_s <= 0 && s.transactions <= 0) {
    throw std::runtime_error("give --consistency.time or --consistency.transactions (both are 0)");
  }
  s.run_sessions = s.sessions;
  if (const Context::Shard shard = ctx.shard(); shard.count > 1) {
    const rig_plugins::ShardShare share =
        rig_plugins::divided({s.sessions, s.rate, s.transactions, "--consistency.sessions",
                              "--consistency.transactions"},
                             shard);
    s.first_session = share.first_worker;
    s.sessions = share.workers;
    s.rate = share.rate;
    s.transactions = share.units;
    s.shape.value_stride = shard.count;
    s.shape.value_offset = shard.index;
  }
  return s;
}

std::string expectations_path(Context& ctx) {
  const std::string path = ctx.option_string("expectations");
  return path.empty() ? rig_plugins::plugin_directory("consistency/expectations.txt") : path;
}

// What can be known of the options before the run (ABI 1.5): the settings,
// and an expectations table that reads. Whether it has a row for the
// server is known only once the server is.
void check_options(Context& ctx, Workload workload) {
  settings_from(ctx, workload);
  if (ctx.option_string("model") == "expected") ModelExpectations::load(expectations_path(ctx));
}

// A shard's history as it travels to shard 0: the wall-clock time its
// times count from, a line, then the history file's lines.
std::string history_message(const WorkloadRun& run) {
  std::ostringstream out;
  out << run.start_unix_ns << "\n";
  write_history(run.history, out);
  return out.str();
}

// Every shard's history as one, on the clock of the earliest shard's
// start, each transaction widened by --consistency.clock-skew-ms on both
// sides so that clocks that disagree by up to that much order nothing in
// real time that did not happen so. The first shard's is `own`.
History merged_history(Context& ctx, const WorkloadRun& own,
                       const std::map<uint32_t, std::string>& others) {
  const auto margin = static_cast<int64_t>(ctx.option_float("clock-skew-ms") * 1e6);
  struct Part {
    int64_t start_unix_ns;
    History history;
  };
  std::vector<Part> parts;
  parts.push_back({own.start_unix_ns, own.history});
  for (const auto& [shard, message] : others) {
    const std::size_t line = message.find('\n');
    std::istringstream in(message.substr(line == std::string::npos ? message.size() : line + 1));
    parts.push_back({std::stoll(message.substr(0, line)),
                     parse_history("shard " + std::to_string(shard) + "'s history", in)});
  }
  int64_t earliest = parts.front().start_unix_ns;
  for (const Part& part : parts) earliest = std::min(earliest, part.start_unix_ns);
  History merged;
  for (Part& part : parts) {
    part.history.shift_and_widen(part.start_unix_ns - earliest + margin, margin);
    merged.absorb(std::move(part.history));
  }
  merged.finish();
  return merged;
}

CheckSettings check_settings(Context& ctx, Workload workload) {
  CheckSettings check;
  check.workload = workload;
  check.bank.accounts = ctx.option_int("accounts");
  check.bank.total = ctx.option_int("accounts") * ctx.option_int("balance");
  check.limits.budget = static_cast<uint64_t>(ctx.option_int("search-budget"));
  return check;
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", std::gmtime(&now));
  return text;
}

// What a run carries from state to state. A test runs its states in one
// process; prepare starts each run afresh (with --isolation none the next
// test shares the process).
struct RunState {
  Workload workload = Workload::kListAppend;
  WorkloadSettings settings;
  std::string table;
  const Model* model = nullptr;
  std::string model_source;
  std::string profile, level;
  std::optional<WorkloadRun> run;
};

class Prepare : public test_rig::StateHandler {
 public:
  Prepare(Workload workload, std::shared_ptr<RunState> state)
      : workload_(workload), state_(std::move(state)) {}

  StateId execute(Context& ctx) override {
    RunState& state = *state_;
    state = RunState{};
    state.workload = workload_;
    state.settings = settings_from(ctx, workload_);
    Connection db = ctx.connection();
    // The workload's sessions take the servers of the --host list in turn.
    const rig_plugins::ServerProfile profile =
        rig_plugins::server_profile(db, ctx.option_string("snapshot-isolation"), "server",
                                    ctx.server_count() > 1 ? rig_plugins::Placement::kAcrossServers
                                                           : rig_plugins::Placement::kOneServer);
    const std::string level = ctx.option_string("isolation");
    const std::string model = ctx.option_string("model");
    if (model == "expected") {
      const std::string path = expectations_path(ctx);
      state.model = find_model(ModelExpectations::load(path).model_for(profile.name, level));
      state.model_source = "expected of " + profile.name + " at " + level + " by " + path;
    } else {
      state.model = find_model(model);
      state.model_source = "--consistency.model";
    }
    state.settings.session_setup.push_back(rig_plugins::set_isolation_sql(db.server(), level));
    for (const std::string& sql : profile.session_setup)
      state.settings.session_setup.push_back(sql);
    state.profile = profile.name;
    state.level = level;
    ctx.record("profile", profile.name);
    ctx.record("isolation", level);
    ctx.record("model", state.model->name);

    ShardMeeting meeting(ctx);
    if (meeting.split() && !meeting.first()) {
      // Shard 0 makes the table and names it.
      state.table = meeting.wait(db, "ready", {0}, meeting.wait_limit()).at(0);
      ctx.record("table", state.table + " (shard 0's)");
      return "run";
    }
    if (meeting.split()) meeting.open(db);
    state.table = test_rig::unique_name("consistency");
    create_table(db, state.settings, state.table);
    ctx.set_custom_data(kTableKey, state.table);
    ctx.record("table", state.table);
    if (meeting.split()) meeting.post(db, "ready", state.table);
    return "run";
  }

 private:
  Workload workload_;
  std::shared_ptr<RunState> state_;
};

class Run : public test_rig::StateHandler {
 public:
  explicit Run(std::shared_ptr<RunState> state) : state_(std::move(state)) {}

  StateId execute(Context& ctx) override {
    RunState& state = *state_;
    // --state-timeout bounds what the run does beyond its asked-for time.
    if (state.settings.time_s > 0) ctx.expect_state_duration(state.settings.time_s);
    state.run = run_workload(ctx, state.settings, state.table);
    const WorkloadRun& run = *state.run;
    nlohmann::json errors = nlohmann::json::object();
    for (const auto& [code, count] : run.errors_by_code) errors[std::to_string(code)] = count;
    // The accounting is written however the test ends from here on.
    ctx.record_json("operations",
                    nlohmann::json{{"attempted", run.ok + run.failed + run.indeterminate},
                                   {"succeeded", run.ok},
                                   {"failed", run.failed},
                                   {"indeterminate", run.indeterminate},
                                   {"rolled_back_by_client", run.rolled_back},
                                   {"reconnects", run.reconnects},
                                   {"seconds", run.seconds},
                                   {"errors_by_code", errors}}
                        .dump());
    ctx.record("tps", std::to_string(static_cast<int64_t>(
                          std::llround((run.ok + run.failed + run.indeterminate) / run.seconds))));
    // However it ran, a shard's history goes to shard 0, which checks it
    // with every other.
    if (ShardMeeting meeting(ctx); meeting.split() && !meeting.first()) {
      Connection db = ctx.connection();
      test_rig::retry_reads(ctx, db, [&](Connection& session) {
        meeting.post(session, "history", history_message(run));
      });
    }
    return "check";
  }

 private:
  std::shared_ptr<RunState> state_;
};

// Puts the strongest model the history satisfies -- the last, weakest
// first, of whose forbidden classes none was found or left undecided --
// into the expectations table at `path` as the row for this profile and
// level: a baseline for --consistency.expectations.
void record_model(Context& ctx, const std::string& path, const RunState& state,
                  const CheckResult& result) {
  const Model* strongest = nullptr;
  for (const Model& model : models()) {
    if (judge(result, model).valid()) strongest = &model;
  }
  if (strongest == nullptr) {
    ctx.warn("the history satisfies no model; nothing recorded in " + path);
    return;
  }
  std::string text, why;
  if (std::filesystem::exists(path) && !test_rig::read_small_file(path, 1 << 20, &text, &why)) {
    throw std::runtime_error("--consistency.record-model " + path + ": " + why);
  }
  if (text.empty()) {
    text =
        "# Recorded by test-rig consistency (--consistency.record-model): for each\n"
        "# profile and level, the strongest model one run's history satisfied. Check\n"
        "# later runs against it with --consistency.expectations FILE.\n";
  }
  rig_plugins::write_file(path, [&](std::ostream& out) {
    out << with_row(text, state.profile, state.level, strongest->name);
  });
  ctx.info("recorded " + state.profile + " " + state.level + " " + strongest->name + " in " + path);
}

class Check : public test_rig::StateHandler {
 public:
  explicit Check(std::shared_ptr<RunState> state) : state_(std::move(state)) {}

  StateId execute(Context& ctx) override {
    RunState& state = *state_;
    WorkloadRun& run = *state.run;
    if (ShardMeeting meeting(ctx); meeting.split()) {
      if (!meeting.first()) {
        ctx.add_summary_text("the history is checked by shard 0, with every shard's\n");
        return "cleanup";
      }
      std::vector<uint32_t> others = meeting.every_shard();
      others.erase(others.begin());
      std::map<uint32_t, std::string> histories;
      Connection db = ctx.connection();
      test_rig::retry_reads(ctx, db, [&](Connection& session) {
        histories = meeting.wait(session, "history", others, meeting.wait_limit());
      });
      run.history = merged_history(ctx, run, histories);
      ctx.record("shards_checked", std::to_string(meeting.shard().count));
    }
    if (!state.settings.record) {
      throw test_rig::Skip("--consistency.record false: the workload ran unrecorded (" +
                           std::to_string(run.ok) + " committed), so nothing was checked");
    }
    const CheckResult result = check(run.history, check_settings(ctx, state.workload));
    const Verdict verdict = judge(result, *state.model);
    CheckReport report{run.history,        result, verdict, *state.model, state.workload,
                       state.model_source, {}};
    report.files = write_check_files(
        fresh_directory(ctx.option_string("out-dir"),
                        ctx.plugin_name() + "-" + ctx.test_name() + "-" + utc_stamp()),
        run.history, result, /*with_history=*/true);
    const int explain = static_cast<int>(ctx.option_int("explain"));
    ctx.add_summary_text(report.summary(explain));
    ctx.record_json("consistency", report.details(std::max(explain, 20)).dump());
    if (const std::string path = ctx.option_string("record-model"); !path.empty()) {
      record_model(ctx, path, state, result);
    }
    for (AnomalyClass cls : checked_classes(state.workload)) {
      const uint64_t count = result.counts[static_cast<int>(cls)];
      const bool forbidden = state.model->forbids(cls);
      const bool undecided = std::count(verdict.undecided.begin(), verdict.undecided.end(), cls);
      const std::string found = std::to_string(count) + " found";
      ctx.add_case(anomaly_name(cls),
                   count && forbidden ? RIG_FAILED
                   : undecided        ? RIG_ERROR
                                      : RIG_OK,
                   count == 0  ? (undecided ? "the cycle search ran out of budget" : "none found")
                   : forbidden ? found + ", forbidden by " + state.model->name
                               : found + ", allowed by " + state.model->name,
                   0);
    }
    if (!verdict.found.empty()) {
      std::string classes;
      for (AnomalyClass cls : verdict.found) {
        classes += std::string(classes.empty() ? "" : ", ") + anomaly_name(cls) + " (" +
                   std::to_string(result.counts[static_cast<int>(cls)]) + ")";
      }
      throw test_rig::Failure("found anomalies " + state.model->name + " forbids: " + classes +
                              "; explained in " + report.files.explanations);
    }
    if (run.stopped_by) throw std::runtime_error("the run stopped early: " + *run.stopped_by);
    if (!verdict.undecided.empty()) {
      throw std::runtime_error(
          "the cycle search ran out of budget before deciding some classes the model forbids; "
          "raise --consistency.search-budget");
    }
    return "cleanup";
  }

 private:
  std::shared_ptr<RunState> state_;
};

void drop_table(Context& ctx) {
  if (auto table = ctx.get_custom_data(kTableKey)) {
    ctx.connection().execute_best_effort("DROP TABLE IF EXISTS " + *table);
  }
}

class Cleanup : public test_rig::StateHandler {
 public:
  StateId execute(Context& ctx) override {
    drop_table(ctx);  // shard 0's, which the others' never set
    if (ShardMeeting meeting(ctx); meeting.split() && meeting.first()) {
      Connection db = ctx.connection();
      meeting.close(db);
    }
    return test_rig::State::kCompleted;
  }
};

// Reached when a state fails: drops the table if this run created it.
class DropOnError : public test_rig::StateHandler {
 public:
  void enter(Context& ctx) override { drop_table(ctx); }
  StateId execute(Context&) override { return test_rig::State::kCompleted; }
};

// `test-rig check HISTORY`: a history from a file, checked offline.
int check_command(Context& ctx, const std::vector<std::string>& args) {
  if (args.size() != 1) {
    throw test_rig::UsageError("usage: test-rig check HISTORY [--workload W] [--model M]");
  }
  const std::string model_name = ctx.option_string("model");
  if (model_name == "expected") {
    throw test_rig::UsageError(
        "give the model to check against, such as --model serializable "
        "(a history from a file has no server to expect one of): " +
        rig_plugins::joined(model_names()));
  }
  const Workload workload = workload_named(ctx.option_string("workload"));
  History history;
  CheckResult result;
  try {
    history = read_history(args[0]);
    result = check(history, check_settings(ctx, workload));
  } catch (const HistoryFileError& e) {
    throw test_rig::UsageError(e.what());
  } catch (const HistoryError& e) {
    throw test_rig::UsageError(args[0] + ": " + e.what());
  }
  const Model& model = *find_model(model_name);
  const Verdict verdict = judge(result, model);
  CheckReport report{history, result, verdict, model, workload, "--model", {}};
  const std::string stem = std::filesystem::path(args[0]).stem().string();
  report.files = write_check_files(
      fresh_directory(ctx.option_string("out-dir"), "check-" + stem + "-" + utc_stamp()), history,
      result, /*with_history=*/false);
  std::printf("%s: %s", args[0].c_str(),
              report.summary(static_cast<int>(ctx.option_int("explain"))).c_str());
  std::printf("%s\n", verdict.valid() ? "valid" : "NOT valid");
  if (!verdict.found.empty()) throw test_rig::Failure("the history is not " + model.name);
  if (!verdict.undecided.empty()) {
    throw std::runtime_error("undecided: raise --search-budget");
  }
  return 0;
}

// `report compare BASELINE AFTER.json`: the report's check against a model
// table, such as --consistency.record-model wrote.
bool judge_against_model_table(Context& ctx, const std::string& baseline,
                               const std::string& entry) {
  const auto judged = judge_model(baseline, nlohmann::json::parse(entry));
  if (!judged) return false;
  ctx.add_case(judged->name, judged->kept ? RIG_OK : RIG_FAILED, judged->message, 0);
  return true;
}

test_rig::PluginDefinition define() {
  using test_rig::Option;
  std::vector<std::string> models = {"expected"};
  for (const std::string& name : model_names()) models.push_back(name);
  test_rig::PluginDefinition plugin(
      "consistency", "1.0.0",
      "Elle-style checking: random concurrent transactions, their history checked for anomalies");
  plugin
      .option(Option::integer("sessions", 8, "concurrent sessions, one thread and connection each")
                  .bounds(1, 1024))
      .option(Option::floating("time", 5, "seconds to run (0: until --consistency.transactions)")
                  .bounds(0, 86400 * 7))
      .option(Option::integer("transactions", 0, "transactions to run in all (0: until the time)")
                  .bounds(0, 1e12))
      .option(Option::floating("rate", 0,
                               "transactions per second over all sessions (0: as fast "
                               "as they go)")
                  .bounds(0, 1e9))
      .option(Option::integer("keys", 10, "keys in use at a time").bounds(1, 1e6))
      .option(Option::choice("key-distribution", "exponential", {"uniform", "exponential"},
                             "exponential: the first few keys take most operations (hot keys)"))
      .option(Option::integer("min-txn-length", 1, "operations per transaction, at least")
                  .bounds(1, 1000))
      .option(Option::integer("max-txn-length", 4, "operations per transaction, at most")
                  .bounds(1, 1000))
      .option(Option::integer("max-writes-per-key", 32,
                              "writes a key takes before a fresh key replaces it")
                  .bounds(1, 1e6))
      .option(Option::floating("rollback-rate", 0.05,
                               "share of transactions the client ends with ROLLBACK")
                  .bounds(0, 1))
      .option(Option::choice("isolation", "repeatable-read", rig_plugins::isolation_levels(),
                             "isolation level of every session"))
      .option(Option::choice("model", "expected", models,
                             "the consistency model to judge the history against; expected: "
                             "the one the expectations table gives for this server and level"))
      .option(Option::string("record-model", "",
                             "put the strongest model this run's history satisfies into this "
                             "expectations table, as the row for its profile and level: a "
                             "baseline for --consistency.expectations and report compare")
                  .output())
      .option(Option::string("expectations", "",
                             "expectations table: profile level model per line (default: the "
                             "shipped expectations.txt)"))
      .option(Option::choice("snapshot-isolation", "server", {"server", "on", "off"},
                             "MariaDB: innodb_snapshot_isolation as the server has it, or set "
                             "per session"))
      .option(Option::integer("seed", 1, "random seed of the transactions").bounds(0, 1e15))
      .option(Option::integer("accounts", 8, "bank: accounts").bounds(2, 100000))
      .option(Option::integer("balance", 100, "bank: each account's first balance").bounds(1, 1e12))
      .option(Option::integer("max-transfer", 5, "bank: the largest transfer").bounds(1, 1e9))
      .option(Option::floating("report-interval", 1, "seconds between progress lines")
                  .bounds(0.01, 86400))
      .option(Option::string("out-dir", "test-rig-out",
                             "directory for each run's history, explanations and graphs (a new "
                             "subdirectory per run)")
                  .output())
      .option(Option::integer("explain", 3, "anomalies explained in the summary").bounds(0, 10000))
      .option(Option::integer("search-budget", 5000000,
                              "states a cycle search may visit per component and class")
                  .bounds(1, 1e12))
      .option(Option::boolean("record", true,
                              "record the history; false runs the workload only (to measure "
                              "what recording costs) and checks nothing"))
      .option(Option::choice("workload", "list-append", {"list-append", "rw-register", "bank"},
                             "test-rig check: the workload of the history (a run knows its own)"))
      .option(Option::floating("shard-wait", 600,
                               "with --shard: seconds a shard waits for the others (for shard "
                               "0's table; shard 0 for the others' histories)")
                  .bounds(1, 86400 * 7))
      .option(Option::floating("clock-skew-ms", 10,
                               "with --shard: how far the shards' clocks may disagree; each "
                               "transaction of the merged history is widened by as much, so "
                               "that no real-time order is inferred that did not happen")
                  .bounds(0, 60000));
  const struct {
    Workload workload;
    const char* doc;
  } workloads[] = {
      {Workload::kListAppend,
       "appends to lists and reads them whole; infers every key's version order (strongest)"},
      {Workload::kRwRegister, "writes and reads of one integer per key (weaker inference)"},
      {Workload::kBank, "transfers between accounts; every read must add up to the total"},
  };
  for (const auto& entry : workloads) {
    auto state = std::make_shared<RunState>();
    test_rig::TestDefinition test(workload_name(entry.workload), entry.doc);
    test.initial("prepare", std::make_unique<Prepare>(entry.workload, state),
                 "choose the model, create the table")
        .state("run", std::make_unique<Run>(state), "run the sessions and record the history")
        .state("check", std::make_unique<Check>(state), "check the history against the model")
        .state("cleanup", std::make_unique<Cleanup>(), "drop the table")
        .terminal(test_rig::State::kCompleted)
        .terminal(test_rig::common_states::error(), std::make_unique<DropOnError>(),
                  "drop the table on failure")
        .transition("prepare", "run")
        .transition("run", "check")
        .transition("check", "cleanup")
        .transition("cleanup", test_rig::State::kCompleted)
        .divides_its_work()
        .judges_baseline(judge_against_model_table)
        .checks_options(
            [workload = entry.workload](Context& ctx) { check_options(ctx, workload); });
    plugin.test(std::move(test));
  }
  plugin.command(test_rig::Command(
      "check", "HISTORY",
      "check a recorded history (one JSON operation per line, Jepsen's fields) for anomalies",
      &check_command));
  return plugin;
}

}  // namespace
}  // namespace consistency

TEST_RIG_PLUGIN(consistency::define)
