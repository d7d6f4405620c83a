// plugins/txn -- transactions behave as they must: visibility across
// sessions, savepoints, autocommit, deadlocks, lock waits, locking reads,
// constraint violations and a large transaction, conflicts found at COMMIT
// (TiDB's optimistic mode, Galera across nodes), and TiDB's modes (skipped
// elsewhere, with the reason).
//
// Every test uses tables named after the run's connection id and drops them
// on every path; sessions run at --txn.isolation (repeatable-read).
#include <chrono>
#include <future>
#include <thread>

#include "plugin_support.h"
#include "server_profile.h"
#include "soak.h"
#include "test_rig/sdk.h"

namespace {

using rig_plugins::scalar_int;
using rig_plugins::TableGuard;
using test_rig::Connection;
using test_rig::Context;
using test_rig::expect;
using test_rig::expect_eq;
using Clock = std::chrono::steady_clock;

// A named session on server `server` of the --host list, at the
// configured isolation level.
Connection session(Context& ctx, const std::string& name, uint32_t server) {
  Connection db = ctx.connection_to(name, server);
  db.execute(rig_plugins::set_isolation_sql(db.server(), ctx.option_string("isolation")));
  db.execute("SET SESSION autocommit = 1");
  return db;
}

// A two-column table (id primary key, v) seeded with `rows` rows (id, id*10).
std::unique_ptr<TableGuard> seeded_table(Context& ctx, const std::string& prefix, int rows) {
  auto guard = std::make_unique<TableGuard>(ctx, rig_plugins::unique_name(prefix));
  Connection db = ctx.connection();
  db.execute("CREATE TABLE " + guard->name() + " (id INT PRIMARY KEY, v INT NOT NULL) " +
             test_rig::owner_comment());
  for (int id = 1; id <= rows; ++id) {
    db.execute("INSERT INTO " + guard->name() + " VALUES (" + std::to_string(id) + ", " +
               std::to_string(id * 10) + ")");
  }
  return guard;
}

// Where a fixture's two sessions are: on one server, to meet each other's
// row locks (on a cluster, a node's locks are its own), or across two
// servers when the --host list has them: a write and a read on different
// nodes, or the cluster's conflicts instead of locks.
using rig_plugins::Placement;

// Session "b" of a fixture: on the first server as "a" is, or on the second
// under a name of its own (a named session keeps the server it opened on).
Connection second_session(Context& ctx, Placement placement) {
  if (placement == Placement::kAcrossServers && ctx.server_count() > 1) {
    return session(ctx, "b_second_server", 1);
  }
  return session(ctx, "b", 0);
}

// A seeded table and two sessions, "a" and "b", whose transactions are
// rolled back before the table is dropped.
class Fixture {
 public:
  Fixture(Context& ctx, const std::string& prefix, int rows, Placement placement)
      : a(session(ctx, "a", 0)),
        b(second_session(ctx, placement)),
        table_(seeded_table(ctx, prefix, rows)) {
    table_->rollback_first(a);
    table_->rollback_first(b);
  }
  const std::string& table() const { return table_->name(); }

  Connection a, b;

