// plugins/load/tpcc_schema.h -- TPC-C's nine tables (specification clause
// 1.3), named and laid out as go-tpc's (`tiup bench tpcc`), so that either
// tool can check the data the other made.
//
//   for (const std::string& sql : create_statements(/*partitions=*/4, comment)) db.execute(sql);
//
// Thread safety: none needed (functions of their arguments).
#ifndef TEST_RIG_PLUGINS_LOAD_TPCC_SCHEMA_H_
#define TEST_RIG_PLUGINS_LOAD_TPCC_SCHEMA_H_

#include <array>
#include <string>
#include <vector>

namespace rig_load::tpcc {

// Every table, item first (it belongs to no warehouse).
inline constexpr std::array<const char*, 9> kTables = {"item",      "warehouse",  "district",
                                                       "customer",  "history",    "orders",
                                                       "new_order", "order_line", "stock"};

// The CREATE TABLE statements of kTables, in its order, each ending in
// `table_options` (such as an owner mark's COMMENT). With `partitions` > 1
// every table but item is hashed by its warehouse id into that many
// partitions.
std::vector<std::string> create_statements(int partitions, const std::string& table_options);

}  // namespace rig_load::tpcc

#endif  // TEST_RIG_PLUGINS_LOAD_TPCC_SCHEMA_H_
