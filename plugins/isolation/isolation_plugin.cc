// plugins/isolation -- Hermitage's anomaly tests, run with real concurrent
// sessions at every isolation level, judged against the documented
// expectations for the detected server.
//
// isolation/hermitage: initial (load scenarios and expectations, detect the
// server profile) -> run_matrix (every scenario x level [x TiDB txn mode])
// -> completed. Each cell is a JUnit case; a cell that differs from its
// expectation fails the test and shows the observed step trace.

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "baseline_judge.h"
#include "cell_runner.h"
#include "expectations.h"
#include "plugin_support.h"
#include "scenario.h"
#include "server_profile.h"
#include "test_rig/sdk.h"
#include "write_file.h"

namespace isolation {
namespace {

namespace fs = std::filesystem;
using test_rig::Connection;
using test_rig::Context;
using test_rig::StateHandler;
using test_rig::StateId;

// The plugin's data: isolation/ beside isolation.so.
std::string data_directory() { return rig_plugins::plugin_directory("isolation"); }

// The scenarios to run, in load order; `ids` receives every loaded id (the
// expectations table may name any of them).
std::vector<Scenario> load_scenarios(Context& ctx, std::set<std::string>& ids) {
  std::vector<std::string> dirs = {data_directory() + "/scenarios"};
  for (const auto& dir : ctx.option_list("scenario-dirs")) dirs.push_back(dir);
  std::vector<std::string> only = ctx.option_list("scenarios");
  std::vector<Scenario> scenarios;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      throw std::runtime_error("scenario directory " + dir + " does not exist");
    }
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".scenario") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      Scenario scenario = load_scenario(file);
      if (!ids.insert(scenario.id).second) {
        throw ScenarioError(file + ": scenario id '" + scenario.id + "' is used twice");
      }
      if (only.empty() || std::count(only.begin(), only.end(), scenario.id)) {
        scenarios.push_back(std::move(scenario));
      }
    }
  }
  for (const auto& id : only) {
    if (!ids.count(id))
      throw std::runtime_error("--isolation.scenarios names unknown '" + id + "'");
  }
  return scenarios;
}

Expectations load_expectations(Context& ctx, const std::set<std::string>& scenario_ids) {
  std::string path = ctx.option_string("expectations");
  return Expectations::load(path.empty() ? data_directory() + "/expectations.txt" : path,
                            scenario_ids);
}

// The scenarios and expectations, after checking every option that names
// levels or modes. Throws with a line saying what is wrong.
struct Inputs {
  std::vector<Scenario> scenarios;
  Expectations expectations;
  std::vector<std::string> levels;
};

Inputs load_inputs(Context& ctx) {
  std::set<std::string> ids;
  std::vector<Scenario> scenarios = load_scenarios(ctx, ids);
  Expectations expectations = load_expectations(ctx, ids);
  std::vector<std::string> levels = ctx.option_list("levels");
  for (const auto& level : levels) {
    if (!std::count(rig_plugins::isolation_levels().begin(), rig_plugins::isolation_levels().end(),
                    level)) {
      throw std::runtime_error("--isolation.levels: unknown level '" + level +
                               "'; use read-uncommitted, read-committed, repeatable-read or "
                               "serializable");
    }
  }
  for (const auto& mode : ctx.option_list("tidb-txn-modes")) {
    if (mode != "pessimistic" && mode != "optimistic") {
      throw std::runtime_error("--isolation.tidb-txn-modes: unknown mode '" + mode +
                               "'; use pessimistic or optimistic");
    }
  }
  return {std::move(scenarios), std::move(expectations), std::move(levels)};
}

using Profile = rig_plugins::ServerProfile;

// How many servers the scenario sessions are spread over: 1, or with
// --isolation.across-nodes every server of the --host list (at least 2).
uint32_t servers_used(Context& ctx) {
  if (!ctx.option_bool("across-nodes")) return 1;
  const uint32_t servers = ctx.server_count();
  if (servers < 2) {
    throw std::runtime_error(
        "--isolation.across-nodes needs two servers or more in the --host list (a cluster's "
        "nodes, e.g. the config file of `test-rig sandbox start --nodes 3 DIR`)");
  }
  return servers;
}