 private:
  std::unique_ptr<TableGuard> table_;
};

int64_t count_where(Connection& db, const std::string& table, const std::string& where) {
  return scalar_int(db, "SELECT COUNT(*) FROM " + table + " WHERE " + where);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void visibility(Context& ctx) {
  Fixture fixture(ctx, "txn_vis", 0, Placement::kAcrossServers);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;

  a.execute("BEGIN");
  a.execute("INSERT INTO " + t + " VALUES (1, 10)");
  expect_eq(count_where(b, t, "id = 1"), 0, "rows another session sees before COMMIT");
  expect_eq(count_where(a, t, "id = 1"), 1, "rows the writer sees before its COMMIT");
  a.execute("COMMIT");
  expect_eq(count_where(b, t, "id = 1"), 1, "rows another session sees after COMMIT");

  a.execute("BEGIN");
  a.execute("INSERT INTO " + t + " VALUES (2, 20)");
  a.execute("ROLLBACK");
  expect_eq(count_where(a, t, "id = 2"), 0, "rolled-back rows the writer sees");
  expect_eq(count_where(b, t, "id = 2"), 0, "rolled-back rows another session sees");
}

void savepoints(Context& ctx) {
  Fixture fixture(ctx, "txn_sp", 0, Placement::kAcrossServers);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;
  auto ids = [&](Connection& db) {
    std::string list;
    auto rows = db.query("SELECT id FROM " + t + " ORDER BY id");
    while (rows.next()) list += (list.empty() ? "" : ",") + std::string(*rows.get(0));
    return list;
  };
  a.execute("BEGIN");
  a.execute("INSERT INTO " + t + " VALUES (1, 10)");
  a.execute("SAVEPOINT sp_a");
  a.execute("INSERT INTO " + t + " VALUES (2, 20)");
  a.execute("SAVEPOINT sp_b");
  a.execute("INSERT INTO " + t + " VALUES (3, 30)");
  a.execute("ROLLBACK TO SAVEPOINT sp_b");
  expect_eq(ids(a), std::string("1,2"), "rows after ROLLBACK TO sp_b");
  a.execute("ROLLBACK TO SAVEPOINT sp_a");
  expect_eq(ids(a), std::string("1"), "rows after ROLLBACK TO sp_a");
  a.execute("INSERT INTO " + t + " VALUES (4, 40)");
  a.execute("RELEASE SAVEPOINT sp_a");
  auto released = a.try_execute("ROLLBACK TO SAVEPOINT sp_a");
  expect_eq(released.code, 1305u, "error of ROLLBACK TO a released savepoint");
  expect_eq(ids(b), std::string(""), "rows another session sees before COMMIT");
  a.execute("COMMIT");
  expect_eq(ids(b), std::string("1,4"), "rows another session sees after COMMIT");
}

void autocommit(Context& ctx) {
  Fixture fixture(ctx, "txn_ac", 0, Placement::kAcrossServers);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;
  a.execute("INSERT INTO " + t + " VALUES (1, 10)");
  expect_eq(count_where(b, t, "id = 1"), 1, "autocommit=1: rows visible at once");
  a.execute("SET SESSION autocommit = 0");
  a.execute("INSERT INTO " + t + " VALUES (2, 20)");
  expect_eq(count_where(b, t, "id = 2"), 0, "autocommit=0: rows visible before COMMIT");
  a.execute("COMMIT");
  expect_eq(count_where(b, t, "id = 2"), 1, "autocommit=0: rows visible after COMMIT");
  a.execute("INSERT INTO " + t + " VALUES (3, 30)");
  a.execute("ROLLBACK");
  expect_eq(count_where(a, t, "id = 3"), 0, "autocommit=0: rows after ROLLBACK");
  a.execute("SET SESSION autocommit = 1");
}

void deadlock(Context& ctx) {
  Fixture fixture(ctx, "txn_dl", 2, Placement::kOneServer);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;
  a.execute("BEGIN");
  b.execute("BEGIN");
  a.execute("UPDATE " + t + " SET v = 11 WHERE id = 1");
  b.execute("UPDATE " + t + " SET v = 22 WHERE id = 2");
  // Each session now wants the other's row, on its own thread.
  auto a_second = std::async(std::launch::async, [&] {
    return a.try_execute("UPDATE " + t + " SET v = 12 WHERE id = 2");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a is waiting
  auto b_second = std::async(std::launch::async, [&] {
    return b.try_execute("UPDATE " + t + " SET v = 21 WHERE id = 1");
  });
  test_rig::DbErrorInfo a_error = a_second.get(), b_error = b_second.get();
  int victims = (a_error.code == 1213) + (b_error.code == 1213);
  expect_eq(victims, 1,
            "sessions that got deadlock error 1213 (a: " + std::to_string(a_error.code) +
                ", b: " + std::to_string(b_error.code) + ")");
  Connection& winner = a_error.ok() ? a : b;
  expect(winner.try_execute("COMMIT").ok(), "the surviving transaction commits");
  const bool a_won = a_error.ok();
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 1"), a_won ? 11 : 21,
            "row 1 after the deadlock");
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 2"), a_won ? 12 : 22,
            "row 2 after the deadlock");
  ctx.record("deadlock_victim", a_won ? "b" : "a");
}

void lock_wait_timeout(Context& ctx) {
  Fixture fixture(ctx, "txn_lwt", 1, Placement::kOneServer);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;
  const int64_t timeout = ctx.option_int("lock-wait-timeout");
  b.execute("SET SESSION innodb_lock_wait_timeout = " + std::to_string(timeout));
  a.execute("BEGIN");
  a.execute("UPDATE " + t + " SET v = 100 WHERE id = 1");
  b.execute("BEGIN");
  auto started = Clock::now();
  auto error = b.try_execute("UPDATE " + t + " SET v = 200 WHERE id = 1");
  double waited = seconds_since(started);
  expect_eq(error.code, 1205u, "error of the waiting UPDATE");
  expect(waited >= static_cast<double>(timeout) * 0.9, "1205 came after " + std::to_string(waited) +
                                                           " s, before the " +
                                                           std::to_string(timeout) + " s timeout");
  b.execute("ROLLBACK");
  a.execute("COMMIT");
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 1"), 100, "value after COMMIT");
  ctx.record("lock_wait_s", std::to_string(waited));
}

// Runs `sql` on `db` on another thread; returns when it finished and how long
// it took.
std::future<std::pair<test_rig::DbErrorInfo, double>> run_async(Connection db, std::string sql) {
  return std::async(std::launch::async, [db, sql]() mutable {
    auto started = Clock::now();
    auto error = db.try_execute(sql);
    return std::make_pair(error, seconds_since(started));
  });
}

// Runs `sql` on `writer` while `holder`'s transaction holds a lock: the
// writer must still be waiting after `hold`, and succeed once `holder`
// commits. Returns how long the writer waited, in seconds.
double expect_waits_for_commit(Connection& holder, Connection writer, const std::string& sql,
                               std::chrono::milliseconds hold, const std::string& who) {
  auto pending = run_async(writer, sql);
  if (pending.wait_for(hold) != std::future_status::timeout) {
    // get() rethrows a lost connection: then nothing is known of the lock.
    auto [error, waited] = pending.get();
    throw test_rig::Failure(who + " did not wait for the lock: it ended after " +
                            std::to_string(waited) + " s" +
                            (error.ok() ? "" : " with error " + std::to_string(error.code)));
  }
  holder.execute("COMMIT");
  auto [error, waited] = pending.get();
  expect(error.ok(), who + " failed after the lock was released: " + error.message);
  return waited;
}

void select_for_update(Context& ctx) {
  Fixture fixture(ctx, "txn_sfu", 1, Placement::kOneServer);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;
  const auto hold = std::chrono::milliseconds(ctx.option_int("hold-ms"));
  a.execute("BEGIN");
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 1 FOR UPDATE"), 10,
            "value read FOR UPDATE");
  a.execute("UPDATE " + t + " SET v = 100 WHERE id = 1");
  double waited = expect_waits_for_commit(a, b, "UPDATE " + t + " SET v = v + 1 WHERE id = 1", hold,
                                          "the second writer");
  ctx.record("writer_wait_s", std::to_string(waited));
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 1"), 101,
            "value after both writers (the second applied on top of the first)");
}

