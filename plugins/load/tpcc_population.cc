#include "tpcc_population.h"

#include <numeric>
#include <utility>

namespace rig_load::tpcc {

std::string Population::address() {
  const std::string state = random_.a_string(2, 2);
  return quoted(random_.a_string(10, 20)) + "," + quoted(random_.a_string(10, 20)) + "," +
         quoted(random_.a_string(10, 20)) + "," + quoted(state) + "," + quoted(random_.zip());
}

std::string Population::item(int i_id) {
  return std::to_string(i_id) + "," + std::to_string(random_.uniform(1, 10000)) + "," +
         quoted(random_.a_string(14, 24)) + "," + random_.fixed(100, 10000, 2) + "," +
         quoted(random_.data_maybe_original(26, 50));
}

std::string Population::warehouse(int w_id) {
  return std::to_string(w_id) + "," + quoted(random_.a_string(6, 10)) + "," + address() + "," +
         random_.fixed(0, 2000, 4) + ",300000.00";
}

std::string Population::district(int w_id, int d_id) {
  return std::to_string(d_id) + "," + std::to_string(w_id) + "," + quoted(random_.a_string(6, 10)) +
         "," + address() + "," + random_.fixed(0, 2000, 4) + ",30000.00," +
         std::to_string(kOrdersPerDistrict + 1);
}

std::string Population::customer(int w_id, int d_id, int c_id) {
  // The first 1000 customers' last names run through every number once;
  // the others' are NURand's (4.3.3.1).
  const std::string last = c_id <= 1000 ? last_name(c_id - 1) : random_.customer_last_name();
  const bool bad_credit = random_.uniform(1, 10) == 1;
  return std::to_string(c_id) + "," + std::to_string(d_id) + "," + std::to_string(w_id) + "," +
         quoted(random_.a_string(8, 16)) + ",'OE'," + quoted(last) + "," + address() + "," +
         quoted(random_.n_string(16, 16)) + "," + quoted(now_) + "," +
         (bad_credit ? "'BC'" : "'GC'") + ",50000.00," + random_.fixed(0, 5000, 4) +
         ",-10.00,10.00,1,0," + quoted(random_.a_string(300, 500));
}

std::string Population::history(int w_id, int d_id, int c_id) {
  const std::string w = std::to_string(w_id), d = std::to_string(d_id);
  return std::to_string(c_id) + "," + d + "," + w + "," + d + "," + w + "," + quoted(now_) +
         ",10.00," + quoted(random_.a_string(12, 24));
}

std::string Population::stock(int w_id, int i_id) {
  std::string row = std::to_string(i_id) + "," + std::to_string(w_id) + "," +
                    std::to_string(random_.uniform(10, 100));
  for (int d = 1; d <= kDistrictsPerWarehouse; ++d) row += "," + quoted(random_.a_string(24, 24));
  return row + ",0,0,0," + quoted(random_.data_maybe_original(26, 50));
}

std::vector<InitialOrder> Population::orders() {
  std::vector<int> customers(kOrdersPerDistrict);
  std::iota(customers.begin(), customers.end(), 1);
  for (std::size_t i = customers.size() - 1; i > 0; --i) {
    std::swap(customers[i], customers[random_.engine().below(i + 1)]);
  }
  std::vector<InitialOrder> orders;
  for (int o = 1; o <= kOrdersPerDistrict; ++o) {
    orders.push_back(
        {o, customers[static_cast<std::size_t>(o - 1)], static_cast<int>(random_.uniform(5, 15))});
  }
  return orders;
}

std::string Population::order(int w_id, int d_id, const InitialOrder& order) {
  return std::to_string(order.id) + "," + std::to_string(d_id) + "," + std::to_string(w_id) + "," +
         std::to_string(order.customer) + "," + quoted(now_) + "," +
         (order.delivered() ? std::to_string(random_.uniform(1, 10)) : "NULL") + "," +
         std::to_string(order.lines) + ",1";
}

std::string Population::order_line(int w_id, int d_id, const InitialOrder& order, int number) {
  const std::string w = std::to_string(w_id);
  return std::to_string(order.id) + "," + std::to_string(d_id) + "," + w + "," +
         std::to_string(number) + "," + std::to_string(random_.uniform(1, kItems)) + "," + w + "," +
         (order.delivered() ? quoted(now_) : "NULL") + ",5," +
         (order.delivered() ? "0.00" : random_.fixed(1, 999999, 2)) + "," +
         quoted(random_.a_string(24, 24));
}

std::string Population::new_order(int w_id, int d_id, int o_id) {
  return std::to_string(o_id) + "," + std::to_string(d_id) + "," + std::to_string(w_id);
}

}  // namespace rig_load::tpcc
