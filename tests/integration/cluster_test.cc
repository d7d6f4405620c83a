// A 3-node Galera cluster sandbox (the `cluster` ctest fixture: started once
// with `test-rig sandbox start --nodes 3`, stopped at the end), and the
// suites across its nodes: sessions spread over the host list, causal reads,
// a node killed under load, a node partitioned away. The tests take the
// `cluster` resource lock, one at a time, and each leaves the cluster as it
// found it: three nodes, Synced. Also: the txn and isolation suites placing
// their sessions on one node or across the nodes, and the nemesis.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <thread>

#include "rig_process.h"

namespace rig::testing {
namespace {

using namespace std::chrono_literals;

const std::string kCluster = CLUSTER_DIR;
std::string config() { return kCluster + "/tidb_config.toml"; }
std::string node_dir(int node) { return kCluster + "/node" + std::to_string(node); }

// A statement on one node, as root, over its socket.
std::string node_sql(int node, const std::string& sql) { return sandbox_sql(sql, node_dir(node)); }

std::string status(int node, const std::string& name) {
  std::string row = node_sql(node, "SHOW STATUS LIKE '" + name + "'");
  const auto tab = row.find('\t');
  return tab == std::string::npos ? "" : row.substr(tab + 1, row.find('\n') - tab - 1);
}

// Whether `holds` becomes true within `limit`, asked every 100 ms: the
// cluster's state changes take Galera seconds (suspect timeouts, views).
bool within(std::chrono::seconds limit, const std::function<bool()>& holds) {
  for (auto deadline = std::chrono::steady_clock::now() + limit;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(100ms)) {
    if (holds()) return true;
  }
  return holds();
}

// Waits (up to 60 s) until every node is Synced in a cluster of 3.
bool cluster_whole() {
  return within(60s, [] {
    for (int node = 1; node <= 3; ++node) {
      if (status(node, "wsrep_local_state_comment") != "Synced" ||
          status(node, "wsrep_cluster_size") != "3") {
        return false;
      }
    }
    return true;
  });
}

pid_t node_pid(int node) {
  std::ifstream in(node_dir(node) + "/sandbox.pid");
  pid_t pid = 0;
  in >> pid;
  return pid;
}

std::future<RigRun> start(std::vector<std::string> args) {
  return std::async(std::launch::async, [args = std::move(args)] { return run_rig(args); });
}

// Whether the run has `sessions` or more of its sessions on node `node`.
bool sessions_on(int node, int sessions) {
  return node_sql(node, "SELECT COUNT(*) >= " + std::to_string(sessions) +
                            " FROM information_schema.PROCESSLIST WHERE USER = 'rig'") == "1\n";
}

void expect_accounted(const nlohmann::json& counts) {
  EXPECT_EQ(counts["succeeded"].get<int64_t>() + counts["failed"].get<int64_t>() +
                counts.value("ignored", int64_t{0}) + counts["indeterminate"].get<int64_t>(),
            counts["attempted"].get<int64_t>())
      << counts;
}

class Cluster : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(cluster_whole()) << "the cluster fixture is not whole"; }
  void TearDown() override { EXPECT_TRUE(cluster_whole()) << "the test left the cluster broken"; }
};

TEST_F(Cluster, ItsConfigListsEveryNodeAndAsksForCausalReads) {
  const std::string text = read_file(config());
  const auto host = text.find("host = \"127.0.0.1:");
  ASSERT_NE(host, std::string::npos) << text;
  const std::string hosts = text.substr(host + 8, text.find('"', host + 8) - host - 8);
  EXPECT_EQ(std::count(hosts.begin(), hosts.end(), ','), 2) << hosts;
  EXPECT_NE(text.find("wsrep_sync_wait = 1"), std::string::npos) << text;
  for (int node = 1; node <= 3; ++node) {
    EXPECT_EQ(node_sql(node, "SELECT @@wsrep_on, @@wsrep_node_name"),
              "1\tnode" + std::to_string(node) + "\n");
  }
}