std::vector<Profile> detect_profiles(Context& ctx) {
  auto db = ctx.connection();
  const auto placement = servers_used(ctx) > 1 ? rig_plugins::Placement::kAcrossServers
                                               : rig_plugins::Placement::kOneServer;
  if (db.server().is_tidb()) {
    std::vector<Profile> profiles;
    for (const auto& mode : ctx.option_list("tidb-txn-modes")) {
      profiles.push_back(rig_plugins::server_profile(db, "server", mode, placement));
    }
    return profiles;
  }
  return {rig_plugins::server_profile(db, ctx.option_string("snapshot-isolation"), "server",
                                      placement)};
}

class Prepare : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    Inputs inputs = load_inputs(ctx);  // validates the files and options
    std::string names;
    for (const auto& profile : detect_profiles(ctx))
      names += (names.empty() ? "" : ",") + profile.name;
    ctx.record("profiles", names);
    ctx.record("scenarios", std::to_string(inputs.scenarios.size()));
    return test_rig::DynamicState("run_matrix", "Run matrix");
  }
};

struct JudgedCell {
  std::string profile;
  CellResult result;
  Expected expected = Expected::kUnknown;

  bool skipped() const { return !result.skipped.empty(); }
  bool errored() const { return !skipped() && !result.outcome; }
  bool as_expected() const { return result.outcome && satisfies(*result.outcome, expected); }
  bool differs() const {
    return result.outcome && expected != Expected::kUnknown && !as_expected();
  }
};

std::string case_name(const JudgedCell& cell) {
  return cell.profile + "/" + cell.result.level + "/" + cell.result.scenario;
}

// How the cells came out, for the summary, the test's message and the JSON.
struct CellCounts {
  int run = 0, as_expected = 0, differ = 0, undecided = 0, errors = 0;
  int no_expectation = 0, level_rejected = 0;

  // Each cell counts once: skipped (level rejected), error, undecided, no
  // expectation, as expected, or differs.
  explicit CellCounts(const std::vector<JudgedCell>& cells) {
    for (const auto& cell : cells) {
      ++run;
      if (cell.skipped()) {
        ++level_rejected;
      } else if (cell.errored()) {
        ++errors;
      } else if (*cell.result.outcome == Outcome::kUndecided) {
        ++undecided;
      } else if (cell.expected == Expected::kUnknown) {
        ++no_expectation;
      } else if (cell.as_expected()) {
        ++as_expected;
      } else {
        ++differ;
      }
    }
  }

  std::string text() const {
    return std::to_string(run) + " cells: " + std::to_string(as_expected) + " as expected, " +
           std::to_string(differ) + " differ, " + std::to_string(undecided) + " undecided, " +
           std::to_string(errors) + " errors, " + std::to_string(no_expectation + level_rejected) +
           " skipped (" + std::to_string(no_expectation) + " without expectation, " +
           std::to_string(level_rejected) + " level rejected by the server)";
  }

  nlohmann::json json() const {
    return {{"run", run},
            {"as_expected", as_expected},
            {"differ", differ},
            {"undecided", undecided},
            {"errors", errors},
            {"skipped_no_expectation", no_expectation},
            {"skipped_level_rejected", level_rejected}};
  }
};

std::string cell_label(const JudgedCell& cell) {
  if (cell.skipped()) return "skip";
  if (cell.errored()) return "ERROR";
  std::string label = outcome_name(*cell.result.outcome);
  if (cell.expected == Expected::kUnknown) return label + "?";
  return cell.as_expected() ? label : label + "!";
}

// Columns in the expectations table's order, then scenarios it does not
// name, in load order; every id whole.
std::vector<std::string> column_order(const std::vector<Scenario>& scenarios,
                                      const Expectations& expectations) {
  std::vector<std::string> columns;
  for (const auto& id : expectations.scenario_order()) {
    bool runs = std::any_of(scenarios.begin(), scenarios.end(),
                            [&](const Scenario& scenario) { return scenario.id == id; });
    if (runs) columns.push_back(id);
  }
  for (const auto& scenario : scenarios) {
    if (!std::count(columns.begin(), columns.end(), scenario.id)) columns.push_back(scenario.id);
  }
  return columns;
}

