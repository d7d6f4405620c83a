#include "tpcc_transactions.h"

#include <algorithm>
#include <tuple>
#include <vector>

namespace rig_load::tpcc {
namespace {

std::string n(int64_t value) { return std::to_string(value); }

// The first column of the first row, which must be there.
std::string first_value(test_rig::QueryResult& rows, const std::string& what) {
  test_rig::expect(rows.next(), what + ": no row");
  return std::string(rows.get(0).value_or(""));
}

}  // namespace

test_rig::QueryResult TpccTerminal::query(const std::string& sql) {
  ++statements_[0];
  return db_.query(sql);
}

void TpccTerminal::execute(const std::string& sql) {
  const bool write =
      sql.rfind("INSERT", 0) == 0 || sql.rfind("UPDATE", 0) == 0 || sql.rfind("DELETE", 0) == 0;
  ++statements_[write ? 1 : 2];
  db_.execute(sql);
}

TpccOutcome TpccTerminal::run(TpccTransaction type) {
  committing_ = false;
  statements_ = {};
  execute("BEGIN");
  switch (type) {
    case TpccTransaction::kNewOrder: return new_order();
    case TpccTransaction::kPayment: payment(); break;
    case TpccTransaction::kOrderStatus: order_status(); break;
    case TpccTransaction::kDelivery: delivery(); break;
    case TpccTransaction::kStockLevel: stock_level(); break;
  }
  return TpccOutcome::kCommitted;
}

void TpccTerminal::commit() {
  committing_ = true;
  execute("COMMIT");
  committing_ = false;
}

int TpccTerminal::remote_warehouse() {
  if (place_.warehouses == 1) return place_.home_warehouse;
  const int other = static_cast<int>(random_.uniform(1, place_.warehouses - 1));
  return other >= place_.home_warehouse ? other + 1 : other;
}

int TpccTerminal::pick_customer(int w, int d, bool for_update) {
  const std::string place = " WHERE c_w_id = " + n(w) + " AND c_d_id = " + n(d);
  if (random_.uniform(1, 100) > 60) return static_cast<int>(random_.customer_id());
  auto rows =
      query("SELECT c_id FROM customer" + place + " AND c_last = '" + random_.customer_last_name() +
            "' ORDER BY c_first" + (for_update ? " FOR UPDATE" : ""));
  std::vector<int> ids;
  while (rows.next()) ids.push_back(std::stoi(std::string(rows.get(0).value_or("0"))));
  // Every name has customers among the first 1000 of each district.
  test_rig::expect(!ids.empty(), "no customer of that last name in district " + n(d));
  return ids[(ids.size() - 1) / 2];  // position ceil(n / 2), counted from 1
}

TpccOutcome TpccTerminal::new_order() {
  const int w = place_.home_warehouse;
  const int d = static_cast<int>(random_.uniform(1, kDistrictsPerWarehouse));
  const int c = static_cast<int>(random_.customer_id());
  const int lines = static_cast<int>(random_.uniform(5, 15));
  const bool roll_back = random_.uniform(1, 100) == 1;
  struct Line {
    int item, supplier, quantity;
  };
  std::vector<Line> order;
  bool all_local = true;
  for (int k = 1; k <= lines; ++k) {
    const int item = roll_back && k == lines ? kItems + 1 : static_cast<int>(random_.item_id());
    const int supplier = random_.uniform(1, 100) == 1 ? remote_warehouse() : w;
    all_local = all_local && supplier == w;
    order.push_back({item, supplier, static_cast<int>(random_.uniform(1, 10))});
  }
  // Stock rows locked in one order: concurrent New-Orders then wait for
  // each other instead of deadlocking.
  std::vector<Line> by_stock = order;
  std::stable_sort(by_stock.begin(), by_stock.end(), [](const Line& a, const Line& b) {
    return std::tie(a.supplier, a.item) < std::tie(b.supplier, b.item);
  });

  auto district = query("SELECT d_next_o_id FROM district WHERE d_w_id = " + n(w) +
                        " AND d_id = " + n(d) + " FOR UPDATE");
  const int o_id = std::stoi(first_value(district, "district"));
  execute("UPDATE district SET d_next_o_id = d_next_o_id + 1 WHERE d_w_id = " + n(w) +
          " AND d_id = " + n(d));
  execute(
      "INSERT INTO orders (o_id, o_d_id, o_w_id, o_c_id, o_entry_d, o_carrier_id, "
      "o_ol_cnt, o_all_local) VALUES (" +
      n(o_id) + "," + n(d) + "," + n(w) + "," + n(c) + ",NOW(),NULL," + n(lines) + "," +
      (all_local ? "1" : "0") + ")");
  execute("INSERT INTO new_order (no_o_id, no_d_id, no_w_id) VALUES (" + n(o_id) + "," + n(d) +
          "," + n(w) + ")");
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Line& line = order[k];
    auto item = query("SELECT i_price FROM item WHERE i_id = " + n(line.item));
    if (!item.next()) {
      // The unused item id of 2.4.1.4: the whole order rolls back.
      execute("ROLLBACK");
      return TpccOutcome::kRolledBack;
    }
    const std::string price(item.get(0).value_or("0"));
    const std::string stock_key =
        " WHERE s_w_id = " + n(line.supplier) + " AND s_i_id = " + n(line.item);
    auto stock = query("SELECT s_quantity, s_dist_" + std::string(d < 10 ? "0" : "") + n(d) +
                       " FROM stock" + stock_key + " FOR UPDATE");
    test_rig::expect(stock.next(), "no stock row for item " + n(line.item));
    const int quantity = std::stoi(std::string(stock.get(0).value_or("0")));
    const std::string dist_info(stock.get(1).value_or(""));
    const int left =
        quantity >= line.quantity + 10 ? quantity - line.quantity : quantity - line.quantity + 91;
    execute("UPDATE stock SET s_quantity = " + n(left) + ", s_ytd = s_ytd + " + n(line.quantity) +
            ", s_order_cnt = s_order_cnt + 1, s_remote_cnt = " + "s_remote_cnt + " +
            (line.supplier == w ? "0" : "1") + stock_key);
    execute(
        "INSERT INTO order_line (ol_o_id, ol_d_id, ol_w_id, ol_number, ol_i_id, "
        "ol_supply_w_id, ol_delivery_d, ol_quantity, ol_amount, ol_dist_info) VALUES (" +
        n(o_id) + "," + n(d) + "," + n(w) + "," + n(static_cast<int64_t>(k) + 1) + "," +
        n(line.item) + "," + n(line.supplier) + ",NULL," + n(line.quantity) + "," +
        n(line.quantity) + " * " + price + ",'" + dist_info + "')");
  }
  // The customer's discount, the taxes and the total are the terminal's
  // display (2.4.3.3); they change no row.
  auto customer = query("SELECT c_discount, c_last, c_credit FROM customer WHERE c_w_id = " + n(w) +
                        " AND c_d_id = " + n(d) + " AND c_id = " + n(c));
  test_rig::expect(customer.next(), "no customer " + n(c));
  commit();
  return TpccOutcome::kCommitted;
}

