#include "online_ddl.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "plugin_support.h"

namespace ddl {
namespace {

using Clock = std::chrono::steady_clock;
using test_rig::Connection;
using test_rig::expect;
using test_rig::expect_eq;

struct WriterTally {
  int64_t inserts = 0;
  int64_t inserted_value_sum = 0;
  int64_t updates = 0;
  std::map<uint32_t, int64_t> retried;     // error code -> statements run again
  std::map<uint32_t, int64_t> unexpected;  // error code -> count
  std::string first_unexpected;
  // The writer's connection failed (or the test was told to stop): what it
  // did is then unknown, and the table's contents judge nothing.
  std::string infrastructure_error;
};

// Runs `sql`, up to 10 times while a schema change aborts it: TiDB's
// 8027/8028, or a Galera node's 1213 when the cluster applies a DDL in total
// order (it aborts the node's statements on the table, which then did
// nothing). True if it succeeded.
bool write(Connection& db, const std::string& sql, WriterTally& tally) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    auto error = db.try_execute(sql);
    if (error.ok()) return true;
    const rig_error_kind kind = error.classify().kind;
    if (kind == RIG_ERROR_KIND_SCHEMA_CHANGED || kind == RIG_ERROR_KIND_CONFLICT) {
      ++tally.retried[error.code];
      continue;
    }
    if (tally.unexpected.empty()) tally.first_unexpected = error.message + " [" + sql + "]";
    ++tally.unexpected[error.code];
    return false;
  }
  if (tally.unexpected.empty()) tally.first_unexpected = "schema kept changing [" + sql + "]";
  ++tally.unexpected[8028];
  return false;
}

void write_until_stopped(Connection& db, const std::string& table, int writer,
                         const std::atomic<bool>& stop, WriterTally& tally) {
  std::mt19937_64 random(static_cast<uint64_t>(writer) * 7919 + 17);
  std::vector<int64_t> mine;
  int64_t next_id = (static_cast<int64_t>(writer) + 1) * 1000000000;
  while (!stop) {
    int64_t id = next_id++;
    int64_t value = static_cast<int64_t>(random() % 1000);
    if (write(db,
              "INSERT INTO " + table + " (id, v, pad) VALUES (" + std::to_string(id) + ", " +
                  std::to_string(value) + ", 'w" + std::to_string(writer) + "')",
              tally)) {
      ++tally.inserts;
      tally.inserted_value_sum += value;
      mine.push_back(id);
    }
    if (!mine.empty() && random() % 2 == 0) {
      int64_t target = mine[random() % mine.size()];
      // The row exists and v changes, so a successful UPDATE changed one row.
      if (write(db, "UPDATE " + table + " SET v = v + 1 WHERE id = " + std::to_string(target),
                tally)) {
        ++tally.updates;
      }
    }
  }
}

void writer_loop(Connection db, const std::string& table, int writer, const std::atomic<bool>& stop,
                 WriterTally& tally) {
  try {
    write_until_stopped(db, table, writer, stop, tally);
  } catch (const test_rig::DbError& e) {
    tally.infrastructure_error = "writer-" + std::to_string(writer) + ": " + e.what();
  }
}

// CHECK TABLE on MySQL/MariaDB (last row's Msg_text must be OK), ADMIN CHECK
// TABLE on TiDB (an error if table and indexes disagree).
void check_table(Connection& db, const std::string& table) {
  if (db.server().is_tidb()) {
    auto error = db.try_execute("ADMIN CHECK TABLE " + table);
    expect(error.ok(), "ADMIN CHECK TABLE failed: " + error.message);
    return;
  }
  auto result = db.query("CHECK TABLE " + table);
  std::string last;
  while (result.next()) last = std::string(result.get(3).value_or(""));
  expect_eq(last, std::string("OK"), "CHECK TABLE result");
}

}  // namespace

