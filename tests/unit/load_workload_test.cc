// The load plugin's events: sysbench's statements, shaped by sysbench's
// options, and events made into a reused buffer equal to events made fresh.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "random_ids.h"
#include "workload.h"

namespace rig_load {
namespace {

std::vector<std::string> texts(const std::vector<Statement>& event) {
  std::vector<std::string> out;
  for (const Statement& statement : event) out.push_back(statement.text());
  return out;
}

// One event of `workload` on table sbtest1 of `rows` rows, ids seeded by
// `seed`. (The templates outlive the call: statements point into them.)
std::vector<Statement> one_event(Workload workload, int64_t rows, uint64_t seed,
                                 const EventShape& shape = {}) {
  static const SqlTemplates templates("sbtest", 1);
  RandomIds ids(Distribution::kUniform, rows, seed);
  std::vector<Statement> event;
  make_event(workload, shape, templates, ids, &event);
  return event;
}

std::vector<StatementKind> kinds(const std::vector<Statement>& event) {
  std::vector<StatementKind> out;
  for (const Statement& statement : event) out.push_back(statement.kind);
  return out;
}

TEST(Workload, ATablePrefixIsAnIdentifierNeverSql) {
  for (const std::string& good :
       std::vector<std::string>{"sbtest", "_t", "Load_2", std::string(58, 'p')}) {
    EXPECT_EQ(table_prefix_problem(good), "") << good;
  }
  for (const std::string& bad :
       std::vector<std::string>{"", "otherdb.sbtest", "accounts, sbtest", "sb test", "1sbtest",
                                "sb`test", "sbtest;drop", std::string(59, 'p')}) {
    EXPECT_NE(table_prefix_problem(bad), "") << bad;
  }
  EXPECT_EQ(table_prefix_problem("a.b"),
            "--load.table-prefix 'a.b' is not a table name prefix: use a letter or '_', then "
            "letters, digits and '_', at most 58 characters (default sbtest)");
}

TEST(Workload, PointSelectIsOneSelectOfARowId) {
  const std::vector<Statement> event = one_event(Workload::kPointSelect, 100, 3);
  ASSERT_EQ(event.size(), 1u);
  EXPECT_EQ(event[0].kind, StatementKind::kPointSelect);
  EXPECT_EQ(*event[0].sql, "SELECT c FROM `sbtest1` WHERE id=?");
  const std::string text = event[0].text();
  ASSERT_EQ(text.rfind("SELECT c FROM `sbtest1` WHERE id=", 0), 0u) << text;
  const int id = std::stoi(text.substr(text.find('=') + 1));
  EXPECT_GE(id, 1);
  EXPECT_LE(id, 100);
}

TEST(Workload, ReadWriteIsSysbenchsTransaction) {
  const std::vector<Statement> event = one_event(Workload::kReadWrite, 1000, 5);
  // BEGIN, 10 point selects, 4 ranges, 4 writes, COMMIT.
  ASSERT_EQ(event.size(), 20u);
  EXPECT_EQ(event.front().kind, StatementKind::kBegin);
  EXPECT_EQ(event.back().kind, StatementKind::kCommit);
  EXPECT_EQ(event[15].kind, StatementKind::kIndexUpdate);
  EXPECT_EQ(event[17].kind, StatementKind::kDelete);
  EXPECT_EQ(event[18].kind, StatementKind::kInsert);
  // The delete and the insert are of the same row.
  EXPECT_EQ(std::get<int64_t>(event[17].params[0]), std::get<int64_t>(event[18].params[0]));
}

TEST(Workload, SysbenchsOptionsShapeTheEvent) {
  EventShape shape;
  shape.point_selects = 2;
  shape.simple_ranges = 0;
  shape.sum_ranges = 2;
  shape.order_ranges = 0;
  shape.distinct_ranges = 1;
  shape.range_size = 7;
  shape.index_updates = 0;
  shape.non_index_updates = 2;
  shape.delete_inserts = 2;
  using K = StatementKind;
  const std::vector<Statement> event = one_event(Workload::kReadWrite, 1000, 5, shape);
  EXPECT_EQ(kinds(event),
            (std::vector<K>{K::kBegin, K::kPointSelect, K::kPointSelect, K::kSumRange, K::kSumRange,
                            K::kDistinctRange, K::kNonIndexUpdate, K::kNonIndexUpdate, K::kDelete,
                            K::kInsert, K::kDelete, K::kInsert, K::kCommit}));
  // A range spans range_size rows.
  EXPECT_EQ(std::get<int64_t>(event[3].params[1]) - std::get<int64_t>(event[3].params[0]), 6);
  // Each delete is followed by the insert of the same row.
  EXPECT_EQ(std::get<int64_t>(event[8].params[0]), std::get<int64_t>(event[9].params[0]));
  EXPECT_EQ(std::get<int64_t>(event[10].params[0]), std::get<int64_t>(event[11].params[0]));
  EXPECT_TRUE(transactional(Workload::kReadWrite, shape));

  // No range selects at all, and no transaction: every statement autocommits.
  shape.range_selects = false;
  shape.skip_trx = true;
  EXPECT_EQ(kinds(one_event(Workload::kReadOnly, 1000, 5, shape)),
            (std::vector<K>{K::kPointSelect, K::kPointSelect}));
  EXPECT_FALSE(transactional(Workload::kReadWrite, shape));
  // point_select runs one select whatever --load.point-selects says, as
  // sysbench's oltp_point_select.
  EXPECT_EQ(kinds(one_event(Workload::kPointSelect, 1000, 5, shape)),
            (std::vector<K>{K::kPointSelect}));
}

TEST(Workload, UpdatesAndDeletesAreSysbenchsAutocommitWorkloads) {
  using K = StatementKind;
  EXPECT_EQ(kinds(one_event(Workload::kUpdateNonIndex, 1000, 5)),
            (std::vector<K>{K::kNonIndexUpdate}));
  const std::vector<Statement> deleted = one_event(Workload::kDelete, 1000, 5);
  ASSERT_EQ(kinds(deleted), (std::vector<K>{K::kDelete}));
  EXPECT_EQ(*deleted[0].sql, "DELETE FROM `sbtest1` WHERE id=?");
  // As in sysbench, --load.index-updates and --load.non-index-updates set
  // how many statements update_index and update_non_index run.
  EventShape shape;
  shape.index_updates = 3;
  shape.non_index_updates = 2;
  EXPECT_EQ(kinds(one_event(Workload::kUpdateIndex, 1000, 5, shape)),
            (std::vector<K>{K::kIndexUpdate, K::kIndexUpdate, K::kIndexUpdate}));
  EXPECT_EQ(kinds(one_event(Workload::kUpdateNonIndex, 1000, 5, shape)),
            (std::vector<K>{K::kNonIndexUpdate, K::kNonIndexUpdate}));
  for (Workload w : {Workload::kUpdateIndex, Workload::kUpdateNonIndex, Workload::kDelete}) {
    EXPECT_FALSE(transactional(w, EventShape{})) << workload_name(w);
    EXPECT_EQ(parse_workload(workload_name(w)), w);
  }
}

TEST(Workload, EachGroupOfStatementsPicksItsTable) {
  static const SqlTemplates templates("sbtest", 8);
  RandomIds ids(Distribution::kUniform, 1000, 3);
  std::vector<Statement> event;
  // Over 50 read_write events the groups of one event land on more than
  // one table at least once (one table for all: 8^-6 per event).
  bool spread = false;
  for (int i = 0; i < 50 && !spread; ++i) {
    make_event(Workload::kReadWrite, EventShape{}, templates, ids, &event);
    for (const Statement& statement : event) {
      if (statement.kind != StatementKind::kBegin && statement.kind != StatementKind::kCommit &&
          statement.table != event[1].table) {
        spread = true;
      }
    }
    // Within a group, one table: the ten point selects share theirs.
    for (int p = 2; p <= 10; ++p) EXPECT_EQ(event[p].table, event[1].table);
  }
  EXPECT_TRUE(spread);
}

TEST(Workload, AReusedEventEqualsAFreshOneWhateverItHeldBefore) {
  SqlTemplates templates("sbtest", 4);
  const Workload sequence[] = {
      Workload::kReadWrite,   Workload::kPointSelect,    Workload::kInsert,
      Workload::kWriteOnly,   Workload::kReadWrite,      Workload::kDelete,
      Workload::kUpdateIndex, Workload::kUpdateNonIndex, Workload::kReadOnly};
  RandomIds reused_ids(Distribution::kUniform, 1000, 11);
  RandomIds fresh_ids(Distribution::kUniform, 1000, 11);
  std::vector<Statement> reused;
  for (Workload workload : sequence) {
    make_event(workload, EventShape{}, templates, reused_ids, &reused);
    std::vector<Statement> fresh;
    make_event(workload, EventShape{}, templates, fresh_ids, &fresh);
    EXPECT_EQ(texts(reused), texts(fresh)) << workload_name(workload);
  }
}

}  // namespace
}  // namespace rig_load
