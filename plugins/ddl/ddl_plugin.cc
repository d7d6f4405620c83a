// plugins/ddl -- schema changes do what they say: tables, columns, indexes,
// views, databases and TRUNCATE, each verified through information_schema
// and SHOW CREATE; temporary tables stay private to their session; and
// online DDL under concurrent writers keeps every write and a consistent
// table (see online_ddl.h).
#include <string>

#include "online_ddl.h"
#include "plugin_support.h"
#include "test_rig/sdk.h"

namespace {

using rig_plugins::scalar_int;
using rig_plugins::TableGuard;
using test_rig::Connection;
using test_rig::Context;
using test_rig::expect;
using test_rig::expect_eq;

std::string quote(const std::string& text) { return "'" + text + "'"; }

int64_t tables_named(Connection& db, const std::string& table) {
  return scalar_int(db,
                    "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                    "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = " +
                        quote(table));
}

std::optional<std::string> column_type(Connection& db, const std::string& table,
                                       const std::string& column) {
  return db.scalar(
      "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
      "DATABASE() AND TABLE_NAME = " +
      quote(table) + " AND COLUMN_NAME = " + quote(column));
}

std::string show_create(Connection& db, const std::string& table) {
  auto result = db.query("SHOW CREATE TABLE " + table);
  expect(result.next(), "SHOW CREATE TABLE returned nothing");
  return std::string(result.get(1).value_or(""));
}

void expect_contains(const std::string& text, const std::string& part, const std::string& what) {
  expect(text.find(part) != std::string::npos,
         what + ": expected to contain \"" + part + "\", got: " + text);
}

void tables(Context& ctx) {
  TableGuard first(ctx, rig_plugins::unique_name("ddl_tab"));
  TableGuard renamed(ctx, first.name() + "_renamed");
  Connection db = ctx.connection();
  db.execute("CREATE TABLE " + first.name() + " (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL) " +
             test_rig::owner_comment());
  expect_eq(tables_named(db, first.name()), 1, "information_schema.TABLES rows after CREATE");
  expect_contains(show_create(db, first.name()), "`name` varchar(20) NOT NULL",
                  "SHOW CREATE TABLE");
  // The new comment keeps the owner mark in front (owner_mark.h).
  const std::string comment = test_rig::owner_mark().text() + " altered";
  db.execute("ALTER TABLE " + first.name() + " COMMENT = '" + comment + "'");
  expect_eq(db.scalar("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                      "DATABASE() AND TABLE_NAME = " +
                      quote(first.name()))
                .value_or(""),
            comment, "table comment after ALTER");
  db.execute("RENAME TABLE " + first.name() + " TO " + renamed.name());
  expect_eq(tables_named(db, first.name()), 0, "tables under the old name after RENAME");
  expect_eq(tables_named(db, renamed.name()), 1, "tables under the new name after RENAME");
  db.execute("DROP TABLE " + renamed.name());
  expect_eq(tables_named(db, renamed.name()), 0, "tables after DROP");
}

void columns(Context& ctx) {
  TableGuard table(ctx, rig_plugins::unique_name("ddl_col"));
  const std::string& t = table.name();
  Connection db = ctx.connection();
  db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY) " + test_rig::owner_comment());
  db.execute("INSERT INTO " + t + " VALUES (1), (2)");
  db.execute("ALTER TABLE " + t + " ADD COLUMN c INT NOT NULL DEFAULT 7");
  expect_eq(column_type(db, t, "c").value_or("missing"), std::string("int(11)"),
            "type of the added column");
  expect_eq(scalar_int(db, "SELECT SUM(c) FROM " + t), 14, "existing rows get the default");
  db.execute("ALTER TABLE " + t + " MODIFY COLUMN c BIGINT NOT NULL DEFAULT 7");
  expect_eq(column_type(db, t, "c").value_or("missing").substr(0, 6), std::string("bigint"),
            "type after MODIFY COLUMN");
  db.execute("ALTER TABLE " + t + " CHANGE COLUMN c d BIGINT NOT NULL DEFAULT 7");
  expect(!column_type(db, t, "c"), "column c still exists after being renamed to d");
  expect(column_type(db, t, "d").has_value(), "column d missing after CHANGE COLUMN");
  expect_contains(show_create(db, t), "`d` bigint", "SHOW CREATE TABLE after rename");
  db.execute("ALTER TABLE " + t + " DROP COLUMN d");
  expect(!column_type(db, t, "d"), "column d still exists after DROP COLUMN");
}

