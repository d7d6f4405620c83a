// The user's data is sacred: decoy tables, views, databases and files
// planted under every name a shipped test, the load plugin or a sandbox
// could use survive the whole suite, a killed run and a timed-out one; the
// load plugin uses sysbench's tables as sysbench does and refuses others;
// what a killed run left is removed by the next run, and only that. Each
// test works in a database of its own, so that runs of tests in parallel
// never meet each other's tables.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "test_rig/sdk/owner_mark.h"
#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

namespace fs = std::filesystem;

// Fills `database` with sysbench's own `prepare`.
void sysbench_prepare(const std::string& database, int tables, int rows) {
  std::string command = "sysbench oltp_point_select --mysql-socket='" SANDBOX_DIR
                        "/mysqld.sock' --mysql-user=root --mysql-db=" +
                        database + " --tables=" + std::to_string(tables) +
                        " --table-size=" + std::to_string(rows) + " prepare >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

std::string checksum(const OwnDatabase& db, const std::string& table) {
  return db.sql("CHECKSUM TABLE " + table);
}

// The prefixes the shipped tests pass to unique_name (and the helpers over
// it), read from their sources, so that a test added later is covered too.
std::set<std::string> shipped_name_prefixes() {
  const std::regex forms[] = {std::regex(R"re(unique_name\("([a-z_]+)"\))re"),
                              std::regex(R"re(Fixture fixture\(ctx, "([a-z_]+)")re"),
                              std::regex(R"re(round_trip\(ctx, \{"([a-z_]+)")re"),
                              std::regex(R"re(fresh_table\(ctx, "([a-z_]+)"\))re")};
  std::set<std::string> prefixes;
  for (const char* root : {SOURCE_DIR "/plugins", SOURCE_DIR "/samples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      const std::string text = read_file(entry.path().string());
      for (const std::regex& form : forms) {
        for (std::sregex_iterator it(text.begin(), text.end(), form), end; it != end; ++it) {
          prefixes.insert((*it)[1].str());
        }
      }
    }
  }
  return prefixes;
}

// The process a mark of which is a mark of a process that has ended.
test_rig::OwnerMark mark_of_an_ended_process() {
  int pipe_ends[2];
  EXPECT_EQ(::pipe(pipe_ends), 0);
  pid_t child = ::fork();
  if (child == 0) {
    std::string text = test_rig::owner_mark().text();
    (void)!::write(pipe_ends[1], text.data(), text.size());
    _exit(0);
  }
  ::close(pipe_ends[1]);
  char buffer[512];
  ssize_t n = ::read(pipe_ends[0], buffer, sizeof(buffer));
  ::close(pipe_ends[0]);
  ::waitpid(child, nullptr, 0);
  auto mark =
      test_rig::parse_owner_mark(std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0));
  EXPECT_TRUE(mark.has_value());
  return mark.value_or(test_rig::OwnerMark{});
}

// A file tree a user keeps under a name the rig's temporary directories use.
struct DecoyDirectory {
  std::string path;
  void plant() const {
    fs::create_directories(path);
    write_file(path + "/data", "the user's\n");
  }
  bool intact() const { return read_file(path + "/data") == "the user's\n"; }
};

