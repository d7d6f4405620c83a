// plugins/isolation -- Hermitage's anomaly tests, run with real concurrent
// sessions at every isolation level, judged against the documented
// expectations for the detected server.
//
// isolation/hermitage: initial (load scenarios and expectations, detect the
// server profile) -> run_matrix (every scenario x level [x TiDB txn mode])
// -> completed. Each cell is a JUnit case; a cell that differs from its
// expectation fails the test and shows the observed step trace.
#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cell_runner.h"
#include "expectations.h"
#include "plugin_support.h"
#include "scenario.h"
#include "test_rig/sdk.h"

namespace isolation {
namespace {

namespace fs = std::filesystem;
using test_rig::Context;
using test_rig::StateHandler;
using test_rig::StateId;

const std::vector<std::string> kLevels = {"read-uncommitted", "read-committed", "repeatable-read",
                                          "serializable"};

// The directory this plugin was loaded from; its data sits in isolation/.
std::string data_directory() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&data_directory), &info) == 0 || !info.dli_fname) {
    return "isolation";
  }
  return (fs::path(info.dli_fname).parent_path() / "isolation").string();
}

std::vector<Scenario> load_scenarios(Context& ctx) {
  std::vector<std::string> dirs = {data_directory() + "/scenarios"};
  for (const auto& dir : ctx.option_list("scenario-dirs")) dirs.push_back(dir);
  std::vector<std::string> only = ctx.option_list("scenarios");
  std::vector<Scenario> scenarios;
  std::set<std::string> ids;
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

Expectations load_expectations(Context& ctx) {
  std::string path = ctx.option_string("expectations");
  return Expectations::load(path.empty() ? data_directory() + "/expectations.txt" : path);
}

// A server configuration with its own row in the expectations table.
struct Profile {
  std::string name;                        // "mariadb-si-off", "tidb-optimistic", ...
  std::vector<std::string> session_setup;  // statements that select it per session
};

std::vector<Profile> detect_profiles(Context& ctx) {
  auto db = ctx.connection();
  test_rig::ServerInfo server = db.server();
  if (server.is_tidb()) {
    std::vector<Profile> profiles;
    for (const auto& mode : ctx.option_list("tidb-txn-modes")) {
      profiles.push_back({"tidb-" + mode, {"SET SESSION tidb_txn_mode = '" + mode + "'"}});
    }
    return profiles;
  }
  if (server.is_mariadb()) {
    std::string setting = ctx.option_string("snapshot-isolation");
    if (setting == "server") {
      auto value = db.try_execute("SELECT @@innodb_snapshot_isolation").ok()
                       ? db.scalar("SELECT @@innodb_snapshot_isolation")
                       : std::nullopt;
      setting = value && *value == "1" ? "on" : "off";
      return {{"mariadb-si-" + setting, {}}};
    }
    return {{"mariadb-si-" + setting,
             {"SET SESSION innodb_snapshot_isolation = " +
              std::string(setting == "on" ? "ON" : "OFF")}}};
  }
  return {{"mysql", {}}};
}

class Prepare : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    std::vector<Scenario> scenarios = load_scenarios(ctx);  // validates the files
    load_expectations(ctx);
    for (const auto& level : ctx.option_list("levels")) {
      if (!std::count(kLevels.begin(), kLevels.end(), level)) {
        throw std::runtime_error("--isolation.levels: unknown level '" + level + "'");
      }
    }
    std::string names;
    for (const auto& profile : detect_profiles(ctx))
      names += (names.empty() ? "" : ",") + profile.name;
    ctx.record("profiles", names);
    ctx.record("scenarios", std::to_string(scenarios.size()));
    return test_rig::DynamicState("run_matrix", "Run matrix");
  }
};

struct JudgedCell {
  std::string profile;
  CellResult result;
  Expected expected = Expected::kUnknown;
};

std::string cell_label(const JudgedCell& cell) {
  if (!cell.result.skipped.empty()) return "skip";
  if (!cell.result.outcome) return "ERROR";
  std::string label = outcome_name(*cell.result.outcome);
  if (cell.expected == Expected::kUnknown) return label + "?";
  return satisfies(*cell.result.outcome, cell.expected) ? label : label + "!";
}