void online_ddl(test_rig::Context& ctx) {
  rig_plugins::TableGuard table(ctx, rig_plugins::unique_name("ddl_online"));
  const std::string& t = table.name();
  Connection db = ctx.connection();
  const int64_t seed_rows = ctx.option_int("seed-rows");
  const int writers = static_cast<int>(ctx.option_int("writers"));
  db.execute("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(32)) " +
             test_rig::owner_comment());
  rig_plugins::insert_rows(db, t, seed_rows, [](int64_t n) {
    return std::to_string(n) + ", " + std::to_string(n % 100) + ", 'seed'";
  });
  const int64_t seed_sum = rig_plugins::scalar_int(db, "SELECT SUM(v) FROM " + t);

  std::atomic<bool> stop{false};
  std::vector<WriterTally> tallies(static_cast<std::size_t>(writers));
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    Connection session = ctx.connection("writer-" + std::to_string(w));
    table.rollback_first(session);
    rig_plugins::catch_up_on_table(ctx, session, t);
    threads.emplace_back(writer_loop, session, t, w, std::cref(stop),
                         std::ref(tallies[static_cast<std::size_t>(w)]));
  }
  const auto load = std::chrono::milliseconds(ctx.option_int("load-ms"));
  std::string ddl_failure;
  // The writers are joined however the DDL ends: a lost connection throws.
  std::exception_ptr lost;
  try {
    std::this_thread::sleep_for(load / 2);
    const std::pair<const char*, const char*> changes[] = {
        {"add_index", "ADD INDEX idx_v (v)"},
        {"add_column", "ADD COLUMN extra INT NOT NULL DEFAULT 0"},
        {"modify_column", "MODIFY COLUMN v BIGINT NOT NULL"}};  // a type change: a rebuild
    for (const auto& [name, change] : changes) {
      auto started = Clock::now();
      auto error = db.try_execute("ALTER TABLE " + t + " " + change);
      if (!error.ok() && ddl_failure.empty())
        ddl_failure = std::string(change) + ": " + error.message;
      ctx.record(std::string("ddl_ms_") + name,
                 std::to_string(
                     std::chrono::duration<double, std::milli>(Clock::now() - started).count()));
    }
    std::this_thread::sleep_for(load / 2);
  } catch (...) {
    lost = std::current_exception();
  }
  stop = true;
  for (auto& thread : threads) thread.join();
  if (lost) std::rethrow_exception(lost);
  for (const auto& tally : tallies) {
    if (!tally.infrastructure_error.empty()) {
      throw std::runtime_error(tally.infrastructure_error +
                               "; with a write's outcome unknown "
                               "the table cannot be judged");
    }
  }
  expect(ddl_failure.empty(), "online DDL failed: " + ddl_failure);

  WriterTally total;
  for (const auto& tally : tallies) {
    total.inserts += tally.inserts;
    total.inserted_value_sum += tally.inserted_value_sum;
    total.updates += tally.updates;
    for (const auto& [code, count] : tally.retried) total.retried[code] += count;
    for (const auto& [code, count] : tally.unexpected) total.unexpected[code] += count;
    if (total.first_unexpected.empty()) total.first_unexpected = tally.first_unexpected;
  }
  ctx.record("writer_inserts", std::to_string(total.inserts));
  ctx.record("writer_updates", std::to_string(total.updates));
  std::string retried;
  for (const auto& [code, count] : total.retried) {
    retried +=
        (retried.empty() ? "" : ", ") + std::to_string(count) + " after " + std::to_string(code);
  }
  ctx.record("writer_retries", retried.empty() ? "none" : retried);
  expect(total.unexpected.empty(),
         "writers saw unexpected errors, first: " + total.first_unexpected);
  expect(total.inserts > 0, "no writer managed an insert during the test");

  if (ctx.option_bool("sabotage")) db.execute("DELETE FROM " + t + " ORDER BY id DESC LIMIT 1");
  expect_eq(rig_plugins::scalar_int(db, "SELECT COUNT(*) FROM " + t), seed_rows + total.inserts,
            "rows after the load (seed + successful inserts)");
  expect_eq(rig_plugins::scalar_int(db, "SELECT SUM(v) FROM " + t),
            seed_sum + total.inserted_value_sum + total.updates,
            "SUM(v) after the load (seed + inserted values + one per successful update)");
  expect_eq(rig_plugins::scalar_int(db, "SELECT COUNT(*) FROM " + t +
                                            " FORCE INDEX (idx_v) "
                                            "WHERE v >= 0"),
            seed_rows + total.inserts, "rows reached through the new index");
  expect_eq(rig_plugins::scalar_int(db, "SELECT COUNT(*) FROM " + t + " WHERE extra = 0"),
            seed_rows + total.inserts, "rows with the new column's default");
  check_table(db, t);
  if (db.server().is_tidb()) {
    auto jobs = db.query("ADMIN SHOW DDL JOBS 20 WHERE table_name = '" + t + "'");
    int done = 0;
    while (jobs.next()) {
      auto state = jobs.column_index("STATE");
      done += state && jobs.get(*state) == std::optional<std::string_view>("synced");
    }
    expect_eq(done, 3, "ADMIN SHOW DDL JOBS entries in state synced for the table");
  }
}

}  // namespace ddl