TEST(UserData, DecoysUnderEveryNameSurviveTheSuiteTheSandboxAndKilledRuns) {
  OwnDatabase db("decoys");
  const std::string token = "dcy" + std::to_string(::getpid() % 100000000);

  // Tables, a view and a database under the names the tests would choose.
  std::vector<std::string> tables;
  for (const std::string& prefix : shipped_name_prefixes()) tables.push_back(prefix + "_" + token);
  ASSERT_GT(tables.size(), 25u) << "the sources no longer show the tests' names";
  tables.push_back("ddl_tab_" + token + "_renamed");
  for (int cell = 0; cell < 4; ++cell) {
    tables.push_back("hermitage_" + token + "_" + std::to_string(cell));
  }
  tables.push_back("warehouse");  // one of TPC-C's fixed names
  const std::set<std::string> views = {"ddl_view_" + token, "ddl_view_first_" + token};
  const std::string database = "rig_ddl_" + token;
  std::string plant;
  for (const std::string& table : tables) {
    if (views.count(table)) continue;
    plant += "CREATE TABLE " + table + " (v INT); INSERT INTO " + table + " VALUES (7); ";
  }
  for (const std::string& view : views) {
    plant += "CREATE OR REPLACE VIEW " + view + " AS SELECT 7 AS v; ";
  }
  ASSERT_EQ(db.sql(plant), "");
  sandbox_sql("DROP DATABASE IF EXISTS " + database);
  ASSERT_EQ(sandbox_sql("CREATE DATABASE " + database + "; CREATE TABLE " + database +
                        ".t (v INT); INSERT INTO " + database + ".t VALUES (7)"),
            "");
  // sysbench's tables, of another size than the load plugin's default.
  sysbench_prepare(db.name(), 4, 137);
  std::map<std::string, std::string> sums;
  for (int t = 1; t <= 4; ++t) {
    const std::string table = "sbtest" + std::to_string(t);
    sums[table] = checksum(db, table);
  }
  // Directories under the rig's temporary-directory names, unmarked.
  const std::string temp = temp_path("tmp");
  fs::create_directories(temp);
  const std::vector<DecoyDirectory> directories = {{temp + "/test-rig-import-decoy1"},
                                                   {temp + "/test-rig-sandbox-decoy2"}};
  for (const auto& directory : directories) directory.plant();

  auto expect_all_intact = [&](const std::string& after) {
    for (const std::string& table : tables) {
      EXPECT_EQ(db.sql("SELECT v FROM " + table), "7\n") << table << " after " << after;
    }
    EXPECT_EQ(sandbox_sql("SELECT v FROM " + database + ".t"), "7\n") << after;
    for (const auto& [table, sum] : sums) {
      EXPECT_EQ(checksum(db, table), sum) << table << " after " << after;
    }
    for (const auto& directory : directories) {
      EXPECT_TRUE(directory.intact()) << directory.path << " after " << after;
    }
  };

  // The whole suite, Python samples included, choosing the decoys' names.
  RigOptions decoy_names;
  decoy_names.env = {{"TEST_RIG_RUN_TOKEN", token}, {"TMPDIR", temp}};
  const std::string json = temp_path("suite.json");
  RigRun suite = run_rig(
      db.rig_args({"--python-tests", SOURCE_DIR "/samples/python", "--report-json", json, "run"}),
      decoy_names);
  EXPECT_EQ(suite.exit_code, 3) << suite.out;
  const nlohmann::json report = read_json(json);
  int load_tests = 0;
  for (const auto& test : report["tests"]) {
    const std::string name = test["name"].get<std::string>();
    if (name.rfind("load/", 0) == 0 && name != "load/python") {
      ++load_tests;
      EXPECT_NE(test["message"].get<std::string>().find(name == "load/tpcc"
                                                            ? "a part of a TPC-C dataset is here"
                                                            : "sbtest1 exists with 137 rows"),
                std::string::npos)
          << test;
    }
  }
  EXPECT_GT(load_tests, 0) << "the suite ran no load test";
  expect_all_intact("the whole suite");

  // A --sandbox run, its temporary directory beside the decoys.
  RigOptions beside_decoys;
  beside_decoys.env = {{"TMPDIR", temp}};
  RigRun sandboxed = run_rig({"--sandbox", "run", "connection/standard"}, beside_decoys);
  EXPECT_EQ(sandboxed.exit_code, 0) << sandboxed.out << sandboxed.err;
  expect_all_intact("a --sandbox run");

  // The sandbox commands on a directory that is not a sandbox's.
  for (const char* command : {"start", "stop", "restart"}) {
    RigRun r = run_rig({"sandbox", command, directories[0].path});
    EXPECT_NE(r.exit_code, 0) << command << r.out << r.err;
  }
  expect_all_intact("sandbox start, stop and restart");

  // A run killed (SIGKILL, with its test process) while its table exists,
  // and one whose test is killed at its state timeout.
  auto soak_table_exists = [&] {
    return db.sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                  db.name() +
                  "' AND TABLE_NAME LIKE 'txn\\_soak\\_%' AND TABLE_COMMENT LIKE "
                  "'test-rig:%'") == "1\n";
  };
  RigOptions killed = beside_decoys;
  killed.signal_when = soak_table_exists;
  RigRun killed_run = run_rig(db.rig_args({"run", "txn/soak", "--txn.soak-seconds", "60"}), killed);
  EXPECT_EQ(killed_run.exit_code, 128 + SIGKILL) << killed_run.out;
  EXPECT_TRUE(soak_table_exists()) << "the killed run's table";
  const std::string next_json = temp_path("next.json");
  RigRun next = run_rig(db.rig_args({"--report-json", next_json, "run", "connection/standard"}),
                        beside_decoys);
  EXPECT_EQ(next.exit_code, 0) << next.out;
  EXPECT_FALSE(soak_table_exists()) << next.out;
  EXPECT_NE(next.out.find("leftover: dropped table `" + db.name() + "`.`txn_soak_"),
            std::string::npos)
      << next.out;
  EXPECT_EQ(read_json(next_json)["leftovers"]["removed"].size(), 1u) << next.out;
  expect_all_intact("a killed run and the next one");

  RigOptions interrupted = beside_decoys;
  interrupted.signal_when = soak_table_exists;
  interrupted.signal_to_send = SIGINT;
  const std::string interrupted_json = temp_path("interrupted.json");
  RigRun interrupted_run = run_rig(db.rig_args({"--report-json", interrupted_json, "run",
                                                "txn/soak", "--txn.soak-seconds", "60"}),
                                   interrupted);
  EXPECT_EQ(interrupted_run.exit_code, 3) << interrupted_run.out;
  EXPECT_FALSE(soak_table_exists()) << interrupted_run.out;
  expect_all_intact("an interrupted run");

  const std::string timed_out_json = temp_path("timeout.json");
  // A load of a fixed event count has no asked-for time: --state-timeout
  // stops it after its prepare made a table, and its cleanup never runs.
  RigRun timed_out = run_rig(
      db.rig_args({"--report-json", timed_out_json, "--state-timeout", "2", "run",
                   "load/point_select", "--load.table-prefix", "ud_timed_out_", "--load.time", "0",
                   "--load.events", "1000000000", "--load.table-size", "100"}),
      beside_decoys);
  EXPECT_EQ(timed_out.exit_code, 3) << timed_out.out;
  EXPECT_EQ(db.sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                   db.name() + "' AND TABLE_NAME LIKE 'ud\\_timed\\_out\\_%'"),
            "0\n")
      << "the run drops what its timed-out test left";
  EXPECT_EQ(read_json(timed_out_json)["leftovers"]["removed"].size(), 1u) << timed_out.out;
  expect_all_intact("a timed-out run");

  for (const std::string& table : tables) {
    db.sql((views.count(table) ? "DROP VIEW " : "DROP TABLE ") + table);
  }
  sandbox_sql("DROP DATABASE " + database);
}