void select_for_share(Context& ctx) {
  Fixture fixture(ctx, "txn_sfs", 1, Placement::kOneServer);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;
  Connection c = session(ctx, "c", 0);
  test_rig::ServerInfo server = a.server();
  if (server.is_tidb())
    throw test_rig::Skip("TiDB does not take shared locks (FOR SHARE is a no-op)");
  const std::string share = server.is_mysql() ? " FOR SHARE" : " LOCK IN SHARE MODE";
  const auto hold = std::chrono::milliseconds(ctx.option_int("hold-ms"));
  a.execute("BEGIN");
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 1" + share), 10, "shared read");
  b.execute("BEGIN");
  auto reader = run_async(b, "SELECT v FROM " + t + " WHERE id = 1" + share);
  expect(reader.wait_for(hold) == std::future_status::ready,
         "a second shared lock waited for the first");
  expect(reader.get().first.ok(), "second shared read failed");
  b.execute("COMMIT");
  expect_waits_for_commit(a, c, "UPDATE " + t + " SET v = 50 WHERE id = 1", hold,
                          "a writer behind the shared lock");
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 1"), 50, "value after the writer");
}

void constraints(Context& ctx) {
  // Declared before the child, so dropped after it.
  auto parent = std::make_unique<TableGuard>(ctx, rig_plugins::unique_name("txn_parent"));
  auto child = std::make_unique<TableGuard>(ctx, rig_plugins::unique_name("txn_child"));
  auto table = seeded_table(ctx, "txn_con", 0);
  const std::string& t = table->name();
  Connection db = ctx.connection();
  db.execute("CREATE TABLE " + parent->name() + " (id INT PRIMARY KEY) ENGINE=InnoDB " +
             test_rig::owner_comment());
  db.execute("CREATE TABLE " + child->name() + " (id INT PRIMARY KEY, parent_id INT, " +
             "FOREIGN KEY (parent_id) REFERENCES " + parent->name() + " (id)) ENGINE=InnoDB " +
             test_rig::owner_comment());
  Connection a = session(ctx, "a", 0);
  table->rollback_first(a);
  a.execute("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'");
  a.execute("BEGIN");
  a.execute("INSERT INTO " + t + " VALUES (1, 10)");
  expect_eq(a.try_execute("INSERT INTO " + t + " VALUES (1, 11)").code, 1062u,
            "error of a duplicate key");
  expect_eq(a.try_execute("INSERT INTO " + t + " VALUES (2, NULL)").code, 1048u,
            "error of NULL in a NOT NULL column");
  expect_eq(a.try_execute("INSERT INTO " + child->name() + " VALUES (1, 999)").code, 1452u,
            "error of a missing foreign key parent");
  a.execute("INSERT INTO " + t + " VALUES (3, 30)");  // the transaction is still usable
  a.execute("COMMIT");
  std::string rows;
  auto result = db.query("SELECT id, v FROM " + t + " ORDER BY id");
  while (result.next()) {
    rows += "(" + std::string(*result.get(0)) + "," + std::string(*result.get(1)) + ")";
  }
  expect_eq(rows, std::string("(1,10)(3,30)"), "rows after the failed statements");
  expect_eq(scalar_int(db, "SELECT COUNT(*) FROM " + child->name()), 0, "child rows");
}