void indexes(Context& ctx) {
  TableGuard table(ctx, rig_plugins::unique_name("ddl_idx"));
  const std::string& t = table.name();
  Connection db = ctx.connection();
  auto index_columns = [&](const std::string& index) {
    return scalar_int(db,
                      "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE "
                      "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = " +
                          quote(t) + " AND INDEX_NAME = " + quote(index));
  };
  db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, a INT, b INT, email VARCHAR(64)) " +
             test_rig::owner_comment());
  db.execute("CREATE INDEX idx_ab ON " + t + " (a, b)");
  db.execute("CREATE UNIQUE INDEX uq_email ON " + t + " (email)");
  expect_eq(index_columns("idx_ab"), 2, "columns of the composite index");
  expect_eq(index_columns("uq_email"), 1, "columns of the unique index");
  expect_contains(show_create(db, t), "UNIQUE KEY `uq_email` (`email`)", "SHOW CREATE TABLE");
  db.execute("INSERT INTO " + t + " VALUES (1, 1, 1, 'x@example.com')");
  expect_eq(db.try_execute("INSERT INTO " + t + " VALUES (2, 1, 1, 'x@example.com')").code, 1062u,
            "error of a duplicate in the unique index");
  db.execute("ALTER TABLE " + t + " RENAME INDEX idx_ab TO idx_a_b");
  expect_eq(index_columns("idx_ab"), 0, "columns under the index's old name");
  expect_eq(index_columns("idx_a_b"), 2, "columns under the index's new name");
  db.execute("DROP INDEX idx_a_b ON " + t);
  expect_eq(index_columns("idx_a_b"), 0, "columns of the dropped index");
}

void views(Context& ctx) {
  TableGuard table(ctx, rig_plugins::unique_name("ddl_view_base"));
  const std::string first_name = rig_plugins::unique_name("ddl_view_first");
  const std::string view = rig_plugins::unique_name("ddl_view");
  Connection db = ctx.connection();
  // Both names must be free before the guard may drop them: a view under
  // either that exists already is not this run's.
  rig_plugins::require_absent(db, first_name);
  rig_plugins::require_absent(db, view);
  struct ViewGuard {
    Connection db;
    std::string first, second;
    ~ViewGuard() { db.execute_best_effort("DROP VIEW IF EXISTS " + first + ", " + second); }
  } guard{db, first_name, view};
  db.execute("CREATE TABLE " + table.name() + " (id INT PRIMARY KEY, v INT) " +
             test_rig::owner_comment());
  db.execute("INSERT INTO " + table.name() + " VALUES (1, 10), (2, 20), (3, 30)");
  db.execute("CREATE VIEW " + first_name + " AS SELECT id, v FROM " + table.name() +
             " WHERE id > 1");
  db.execute("RENAME TABLE " + first_name + " TO " + view);
  expect_eq(tables_named(db, first_name), 0, "the view under its old name after RENAME");
  expect_eq(scalar_int(db, "SELECT COUNT(*) FROM " + view), 2, "rows through the view");
  expect_eq(scalar_int(db,
                       "SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = "
                       "DATABASE() AND TABLE_NAME = " +
                           quote(view)),
            1, "information_schema.VIEWS rows");
  db.execute("CREATE OR REPLACE VIEW " + view + " AS SELECT id, v FROM " + table.name() +
             " WHERE v >= 30");
  expect_eq(scalar_int(db, "SELECT COUNT(*) FROM " + view), 1, "rows through the replaced view");
  db.execute("DROP VIEW " + view);
  expect_eq(tables_named(db, view), 0, "the view after DROP VIEW");
}

void databases(Context& ctx) {
  Connection db = ctx.connection();
  const std::string name = rig_plugins::unique_name("rig_ddl");
  // Armed only once CREATE DATABASE succeeded: a database of that name that
  // already existed (1007) is not this run's to drop.
  struct DatabaseGuard {
    Connection db;
    std::string name;
    bool created = false;
    ~DatabaseGuard() {
      if (created) db.execute_best_effort("DROP DATABASE IF EXISTS " + name);
    }
  } guard{db, name};
  auto schemata = [&] {
    return scalar_int(
        db, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + quote(name));
  };
  if (schemata() != 0) {
    throw std::runtime_error("database " + name +
                             " already exists; it is not this run's, so the test leaves it alone "
                             "(drop it yourself if it is a leftover)");
  }
  // MariaDB (10.5 on) keeps a comment per database: the owner mark, so that
  // the next run drops it should this one be killed. Other servers have none.
  const test_rig::ServerInfo server = db.server();
  const bool commented =
      server.is_mariadb() && (server.major > 10 || (server.major == 10 && server.minor >= 5));
  db.execute("CREATE DATABASE " + name +
             (commented ? " COMMENT '" + test_rig::owner_mark().text() + "'" : ""));
  guard.created = true;
  expect_eq(schemata(), 1, "SCHEMATA rows after CREATE DATABASE");
  db.execute("CREATE TABLE " + name + ".t (id INT PRIMARY KEY)");
  expect_eq(scalar_int(db, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                               quote(name)),
            1, "tables in the new database");
  db.execute("DROP DATABASE " + name);
  expect_eq(schemata(), 0, "SCHEMATA rows after DROP DATABASE");
}

