// plugins/load/tpcc_population.h -- the rows of TPC-C's initial database
// (specification clause 4.3.3.1), as the value lists of multi-row INSERTs:
// per warehouse 1 warehouse, 10 districts, 100 000 stock rows, 30 000
// customers with a history row each, 30 000 orders of 5 to 15 lines, the
// last 900 of each district undelivered (a NEW-ORDER row each); and
// 100 000 items once.
//
//   Population rows(random, "2026-12-07 10:00:00");
//   std::string values = rows.customer(w, d, c);  // "1,1,1,'...',...": one row
//
// Thread safety: none; one Population per thread (it draws from `random`).
#ifndef TEST_RIG_PLUGINS_LOAD_TPCC_POPULATION_H_
#define TEST_RIG_PLUGINS_LOAD_TPCC_POPULATION_H_

#include <string>
#include <vector>

#include "tpcc_random.h"

namespace rig_load::tpcc {

// One order of a district's initial 3000.
struct InitialOrder {
  int id = 0;
  int customer = 0;  // a random permutation of 1..3000 over the district's orders
  int lines = 0;     // 5..15
  bool delivered() const { return id < kFirstUndeliveredOrder; }
};

class Population {
 public:
  // `now`: the load's date and time, 'YYYY-MM-DD hh:mm:ss'.
  Population(TpccRandom& random, std::string now) : random_(random), now_(std::move(now)) {}

  std::string item(int i_id);
  std::string warehouse(int w_id);
  std::string district(int w_id, int d_id);
  std::string customer(int w_id, int d_id, int c_id);
  std::string history(int w_id, int d_id, int c_id);  // without row_id, which is generated
  std::string stock(int w_id, int i_id);
  std::vector<InitialOrder> orders();  // of one district, by id
  std::string order(int w_id, int d_id, const InitialOrder& order);
  std::string order_line(int w_id, int d_id, const InitialOrder& order, int number);
  static std::string new_order(int w_id, int d_id, int o_id);

 private:
  std::string quoted(const std::string& text) const { return "'" + text + "'"; }
  // Street 1, street 2, city, state, zip (4.3.2.x's address).
  std::string address();

  TpccRandom& random_;
  std::string now_;
};

// The columns history()'s values fill, for INSERT INTO history (...).
inline constexpr const char* kHistoryColumns =
    "h_c_id, h_c_d_id, h_c_w_id, h_d_id, h_w_id, h_date, h_amount, h_data";

}  // namespace rig_load::tpcc

#endif  // TEST_RIG_PLUGINS_LOAD_TPCC_POPULATION_H_
