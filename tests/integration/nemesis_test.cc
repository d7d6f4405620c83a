// The nemesis: faults on schedule during a run, on servers test-rig started
// (a --sandbox of its own) or through the user's command, every fault
// healed and every server whole at the end; the timeline in the JSON
// report, the summary and the consistency history.
#include <gtest/gtest.h>

#include <fstream>

#include "rig_process.h"

namespace rig::testing {
namespace {

// The starts and heals alternate, each heal at least `duration` after its
// start (but the last, which the end of the run may cut short) and each
// start at least `interval` after the last heal, and the last event says
// every server is whole.
void expect_schedule(const nlohmann::json& nemesis, double interval, double duration) {
  const auto& events = nemesis["events"];
  ASSERT_GE(events.size(), 5u) << "fewer than two faults: " << nemesis;
  EXPECT_EQ(events.back()["phase"], "whole");
  EXPECT_EQ(events.back()["note"], "") << events.back();
  double last_heal = 0;
  for (std::size_t i = 0; i + 1 < events.size(); i += 2) {
    const auto& start = events[i];
    const auto& heal = events[i + 1];
    EXPECT_EQ(start["phase"], "start") << i;
    EXPECT_EQ(heal["phase"], "heal") << i;
    EXPECT_EQ(start["fault"], heal["fault"]);
    EXPECT_EQ(start["nodes"], heal["nodes"]);
    EXPECT_EQ(start["note"], "") << start;
    EXPECT_EQ(heal["note"], "") << heal;
    EXPECT_GE(start["at_s"].get<double>() + 0.01, last_heal + interval) << i;
    if (i + 3 < events.size()) {
      EXPECT_GE(heal["at_s"].get<double>() + 0.01, start["at_s"].get<double>() + duration) << i;
    }
    last_heal = heal["at_s"].get<double>();
  }
}

TEST(Nemesis, FollowsItsScheduleOnTheSandboxAndLeavesItWhole) {
  const std::string report = temp_path("nemesis.json"), out = temp_path("out");
  RigRun r = run_rig({"--sandbox",
                      "--nemesis",
                      "kill,pause,restart",
                      "--nemesis-interval",
                      "2",
                      "--nemesis-duration",
                      "1",
                      "--nemesis-seed",
                      "3",
                      "--retry-max-attempts",
                      "60",
                      "--retry-max-delay-ms",
                      "400",
                      "--read-timeout",
                      "2",
                      "--report-json",
                      report,
                      "run",
                      "txn/soak",
                      "consistency/list-append",
                      "--txn.soak-seconds",
                      "8",
                      "--consistency.time",
                      "8",
                      "--consistency.out-dir",
                      out});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("every fault healed, every server whole at the end"), std::string::npos)
      << r.out;
  const nlohmann::json document = read_json(report);
  ASSERT_TRUE(document.contains("nemesis")) << document;
  expect_schedule(document["nemesis"], 2, 1);
  for (const auto& event : document["nemesis"]["events"]) {
    if (event["phase"] == "whole") continue;
    EXPECT_EQ(event["nodes"], nlohmann::json::array({1})) << event;
  }
  EXPECT_NE(r.err.find("[nemesis] "), std::string::npos) << "no progress line";
  // The consistency history lines the faults up with the transactions.
  for (const auto& test : document["tests"]) {
    if (test["name"] != "consistency/list-append") continue;
    const std::string history = read_file(test["details"]["consistency"]["files"]["history"]);
    EXPECT_NE(history.find("\"process\":\"nemesis\""), std::string::npos);
    return;
  }
  ADD_FAILURE() << "no consistency test in " << document["tests"];
}

// A load through a kill: every event accounted for, and the interval lines
// show the dip (a second without a commit, the server down for 2 s) and the
// recovery after the heal.
TEST(Nemesis, ALoadShowsTheDipAndTheRecoveryInItsIntervals) {
  const std::string report = temp_path("load.json");
  RigRun r = run_rig({"--sandbox",
                      "--nemesis",
                      "kill",
                      "--nemesis-interval",
                      "4",
                      "--nemesis-duration",
                      "2",
                      "--retry-max-attempts",
                      "60",
                      "--retry-max-delay-ms",
                      "400",
                      "--report-json",
                      report,
                      "run",
                      "load/read_write",
                      "--load.threads",
                      "4",
                      "--load.time",
                      "10",
                      "--load.table-size",
                      "1000"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json document = read_json(report);
  const nlohmann::json& load = document["tests"][0]["details"]["load"];
  const auto& events = load["events"];
  EXPECT_EQ(events["succeeded"].get<int64_t>() + events["failed"].get<int64_t>() +
                events["ignored"].get<int64_t>() + events["indeterminate"].get<int64_t>(),
            events["attempted"].get<int64_t>())
      << events;
  EXPECT_EQ(events["failed"], 0) << events;
  // Running, then down, then running again.
  enum { kBefore, kDip, kRecovered } seen = kBefore;
  bool ran_before = false;
  const nlohmann::json& intervals = document["tests"][0]["details"]["metrics"]["intervals"];
  for (const auto& succeeded : intervals["counters"]["events.succeeded"]) {
    const bool ran = succeeded.get<int64_t>() > 0;
    if (seen == kBefore && ran) ran_before = true;
    if (seen == kBefore && ran_before && !ran) seen = kDip;
    if (seen == kDip && ran) seen = kRecovered;
  }
  EXPECT_EQ(seen, kRecovered) << intervals;
  EXPECT_EQ(document["nemesis"]["events"][0]["fault"], "kill");
}

TEST(Nemesis, TheUsersCommandRunsOnTheSameSchedule) {
  const std::string calls = temp_path("calls.txt");
  const std::string command =
      "echo \"$TEST_RIG_NEMESIS_PHASE $TEST_RIG_NEMESIS_FAULT "
      "$TEST_RIG_NEMESIS_TARGETS $TEST_RIG_NEMESIS_HOSTS\" >> '" +
      calls + "'";
  const std::string report = temp_path("command.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--nemesis", "kill", "--nemesis-command",
                      command, "--nemesis-interval", "0.5", "--nemesis-duration", "0.3",
                      "--report-json", report, "run", "txn/soak", "--txn.soak-seconds", "2.5"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  expect_schedule(read_json(report)["nemesis"], 0.5, 0.3);
  std::ifstream in(calls);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_GE(lines.size(), 5u);
  const std::string host =
      read_file(sandbox_config()).substr(read_file(sandbox_config()).find("host = \"") + 8);
  EXPECT_EQ(lines[0], "start kill 1 " + host.substr(0, host.find('"'))) << lines[0];
  EXPECT_EQ(lines[1].rfind("heal kill 1 ", 0), 0u) << lines[1];
  EXPECT_EQ(lines.back().rfind("whole  ", 0), 0u) << lines.back();

  // A command that fails leaves the servers unknown: an infrastructure error.
  RigRun failing = run_rig({"--config", sandbox_config(), "--nemesis", "pause", "--nemesis-command",
                            "exit 4", "--nemesis-interval", "0.3", "run", "connection/standard"});
  EXPECT_EQ(failing.exit_code, 3) << failing.out << failing.err;
  EXPECT_NE(failing.out.find("the nemesis could not make the servers whole again: "
                             "--nemesis-command failed (whole ) with exit code 4"),
            std::string::npos)
      << failing.out;
}

TEST(Nemesis, BadOptionsAreUsageErrors) {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  const Case cases[] = {
      {{"--sandbox", "--nemesis", "kill,flood", "run", "connection"},
       "--nemesis: unknown fault 'flood'; use kill, pause, partition or restart"},
      {{"--config", sandbox_config(), "--nemesis", "kill", "run", "connection"},
       "--nemesis acts on one of: the servers test-rig starts (--sandbox), a sandbox started "
       "earlier (--nemesis-sandbox DIR), or servers it did not start, through "
       "--nemesis-command 'CMD'"},
      {{"--sandbox", "--nemesis-sandbox", SANDBOX_DIR, "--nemesis", "kill", "run", "connection"},
       "--nemesis acts on one of"},
      {{"--config", sandbox_config(), "--nemesis-sandbox", temp_path("nothing"), "--nemesis",
        "kill", "run", "connection"},
       "--nemesis-sandbox: "},
      {{"-H", "127.0.0.1:1", "--nemesis-sandbox", SANDBOX_DIR, "--nemesis", "kill", "run",
        "connection"},
       "--nemesis-sandbox: the run connects to "},
      {{"--config", sandbox_config(), "--nemesis-sandbox", SANDBOX_DIR, "--nemesis", "partition",
        "run", "connection"},
       "--nemesis partition cuts a node off a cluster; the sandbox in "},
      {{"--sandbox", "--nemesis", "partition", "run", "connection"},
       "--nemesis partition cuts a node off a cluster: give --sandbox-nodes 3"},
  };
  for (const Case& c : cases) {
    RigRun r = run_rig(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.says << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  // The sandbox the refused runs named still runs, untouched.
  EXPECT_EQ(sandbox_sql("SELECT 1"), "1\n");
}

}  // namespace
}  // namespace rig::testing