std::string matrix_text(const std::vector<JudgedCell>& cells,
                        const std::vector<Scenario>& scenarios,
                        const std::vector<std::string>& levels) {
  std::ostringstream out;
  std::vector<std::string> profiles;
  for (const auto& cell : cells) {
    if (!std::count(profiles.begin(), profiles.end(), cell.profile))
      profiles.push_back(cell.profile);
  }
  for (const auto& profile : profiles) {
    out << "      " << std::left << std::setw(18) << profile;
    for (const auto& scenario : scenarios) out << std::setw(10) << scenario.id.substr(0, 9);
    out << "\n";
    for (const auto& level : levels) {
      out << "      " << std::setw(18) << level;
      for (const auto& scenario : scenarios) {
        auto it = std::find_if(cells.begin(), cells.end(), [&](const JudgedCell& c) {
          return c.profile == profile && c.result.level == level &&
                 c.result.scenario == scenario.id;
        });
        out << std::setw(10) << (it == cells.end() ? "" : cell_label(*it));
      }
      out << "\n";
    }
  }
  out << "      (! differs from the expectation, ? no expectation for this server)\n";
  return out.str();
}

nlohmann::json cell_json(const JudgedCell& cell) {
  nlohmann::json trace = nlohmann::json::array();
  for (const auto& step : cell.result.trace) {
    nlohmann::json entry = {{"session", step.session},        {"sql", step.sql},
                            {"blocked", step.blocked},        {"skipped", step.skipped},
                            {"error_code", step.error_code},  {"started_ms", step.started_ms},
                            {"finished_ms", step.finished_ms}};
    if (!step.label.empty()) entry["label"] = step.label;
    if (step.has_rows) entry["rows"] = format_rows(step.rows);
    trace.push_back(entry);
  }
  return {{"profile", cell.profile},
          {"scenario", cell.result.scenario},
          {"level", cell.result.level},
          {"observed", cell.result.outcome ? outcome_name(*cell.result.outcome) : nullptr},
          {"expected", expected_name(cell.expected)},
          {"error", cell.result.error},
          {"skipped", cell.result.skipped},
          {"duration_s", cell.result.duration_s},
          {"trace", trace}};
}

