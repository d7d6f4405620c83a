// samples/cpp-plugin -- a plugin with a dynamic state machine of its own:
//
//   initial -> create_table -> insert_rows -> verify -> cleanup -> completed
//
// It writes `--inventory.rows` rows in one transaction, then checks count and
// checksum from a second session (so the commit must be visible to another
// connection), and drops its table. With --inventory.sabotage it deletes a
// row before verifying, which must make the test fail: proof that the
// verification can fail.
#include <cstdint>
#include <string>

#include "test_rig/sdk.h"

namespace {

using namespace test_rig;

namespace states {
using common_states::completed;
using common_states::initial;
DynamicState create_table() { return {"create_table", "Create table"}; }
DynamicState insert_rows() { return {"insert_rows", "Insert rows"}; }
DynamicState verify() { return {"verify", "Verify"}; }
DynamicState cleanup() { return {"cleanup", "Cleanup"}; }
}  // namespace states

// Sum of qty over rows 1..n where qty = id * 7 % 101.
int64_t expected_checksum(int64_t rows) {
  int64_t sum = 0;
  for (int64_t id = 1; id <= rows; ++id) sum += id * 7 % 101;
  return sum;
}

std::string table(Context& ctx) { return ctx.get_custom_data("table").value_or("missing"); }

class Initial : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    // A name of this run's own (test_rig/sdk/unique_name.h), so concurrent
    // runs can share a server and no one else's table is ever touched.
    ctx.set_custom_data("table", test_rig::unique_name("inventory"));
    return states::create_table();
  }
};

class CreateTable : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    ctx.connection().execute("CREATE TABLE " + table(ctx) +
                             " (id INT PRIMARY KEY, item VARCHAR(32) NOT NULL, qty INT NOT NULL) " +
                             test_rig::owner_comment());
    ctx.set_custom_data("created", "yes");  // from now on the table is this run's to drop
    return states::insert_rows();
  }
};

class InsertRows : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    auto db = ctx.connection();
    const int64_t rows = ctx.option_int("rows");
    db.execute("START TRANSACTION");
    constexpr int64_t kBatch = 500;
    for (int64_t first = 1; first <= rows; first += kBatch) {
      std::string sql = "INSERT INTO " + table(ctx) + " VALUES ";
      for (int64_t id = first; id < first + kBatch && id <= rows; ++id) {
        // Appended piece by piece: `"(" + std::to_string(id)` trips a false
        // -Wrestrict in GCC 12 at -O3 (GCC bug 105651).
        if (id != first) sql += ',';
        sql += '(';
        sql += std::to_string(id);
        sql += ",'item-";
        sql += std::to_string(id);
        sql += "',";
        sql += std::to_string(id * 7 % 101);
        sql += ')';
      }
      db.execute(sql);
    }
    db.execute("COMMIT");
    if (ctx.option_bool("sabotage")) db.execute("DELETE FROM " + table(ctx) + " WHERE id = 1");
    ctx.record("rows_inserted", std::to_string(rows));
    return states::verify();
  }
};

class Verify : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    auto reader = ctx.connection("reader");  // another session sees the commit
    const int64_t rows = ctx.option_int("rows");
    auto result = reader.query("SELECT COUNT(*), COALESCE(SUM(qty), 0) FROM " + table(ctx));
    expect(result.next(), "no result row from the count");
    expect_eq(std::string(*result.get(0)), std::to_string(rows), "row count");
    expect_eq(std::string(*result.get(1)), std::to_string(expected_checksum(rows)),
              "checksum of qty");
    return states::cleanup();
  }
};

class Cleanup : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    ctx.connection().execute("DROP TABLE " + table(ctx));
    return states::completed();
  }
};

// Reached when any state fails: drop the table if this run created it (a
// CREATE that failed because the name was taken leaves that table alone).
class DropOnError : public StateHandler {
 public:
  StateId execute(Context&) override { return states::completed(); }
  void enter(Context& ctx) override {
    if (ctx.get_custom_data("created")) ctx.connection().try_execute("DROP TABLE " + table(ctx));
  }
};

PluginDefinition define() {
  TestDefinition roundtrip("roundtrip",
                           "insert rows in a transaction, verify from a second "
                           "session, clean up");
  roundtrip.initial(states::initial(), std::make_unique<Initial>(), "choose a table name")
      .state(states::create_table(), std::make_unique<CreateTable>(), "create the table")
      .state(states::insert_rows(), std::make_unique<InsertRows>(), "insert in one transaction")
      .state(states::verify(), std::make_unique<Verify>(), "count and checksum")
      .state(states::cleanup(), std::make_unique<Cleanup>(), "drop the table")
      .terminal(states::completed())
      .terminal(common_states::error(), std::make_unique<DropOnError>(), "drop on failure")
      .transition(states::initial(), states::create_table())
      .transition(states::create_table(), states::insert_rows())
      .transition(states::insert_rows(), states::verify())
      .transition(states::verify(), states::cleanup())
      .transition(states::cleanup(), states::completed());

  PluginDefinition plugin("inventory", "1.0.0", "sample plugin built out of tree");
  plugin.option(Option::integer("rows", 1000, "rows to insert").bounds(1, 1000000))
      .option(Option::boolean("sabotage", false,
                              "delete a row before verifying (the test must then fail)"))
      .test(std::move(roundtrip));
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