// The profiles of `cells`, in the order they first appear.
std::vector<std::string> profiles_of(const std::vector<JudgedCell>& cells) {
  std::vector<std::string> profiles;
  for (const auto& cell : cells) {
    if (!std::count(profiles.begin(), profiles.end(), cell.profile)) {
      profiles.push_back(cell.profile);
    }
  }
  return profiles;
}

// The cell of that profile, level and scenario, or null when none ran.
const JudgedCell* find_cell(const std::vector<JudgedCell>& cells, const std::string& profile,
                            const std::string& level, const std::string& id) {
  auto it = std::find_if(cells.begin(), cells.end(), [&](const JudgedCell& c) {
    return c.profile == profile && c.result.level == level && c.result.scenario == id;
  });
  return it == cells.end() ? nullptr : &*it;
}

// The observed matrix as an expectations table (expectations.h's format):
// what a later run checks itself against with --isolation.expectations.
// A cell that decided nothing (undecided, an error, skipped) is "?".
std::string recorded_table(const std::vector<JudgedCell>& cells,
                           const std::vector<std::string>& columns,
                           const std::vector<std::string>& levels,
                           const test_rig::ServerInfo& server) {
  std::string text = "# Recorded by test-rig isolation/hermitage (--isolation.record) on " +
                     server.flavor_name() + " " + server.raw_version +
                     ":\n# the outcomes one run observed. Check later runs against it with "
                     "--isolation.expectations FILE;\n# docs/isolation.md has the format.\n";
  text += "scenarios:";
  for (const auto& id : columns) text += " " + id;
  text += "\n";
  for (const auto& profile : profiles_of(cells)) {
    for (const auto& level : levels) {
      std::string row = profile + " " + level;
      for (const auto& id : columns) {
        const JudgedCell* cell = find_cell(cells, profile, level, id);
        const bool decided =
            cell && cell->result.outcome && *cell->result.outcome != Outcome::kUndecided;
        row += " " + std::string(decided ? outcome_name(*cell->result.outcome) : "?");
      }
      text += row + "\n";
    }
  }
  return text;
}

std::string matrix_text(const std::vector<JudgedCell>& cells,
                        const std::vector<std::string>& columns,
                        const std::vector<std::string>& levels) {
  const std::vector<std::string> profiles = profiles_of(cells);
  auto find = [&](const std::string& profile, const std::string& level, const std::string& id) {
    const JudgedCell* cell = find_cell(cells, profile, level, id);
    return cell ? cell_label(*cell) : std::string();
  };
  std::size_t first_width = 2;
  for (const auto& name : profiles) first_width = std::max(first_width, name.size() + 2);
  for (const auto& name : levels) first_width = std::max(first_width, name.size() + 2);
  std::vector<std::size_t> widths;
  for (const auto& id : columns) {
    std::size_t width = id.size();
    for (const auto& profile : profiles) {
      for (const auto& level : levels) width = std::max(width, find(profile, level, id).size());
    }
    widths.push_back(width + 2);
  }
  std::string text;
  auto add_line = [&](const std::string& head, auto cell_of) {
    std::ostringstream line;
    line << std::left << "      " << std::setw(static_cast<int>(first_width)) << head;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      line << std::setw(static_cast<int>(widths[i])) << cell_of(i);
    }
    std::string padded = line.str();
    text += padded.substr(0, padded.find_last_not_of(' ') + 1) + "\n";
  };
  for (const auto& profile : profiles) {
    add_line(profile, [&](std::size_t i) { return columns[i]; });
    for (const auto& level : levels) {
      add_line(level, [&](std::size_t i) { return find(profile, level, columns[i]); });
    }
  }
  return text + "      (! differs from the expectation, ? no expectation for this server)\n";
}