void large_transaction(Context& ctx) {
  Fixture fixture(ctx, "txn_big", 0, Placement::kAcrossServers);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;
  const int64_t rows = ctx.option_int("large-rows");
  auto value = [](int64_t id) { return id * 7919 % 1000003; };
  int64_t sum = 0, weighted = 0;
  auto started = Clock::now();
  a.execute("BEGIN");
  constexpr int64_t kBatch = 1000;
  for (int64_t first = 1; first <= rows; first += kBatch) {
    std::string sql = "INSERT INTO " + t + " VALUES ";
    for (int64_t id = first; id < first + kBatch && id <= rows; ++id) {
      sql +=
          (id == first ? "(" : ",(") + std::to_string(id) + "," + std::to_string(value(id)) + ")";
      sum += value(id);
      weighted += id % 1000 * value(id);
    }
    a.execute(sql);
  }
  expect_eq(scalar_int(b, "SELECT COUNT(*) FROM " + t), 0, "rows visible before COMMIT");
  a.execute("COMMIT");
  auto result = b.query("SELECT COUNT(*), SUM(v), SUM(id % 1000 * v) FROM " + t);
  expect(result.next(), "no result from the checksum query");
  expect_eq(std::string(*result.get(0)), std::to_string(rows), "row count after COMMIT");
  expect_eq(std::string(*result.get(1)), std::to_string(sum), "SUM(v) after COMMIT");
  expect_eq(std::string(*result.get(2)), std::to_string(weighted), "weighted checksum");
  ctx.record("rows", std::to_string(rows));
  ctx.record("seconds", std::to_string(seconds_since(started)));
}

