// `test-rig run [PATTERN...]`: select tests, optionally start a sandbox,
// run each test (in a child process by default), print a line per test and
// the summary, and write the reports -- also when the run stops early.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <variant>

#include "core/base/utc_time.h"
#include "core/config/core_options.h"
#include "core/config/password.h"
#include "core/db/connect_params.h"
#include "core/db/session.h"
#include "core/plugin/run_context.h"
#include "core/plugin/stop_request.h"
#include "core/report/report_formats.h"
#include "core/report/run_report.h"
#include "core/run/isolated_run.h"
#include "core/run/nemesis.h"
#include "core/run/sandbox_faults.h"
#include "core/run/shard.h"
#include "core/sandbox/sandbox.h"
#include "loader/app.h"
#include "test_rig/sdk/owner_mark.h"

namespace rig {
namespace {

std::atomic<int> g_interrupts{0};
bool g_in_process = false;  // --isolation none: the test runs in this process

// The first signal asks the running test to stop and report what it has;
// a second one, in process, ends test-rig at once.
void on_signal(int number) {
  request_stop_interrupted();
  if (++g_interrupts > 1 && g_in_process) {
    signal(number, SIG_DFL);
    raise(number);
  }
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = &on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

std::unique_ptr<Sandbox> start_sandbox(App& app) {
  const std::string kind = app.config.string(keys::kSandbox).value_or("off");
  if (kind == "off") return nullptr;
  SandboxOptions options;
  options.kind = kind == "tidb" ? SandboxKind::kTiDb : SandboxKind::kMariaDb;
  options.keep = app.config.boolean(keys::kSandboxKeep);
  options.tls = app.config.boolean(keys::kSandboxTls);
  options.nodes = static_cast<int>(app.config.integer(keys::kSandboxNodes));
  auto sandbox = std::make_unique<Sandbox>(Sandbox::start(options));
  const std::string origin = "sandbox";
  app.config.set(keys::kHost, sandbox->host_list(), origin);
  // Across a cluster's nodes, a read after a write elsewhere is causal
  // unless the user chose otherwise.
  if (options.nodes > 1 && !app.config.find(keys::kWsrepSyncWait)->value) {
    app.config.set(keys::kWsrepSyncWait, int64_t{1}, origin);
  }
  app.config.set(keys::kUser, sandbox->user(), origin);
  app.config.set(keys::kPassword, sandbox->password(), origin);
  app.config.set(keys::kDatabase, sandbox->database(), origin);
  if (!sandbox->ca_path().empty()) app.config.set(keys::kSslCa, sandbox->ca_path(), origin);
  return sandbox;
}

// What ran, for the report: merging and comparing reports check it
// (docs/reports.md). Secrets are left out.
nlohmann::json run_identity(const Configuration& config,
                            const std::vector<SelectedTest>& selected) {
  nlohmann::json options = nlohmann::json::object();
  nlohmann::json outputs = nlohmann::json::object();
  for (const ResolvedOption& option : config.options()) {
    if (option.spec.secret || !option.value) continue;
    (option.spec.output ? outputs : options)[option.spec.config_key()] =
        std::visit([](const auto& value) { return nlohmann::json(value); }, *option.value);
  }
  nlohmann::json names = nlohmann::json::array();
  for (const SelectedTest& test : selected)
    names.push_back(test.plugin->name + "/" + test.test->name);
  return {{"test_rig", TEST_RIG_VERSION},
          {"selected", names},
          {"options", options},
          {"outputs", outputs},
          {"shard", nullptr}};
}

bool asks_for(const NemesisSettings& settings, Fault fault) {
  return std::find(settings.faults.begin(), settings.faults.end(), fault) != settings.faults.end();
}

// The faults the options ask for, checked before anything starts: names
// that exist, and something to act on. Empty when none are asked for.
NemesisSettings nemesis_settings(const Configuration& config) {
  NemesisSettings settings;
  for (const std::string& name : config.list(keys::kNemesisFaults)) {
    auto fault = fault_from_name(name);
    if (!fault) {
      throw UsageError("--nemesis: unknown fault '" + name +
                       "'; use kill, pause, partition or restart");
    }
    settings.faults.push_back(*fault);
  }
  if (settings.faults.empty()) return settings;
  const bool command = config.string(keys::kNemesisCommand).has_value();
  const bool own_sandbox = config.string(keys::kSandbox).value_or("off") != "off";
  const bool earlier_sandbox = config.string(keys::kNemesisSandbox).has_value();
  if (command + own_sandbox + earlier_sandbox != 1) {
    throw UsageError(
        "--nemesis acts on one of: the servers test-rig starts (--sandbox), a sandbox "
        "started earlier (--nemesis-sandbox DIR), or servers it did not start, through "
        "--nemesis-command 'CMD'");
  }
  if (asks_for(settings, Fault::kPartition) && own_sandbox &&
      config.integer(keys::kSandboxNodes) < 2) {
    throw UsageError("--nemesis partition cuts a node off a cluster: give --sandbox-nodes 3");
  }
  settings.interval_s = config.floating(keys::kNemesisInterval);
  settings.duration_s = config.floating(keys::kNemesisDuration);
  settings.targets = *targets_from_name(config.string(keys::kNemesisTargets).value_or("one"));
  settings.seed = static_cast<uint64_t>(config.integer(keys::kNemesisSeed));
  return settings;
}

// The faults on a sandbox an earlier `test-rig sandbox start DIR` left,
// which the run must connect to; a usage error otherwise, the sandbox's
// servers left as they were.
std::unique_ptr<FaultActions> earlier_sandbox_faults(const std::string& directory,
                                                     const NemesisSettings& settings,
                                                     const ConnectParams& connect) {
  std::optional<Sandbox> sandbox;
  try {
    sandbox.emplace(Sandbox::attach(directory));
  } catch (const SandboxError& e) {
    throw UsageError("--nemesis-sandbox: " + std::string(e.what()));
  }
  std::set<std::string> nodes;
  for (const Endpoint& node : sandbox->endpoints()) nodes.insert(node.to_string());
  bool shared = false;
  for (const Endpoint& server : servers_of(connect))
    shared = shared || nodes.count(server.to_string());
  std::string problem;
  if (!shared) {
    problem = "--nemesis-sandbox: the run connects to " + connect.describe() +
              ", none of the sandbox's servers; add --config " + directory + "/tidb_config.toml";
  } else if (asks_for(settings, Fault::kPartition) && sandbox->node_count() < 2) {
    problem = "--nemesis partition cuts a node off a cluster; the sandbox in " + directory +
              " is one server";
  }
  if (!problem.empty()) {
    sandbox->release();
    throw UsageError(problem);
  }
  return std::make_unique<SandboxFaults>(std::move(*sandbox));
}

// Starts the nemesis on the run's sandbox, or through the user's command;
// its timeline goes to a private file named in TEST_RIG_NEMESIS_TIMELINE,
// which the test processes inherit.
std::unique_ptr<Nemesis> start_nemesis(const Configuration& config, NemesisSettings settings,
                                       Sandbox* sandbox, const ConnectParams& connect,
                                       std::string* timeline_dir) {
  std::unique_ptr<FaultActions> actions;
  if (auto command = config.string(keys::kNemesisCommand)) {
    std::vector<std::string> hosts;
    for (const Endpoint& server : servers_of(connect)) hosts.push_back(server.to_string());
    actions = std::make_unique<CommandFaults>(*command, std::move(hosts));
  } else if (auto directory = config.string(keys::kNemesisSandbox)) {
    actions = earlier_sandbox_faults(*directory, settings, connect);
  } else {
    actions = std::make_unique<SandboxFaults>(*sandbox);
  }
  std::string pattern =
      (std::filesystem::temp_directory_path() / "test-rig-nemesis-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr || !test_rig::mark_directory(pattern)) {
    throw std::runtime_error("cannot make a directory for the nemesis's timeline");
  }
  *timeline_dir = pattern;
  const std::string timeline = pattern + "/timeline.jsonl";
  ::setenv("TEST_RIG_NEMESIS_TIMELINE", timeline.c_str(), 1);
  auto nemesis = std::make_unique<Nemesis>(std::move(settings), std::move(actions), timeline);
  nemesis->start();
  return nemesis;
}

// Each selected test checks the run's options (ABI 1.5) before anything
// starts, so that a value only the test can judge is a usage error with
// nothing run, as one the host checks is.
void check_options(const App& app, const std::vector<SelectedTest>& selected) {
  const ConnectParams connect = connect_params(app.config, std::nullopt);
  for (const SelectedTest& test : selected) {
    if (test.test->check_options == nullptr) continue;
    std::unique_ptr<rig_run> run =
        make_run_context(test.plugin->name, test.test->name, nullptr, connect, app.config);
    if (test.test->check_options(test.test->check_options_user, run.get()) != RIG_OK) {
      throw UsageError(
          test.plugin->name + "/" + test.test->name + ": " +
          (run->message.empty() ? "refused the options, saying no more" : run->message));
    }
  }
}

}  // namespace

int run_command(App& app) {
  std::vector<std::string> patterns(app.command_line.words.begin() + 1,
                                    app.command_line.words.end());
  if (!app.registry.problems().empty() && app.config.boolean(keys::kStrict)) {
    throw UsageError("--strict: " + std::to_string(app.registry.problems().size()) +
                     " plugin problem(s), first: " + app.registry.problems().front().path + ": " +
                     app.registry.problems().front().message);
  }
  std::vector<std::string> unmatched;
  std::vector<SelectedTest> selected = app.registry.select(patterns, &unmatched);
  if (!unmatched.empty()) {
    throw UsageError("no test matches '" + unmatched.front() + "'; see test-rig list");
  }
  if (selected.empty()) {
    throw UsageError("no tests to run: no plugins were found; pass --plugin-dir DIR");
  }

  std::optional<Shard> shard;
  if (auto text = app.config.string(keys::kShard)) {
    shard = parse_shard(*text);
    if (!shard) {
      throw UsageError("--shard " + *text + ": give I/N with 0 <= I < N, e.g. --shard 0/3");
    }
    shard->run_id = app.config.string(keys::kRunId).value_or("");
    if (shard->run_id.empty()) {
      throw UsageError(
          "--shard needs --run-id ID, the same for every shard of the run (e.g. "
          "--run-id nightly-42): the shards meet under it and merge checks it");
    }
  }
  // This shard's tests; the report names the whole selection, which every
  // shard of the run shares.
  std::vector<SelectedTest> mine;
  if (shard) {
    std::vector<bool> divides;
    for (const SelectedTest& test : selected) divides.push_back(test.test->divides_its_work);
    for (std::size_t k : shard_tests(*shard, divides)) mine.push_back(selected[k]);
  } else {
    mine = selected;
  }

  const NemesisSettings faults = nemesis_settings(app.config);
  check_options(app, selected);
  install_signal_handlers();
  RunReport report;
  report.started_at = format_utc(std::chrono::system_clock::now());
  report.load_problems = app.registry.problems();
  auto started = std::chrono::steady_clock::now();

  std::unique_ptr<Sandbox> sandbox;
  try {
    sandbox = start_sandbox(app);
  } catch (const SandboxError& e) {
    report.aborted = "cannot start the sandbox: " + std::string(e.what());
  }
  report.run = run_identity(app.config, selected);  // with the sandbox's address, if any
  if (shard) {
    report.run["shard"] = {
        {"index", shard->index}, {"count", shard->count}, {"run_id", shard->run_id}};
  }

  ExecutionSettings settings;
  settings.config = &app.config;
  if (shard) settings.shard = *shard;
  if (report.aborted.empty()) {
    settings.connect = connect_params(app.config, resolve_password(app.config, true));
    report.target = settings.connect.describe();
  }
  settings.limits.max_steps = static_cast<uint32_t>(app.config.integer(keys::kMaxSteps));
  settings.limits.state_timeout = std::chrono::milliseconds(
      static_cast<int64_t>(app.config.floating(keys::kStateTimeout) * 1000));
  settings.stop_grace =
      std::chrono::milliseconds(static_cast<int64_t>(app.config.floating(keys::kStopGrace) * 1000));
  const bool isolated = app.config.string(keys::kIsolation).value_or("process") == "process";
  g_in_process = !isolated;

  const bool connectable = report.aborted.empty();
  auto clean_leftovers = [&](bool run_ended) {
    if (!connectable) return;
    clean_leftover_directories(std::filesystem::temp_directory_path().string(), &report.leftovers);
    ConnectFailure ignored;  // the tests meet the same failure and report it
    if (auto db = Session::open(settings.connect, &ignored)) {
      clean_leftover_tables(*db, &report.leftovers, run_ended);
    }
  };
  clean_leftovers(false);
  std::unique_ptr<Nemesis> nemesis;
  std::string timeline_dir;
  if (report.aborted.empty()) {
    if (shard) {
      std::cout << "shard " << shard->index << "/" << shard->count << ": " << mine.size() << " of "
                << selected.size() << " selected test(s)\n";
    }
    write_run_header(std::cout, mine.size(), report.target, sandbox != nullptr);
    if (!faults.faults.empty()) {
      nemesis = start_nemesis(app.config, faults, sandbox.get(), settings.connect, &timeline_dir);
    }
  }
  for (const SelectedTest& test : mine) {
    if (!report.aborted.empty()) break;
    if (g_interrupts > 0) {
      report.aborted = "interrupted by a signal";
      break;
    }
    spdlog::debug("running {}/{}", test.plugin->name, test.test->name);
    TestResult result = isolated ? execute_isolated(test, settings, g_interrupts)
                                 : execute_in_process(test, settings);
    write_result_line(std::cout, result, app.config.boolean(keys::kVerbose));
    report.results.push_back(std::move(result));
  }
  if (g_interrupts > 0 && report.aborted.empty()) report.aborted = "interrupted by a signal";
  if (nemesis) {
    // Heals what is broken: the servers are whole before the leftovers'
    // cleanup and the sandbox's stop.
    nemesis->stop();
    report.nemesis = nemesis->report();
    const NemesisEvent& last = nemesis->events().back();
    if (!last.note.empty() && report.aborted.empty()) {
      report.aborted = "the nemesis could not make the servers whole again: " + last.note;
    }
    ::unsetenv("TEST_RIG_NEMESIS_TIMELINE");
    std::error_code ignored;
    std::filesystem::remove_all(timeline_dir, ignored);
  }
  // What a test killed at its timeout left, this run drops itself.
  clean_leftovers(true);
  if (sandbox) sandbox->stop();

  report.duration_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  write_summary(std::cout, report);
  return write_report_files(app.config, report);
}

}  // namespace rig