void TpccTerminal::payment() {
  const int w = place_.home_warehouse;
  const int d = static_cast<int>(random_.uniform(1, kDistrictsPerWarehouse));
  int c_w = w, c_d = d;
  if (random_.uniform(1, 100) > 85) {
    c_w = remote_warehouse();
    c_d = static_cast<int>(random_.uniform(1, kDistrictsPerWarehouse));
  }
  const int c = pick_customer(c_w, c_d, /*for_update=*/true);
  const std::string amount = random_.fixed(100, 500000, 2);
  execute("UPDATE warehouse SET w_ytd = w_ytd + " + amount + " WHERE w_id = " + n(w));
  execute("UPDATE district SET d_ytd = d_ytd + " + amount + " WHERE d_w_id = " + n(w) +
          " AND d_id = " + n(d));
  auto names = query("SELECT w_name, d_name FROM warehouse, district WHERE w_id = " + n(w) +
                     " AND d_w_id = w_id AND d_id = " + n(d));
  test_rig::expect(names.next(), "no warehouse " + n(w) + " district " + n(d));
  const std::string h_data =
      std::string(names.get(0).value_or("")) + "    " + std::string(names.get(1).value_or(""));
  const std::string key =
      " WHERE c_w_id = " + n(c_w) + " AND c_d_id = " + n(c_d) + " AND c_id = " + n(c);
  auto customer = query("SELECT c_credit FROM customer" + key + " FOR UPDATE");
  const bool bad_credit = first_value(customer, "customer " + n(c)) == "BC";
  // A customer of bad credit keeps the payment's facts at the front of
  // C_DATA, cut to its 500 characters (2.5.2.2).
  const std::string data = bad_credit ? ", c_data = LEFT(CONCAT(" + n(c) + ", ' ', " + n(c_d) +
                                            ", ' ', " + n(c_w) + ", ' ', " + n(d) + ", ' ', " +
                                            n(w) + ", ' ', " + amount + ", ' ', c_data), 500)"
                                      : "";
  execute("UPDATE customer SET c_balance = c_balance - " + amount +
          ", c_ytd_payment = c_ytd_payment + " + amount + ", c_payment_cnt = c_payment_cnt + 1" +
          data + key);
  execute(std::string("INSERT INTO history (h_c_id, h_c_d_id, h_c_w_id, h_d_id, h_w_id, "
                      "h_date, h_amount, h_data) VALUES (") +
          n(c) + "," + n(c_d) + "," + n(c_w) + "," + n(d) + "," + n(w) + ",NOW()," + amount + ",'" +
          h_data + "')");
  commit();
}

