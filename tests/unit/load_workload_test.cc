// The load plugin's events: sysbench's statements, and events made into a
// reused buffer equal to events made fresh.
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
std::vector<Statement> one_event(Workload workload, int64_t rows, uint64_t seed) {
  static const SqlTemplates templates("sbtest", 1);
  RandomIds ids(Distribution::kUniform, rows, seed);
  std::vector<Statement> event;
  make_event(workload, templates, ids, &event);
  return event;
}

TEST(Workload, PointSelectIsOneSelectOfARowId) {
  const std::vector<Statement> event = one_event(Workload::kPointSelect, 100, 3);
  ASSERT_EQ(event.size(), 1u);
  EXPECT_EQ(event[0].kind, StatementKind::kPointSelect);
  EXPECT_EQ(*event[0].sql, "SELECT c FROM sbtest1 WHERE id=?");
  const std::string text = event[0].text();
  ASSERT_EQ(text.rfind("SELECT c FROM sbtest1 WHERE id=", 0), 0u) << text;
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

TEST(Workload, AReusedEventEqualsAFreshOneWhateverItHeldBefore) {
  SqlTemplates templates("sbtest", 4);
  const Workload sequence[] = {Workload::kReadWrite, Workload::kPointSelect, Workload::kInsert,
                               Workload::kWriteOnly, Workload::kReadWrite,   Workload::kUpdateIndex,
                               Workload::kReadOnly};
  RandomIds reused_ids(Distribution::kUniform, 1000, 11);
  RandomIds fresh_ids(Distribution::kUniform, 1000, 11);
  std::vector<Statement> reused;
  for (Workload workload : sequence) {
    make_event(workload, templates, reused_ids, &reused);
    std::vector<Statement> fresh;
    make_event(workload, templates, fresh_ids, &fresh);
    EXPECT_EQ(texts(reused), texts(fresh)) << workload_name(workload);
  }
}

}  // namespace
}  // namespace rig_load
