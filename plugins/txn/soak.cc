#include "soak.h"

#include <chrono>
#include <cstdint>
#include <exception>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugin_support.h"

namespace rig_plugins {
namespace {

using test_rig::Connection;
using test_rig::Context;
using Clock = std::chrono::steady_clock;

// What happened to each transaction one writer attempted, by sequence number.
struct WriterLedger {
  std::vector<int64_t> committed;
  std::vector<int64_t> failed;         // gave up after retries
  std::vector<int64_t> indeterminate;  // connection lost during COMMIT
  std::string first_failure;
  std::exception_ptr fatal;  // a permanent error stopped the writer

  int64_t attempted() const {
    return static_cast<int64_t>(committed.size() + failed.size() + indeterminate.size());
  }
};

// Inserts (writer, 1), (writer, 2), ... one transaction each until `deadline`.
void write_until(Context& ctx, const std::string& table, int writer, Clock::time_point deadline,
                 WriterLedger* ledger) {
  try {
    Connection db = ctx.connection("soak-" + std::to_string(writer));
    for (int64_t seq = 1; Clock::now() < deadline; ++seq) {
      const std::string insert = "INSERT INTO " + table + " VALUES (" + std::to_string(writer) +
                                 ", " + std::to_string(seq) + ")";
      try {
        test_rig::retry_transaction(ctx, db, [&](Connection& tx) { tx.execute(insert); });
        ledger->committed.push_back(seq);
      } catch (const test_rig::IndeterminateCommit&) {
        ledger->indeterminate.push_back(seq);
      } catch (const test_rig::DbError& e) {
        // Never sent as far as COMMIT (that would be indeterminate): failed.
        ledger->failed.push_back(seq);
        if (ledger->first_failure.empty()) ledger->first_failure = e.what();
        if (!test_rig::classify_error(e.code()).transient()) throw;  // the writer stops
      }
    }
  } catch (...) {
    ledger->fatal = std::current_exception();
  }
}

// The rows of `table` by writer, read in one statement, retried: the server
// may still be coming back. (No transaction: a read has nothing to commit,
// so a connection lost at its COMMIT would be no unknown outcome.)
std::vector<std::set<int64_t>> read_rows(Context& ctx, Connection& db, const std::string& table,
                                         int writers) {
  std::vector<std::set<int64_t>> rows;
  test_rig::retry_reads(ctx, db, [&](Connection& tx) {
    rows.assign(writers, {});
    auto result = tx.query("SELECT writer, seq FROM " + table);
    while (result.next()) {
      int writer = std::stoi(std::string(*result.get(0)));
      test_rig::expect(writer >= 0 && writer < writers,
                       "a row of unknown writer " + std::to_string(writer));
      rows[writer].insert(std::stoll(std::string(*result.get(1))));
    }
  });
  return rows;
}

}  // namespace

void soak(Context& ctx) {
  const int writers = static_cast<int>(ctx.option_int("soak-threads"));
  const auto duration = std::chrono::duration<double>(ctx.option_float("soak-seconds"));
  // --state-timeout bounds what the soak does beyond its asked-for time.
  ctx.expect_state_duration(duration.count());
  const std::string table = unique_name("txn_soak");
  Connection main = ctx.connection();
  rig_plugins::require_absent(main, table);
  main.execute("CREATE TABLE " + table +
               " (writer INT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (writer, seq)) " +
               test_rig::owner_comment());

  const auto started = Clock::now();
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(duration);
  std::vector<WriterLedger> ledgers(writers);
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back(write_until, std::ref(ctx), table, w, deadline, &ledgers[w]);
  }
  for (auto& thread : threads) thread.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

  int64_t attempted = 0, committed = 0, failed = 0, indeterminate = 0;
  std::string first_failure;
  for (const WriterLedger& ledger : ledgers) {
    attempted += ledger.attempted();
    committed += static_cast<int64_t>(ledger.committed.size());
    failed += static_cast<int64_t>(ledger.failed.size());
    indeterminate += static_cast<int64_t>(ledger.indeterminate.size());
    if (first_failure.empty()) first_failure = ledger.first_failure;
  }
  nlohmann::json operations = {{"attempted", attempted},
                               {"succeeded", committed},
                               {"failed", failed},
                               {"indeterminate", indeterminate}};
  // The accounting is written however the soak ends from here on.
  ctx.record_json("operations", operations.dump());
  ctx.record("writers", std::to_string(writers));
  ctx.record("tps", std::to_string(static_cast<int64_t>(committed / elapsed)));
  for (const WriterLedger& ledger : ledgers) {
    if (ledger.fatal) std::rethrow_exception(ledger.fatal);
  }

  // The main session may have died with the server: read_rows reconnects
  // it, retrying, for as long as the server stays away within the retry
  // budget.
  auto rows = read_rows(ctx, main, table, writers);
  main.execute_best_effort("DROP TABLE " + table);  // this run's: it was absent before

  int64_t resolved_committed = 0;
  std::vector<std::string> problems;
  for (int w = 0; w < writers; ++w) {
    const WriterLedger& ledger = ledgers[w];
    std::set<int64_t> expected(ledger.committed.begin(), ledger.committed.end());
    for (int64_t seq : ledger.committed) {
      if (!rows[w].count(seq)) {
        problems.push_back("writer " + std::to_string(w) + " seq " + std::to_string(seq) +
                           " was committed but is missing");
      }
    }
    for (int64_t seq : ledger.failed) {
      if (rows[w].count(seq)) {
        problems.push_back("writer " + std::to_string(w) + " seq " + std::to_string(seq) +
                           " failed but is in the table");
      }
    }
    for (int64_t seq : ledger.indeterminate) {
      if (rows[w].count(seq)) {
        ++resolved_committed;
        expected.insert(seq);
      }
    }
    for (int64_t seq : rows[w]) {
      if (!expected.count(seq)) {
        problems.push_back("writer " + std::to_string(w) + " seq " + std::to_string(seq) +
                           " is in the table but was never reported committed");
      }
    }
  }
  operations["indeterminate_committed"] = resolved_committed;
  ctx.record_json("operations", operations.dump());
  ctx.info("soak: " + operations.dump());

  test_rig::expect(committed + failed + indeterminate == attempted,
                   "accounting: succeeded + failed + indeterminate != attempted");
  if (!problems.empty()) {
    std::string text = std::to_string(problems.size()) + " row(s) disagree with the ledger: ";
    for (std::size_t i = 0; i < problems.size() && i < 5; ++i) text += problems[i] + "; ";
    throw test_rig::Failure(text);
  }
  test_rig::expect(attempted > 0, "no transaction was attempted");
  // Transactions that failed after retries say nothing against the
  // database -- the rows agree with the ledger -- but the soak asked for
  // did not happen: an error.
  if (failed > 0) {
    throw std::runtime_error(std::to_string(failed) + " of " + std::to_string(attempted) +
                             " transactions failed after retries; first: " + first_failure);
  }
}

}  // namespace rig_plugins