TEST(UserData, SysbenchTablesOfTheRightSizeAreUsedAsTheyAreAndKept) {
  OwnDatabase db("reuse");
  sysbench_prepare(db.name(), 2, 500);
  const std::string before = checksum(db, "sbtest1") + checksum(db, "sbtest2");
  RigRun read = run_rig(db.rig_args({"run", "load/point_select", "--load.tables", "2",
                                     "--load.table-size", "500", "--load.time", "0.3"}));
  EXPECT_EQ(read.exit_code, 0) << read.out;
  EXPECT_NE(read.out.find("using the existing sbtest1, sbtest2 (500 rows each)"), std::string::npos)
      << read.out;
  EXPECT_EQ(checksum(db, "sbtest1") + checksum(db, "sbtest2"), before) << "a read-only run";
  RigRun write = run_rig(db.rig_args({"run", "load/read_write", "--load.tables", "2",
                                      "--load.table-size", "500", "--load.time", "0.3"}));
  EXPECT_EQ(write.exit_code, 0) << write.out;
  EXPECT_EQ(db.sql("SELECT COUNT(*) FROM sbtest1; SELECT COUNT(*) FROM sbtest2"), "500\n500\n")
      << "kept, as sysbench's run keeps them";
  // The sabotage that proves the table check can fail deletes a row: never
  // from a table the run did not create.
  const std::string kept = checksum(db, "sbtest1");
  for (const char* prepare : {"auto", "skip"}) {
    RigRun sabotage =
        run_rig(db.rig_args({"run", "load/point_select", "--load.table-size", "500", "--load.time",
                             "0.3", "--load.prepare", prepare, "--load.sabotage"}));
    EXPECT_EQ(sabotage.exit_code, 3) << prepare << sabotage.out;
    EXPECT_NE(sabotage.out.find("--load.sabotage deletes a row of sbtest1, which this run did "
                                "not create"),
              std::string::npos)
        << sabotage.out;
    EXPECT_EQ(checksum(db, "sbtest1"), kept) << prepare;
  }
}