class RunMatrix : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    std::vector<Scenario> scenarios = load_scenarios(ctx);
    Expectations expectations = load_expectations(ctx);
    std::vector<std::string> levels = ctx.option_list("levels");
    test_rig::ServerInfo server = ctx.connection().server();

    auto monitor = ctx.connection("monitor");
    SessionPool pool{monitor, LockWaitProbe(monitor), {}, Clock::now()};
    std::size_t max_sessions = 0;
    for (const auto& s : scenarios) max_sessions = std::max(max_sessions, s.sessions.size());
    for (std::size_t i = 0; i < max_sessions; ++i) {
      auto connection = ctx.connection("T" + std::to_string(i + 1));
      connection.execute("SET SESSION innodb_lock_wait_timeout = " +
                         std::to_string(ctx.option_int("lock-wait-timeout")));
      pool.workers.push_back(std::make_unique<SessionWorker>(connection, &pool.epoch));
    }

    CellSettings settings;
    settings.block_timeout = std::chrono::milliseconds(ctx.option_int("block-timeout-ms"));
    settings.settle_timeout = std::chrono::milliseconds(ctx.option_int("settle-ms"));
    settings.finish_timeout =
        std::chrono::milliseconds(ctx.option_int("lock-wait-timeout") * 1000 + 5000);
    const std::string prefix = "hermitage_" + std::to_string(pool.monitor.connection_id());

    std::vector<JudgedCell> cells;
    int cell_number = 0;
    for (const Profile& profile : detect_profiles(ctx)) {
      settings.session_setup = profile.session_setup;
      for (const auto& scenario : scenarios) {
        for (const auto& level : levels) {
          settings.level = level;
          settings.set_level_sql = rig_plugins::set_isolation_sql(server, level);
          settings.table = prefix + "_" + std::to_string(cell_number++);
          JudgedCell cell{profile.name, run_cell(scenario, settings, pool),
                          expectations.find(profile.name, level, scenario.id)};
          report_case(ctx, cell);
          cells.push_back(std::move(cell));
        }
      }
    }

    nlohmann::json json = {{"block_timeout_ms", settings.block_timeout.count()},
                           {"lock_wait_probe", pool.probe.available()},
                           {"cells", nlohmann::json::array()}};
    for (const auto& cell : cells) json["cells"].push_back(cell_json(cell));
    ctx.record_json("isolation", json.dump());
    ctx.add_summary_text(matrix_text(cells, scenarios, levels));
    conclude(cells);
    return test_rig::State::kCompleted;
  }

 private:
  static std::string case_name(const JudgedCell& cell) {
    return cell.profile + "/" + cell.result.level + "/" + cell.result.scenario;
  }

  static void report_case(Context& ctx, const JudgedCell& cell) {
    const CellResult& r = cell.result;
    if (!r.skipped.empty())
      return ctx.add_case(case_name(cell), RIG_SKIPPED, r.skipped, r.duration_s);
    if (!r.outcome) {
      return ctx.add_case(case_name(cell), RIG_ERROR, r.error + "\n" + format_trace(r),
                          r.duration_s);
    }
    std::string observed = outcome_name(*r.outcome);
    if (cell.expected == Expected::kUnknown) {
      return ctx.add_case(case_name(cell), RIG_SKIPPED,
                          "observed " + observed + "; no expectation for " + cell.profile,
                          r.duration_s);
    }
    if (satisfies(*r.outcome, cell.expected)) {
      return ctx.add_case(case_name(cell), RIG_OK, "observed " + observed, r.duration_s);
    }
    ctx.add_case(case_name(cell), RIG_FAILED,
                 std::string("expected ") + expected_name(cell.expected) + ", observed " +
                     observed + "\n" + format_trace(r),
                 r.duration_s);
  }

  // Fails on the first mismatch (with its trace), errors on the first cell
  // that could not be judged.
  static void conclude(const std::vector<JudgedCell>& cells) {
    std::vector<const JudgedCell*> mismatched, broken;
    for (const auto& cell : cells) {
      if (!cell.result.skipped.empty()) continue;
      if (!cell.result.outcome) {
        broken.push_back(&cell);
      } else if (cell.expected != Expected::kUnknown &&
                 !satisfies(*cell.result.outcome, cell.expected)) {
        mismatched.push_back(&cell);
      }
    }
    if (!mismatched.empty()) {
      const JudgedCell& first = *mismatched.front();
      throw test_rig::Failure(
          std::to_string(mismatched.size()) + " of " + std::to_string(cells.size()) +
          " cells differ from the expectations; first: " + case_name(first) + " expected " +
          expected_name(first.expected) + ", observed " + outcome_name(*first.result.outcome) +
          "\n" + format_trace(first.result));
    }
    if (!broken.empty()) {
      throw std::runtime_error(case_name(*broken.front()) + ": " + broken.front()->result.error);
    }
    bool any_judged = std::any_of(cells.begin(), cells.end(), [](const JudgedCell& cell) {
      return cell.result.outcome && cell.expected != Expected::kUnknown;
    });
    if (!any_judged) {
      throw test_rig::Skip("no cell has an expectation for this server (profile " +
                           (cells.empty() ? std::string("?") : cells.front().profile) +
                           "); the observed matrix is in the report");
    }
  }
};

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
      .transition(run_matrix, State::kCompleted);

  test_rig::PluginDefinition plugin("isolation", "1.0.0",
                                    "transaction isolation anomalies (Hermitage)");
  plugin.option(Option::list("scenario-dirs", "", "extra directories of *.scenario files"))
      .option(Option::list("scenarios", "", "only these scenario ids (default: all)"))
      .option(Option::list("levels", "read-uncommitted,read-committed,repeatable-read,serializable",
                           "isolation levels to run"))
      .option(Option::string("expectations", "",
                             "expectations table (default: the shipped expectations.txt)"))
      .option(Option::integer("block-timeout-ms", 250,
                              "without InnoDB's lock-wait status: a step still running after this "
                              "long is blocked")
                  .bounds(20, 60000))
      .option(Option::integer("settle-ms", 50,
                              "without InnoDB's lock-wait status: how long earlier blocked steps "
                              "get to finish after each step")
                  .bounds(0, 10000))
      .option(Option::integer("lock-wait-timeout", 5,
                              "innodb_lock_wait_timeout of the sessions, seconds")
                  .bounds(1, 600))
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