void truncate(Context& ctx) {
  TableGuard table(ctx, rig_plugins::unique_name("ddl_trunc"));
  const std::string& t = table.name();
  Connection db = ctx.connection();
  db.execute("CREATE TABLE " + t + " (id INT AUTO_INCREMENT PRIMARY KEY, v INT) " +
             test_rig::owner_comment());
  for (int i = 0; i < 10; ++i) db.execute("INSERT INTO " + t + " (v) VALUES (1)");
  expect_eq(scalar_int(db, "SELECT COUNT(*) FROM " + t), 10, "rows before TRUNCATE");
  db.execute("TRUNCATE TABLE " + t);
  expect_eq(scalar_int(db, "SELECT COUNT(*) FROM " + t), 0, "rows after TRUNCATE");
  // The series starts again at its first value: auto_increment_offset
  // (ignored when larger than the increment). It is 1 on one server; a
  // Galera node's is its place in the cluster's view, which changes when
  // nodes restart.
  const int64_t increment = scalar_int(db, "SELECT @@auto_increment_increment");
  const int64_t offset = scalar_int(db, "SELECT @@auto_increment_offset");
  const uint64_t first = static_cast<uint64_t>(offset <= increment ? offset : 1);
  db.execute("INSERT INTO " + t + " (v) VALUES (1)");
  expect_eq(db.last_insert_id(), first, "AUTO_INCREMENT restarts after TRUNCATE at its offset");
}

void temporary_tables(Context& ctx) {
  Connection a = ctx.connection("a"), b = ctx.connection("b");
  const std::string t = rig_plugins::unique_name("ddl_tmp");
  // A base table of that name would be shadowed, and its rows taken for
  // the temporary table's.
  rig_plugins::require_absent(a, t);
  a.execute("CREATE TEMPORARY TABLE " + t + " (id INT PRIMARY KEY)");
  a.execute("INSERT INTO " + t + " VALUES (1)");
  expect_eq(scalar_int(a, "SELECT COUNT(*) FROM " + t), 1, "rows the owner sees");
  expect_eq(b.try_execute("SELECT COUNT(*) FROM " + t).code, 1146u,
            "error when another session reads the temporary table");
  expect_eq(tables_named(b, t), 0, "information_schema.TABLES rows seen by another session");
  a.execute("DROP TEMPORARY TABLE " + t);
}

test_rig::PluginDefinition define() {
  using test_rig::Option;
  test_rig::PluginDefinition plugin("ddl", "1.0.0", "schema changes, also under load");
  plugin.option(Option::integer("writers", 4, "writer sessions in ddl/online").bounds(1, 256))
      .option(
          Option::integer("seed-rows", 2000, "rows before ddl/online starts").bounds(1, 10000000))
      .option(Option::integer("load-ms", 1500, "how long the writers run in ddl/online")
                  .bounds(100, 3600000))
      .option(Option::boolean("sabotage", false,
                              "ddl/online deletes a row before verifying (must then fail)"));
  const rig_plugins::TestEntry tests[] = {
      {"tables", "create, alter, rename, drop a table", tables},
      {"columns", "add, modify, rename, drop a column", columns},
      {"indexes", "create, rename and drop plain and unique indexes", indexes},
      {"views", "create, rename, replace, drop a view", views},
      {"databases", "create and drop a database", databases},
      {"truncate", "TRUNCATE empties and resets AUTO_INCREMENT", truncate},
      {"temporary-tables", "temporary tables are private to a session", temporary_tables},
      {"online", "ADD INDEX, ADD COLUMN, MODIFY COLUMN under writers", ddl::online_ddl}};
  rig_plugins::add_tests(plugin, tests);
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
