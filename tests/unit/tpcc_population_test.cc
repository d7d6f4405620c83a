// TPC-C's initial population (clause 4.3.3.1) and schema, row by row,
// without a server: what the rows hold is checked against the clause's
// rules, on the value lists the prepare inserts.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "plugins/load/tpcc_population.h"
#include "plugins/load/tpcc_schema.h"

namespace rig_load::tpcc {
namespace {

// The fields of a value list (no value holds a comma: the strings are
// alphanumeric), quotes removed.
std::vector<std::string> fields(const std::string& values) {
  std::vector<std::string> out;
  std::istringstream in(values);
  for (std::string field; std::getline(in, field, ',');) {
    if (field.size() >= 2 && field.front() == '\'' && field.back() == '\'') {
      field = field.substr(1, field.size() - 2);
    }
    out.push_back(field);
  }
  return out;
}

constexpr const char* kNow = "2026-12-07 10:00:00";

TEST(TpccPopulation, ADistrictsOrdersCoverEveryCustomerOnceAndTheLast900AreUndelivered) {
  TpccRandom random(1, NurandConstants::for_load(1));
  Population rows(random, kNow);
  const std::vector<InitialOrder> orders = rows.orders();
  ASSERT_EQ(orders.size(), 3000u);
  std::set<int> customers;
  int undelivered = 0;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const InitialOrder& order = orders[i];
    EXPECT_EQ(order.id, static_cast<int>(i) + 1);
    customers.insert(order.customer);
    EXPECT_GE(order.lines, 5);
    EXPECT_LE(order.lines, 15);
    const std::vector<std::string> o = fields(rows.order(2, 3, order));
    ASSERT_EQ(o.size(), 8u);
    EXPECT_EQ(o[3], std::to_string(order.customer));
    EXPECT_EQ(o[6], std::to_string(order.lines));
    if (order.delivered()) {
      EXPECT_GE(std::stoi(o[5]), 1);
      EXPECT_LE(std::stoi(o[5]), 10);
    } else {
      ++undelivered;
      EXPECT_EQ(o[5], "NULL");
    }
    const std::vector<std::string> line = fields(rows.order_line(2, 3, order, 1));
    ASSERT_EQ(line.size(), 10u);
    if (order.delivered()) {
      EXPECT_EQ(line[6], kNow);
      EXPECT_EQ(line[8], "0.00");
    } else {
      EXPECT_EQ(line[6], "NULL");
      EXPECT_GE(std::stod(line[8]), 0.01);
      EXPECT_LE(std::stod(line[8]), 9999.99);
    }
    EXPECT_EQ(line[7], "5");
    EXPECT_EQ(line[5], "2");  // supplied by the order's own warehouse
  }
  EXPECT_EQ(customers.size(), 3000u);
  EXPECT_EQ(*customers.begin(), 1);
  EXPECT_EQ(*customers.rbegin(), 3000);
  EXPECT_EQ(undelivered, 900);
  EXPECT_EQ(Population::new_order(2, 3, 2101), "2101,3,2");
}

TEST(TpccPopulation, TheFirstThousandCustomersTakeEveryLastNameOnce) {
  TpccRandom random(2, NurandConstants::for_load(2));
  Population rows(random, kNow);
  std::set<std::string> names;
  int bad_credit = 0;
  for (int c = 1; c <= 3000; ++c) {
    const std::vector<std::string> row = fields(rows.customer(1, 1, c));
    ASSERT_EQ(row.size(), 21u);
    if (c <= 1000) names.insert(row[5]);
    EXPECT_EQ(row[4], "OE");
    bad_credit += row[13] == "BC";
    EXPECT_TRUE(row[13] == "BC" || row[13] == "GC");
    EXPECT_EQ(row[16], "-10.00");  // C_BALANCE
    EXPECT_EQ(row[17], "10.00");   // C_YTD_PAYMENT: the history row's amount
    EXPECT_GE(row[20].size(), 300u);
  }
  EXPECT_EQ(names.size(), 1000u);
  EXPECT_GT(bad_credit, 200);  // 10 % of 3000, give or take
  EXPECT_LT(bad_credit, 400);
  const std::vector<std::string> history = fields(rows.history(1, 2, 3));
  ASSERT_EQ(history.size(), 8u);
  EXPECT_EQ(history[6], "10.00");
}

TEST(TpccPopulation, WarehousesDistrictsStockAndItemsHaveTheirColumnsAndTotals) {
  TpccRandom random(3, NurandConstants::for_load(3));
  Population rows(random, kNow);
  const std::vector<std::string> w = fields(rows.warehouse(4));
  ASSERT_EQ(w.size(), 9u);
  EXPECT_EQ(w[0], "4");
  EXPECT_EQ(w[6].substr(4), "11111");
  EXPECT_LE(std::stod(w[7]), 0.2);
  EXPECT_EQ(w[8], "300000.00");  // = 10 districts' 30000.00 (condition 1)
  const std::vector<std::string> d = fields(rows.district(4, 7));
  ASSERT_EQ(d.size(), 11u);
  EXPECT_EQ(d[9], "30000.00");  // = the district's 3000 customers' 10.00 (condition 9)
  EXPECT_EQ(d[10], "3001");     // next order id (condition 2)
  const std::vector<std::string> s = fields(rows.stock(4, 99));
  ASSERT_EQ(s.size(), 17u);
  EXPECT_GE(std::stoi(s[2]), 10);
  EXPECT_LE(std::stoi(s[2]), 100);
  const std::vector<std::string> i = fields(rows.item(5));
  ASSERT_EQ(i.size(), 5u);
  EXPECT_GE(std::stod(i[3]), 1.0);
}

TEST(TpccSchema, EveryTableButItemIsPartitionedByItsWarehouse) {
  const std::vector<std::string> plain = create_statements(1, "COMMENT='mark'");
  ASSERT_EQ(plain.size(), kTables.size());
  for (const std::string& sql : plain) {
    EXPECT_EQ(sql.find("PARTITION"), std::string::npos) << sql;
    EXPECT_NE(sql.find("COMMENT='mark'"), std::string::npos) << sql;
  }
  const std::vector<std::string> split = create_statements(4, "");
  for (std::size_t t = 0; t < kTables.size(); ++t) {
    EXPECT_NE(split[t].find(std::string("CREATE TABLE `") + kTables[t] + "`"), std::string::npos);
    const bool partitioned = split[t].find("PARTITIONS 4") != std::string::npos;
    EXPECT_EQ(partitioned, std::string(kTables[t]) != "item") << split[t];
  }
}

}  // namespace
}  // namespace rig_load::tpcc