// Two transactions that update the same rows in opposite order deadlock on
// their first attempt; retried as whole units they both commit.
void retry_deadlock(Context& ctx) {
  Fixture fixture(ctx, "txn_retry", 2, Placement::kOneServer);
  const std::string& t = fixture.table();
  auto transfer = [&](Connection db, int first, int second) {
    int attempt = 0;
    test_rig::retry_transaction(ctx, db, [&](Connection& tx) {
      tx.execute("UPDATE " + t + " SET v = v + 1 WHERE id = " + std::to_string(first));
      // Only the first attempt waits, so that both sessions hold one row.
      if (attempt++ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(150));
      tx.execute("UPDATE " + t + " SET v = v + 1 WHERE id = " + std::to_string(second));
    });
  };
  auto a = std::async(std::launch::async, transfer, fixture.a, 1, 2);
  auto b = std::async(std::launch::async, transfer, fixture.b, 2, 1);
  a.get();  // rethrows a DbError that outlived its retries
  b.get();
  expect_eq(scalar_int(fixture.a, "SELECT v FROM " + t + " WHERE id = 1"), 12,
            "row 1 after both retried transactions");
  expect_eq(scalar_int(fixture.a, "SELECT v FROM " + t + " WHERE id = 2"), 22,
            "row 2 after both retried transactions");
}

// ---- TiDB only.

void tidb_txn_mode(Context& ctx) {
  rig_plugins::skip_unless_tidb(ctx, "tidb_txn_mode");
  Connection a = session(ctx, "a", 0);
  for (const char* mode : {"optimistic", "pessimistic"}) {
    a.execute(std::string("SET SESSION tidb_txn_mode = '") + mode + "'");
    expect_eq(a.scalar("SELECT @@tidb_txn_mode").value_or(""), std::string(mode),
              "tidb_txn_mode read back");
  }
  ctx.record("tidb_retry_limit", a.scalar("SELECT @@tidb_retry_limit").value_or("?"));
  ctx.record("tidb_disable_txn_auto_retry",
             a.scalar("SELECT @@tidb_disable_txn_auto_retry").value_or("?"));
}

// ---- Conflicts found at COMMIT: TiDB's optimistic transactions, and
// Galera's certification between nodes.

// Why the server cannot show a conflict at COMMIT, or "".
std::string no_conflict_at_commit(Context& ctx, Connection& db) {
  if (db.server().is_tidb()) return "";
  if (!rig_plugins::is_galera_node(db)) {
    return "conflicts at COMMIT need TiDB (optimistic mode) or a Galera cluster; this server is " +
           db.server().flavor_name() + " " + db.server().version;
  }
  if (ctx.server_count() < 2) {
    return "on one Galera node, row locks settle conflicts before COMMIT; list two nodes or "
           "more in --host (the cluster sandbox's config does)";
  }
  return "";
}

void optimistic_conflict(Context& ctx) {
  Connection main = ctx.connection();
  if (std::string why = no_conflict_at_commit(ctx, main); !why.empty()) throw test_rig::Skip(why);
  Fixture fixture(ctx, "txn_opt", 1, Placement::kAcrossServers);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;
  if (main.server().is_tidb()) {
    for (Connection* db : {&a, &b}) db->execute("SET SESSION tidb_txn_mode = 'optimistic'");
  }

  // Both write the row; neither waits; the first to commit wins and the
  // other's COMMIT fails.
  a.execute("BEGIN");
  b.execute("BEGIN");
  a.execute("UPDATE " + t + " SET v = 11 WHERE id = 1");
  b.execute("UPDATE " + t + " SET v = 12 WHERE id = 1");  // no lock held elsewhere: no wait
  a.execute("COMMIT");
  auto error = b.try_execute("COMMIT");
  expect(
      error.classify().conflict(),
      "the second COMMIT should fail with a write conflict (TiDB 9007/8005, Galera 1213), "
      "got " +
          (error.ok() ? std::string("success") : std::to_string(error.code) + " " + error.message));
  ctx.record("loser_error", std::to_string(error.code));
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 1"), 11,
            "value after the conflict (the first committer's)");

  // The loser's transaction, retried as a unit, lands once on top of the
  // winner's. A conflict reported at its read (Galera aborts an idle
  // transaction that a replicated write overlaps) must abort that attempt:
  // a COMMIT that then says OK has committed nothing.
  int attempts = 0;
  test_rig::retry_transaction(ctx, b, [&](Connection& tx) {
    tx.execute("UPDATE " + t + " SET v = v + 100 WHERE id = 1");
    if (attempts++ == 0) a.execute("UPDATE " + t + " SET v = v + 1 WHERE id = 1");
    tx.query("SELECT v FROM " + t + " WHERE id = 1");
  });
  expect_eq(attempts, 2, "attempts of the loser's transaction");
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 1"), 112,
            "value after the winner's +1 and the retried loser's +100");
}