TEST(UserData, TablesOfAnotherSizeOrLayoutAreRefusedInOneLine) {
  OwnDatabase db("refuse");
  sysbench_prepare(db.name(), 1, 137);
  ASSERT_EQ(db.sql("CREATE TABLE layout1 (id INT PRIMARY KEY, name VARCHAR(64)); INSERT INTO "
                   "layout1 VALUES (1, 'mine')"),
            "");
  const std::string sum = checksum(db, "sbtest1");
  RigRun size = run_rig(db.rig_args({"run", "load/read_write", "--load.time", "0.3"}));
  EXPECT_EQ(size.exit_code, 3) << size.out;
  EXPECT_NE(size.out.find("sbtest1 exists with 137 rows, not --load.table-size 10 000; the run "
                          "leaves it alone: give --load.table-size 137"),
            std::string::npos)
      << size.out;
  EXPECT_EQ(checksum(db, "sbtest1"), sum);
  RigRun layout = run_rig(db.rig_args(
      {"run", "load/read_write", "--load.table-prefix", "layout", "--load.time", "0.3"}));
  EXPECT_EQ(layout.exit_code, 3) << layout.out;
  EXPECT_NE(layout.out.find("layout1 exists with columns (id int, name varchar(64)), not "
                            "sysbench's"),
            std::string::npos)
      << layout.out;
  EXPECT_EQ(db.sql("SELECT name FROM layout1"), "mine\n");
}

TEST(UserData, ConcurrentLoadRunsNeverDropEachOthersTables) {
  OwnDatabase db("concurrent");
  auto tables_exist = [&] {
    return db.sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                  db.name() + "' AND TABLE_NAME = 'sbtest1'") == "1\n";
  };
  RigRun first;
  std::atomic<bool> first_done{false};
  std::thread first_run([&] {
    first = run_rig(
        db.rig_args({"run", "load/read_write", "--load.table-size", "1000", "--load.time", "4"}));
    first_done = true;
  });
  while (!tables_exist() && !first_done) std::this_thread::yield();
  RigRun second = run_rig(
      db.rig_args({"run", "load/read_write", "--load.table-size", "1000", "--load.time", "0.3"}));
  first_run.join();
  EXPECT_EQ(first.exit_code, 0) << first.out;
  EXPECT_EQ(second.exit_code, 3) << second.out;
  EXPECT_NE(second.out.find("sbtest1 belongs to another test-rig run"), std::string::npos)
      << second.out;
  EXPECT_FALSE(tables_exist()) << "the first run drops the table it created";
}

TEST(UserData, CleanupDropsOnlyWhatTheRunCreatedUnlessToldOtherwise) {
  OwnDatabase db("cleanup");
  auto load = [&](const std::string& cleanup) {
    return run_rig(db.rig_args({"run", "load/point_select", "--load.table-size", "100",
                                "--load.time", "0.2", "--load.cleanup", cleanup}));
  };
  EXPECT_EQ(load("none").exit_code, 0);
  EXPECT_EQ(db.sql("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 'sbtest1'"),
            "\n")
      << "kept, and the user's from now on: no owner mark";
  EXPECT_EQ(load("created").exit_code, 0);
  EXPECT_EQ(db.sql("SELECT COUNT(*) FROM sbtest1"), "100\n") << "not this run's to drop";
  EXPECT_EQ(load("all").exit_code, 0);
  EXPECT_NE(db.sql("SELECT COUNT(*) FROM sbtest1").find("doesn't exist"), std::string::npos);
}

