// load/tpcc against the sandbox, each test in a database of its own (TPC-C's
// table names are fixed): one warehouse prepared, run and checked; two
// shards of one run on warehouses of their own, checked by shard 0;
// partitions, isolation and keying times taking effect; a
// sabotaged invariant failing the check by name; a kept dataset used again,
// and TPC-C tables the rig did not make left alone; a cleanup that lost its
// connection retried.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/held_session.h"
#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

using nlohmann::json;

struct TpccRun {
  RigRun rig;
  json test;  // the report's entry of load/tpcc; null without a report
};

TpccRun run_tpcc(const OwnDatabase& db, std::vector<std::string> options) {
  const std::string report = temp_path("tpcc.json");
  std::vector<std::string> args = db.rig_args({"--report-json", report, "run", "load/tpcc"});
  args.insert(args.end(), options.begin(), options.end());
  TpccRun run{run_rig(args), json()};
  if (std::filesystem::exists(report)) run.test = read_json(report)["tests"][0];
  return run;
}

int64_t count(const OwnDatabase& db, const std::string& sql) { return std::stoll(db.sql(sql)); }

// A connection lost while the run drops its tables is reopened and the
// drop retried, as load's cleanup does (see FaultInjection). Once the run
// is under way (a Payment added to the history prepare made), a session of
// the test's own holds a read on `item`, the first table the cleanup
// drops, so its DROP waits past --read-timeout; the session lets go once
// the DROP came again on a new connection. The timeout, 5 s, is for the
// held DROP only: prepare's 500-row INSERTs took over 1 s beside two CPU
// burners, and TPC-C's prepare is not retried.
TEST(Tpcc, ACleanupThatLosesItsConnectionDropsItsTablesOnARetry) {
  OwnDatabase db("tpcc_cleanup");
  const std::string report = temp_path("tpcc.json");
  const std::vector<std::string> args = db.rig_args(
      {"--read-timeout", "5", "--retry-max-attempts", "80", "--retry-max-delay-ms", "400",
       "--report-json", report, "run", "load/tpcc", "--load.threads", "2", "--load.time", "4"});
  auto run = std::async(std::launch::async, [&args] { return run_rig(args); });
  const bool under_way = wait_until(
      [&db] {
        return db.sql(
                   "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 'history'") == "1\n" &&
               db.sql("SELECT COUNT(*) > 30000 FROM history") == "1\n";
      },
      run);
  ASSERT_TRUE(under_way) << "the run ended before it ran: " << run.get().out;
  EXPECT_TRUE(hold_until_the_drop_is_retried("item", db.name(), run))
      << "the cleanup's DROP did not wait on the test's read, or was not retried";
  RigRun r = run.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  EXPECT_GT(test["retries"].get<int64_t>(), 0) << test["errors"];
  EXPECT_EQ(count(db,
                  "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                  "DATABASE()"),
            0)
      << "the run's cleanup drops the tables it made";
}

TEST(Tpcc, OneWarehousePreparesRunsAndPassesItsCheck) {
  OwnDatabase db("tpcc_run");
  // Prepared statements here (the other tests send text): the server's
  // count of executed prepared statements grows by at least the run's.
  auto executed = [] {
    const std::string row = sandbox_sql("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'");
    return std::stoll(row.substr(row.find('\t') + 1));
  };
  const int64_t executed_before = executed();
  TpccRun r = run_tpcc(db, {"--load.threads", "2", "--load.time", "3", "--load.report-interval",
                            "0.5", "--load.prepared"});
  ASSERT_EQ(r.rig.exit_code, 0) << r.rig.out << r.rig.err;
  const json& queries = r.test["details"]["load"]["queries"];
  EXPECT_GE(executed() - executed_before,
            queries["read"].get<int64_t>() + queries["write"].get<int64_t>())
      << queries;
  const json& records = r.test["records"];
  // Every committed New-Order is one more order, and the transactions ran
  // in their mix: each type measured, New-Order and Payment the most.
  const json& metrics = r.test["details"]["metrics"]["histograms"];
  for (const char* type : {"new_order", "payment", "order_status", "delivery", "stock_level"}) {
    ASSERT_TRUE(metrics.contains(std::string("statement.") + type)) << metrics.dump();
  }
  // Each type at three significant digits, as the events.
  EXPECT_EQ(metrics["statement.new_order"]["sub_bucket_bits"], metrics["event"]["sub_bucket_bits"]);
  const json& load = r.test["details"]["load"];
  EXPECT_GT(std::stod(records["tpmC"].get<std::string>()), 0) << records;
  EXPECT_GT(std::stoll(records["orders_grown"].get<std::string>()), 0) << records;
  EXPECT_EQ(records["conditions_checked"], "11 per warehouse, 1 warehouse(s)") << records;
  EXPECT_EQ(load["events"]["failed"], 0) << load;
  EXPECT_EQ(load["prepared"], true) << load;
  EXPECT_NE(r.rig.out.find("tpmC "), std::string::npos) << r.rig.out;
  EXPECT_NE(r.rig.err.find("loaded warehouse 1 (1 of 1)"), std::string::npos) << r.rig.err;
  // The run dropped the tables it made.
  EXPECT_EQ(count(db,
                  "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                  "DATABASE()"),
            0);
}

TEST(Tpcc, TwoShardsOfOneRunPartitionTheWarehousesAndShardZeroChecksThemAll) {
  OwnDatabase db("tpcc_shards");
  std::vector<std::future<TpccRun>> shards;
  for (const char* shard : {"0/2", "1/2"}) {
    shards.push_back(std::async(std::launch::async, [&db, shard] {
      return run_tpcc(db, {"--load.warehouses", "2", "--load.threads", "2", "--load.time", "2",
                           "--load.cleanup", "none", "--shard", shard, "--run-id", "tpcc-shards"});
    }));
  }
  const TpccRun zero = shards[0].get(), one = shards[1].get();
  ASSERT_EQ(zero.rig.exit_code, 0) << zero.rig.out << zero.rig.err;
  ASSERT_EQ(one.rig.exit_code, 0) << one.rig.out << one.rig.err;
  // One terminal each, on a warehouse of its own.
  EXPECT_EQ(zero.test["records"]["home_warehouses"], "1");
  EXPECT_EQ(one.test["records"]["home_warehouses"], "2");
  // Shard 0 checked both warehouses, and the orders grew by both shards'
  // New-Orders, but for those rolled back by design.
  EXPECT_EQ(zero.test["records"]["conditions_checked"], "11 per warehouse, 2 warehouse(s)");
  EXPECT_FALSE(one.test["records"].contains("conditions_checked")) << one.test["records"];
  int64_t new_orders = 0;
  int warehouse = 1;
  for (const TpccRun* run : {&zero, &one}) {
    const json& metrics = run->test["details"]["metrics"];
    const int64_t committed =
        metrics["histograms"]["statement.new_order"]["count"].get<int64_t>() -
        std::stoll(run->test["records"]["new_order_rollbacks"].get<std::string>());
    EXPECT_EQ(metrics["counters"]["events.indeterminate"], 0) << metrics["counters"];
    // A New-Order's order is in its terminal's home warehouse: each shard's
    // are in its own (3000 per district at first).
    EXPECT_EQ(count(db, "SELECT COUNT(*) - 30000 FROM orders WHERE o_w_id = " +
                            std::to_string(warehouse++)),
              committed);
    new_orders += committed;
  }
  EXPECT_EQ(std::stoll(zero.test["records"]["orders_grown"].get<std::string>()), new_orders);
}

TEST(Tpcc, PartitionsIsolationAndKeyingTimesTakeEffect) {
  OwnDatabase db("tpcc_options");
  // The isolation levels of this database's open transactions, as the
  // server lists them, sampled until the run ends. InnoDB refreshes what
  // INNODB_TRX shows only when it was not read for 100 ms, so the samples
  // are 150 ms apart: read back to back, it would show its first picture.
  std::atomic<bool> running{true};
  std::future<std::set<std::string>> levels = std::async(std::launch::async, [&] {
    std::set<std::string> seen;
    for (; running; std::this_thread::sleep_for(std::chrono::milliseconds(150))) {
      std::istringstream rows(sandbox_sql(
          "SELECT DISTINCT t.trx_isolation_level FROM information_schema.INNODB_TRX t JOIN "
          "information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE p.DB = '" +
          db.name() + "'"));
      for (std::string level; std::getline(rows, level);) seen.insert(level);
    }
    return seen;
  });
  const TpccRun serializable =
      run_tpcc(db, {"--load.partitions", "2", "--load.isolation", "serializable", "--load.threads",
                    "2", "--load.time", "3", "--load.cleanup", "none"});
  running = false;
  ASSERT_EQ(serializable.rig.exit_code, 0) << serializable.rig.out << serializable.rig.err;
  // The terminals' transactions ran serializable (prepare's and the check's
  // sessions keep the server's default, repeatable read).
  const std::set<std::string> seen = levels.get();
  EXPECT_EQ(seen.count("SERIALIZABLE"), 1u) << ::testing::PrintToString(seen);
  // Every table but item in two partitions.
  EXPECT_EQ(count(db,
                  "SELECT COUNT(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = 'orders' AND PARTITION_NAME IS NOT NULL"),
            2);
  EXPECT_EQ(count(db,
                  "SELECT COUNT(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = 'item' AND PARTITION_NAME IS NOT NULL"),
            0);
  // With keying times (2 s and more before each transaction) a 2 s run
  // starts none; without, hundreds.
  const TpccRun waiting = run_tpcc(db, {"--load.wait", "--load.threads", "2", "--load.time", "2"});
  ASSERT_EQ(waiting.rig.exit_code, 0) << waiting.rig.out << waiting.rig.err;
  EXPECT_EQ(waiting.test["details"]["load"]["events"]["attempted"], 0)
      << waiting.test["details"]["load"]["events"];
  EXPECT_GT(serializable.test["details"]["load"]["events"]["attempted"].get<int64_t>(), 100);
}

TEST(Tpcc, ASabotagedInvariantFailsTheCheckNamingTheCondition) {
  OwnDatabase db("tpcc_sabotage");
  // Without Delivery, condition 11 still holds and is checked too.
  TpccRun r = run_tpcc(db, {"--load.threads", "2", "--load.time", "1", "--load.tpcc-weights",
                            "45,43,4,0,4", "--load.sabotage"});
  EXPECT_EQ(r.rig.exit_code, 1) << r.rig.out << r.rig.err;
  EXPECT_EQ(r.test["status"], "failed");
  const std::string message = r.test["message"];
  EXPECT_NE(message.find("condition 1 (W_YTD = sum(D_YTD)) fails for warehouse 1: expected "),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("condition 9 (D_YTD = sum(H_AMOUNT)) fails for warehouse 1 district 1"),
            std::string::npos)
      << message;
  EXPECT_EQ(r.test["records"]["conditions_checked"], "12 per warehouse, 1 warehouse(s)");
}

TEST(Tpcc, AKeptDatasetIsUsedAgainAndOneItDidNotMakeIsRefused) {
  OwnDatabase db("tpcc_keep");
  TpccRun kept =
      run_tpcc(db, {"--load.threads", "2", "--load.time", "1", "--load.cleanup", "none"});
  ASSERT_EQ(kept.rig.exit_code, 0) << kept.rig.out << kept.rig.err;
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM warehouse"), 1);
  // Used again as it is: no second load.
  TpccRun again = run_tpcc(db, {"--load.threads", "2", "--load.time", "1"});
  EXPECT_EQ(again.rig.exit_code, 0) << again.rig.out << again.rig.err;
  EXPECT_NE(again.rig.out.find("using the existing TPC-C dataset of 1 warehouse(s)"),
            std::string::npos)
      << again.rig.out;
  EXPECT_EQ(again.rig.err.find("loaded warehouse"), std::string::npos) << again.rig.err;
  TpccRun check = run_tpcc(db, {"--load.tpcc-check-only"});
  EXPECT_EQ(check.rig.exit_code, 0) << check.rig.out << check.rig.err;
  EXPECT_EQ(check.test["states"], json::array({"prepare", "check", "cleanup", "completed"}));
  // Another scale is refused, naming the one here.
  TpccRun other = run_tpcc(db, {"--load.warehouses", "2"});
  EXPECT_EQ(other.rig.exit_code, 3) << other.rig.out;
  EXPECT_NE(other.test["message"].get<std::string>().find("give --load.warehouses 1"),
            std::string::npos)
      << other.test["message"];
  // Without its mark, the dataset is someone else's: left alone.
  db.sql("ALTER TABLE warehouse COMMENT = ''");
  const std::string before = db.sql("CHECKSUM TABLE warehouse, district, orders");
  TpccRun foreign = run_tpcc(db, {"--load.time", "1"});
  EXPECT_EQ(foreign.rig.exit_code, 3) << foreign.rig.out;
  EXPECT_NE(foreign.test["message"].get<std::string>().find("TPC-C tables this rig did not make"),
            std::string::npos)
      << foreign.test["message"];
  EXPECT_EQ(db.sql("CHECKSUM TABLE warehouse, district, orders"), before);
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM warehouse"), 1);
}

}  // namespace
}  // namespace rig::testing