nlohmann::json cell_json(const JudgedCell& cell) {
  nlohmann::json trace = nlohmann::json::array();
  for (const auto& step : cell.result.trace) {
    nlohmann::json entry = {{"session", step.session},        {"sql", step.sql},
                            {"blocked", step.blocked},        {"skipped", step.skipped},
                            {"error_code", step.error_code},  {"started_ms", step.started_ms},
                            {"finished_ms", step.finished_ms}};
    if (!step.label.empty()) entry["label"] = step.label;
    if (!step.waited_for.empty()) entry["waited_for"] = step.waited_for;
    if (step.still_waiting) entry["still_waiting"] = true;
    if (step.cancelled) entry["cancelled"] = true;
    if (step.error_code != 0) entry["error"] = step.error;
    if (step.has_rows) entry["rows"] = format_rows(step.rows);
    trace.push_back(entry);
  }
  nlohmann::json json = {
      {"profile", cell.profile},
      {"scenario", cell.result.scenario},
      {"level", cell.result.level},
      {"observed", cell.result.outcome ? nlohmann::json(outcome_name(*cell.result.outcome))
                                       : nlohmann::json(nullptr)},
      {"expected", expected_name(cell.expected)},
      {"error", cell.result.error},
      {"skipped", cell.result.skipped},
      {"duration_s", cell.result.duration_s},
      {"trace", trace}};
  if (!cell.result.undecided.empty()) json["undecided"] = cell.result.undecided;
  // How the cell came out against its expectation, for readers of the
  // report (the HTML page colours the matrix by it).
  json["verdict"] = cell.skipped()       ? "skipped"
                    : cell.errored()     ? "error"
                    : cell.as_expected() ? "as-expected"
                    : cell.differs()     ? "differs"
                                         : "undecided";
  return json;
}

// A bound on the cell's blocked and late steps: a step waits at most the
// sessions' lock-wait timeout, plus a margin for the server to report it.
std::chrono::milliseconds finish_timeout(Context& ctx) {
  return std::chrono::milliseconds(ctx.option_int("lock-wait-timeout") * 1000 + 5000);
}