void TpccTerminal::order_status() {
  const int w = place_.home_warehouse;
  const int d = static_cast<int>(random_.uniform(1, kDistrictsPerWarehouse));
  const int c = pick_customer(w, d, /*for_update=*/false);
  auto customer = query(
      "SELECT c_balance, c_first, c_middle, c_last FROM customer WHERE "
      "c_w_id = " +
      n(w) + " AND c_d_id = " + n(d) + " AND c_id = " + n(c));
  test_rig::expect(customer.next(), "no customer " + n(c));
  auto last =
      query("SELECT o_id, o_entry_d, o_carrier_id FROM orders WHERE o_w_id = " + n(w) +
            " AND o_d_id = " + n(d) + " AND o_c_id = " + n(c) + " ORDER BY o_id DESC LIMIT 1");
  if (last.next()) {
    const std::string o_id(last.get(0).value_or("0"));
    auto lines = query(
        "SELECT ol_i_id, ol_supply_w_id, ol_quantity, ol_amount, "
        "ol_delivery_d FROM order_line WHERE ol_w_id = " +
        n(w) + " AND ol_d_id = " + n(d) + " AND ol_o_id = " + o_id);
    while (lines.next()) {
    }
  }
  commit();
}

void TpccTerminal::delivery() {
  const int w = place_.home_warehouse;
  const std::string carrier = n(random_.uniform(1, 10));
  for (int d = 1; d <= kDistrictsPerWarehouse; ++d) {
    auto oldest = query("SELECT no_o_id FROM new_order WHERE no_w_id = " + n(w) +
                        " AND no_d_id = " + n(d) + " ORDER BY no_o_id LIMIT 1 FOR UPDATE");
    if (!oldest.next()) continue;  // none to deliver in this district (2.7.4.2)
    const std::string o_id(oldest.get(0).value_or("0"));
    execute("DELETE FROM new_order WHERE no_w_id = " + n(w) + " AND no_d_id = " + n(d) +
            " AND no_o_id = " + o_id);
    auto owner = query("SELECT o_c_id FROM orders WHERE o_w_id = " + n(w) +
                       " AND o_d_id = " + n(d) + " AND o_id = " + o_id + " FOR UPDATE");
    const std::string c_id = first_value(owner, "order " + o_id);
    execute("UPDATE orders SET o_carrier_id = " + carrier + " WHERE o_w_id = " + n(w) +
            " AND o_d_id = " + n(d) + " AND o_id = " + o_id);
    execute("UPDATE order_line SET ol_delivery_d = NOW() WHERE ol_w_id = " + n(w) +
            " AND ol_d_id = " + n(d) + " AND ol_o_id = " + o_id);
    auto total =
        query("SELECT COALESCE(SUM(ol_amount), 0) FROM order_line WHERE ol_w_id = " + n(w) +
              " AND ol_d_id = " + n(d) + " AND ol_o_id = " + o_id);
    const std::string amount = first_value(total, "order " + o_id + "'s lines");
    execute("UPDATE customer SET c_balance = c_balance + " + amount +
            ", c_delivery_cnt = c_delivery_cnt + 1 WHERE c_w_id = " + n(w) +
            " AND c_d_id = " + n(d) + " AND c_id = " + c_id);
  }
  commit();
}

void TpccTerminal::stock_level() {
  const int w = place_.home_warehouse, d = place_.district;
  const std::string threshold = n(random_.uniform(10, 20));
  auto next =
      query("SELECT d_next_o_id FROM district WHERE d_w_id = " + n(w) + " AND d_id = " + n(d));
  const int next_o_id = std::stoi(first_value(next, "district " + n(d)));
  auto low = query("SELECT COUNT(DISTINCT s_i_id) FROM order_line, stock WHERE ol_w_id = " + n(w) +
                   " AND ol_d_id = " + n(d) + " AND ol_o_id < " + n(next_o_id) +
                   " AND ol_o_id >= " + n(next_o_id - 20) + " AND s_w_id = " + n(w) +
                   " AND s_i_id = ol_i_id AND s_quantity < " + threshold);
  first_value(low, "stock level");
  commit();
}

}  // namespace rig_load::tpcc