TEST_F(Cluster, AWriteOnOneNodeIsReadOnTheOthers) {
  // txn/large-transaction commits 20 000 rows on one session and counts
  // them on another, on the next node: with causal reads the count holds.
  const std::string report = temp_path("large.json");
  RigRun r = run_rig({"--config", config(), "--report-json", report, "run", "txn/visibility",
                      "txn/large-transaction", "connection/sessions", "--txn.large-rows", "20000",
                      "--connection.sessions", "6"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // Directly too: a row written on node 1 is there on node 3. The table is
  // the test's own, or the test stops before touching it (no DROP below).
  ASSERT_EQ(node_sql(1,
                     "CREATE TABLE rig_test.cluster_probe (v INT); "
                     "INSERT INTO rig_test.cluster_probe VALUES (42)"),
            "");
  EXPECT_EQ(node_sql(3,
                     "SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM "
                     "rig_test.cluster_probe WHERE v = 42"),
            "1\n");
  node_sql(2, "DROP TABLE rig_test.cluster_probe");
}

// Nodes killed with a majority can hold transactions the survivor never
// got. Node 2 is cut off (gmcast.isolate) while nodes 1 and 3 commit, both
// are killed, and node 2 goes on alone as the primary component: node 3 is
// now ahead of the cluster, which Galera refuses to rejoin from ("this
// member has applied more events than the primary component"). A restart
// then takes a full state transfer, and the cluster is whole again.
TEST_F(Cluster, ANodeAheadOfTheClusterRejoinsByFullStateTransfer) {
  ASSERT_EQ(node_sql(2, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'"), "");
  // Both sides must see the split before going on: node 1 in a primary
  // component of 2, and node 2 alone, non-primary. Each notices after the
  // same suspect timeout (about 6 s), in either order, and pc.bootstrap on a
  // node still in its old primary component is ignored ("ignoring
  // 'pc.bootstrap' in state PRIM"): node 3 then had no primary to join.
  ASSERT_TRUE(within(30s,
                     [] {
                       return status(1, "wsrep_cluster_size") == "2" &&
                              status(2, "wsrep_cluster_status") == "non-Primary";
                     }))
      << "node 1 sees a cluster of " << status(1, "wsrep_cluster_size") << ", node 2 is "
      << status(2, "wsrep_cluster_status");
  ASSERT_EQ(
      node_sql(1,
               "CREATE TABLE rig_test.ahead_probe (v INT PRIMARY KEY); INSERT INTO "
               "rig_test.ahead_probe VALUES (1); INSERT INTO rig_test.ahead_probe VALUES (2)"),
      "");
  ASSERT_EQ(::kill(node_pid(1), SIGKILL), 0);
  ASSERT_EQ(::kill(node_pid(3), SIGKILL), 0);
  ASSERT_EQ(node_sql(2, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'"), "");
  ASSERT_EQ(node_sql(2, "SET GLOBAL wsrep_provider_options = 'pc.bootstrap=1'"), "");
  ASSERT_TRUE(within(30s, [] { return status(2, "wsrep_cluster_status") == "Primary"; }))
      << "node 2 is " << status(2, "wsrep_cluster_status");
  RigRun three = run_rig({"sandbox", "restart", kCluster, "--node", "3"});
  EXPECT_EQ(three.exit_code, 0) << three.out << three.err;
  EXPECT_NE(three.err.find("it joins by full state transfer"), std::string::npos) << three.err;
  EXPECT_TRUE(std::filesystem::exists(node_dir(3) + "/data.before-sst/grastate.dat"));
  // By now the cluster has gone past node 1's seqno (node 3's join took
  // events), so Galera would let node 1 in from its position, table and
  // all: it must take a full state transfer too.
  RigRun one = run_rig({"sandbox", "restart", kCluster, "--node", "1"});
  EXPECT_EQ(one.exit_code, 0) << one.out << one.err;
  EXPECT_NE(one.err.find("it joins by full state transfer"), std::string::npos) << one.err;
  // The cluster went on from node 2: the table is on no node.
  for (int node = 1; node <= 3; ++node) {
    EXPECT_EQ(node_sql(node,
                       "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                       "'rig_test' AND TABLE_NAME = 'ahead_probe'"),
              "0\n")
        << "node " << node;
  }
}

TEST_F(Cluster, ANodeKilledUnderLoadLeavesACompletedAccountedRun) {
  const std::string report = temp_path("killed.json");
  auto run =
      start({"--config", config(), "--report-json", report, "--retry-max-attempts", "80",
             "--retry-max-delay-ms", "400", "--connect-timeout", "1", "run", "load/read_write",
             "--load.threads", "9", "--load.time", "8", "--load.table-size", "1000"});
  // Strikes once node 2 serves three of the run's sessions.
  while (run.wait_for(20ms) == std::future_status::timeout && !sessions_on(2, 3)) {
  }
  ASSERT_EQ(run.wait_for(0s), std::future_status::timeout) << "the run ended before the strike";
  ASSERT_EQ(::kill(node_pid(2), SIGKILL), 0);
  // Node 2 stays down for the rest of the run: its sessions fail over to
  // the other nodes, and no event fails.
  RigRun r = run.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  expect_accounted(test["details"]["load"]["events"]);
  EXPECT_EQ(test["details"]["load"]["events"]["failed"], 0);
  EXPECT_GT(test["reconnects"].get<int64_t>(), 0) << "no session failed over";
  // Killed, node 2 rejoins by full state transfer; restarted cleanly, it
  // rejoins from its position (incremental state transfer).
  RigRun restart = run_rig({"sandbox", "restart", kCluster, "--node", "2"});
  EXPECT_EQ(restart.exit_code, 0) << restart.out << restart.err;
  EXPECT_NE(restart.err.find("it joins by full state transfer"), std::string::npos) << restart.err;
  RigRun clean = run_rig({"sandbox", "restart", kCluster, "--node", "2"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.err.find("it rejoins from"), std::string::npos) << clean.err;
}

TEST_F(Cluster, APartitionedNodesClientsGoToTheOthersAndItHeals) {
  const std::string report = temp_path("partition.json");
  auto run = start({"--config",
                    config(),
                    "--report-json",
                    report,
                    "--retry-max-attempts",
                    "80",
                    "--retry-max-delay-ms",
                    "400",
                    "run",
                    "consistency/list-append",
                    "--consistency.time",
                    "14",
                    "--consistency.sessions",
                    "6",
                    "--consistency.isolation",
                    "repeatable-read",
                    "--consistency.model",
                    "read-committed",
                    "--consistency.out-dir",
                    temp_path("out")});
  while (run.wait_for(20ms) == std::future_status::timeout && !sessions_on(3, 2)) {
  }
  ASSERT_EQ(run.wait_for(0s), std::future_status::timeout) << "the run ended before the strike";
  node_sql(3, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'");
  // Node 3 refuses its clients once the others have evicted it (about 5 s).
  std::string refused;
  EXPECT_TRUE(within(20s, [&] {
    refused = node_sql(3, "SELECT COUNT(*) FROM rig_test.no_such_table_of_anyone");
    return refused.find("1047") != std::string::npos;
  })) << refused;
  node_sql(3, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'");
  RigRun r = run.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json test = read_json(report)["tests"][0];
  expect_accounted(test["details"]["operations"]);
  // A session of node 3 sees the partition as 1047 at its next statement, or
  // as 1180 when it was in COMMIT: which one is a race, either sends it away.
  const nlohmann::json& by_code = test["details"]["operations"]["errors_by_code"];
  EXPECT_GT(by_code.value("1047", 0) + by_code.value("1180", 0), 0)
      << test["details"]["operations"];
  EXPECT_GT(test["reconnects"].get<int64_t>(), 0) << "no session left node 3";
}

TEST_F(Cluster, TxnTestsPlaceTheirSessionsAndAConflictBetweenNodesIsAnAbort) {
  // The lock tests keep both sessions on one node (a node's locks are its
  // own); visibility reads on another node; optimistic-conflict puts its
  // sessions on two nodes, where the loser's COMMIT fails with 1213 and its
  // retry lands once on top of the winner's write.
  const std::string report = temp_path("txn.json");
  RigRun r = run_rig({"--config", config(), "--report-json", report, "run", "txn"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::map<std::string, nlohmann::json> tests;
  const nlohmann::json json = read_json(report);
  for (const auto& test : json["tests"]) tests[test["name"].get<std::string>()] = test;
  for (const char* name :
       {"txn/visibility", "txn/deadlock", "txn/lock-wait-timeout", "txn/select-for-update",
        "txn/select-for-share", "txn/retry-deadlock", "txn/optimistic-conflict"}) {
    EXPECT_EQ(tests[name]["status"], "passed") << name << ": " << tests[name]["message"];
  }
  const nlohmann::json& conflict = tests["txn/optimistic-conflict"];
  EXPECT_EQ(conflict["records"]["loser_error"], "1213") << conflict;
  EXPECT_GE(conflict["retries"].get<int64_t>(), 1) << conflict;
  EXPECT_EQ(tests["txn/tidb-txn-mode"]["status"], "skipped");
}

TEST_F(Cluster, TheDdlAndImportSuitesPassAcrossTheNodes) {
  // ddl/online's writers on every node: the cluster applies each ALTER in
  // total order, aborting their statements on the table (1213), which are
  // retried and counted; the table then holds exactly what the successful
  // writes imply, read through node 1.
  const std::string report = temp_path("ddl.json");
  RigRun r = run_rig({"--config", config(), "--report-json", report, "run", "ddl", "import"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json json = read_json(report);
  for (const auto& test : json["tests"]) {
    EXPECT_NE(test["status"], "failed") << test["name"] << ": " << test["message"];
    EXPECT_NE(test["status"], "error") << test["name"] << ": " << test["message"];
    if (test["name"] == "ddl/online") {
      EXPECT_TRUE(test["records"].contains("writer_retries")) << test;
    }
  }
}

// A node that lags behind: FLUSH TABLES WITH READ LOCK on node 3 holds its
// applier for `lag_s` seconds, so node 3 gets a test's CREATE TABLE and
// rows only then. The lock is held before test-rig starts (the test polls
// node 3's processlist for it); `args` follow --config and --report-json.
// The run's report of its one test.
nlohmann::json run_while_node_3_lags(int lag_s, const std::vector<std::string>& args) {
  const std::string sleep = "DO SLEEP(" + std::to_string(lag_s) + ")";
  auto lock = std::async(std::launch::async,
                         [&sleep] { return node_sql(3, "FLUSH TABLES WITH READ LOCK; " + sleep); });
  EXPECT_TRUE(within(10s, [&sleep] {
    return node_sql(3, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = '" +
                           sleep + "'") == "1\n";
  })) << "node 3 never held the lock";
  const std::string report = temp_path("lagging.json");
  std::vector<std::string> all = {"--config", config(), "--report-json", report};
  all.insert(all.end(), args.begin(), args.end());
  RigRun r = run_rig(all);
  EXPECT_EQ(lock.get(), "") << "the lock's session failed";
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return read_json(report)["tests"][0];
}

// The tests' writers that node 3 serves (the main session is on node 1,
// then the sessions take the nodes in turn) must wait for the table, not
// write into a table their node does not have yet: 1146, once a proof-run
// flake of ddl/online under CPU load. Autocommit writes are not causal
// under wsrep_sync_wait = 1; each writer reads its tables first.
TEST_F(Cluster, WritersOnANodeThatLagsBehindWaitForItToHaveTheirTable) {
  const std::vector<std::vector<std::string>> runs = {
      {"run", "ddl/online"},
      {"run", "load/insert", "--load.threads", "2", "--load.time", "1", "--load.table-size",
       "1000"}};
  for (const auto& args : runs) {
    SCOPED_TRACE(args[1]);
    const nlohmann::json test = run_while_node_3_lags(3, args);
    EXPECT_EQ(test["status"], "passed") << test["message"];
  }
}

// That first read is retried as any read is: when the lag outlasts the
// read timeout, the session goes on to the next node. (A first read that
// lost its node, killed by a test, once ended a load run as an error.)
// load-1, the run's second thread, is on node 3; its read times out after
// 1 s. The lag is long enough (8 s) to outlast a slow start of the run.
TEST_F(Cluster, AFirstReadThatTimesOutOnALaggingNodeIsRetriedOnTheNext) {
  const nlohmann::json test =
      run_while_node_3_lags(8, {"--read-timeout", "1", "run", "load/read_only", "--load.threads",
                                "2", "--load.time", "1", "--load.table-size", "1000"});
  EXPECT_EQ(test["status"], "passed") << test["message"];
  EXPECT_GT(test["retries"].get<int64_t>(), 0) << test;
  EXPECT_GT(test["reconnects"].get<int64_t>(), 0) << test;
}

TEST_F(Cluster, APythonTestPlacesASessionOnEachNode) {
  const std::string report = temp_path("placement.json");
  RigRun r = run_rig({"--config", config(), "--python-tests", SOURCE_DIR "/tests/python/cluster",
                      "--report-json", report, "run", "python/placement"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["records"]["server_count"], "3") << test;
  EXPECT_EQ(test["records"]["nodes"], "node1,node2,node3") << test;
}

// A node that goes away while a test opens its sessions fails over the new
// session meant for it, as a reconnect does. (A Galera node killed while
// load's sessions opened failed the one meant for it after 80 tries.) The
// Python test stops node 2 right after a session of the run was served
// there, then opens a session for each node in turn.
TEST_F(Cluster, ANewSessionMeantForANodeThatStoppedAnsweringOpensOnTheNext) {
  const std::string report = temp_path("failover.json");
  RigOptions options;
  options.env["RIG_TEST_NODE2_PID"] = std::to_string(node_pid(2));
  RigRun r = run_rig(
      {"--config", config(), "--python-tests", SOURCE_DIR "/tests/python/cluster", "--report-json",
       report, "--connect-timeout", "1", "--retry-max-attempts", "3", "run", "python/failover"},
      options);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  const std::string before = test["records"].value("before", "");
  EXPECT_EQ(before.substr(before.size() - 5), "node2") << test;
  // The one meant for node 2 tried it, failed, and opened on node 3.
  EXPECT_EQ(test["records"]["after"], "node3,node1,node3") << test;
  EXPECT_GT(test["retries"].get<int64_t>(), 0) << test;
}

TEST_F(Cluster, HermitageAcrossTheNodesMatchesGalerasRowAndOnOneNodeOneServers) {
  const std::string across = temp_path("across.json");
  RigRun r = run_rig({"--config", config(), "--report-json", across, "run", "isolation/hermitage",
                      "--isolation.across-nodes"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json test = read_json(across)["tests"][0];
  EXPECT_EQ(test["records"]["profiles"], "mariadb-galera");
  const nlohmann::json& matrix = test["details"]["isolation"];
  EXPECT_EQ(matrix["servers"], 3);  // g2-fekete's three sessions, one per node
  EXPECT_EQ(matrix["counts"]["as_expected"], 56) << matrix["counts"];
  // The sessions on one node: InnoDB's locks, as on one MariaDB server.
  const std::string one_node = temp_path("one-node.json");
  r = run_rig({"--config", config(), "--report-json", one_node, "run", "isolation/hermitage"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  test = read_json(one_node)["tests"][0];
  EXPECT_EQ(test["records"]["profiles"], "mariadb-si-off");
  EXPECT_EQ(test["details"]["isolation"]["servers"], 1);
  EXPECT_EQ(test["details"]["isolation"]["counts"]["as_expected"], 56);
}

// The nemesis on the fixture cluster (--nemesis-sandbox): one fault of a
// majority, healed, the consistency check passing as its expected model
// says, the nodes whole at the end (the rig's word, and TearDown's).
struct MajorityFault {
  const char* fault;
  const char* duration;  // long enough for the others to evict the nodes
  const char* refusal;   // the error code that shows the fault took hold
};

void expect_majority_fault_heals(const MajorityFault& c) {
  const std::string report = temp_path(std::string(c.fault) + ".json");
  RigRun r = run_rig({"--config",
                      config(),
                      "--nemesis-sandbox",
                      kCluster,
                      "--nemesis",
                      c.fault,
                      "--nemesis-targets",
                      "majority",
                      "--nemesis-interval",
                      "1",
                      "--nemesis-duration",
                      c.duration,
                      "--retry-max-attempts",
                      "80",
                      "--retry-max-delay-ms",
                      "400",
                      "--read-timeout",
                      "3",
                      "--report-json",
                      report,
                      "run",
                      "consistency/list-append",
                      "--consistency.time",
                      "8",
                      "--consistency.isolation",
                      "read-committed",
                      "--consistency.out-dir",
                      temp_path(std::string(c.fault) + "-out")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json document = read_json(report);
  const auto& events = document["nemesis"]["events"];
  ASSERT_GE(events.size(), 3u) << document["nemesis"];
  EXPECT_EQ(events[0]["phase"], "start");
  EXPECT_EQ(events[0]["fault"], c.fault);
  EXPECT_EQ(events[0]["nodes"].size(), 2u) << events[0];
  for (const auto& event : events) EXPECT_EQ(event["note"], "") << event;
  EXPECT_EQ(events.back()["phase"], "whole");
  const nlohmann::json& test = document["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  EXPECT_GT(test["details"]["operations"]["errors_by_code"].value(c.refusal, 0), 0)
      << test["details"]["operations"];
  EXPECT_GT(test["reconnects"].get<int64_t>(), 0);
}

TEST_F(Cluster, TheNemesisCutsOffAMajorityAndTheClusterHeals) {
  // Cut off, the nodes lose the primary component and refuse with 1047.
  expect_majority_fault_heals({"partition", "7", "1047"});
}

TEST_F(Cluster, TheNemesisKillsAMajorityAndTheClusterHeals) {
  // The survivor becomes the primary component again (pc.bootstrap) and the
  // killed nodes rejoin it.
  expect_majority_fault_heals({"kill", "2", "2013"});
}

}  // namespace
}  // namespace rig::testing