// In a sandbox of its own: marked databases are server-wide, and the run of
// any test in parallel would drop the ended process's database first.
TEST(UserData, AKilledRunsTablesAndDatabasesAreDroppedAndViewsOnThemListed) {
  const std::string server = temp_path("sandbox");
  ASSERT_EQ(run_rig({"sandbox", "start", server}).exit_code, 0);
  struct Stop {
    std::string directory;
    ~Stop() { run_rig({"sandbox", "stop", directory}); }
  } stop{server};
  auto sql = [&](const std::string& statements) { return sandbox_sql(statements, server); };
  const std::string ended = mark_of_an_ended_process().text();
  const std::string live = test_rig::owner_mark().text();
  ASSERT_EQ(sql("CREATE TABLE left_t (v INT) COMMENT='" + ended +
                "'; CREATE TABLE live_t (v INT) COMMENT='" + live +
                "'; CREATE TABLE user_t (v INT) COMMENT='test-rig: mine'; CREATE VIEW "
                "left_v AS SELECT v FROM left_t; CREATE DATABASE ud_gone COMMENT '" +
                ended + "'; CREATE DATABASE ud_kept"),
            "");
  const std::string json = temp_path("next.json");
  RigRun next = run_rig({"--config", server + "/tidb_config.toml", "--report-json", json, "run",
                         "connection/standard"});
  EXPECT_EQ(next.exit_code, 0) << next.out;
  EXPECT_EQ(sql("SHOW FULL TABLES"), "left_v\tVIEW\nlive_t\tBASE TABLE\nuser_t\tBASE TABLE\n");
  EXPECT_EQ(sql("SHOW DATABASES LIKE 'ud\\_%'"), "ud_kept\n");
  const auto leftovers = read_json(json)["leftovers"];
  EXPECT_EQ(leftovers["removed"].size(), 2u) << leftovers;
  EXPECT_NE(next.out.find("leftover: view `rig_test`.`left_v` reads table left_t, a killed run's "
                          "leftover that was dropped; if the view is that run's too, remove it "
                          "with: DROP VIEW `rig_test`.`left_v`;"),
            std::string::npos)
      << next.out;

  // A test stopped in test-rig's own process (--isolation none) before its
  // cleanup: at the end of the run, the tables this very process marked are
  // leftovers too -- and only those: live_t, marked by another live
  // process (this one), and the unmarked ones stay.
  const std::string stopped_json = temp_path("stopped.json");
  RigRun stopped =
      run_rig({"--config", server + "/tidb_config.toml", "--isolation", "none", "--state-timeout",
               "2", "--report-json", stopped_json, "run", "load/point_select",
               "--load.table-prefix", "ud_stopped_", "--load.time", "0", "--load.events",
               "1000000000", "--load.table-size", "100"});
  EXPECT_EQ(stopped.exit_code, 3) << stopped.out;
  EXPECT_EQ(sql("SHOW FULL TABLES"), "left_v\tVIEW\nlive_t\tBASE TABLE\nuser_t\tBASE TABLE\n");
  EXPECT_EQ(sql("SHOW DATABASES LIKE 'ud\\_%'"), "ud_kept\n");
  EXPECT_NE(stopped.out.find("leftover: dropped table `rig_test`.`ud_stopped_1`, left by a test "
                             "of this run that stopped before its cleanup"),
            std::string::npos)
      << stopped.out;
}

TEST(UserData, AKilledRunsDirectoriesAreRemovedByTheNextRunAndOnlyThose) {
  const std::string temp = temp_path("tmp");
  fs::create_directories(temp);
  // A --sandbox run killed while its server runs: its directory holds the
  // password.
  RigOptions in_temp;
  in_temp.env = {{"TMPDIR", temp}};
  auto sandbox_dirs = [&] {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(temp)) {
      count += entry.path().filename().string().rfind("test-rig-sandbox-", 0) == 0;
    }
    return count;
  };
  RigOptions killed = in_temp;
  killed.signal_when = [&] {
    for (const auto& entry : fs::directory_iterator(temp)) {
      if (fs::exists(entry.path() / "tidb_config.toml")) return true;  // the server is up
    }
    return false;
  };
  RigRun killed_run = run_rig({"--sandbox", "run", "txn/soak", "--txn.soak-seconds", "60"}, killed);
  EXPECT_EQ(killed_run.exit_code, 128 + SIGKILL) << killed_run.out;
  EXPECT_EQ(sandbox_dirs(), 1);
  // Beside it, directories marked by a process that has ended, by this live process, and not at
  // all.
  const std::string ended = temp + "/test-rig-import-ended", live = temp + "/test-rig-import-live",
                    unmarked = temp + "/test-rig-import-unmarked";
  for (const std::string& dir : {ended, live, unmarked}) {
    fs::create_directories(dir);
    write_file(dir + "/data", "rows\n");
  }
  write_file(ended + "/" + test_rig::kOwnerMarkFile, mark_of_an_ended_process().text() + "\n");
  ASSERT_TRUE(test_rig::mark_directory(live));

  const std::string json = temp_path("next.json");
  RigRun next = run_rig(
      {"--config", sandbox_config(), "--report-json", json, "run", "connection/standard"}, in_temp);
  EXPECT_EQ(next.exit_code, 0) << next.out;
  EXPECT_FALSE(fs::exists(ended)) << next.out;
  EXPECT_EQ(sandbox_dirs(), 0) << next.out;
  EXPECT_EQ(read_json(json)["leftovers"]["removed"].size(), 2u) << next.out;
  EXPECT_EQ(read_file(live + "/data"), "rows\n");
  EXPECT_EQ(read_file(unmarked + "/data"), "rows\n");
}

}  // namespace
}  // namespace rig::testing