class RunMatrix : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    Inputs inputs = load_inputs(ctx);
    Connection main = ctx.connection();
    const test_rig::ServerInfo server = main.server();

    // Session Tk sits on server (k - 1) mod the servers used: all on the
    // first, or one per node across a cluster.
    std::size_t max_sessions = 0;
    for (const auto& s : inputs.scenarios) max_sessions = std::max(max_sessions, s.sessions.size());
    const std::size_t servers = std::min<std::size_t>(servers_used(ctx), max_sessions);
    const std::string timeouts = lock_wait_timeouts(server, ctx.option_int("lock-wait-timeout"));
    // The timeouts: the monitors' DROP TABLE never waits for a day either.
    std::vector<std::string> monitor_setup = {timeouts};
    // A Galera node's causal reads wait for what the other nodes committed.
    const bool galera = servers > 1 && rig_plugins::is_galera_node(main);
    if (galera) monitor_setup.push_back("SET SESSION wsrep_sync_wait = 1");
    std::vector<Connection> monitors;
    for (std::size_t k = 0; k < servers; ++k) {
      monitors.push_back(ctx.connection_to(k == 0 ? "monitor" : "monitor" + std::to_string(k),
                                           static_cast<uint32_t>(k)));
      for (const auto& sql : monitor_setup) monitors.back().execute(sql);
    }
    SessionPool pool{monitors, monitor_setup, WaitProbe(monitors), {}, Clock::now()};
    for (std::size_t i = 0; i < max_sessions; ++i) {
      auto connection =
          ctx.connection_to("T" + std::to_string(i + 1), static_cast<uint32_t>(i % servers));
      pool.workers.push_back(std::make_unique<SessionWorker>(connection, i % servers, &pool.epoch));
    }

    CellSettings settings;
    settings.block_timeout = std::chrono::milliseconds(ctx.option_int("block-timeout-ms"));
    settings.settle_timeout = std::chrono::milliseconds(ctx.option_int("settle-ms"));
    settings.finish_timeout = finish_timeout(ctx);
    if (galera) settings.replica_barrier = "SELECT COUNT(*) FROM {t}";
    const std::string prefix = test_rig::unique_name("hermitage");

    std::vector<JudgedCell> cells;
    std::string stopped;
    int cell_number = 0;
    for (const Profile& profile : detect_profiles(ctx)) {
      settings.session_setup = {timeouts};
      settings.session_setup.insert(settings.session_setup.end(), profile.session_setup.begin(),
                                    profile.session_setup.end());
      for (const auto& scenario : inputs.scenarios) {
        for (const auto& level : inputs.levels) {
          if (!stopped.empty()) break;
          settings.level = level;
          settings.set_level_sql = rig_plugins::set_isolation_sql(server, level);
          settings.table = prefix + "_" + std::to_string(cell_number++);
          JudgedCell cell{
              profile.name, {}, inputs.expectations.find(profile.name, level, scenario.id)};
          try {
            cell.result = run_cell(scenario, settings, pool);
          } catch (const PoolBroken& e) {
            cell.result.scenario = scenario.id;
            cell.result.level = level;
            cell.result.error = e.what();
            stopped = case_name(cell) + ": " + e.what();
          }
          report_case(ctx, cell);
          cells.push_back(std::move(cell));
        }
      }
    }

    CellCounts counts(cells);
    nlohmann::json json = {{"table_prefix", prefix},
                           {"block_timeout_ms", settings.block_timeout.count()},
                           {"wait_probe", pool.probe.available()},
                           {"servers", servers},
                           {"counts", counts.json()},
                           {"cells", nlohmann::json::array()}};
    for (const auto& cell : cells) json["cells"].push_back(cell_json(cell));
    ctx.record_json("isolation",
                    json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    ctx.record("cells", counts.text());
    const std::vector<std::string> columns = column_order(inputs.scenarios, inputs.expectations);
    ctx.add_summary_text("      " + counts.text() + "\n" +
                         matrix_text(cells, columns, inputs.levels));
    if (const std::string path = ctx.option_string("record"); !path.empty()) {
      rig_plugins::write_file(path, [&](std::ostream& out) {
        out << recorded_table(cells, columns, inputs.levels, server);
      });
      ctx.info("recorded the observed matrix in " + path);
    }
    if (!stopped.empty()) throw std::runtime_error(stopped);
    conclude(cells, counts);
    return test_rig::State::kCompleted;
  }

 private:
  // innodb_lock_wait_timeout bounds row-lock waits; lock_wait_timeout
  // bounds metadata-lock waits, which MariaDB and MySQL otherwise let run
  // for a day.
  static std::string lock_wait_timeouts(const test_rig::ServerInfo& server, int64_t seconds) {
    std::string value = std::to_string(seconds);
    if (server.is_tidb()) return "SET SESSION innodb_lock_wait_timeout = " + value;
    return "SET SESSION innodb_lock_wait_timeout = " + value + ", lock_wait_timeout = " + value;
  }

  static void report_case(Context& ctx, const JudgedCell& cell) {
    const CellResult& r = cell.result;
    if (cell.skipped()) return ctx.add_case(case_name(cell), RIG_SKIPPED, r.skipped, r.duration_s);
    if (cell.errored()) {
      return ctx.add_case(case_name(cell), RIG_ERROR, r.error + "\n" + format_trace(r),
                          r.duration_s);
    }
    std::string observed = outcome_name(*r.outcome);
    if (cell.expected == Expected::kUnknown) {
      return ctx.add_case(
          case_name(cell), RIG_SKIPPED,
          "observed " + observed + "; no expectation for " + cell.profile + "\n" + format_trace(r),
          r.duration_s);
    }
    if (cell.as_expected()) {
      return ctx.add_case(case_name(cell), RIG_OK, "observed " + observed, r.duration_s);
    }
    ctx.add_case(case_name(cell), RIG_FAILED,
                 std::string("expected ") + expected_name(cell.expected) + ", observed " +
                     observed + "\n" + format_trace(r),
                 r.duration_s);
  }

  // Fails on the first mismatch (with its trace), errors on the first cell
  // that could not be judged; the message always carries the counts.
  static void conclude(const std::vector<JudgedCell>& cells, const CellCounts& counts) {
    auto first = [&](auto predicate) {
      return std::find_if(cells.begin(), cells.end(), predicate);
    };
    auto mismatch = first([](const JudgedCell& cell) { return cell.differs(); });
    if (mismatch != cells.end()) {
      throw test_rig::Failure(counts.text() + "; first that differs: " + case_name(*mismatch) +
                              " expected " + expected_name(mismatch->expected) + ", observed " +
                              outcome_name(*mismatch->result.outcome) + "\n" +
                              format_trace(mismatch->result));
    }
    auto broken = first([](const JudgedCell& cell) { return cell.errored(); });
    if (broken != cells.end()) {
      throw std::runtime_error(counts.text() + "; first error: " + case_name(*broken) + ": " +
                               broken->result.error);
    }
    if (counts.as_expected == 0) {
      throw test_rig::Skip(counts.text() +
                           "; no cell has an expectation for this server (profile " +
                           (cells.empty() ? std::string("?") : cells.front().profile) +
                           "); the observed matrix is in the report");
    }
  }
};