void tidb_pessimistic_blocking(Context& ctx) {
  rig_plugins::skip_unless_tidb(ctx, "pessimistic transactions");
  Fixture fixture(ctx, "txn_pes", 1, Placement::kOneServer);
  const std::string& t = fixture.table();
  Connection &a = fixture.a, &b = fixture.b;
  for (Connection* db : {&a, &b}) db->execute("SET SESSION tidb_txn_mode = 'pessimistic'");
  const auto hold = std::chrono::milliseconds(ctx.option_int("hold-ms"));
  a.execute("BEGIN");
  a.execute("UPDATE " + t + " SET v = 11 WHERE id = 1");
  expect_waits_for_commit(a, b, "UPDATE " + t + " SET v = v + 1 WHERE id = 1", hold,
                          "the second pessimistic writer");
  expect_eq(scalar_int(a, "SELECT v FROM " + t + " WHERE id = 1"), 12, "value after both");
}

test_rig::PluginDefinition define() {
  using test_rig::Option;
  test_rig::PluginDefinition plugin("txn", "1.0.0", "transaction semantics across sessions");
  plugin
      .option(
          Option::choice("isolation", "repeatable-read",
                         {"read-uncommitted", "read-committed", "repeatable-read", "serializable"},
                         "isolation level of the test sessions"))
      .option(Option::integer("large-rows", 100000, "rows of txn/large-transaction")
                  .bounds(1, 10000000))
      .option(Option::integer("lock-wait-timeout", 1,
                              "innodb_lock_wait_timeout for txn/lock-wait-timeout, seconds")
                  .bounds(1, 60))
      .option(Option::integer("hold-ms", 300, "how long locks are held to prove a wait")
                  .bounds(10, 60000))
      .option(Option::integer("soak-threads", 4, "sessions writing in txn/soak").bounds(1, 512))
      .option(Option::floating("soak-seconds", 2, "how long txn/soak writes").bounds(0.1, 86400));
  const rig_plugins::TestEntry tests[] = {
      {"visibility", "commit and rollback visibility across sessions", visibility},
      {"savepoints", "SAVEPOINT, ROLLBACK TO, RELEASE", savepoints},
      {"autocommit", "autocommit on and off", autocommit},
      {"deadlock", "two sessions deadlock; exactly one is the victim", deadlock},
      {"lock-wait-timeout", "a lock wait ends with 1205", lock_wait_timeout},
      {"select-for-update", "FOR UPDATE blocks a second writer", select_for_update},
      {"select-for-share", "shared locks admit readers and block writers", select_for_share},
      {"constraints", "1062, 1452, 1048 leave the transaction usable and data intact", constraints},
      {"large-transaction", "many rows commit and verify", large_transaction},
      {"retry-deadlock", "deadlocked transactions retried as units both commit", retry_deadlock},
      {"soak", "sessions commit with retries for a while; every transaction accounted for",
       rig_plugins::soak},
      {"tidb-txn-mode", "TiDB: tidb_txn_mode and retry settings", tidb_txn_mode},
      {"optimistic-conflict",
       "TiDB optimistic, or Galera across nodes: the first committer wins, the other's COMMIT "
       "fails, its retry lands once",
       optimistic_conflict},
      {"tidb-pessimistic-blocking", "TiDB: pessimistic writers block", tidb_pessimistic_blocking}};
  rig_plugins::add_tests(plugin, tests);
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
