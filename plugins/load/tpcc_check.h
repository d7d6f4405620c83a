// plugins/load/tpcc_check.h -- TPC-C's consistency conditions (specification
// clause 3.3.2, conditions 1 to 12), checked for one warehouse at a time,
// each violation named with its condition, where it is, and the values
// that should have been equal.
//
//   for (const Violation& v : check_warehouse(db, 1, /*initial_population=*/false)) fail(v.text());
//
// Condition 11 (count(ORDER) - count(NEW-ORDER) = 2100 per district) holds
// only until a Delivery commits, so it is checked for an initial
// population only.
//
// Thread tags: [run-thread] per connection; warehouses may be checked on
// several sessions at once.
#ifndef TEST_RIG_PLUGINS_LOAD_TPCC_CHECK_H_
#define TEST_RIG_PLUGINS_LOAD_TPCC_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "test_rig/sdk.h"

namespace rig_load::tpcc {

inline constexpr int kConditions = 12;

// The rule of condition `number` (1..12) as the specification states it.
const char* condition_rule(int number);

struct Violation {
  int condition = 0;
  std::string where;  // "warehouse 1 district 3", "warehouse 1 district 3 customer 17"
  std::string expected, actual;
  // "condition 2 (D_NEXT_O_ID - 1 = max(O_ID) = max(NO_O_ID)) fails for
  // warehouse 1 district 3: expected 3001, found 3002"
  std::string text() const;
};

// Every condition of warehouse `w`: up to `per_condition` violations of
// each (the first found), none when all hold. Throws test_rig::DbError
// when a query fails.
std::vector<Violation> check_warehouse(test_rig::Connection& db, int w, bool initial_population,
                                       int per_condition = 3);

}  // namespace rig_load::tpcc

#endif  // TEST_RIG_PLUGINS_LOAD_TPCC_CHECK_H_