// `report compare BASELINE AFTER.json`: the report's cells against an
// expectations table, such as --isolation.record wrote.
bool judge_against_table(Context& ctx, const std::string& baseline, const std::string& entry) {
  const auto cases = judge_matrix(baseline, nlohmann::json::parse(entry));
  if (!cases) return false;
  for (const BaselineCase& c : *cases) {
    ctx.add_case(c.name, c.kept ? RIG_OK : RIG_FAILED, c.message, 0);
  }
  return true;
}

test_rig::PluginDefinition define() {
  using test_rig::Option;
  using test_rig::State;
  test_rig::DynamicState run_matrix("run_matrix", "Run matrix");
  test_rig::TestDefinition hermitage(
      "hermitage", "Hermitage anomaly scenarios at every isolation level, against expectations");
  hermitage
      .initial(State::kInitial, std::make_unique<Prepare>(),
               "load scenarios and expectations, detect the server profile")
      .state(run_matrix, std::make_unique<RunMatrix>(), "run and judge every cell")
      .terminal(State::kCompleted)
      .transition(State::kInitial, run_matrix)
      .transition(run_matrix, State::kCompleted)
      .judges_baseline(judge_against_table)
      .checks_options([](Context& ctx) { load_inputs(ctx); });

  test_rig::PluginDefinition plugin("isolation", "1.0.0",
                                    "transaction isolation anomalies (Hermitage)");
  plugin.option(Option::list("scenario-dirs", "", "extra directories of *.scenario files"))
      .option(Option::list("scenarios", "", "only these scenario ids (default: all)"))
      .option(Option::list("levels", "read-uncommitted,read-committed,repeatable-read,serializable",
                           "isolation levels to run"))
      .option(Option::string("expectations", "",
                             "expectations table (default: the shipped expectations.txt)"))
      .option(Option::string("record", "",
                             "write the observed matrix to this file as an expectations table, "
                             "a baseline for --isolation.expectations and report compare")
                  .output())
      .option(Option::integer("block-timeout-ms", 250,
                              "without the server's lock-wait views: a step still running after "
                              "this long is blocked")
                  .bounds(20, 60000))
      .option(Option::integer("settle-ms", 50,
                              "without the server's lock-wait views: how long earlier blocked "
                              "steps get to finish after each step")
                  .bounds(0, 10000))
      .option(Option::integer("lock-wait-timeout", 5,
                              "innodb_lock_wait_timeout and lock_wait_timeout of the sessions, "
                              "seconds: the longest a step waits for a row or metadata lock")
                  .bounds(1, 600))
      .option(Option::boolean("across-nodes", false,
                              "put session Tk on server k of the --host list (a cluster's "
                              "nodes), modulo its length; else every session is on the first"))
      .option(Option::choice("snapshot-isolation", "server", {"server", "on", "off"},
                             "MariaDB innodb_snapshot_isolation for the sessions"))
      .option(
          Option::list("tidb-txn-modes", "pessimistic,optimistic", "TiDB transaction modes to run"))
      .test(std::move(hermitage));
  return plugin;
}

}  // namespace
}  // namespace isolation

TEST_RIG_PLUGIN(isolation::define)
