#include "tpcc_transactions.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "statement_runner.h"

namespace rig_load::tpcc {
namespace {

// The first column of the first row, which must be there.
std::string first_value(test_rig::QueryResult& rows, const std::string& what) {
  test_rig::expect(rows.next(), what + ": no row");
  return std::string(rows.get(0).value_or(""));
}

std::string n(int64_t value) { return std::to_string(value); }

// The values of a prepared statement's placeholders; text borrowed from `values`.
std::vector<rig_value> bound(const std::vector<Param>& values) {
  std::vector<rig_value> bound;
  for (const Param& value : values) bound.push_back(param_value(value));
  return bound;
}

}  // namespace

test_rig::PreparedStatement& TpccTerminal::prepared(const std::string& sql) {
  auto it = statements_by_sql_.find(sql);
  if (it == statements_by_sql_.end()) it = statements_by_sql_.emplace(sql, db_.prepare(sql)).first;
  return it->second;
}

test_rig::QueryResult TpccTerminal::query(const std::string& sql,
                                          const std::vector<Param>& values) {
  ++statements_[0];
  if (!prepared_ || values.empty()) return db_.query(with_params(sql, values));
  const std::vector<rig_value> params = bound(values);
  return prepared(sql).query(params.data(), static_cast<uint32_t>(params.size()));
}

void TpccTerminal::execute(const std::string& sql, const std::vector<Param>& values) {
  const bool write =
      sql.rfind("INSERT", 0) == 0 || sql.rfind("UPDATE", 0) == 0 || sql.rfind("DELETE", 0) == 0;
  ++statements_[write ? 1 : 2];
  if (!prepared_ || values.empty()) {
    db_.execute(with_params(sql, values));
    return;
  }
  const std::vector<rig_value> params = bound(values);
  prepared(sql).execute(params.data(), static_cast<uint32_t>(params.size()));
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
  if (random_.uniform(1, 100) > 60) return static_cast<int>(random_.customer_id());
  auto rows = query(std::string("SELECT c_id FROM customer WHERE c_w_id = ? AND c_d_id = ? AND "
                                "c_last = ? ORDER BY c_first") +
                        (for_update ? " FOR UPDATE" : ""),
                    {w, d, random_.customer_last_name()});
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

  auto district =
      query("SELECT d_next_o_id FROM district WHERE d_w_id = ? AND d_id = ? FOR UPDATE", {w, d});
  const int o_id = std::stoi(first_value(district, "district"));
  execute("UPDATE district SET d_next_o_id = d_next_o_id + 1 WHERE d_w_id = ? AND d_id = ?",
          {w, d});
  execute(
      "INSERT INTO orders (o_id, o_d_id, o_w_id, o_c_id, o_entry_d, o_carrier_id, o_ol_cnt, "
      "o_all_local) VALUES (?, ?, ?, ?, NOW(), NULL, ?, ?)",
      {o_id, d, w, c, lines, all_local ? 1 : 0});
  execute("INSERT INTO new_order (no_o_id, no_d_id, no_w_id) VALUES (?, ?, ?)", {o_id, d, w});
  // Stock rows are locked in one order: concurrent New-Orders then wait
  // for each other instead of deadlocking. The lines keep their numbers.
  std::vector<std::size_t> by_stock(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) by_stock[k] = k;
  std::stable_sort(by_stock.begin(), by_stock.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(order[a].supplier, order[a].item) < std::tie(order[b].supplier, order[b].item);
  });
  const std::string dist_column = std::string("s_dist_") + (d < 10 ? "0" : "") + n(d);
  for (std::size_t k : by_stock) {
    const Line& line = order[k];
    auto item = query("SELECT i_price FROM item WHERE i_id = ?", {line.item});
    if (!item.next()) {
      // The unused item id of 2.4.1.4: the whole order rolls back.
      execute("ROLLBACK");
      return TpccOutcome::kRolledBack;
    }
    const std::string price(item.get(0).value_or("0"));
    auto stock = query("SELECT s_quantity, " + dist_column +
                           " FROM stock WHERE s_w_id = ? AND s_i_id = ? FOR UPDATE",
                       {line.supplier, line.item});
    test_rig::expect(stock.next(), "no stock row for item " + n(line.item));
    const int quantity = std::stoi(std::string(stock.get(0).value_or("0")));
    const std::string dist_info(stock.get(1).value_or(""));
    const int left =
        quantity >= line.quantity + 10 ? quantity - line.quantity : quantity - line.quantity + 91;
    execute(
        "UPDATE stock SET s_quantity = ?, s_ytd = s_ytd + ?, s_order_cnt = s_order_cnt + 1, "
        "s_remote_cnt = s_remote_cnt + ? WHERE s_w_id = ? AND s_i_id = ?",
        {left, line.quantity, line.supplier == w ? 0 : 1, line.supplier, line.item});
    execute(
        "INSERT INTO order_line (ol_o_id, ol_d_id, ol_w_id, ol_number, ol_i_id, "
        "ol_supply_w_id, ol_delivery_d, ol_quantity, ol_amount, ol_dist_info) VALUES "
        "(?, ?, ?, ?, ?, ?, NULL, ?, ? * CAST(? AS DECIMAL(5,2)), ?)",
        {o_id, d, w, static_cast<int64_t>(k) + 1, line.item, line.supplier, line.quantity,
         line.quantity, price, dist_info});
  }
  // The customer's discount, the taxes and the total are the terminal's
  // display (2.4.3.3); they change no row.
  auto customer = query(
      "SELECT c_discount, c_last, c_credit FROM customer WHERE c_w_id = ? AND c_d_id = ? AND "
      "c_id = ?",
      {w, d, c});
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
  execute("UPDATE warehouse SET w_ytd = w_ytd + CAST(? AS DECIMAL(6,2)) WHERE w_id = ?",
          {amount, w});
  execute(
      "UPDATE district SET d_ytd = d_ytd + CAST(? AS DECIMAL(6,2)) WHERE d_w_id = ? AND "
      "d_id = ?",
      {amount, w, d});
  auto names = query(
      "SELECT w_name, d_name FROM warehouse, district WHERE w_id = ? AND d_w_id = w_id AND "
      "d_id = ?",
      {w, d});
  test_rig::expect(names.next(), "no warehouse " + n(w) + " district " + n(d));
  const std::string h_data =
      std::string(names.get(0).value_or("")) + "    " + std::string(names.get(1).value_or(""));
  auto customer =
      query("SELECT c_credit FROM customer WHERE c_w_id = ? AND c_d_id = ? AND c_id = ? FOR UPDATE",
            {c_w, c_d, c});
  if (first_value(customer, "customer " + n(c)) == "BC") {
    // A customer of bad credit keeps the payment's facts at the front of
    // C_DATA, cut to its 500 characters (2.5.2.2).
    execute(
        "UPDATE customer SET c_balance = c_balance - CAST(? AS DECIMAL(6,2)), "
        "c_ytd_payment = c_ytd_payment + CAST(? AS DECIMAL(6,2)), "
        "c_payment_cnt = c_payment_cnt + 1, c_data = LEFT(CONCAT(?, c_data), 500) "
        "WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?",
        {amount, amount,
         n(c) + " " + n(c_d) + " " + n(c_w) + " " + n(d) + " " + n(w) + " " + amount + " ", c_w,
         c_d, c});
  } else {
    execute(
        "UPDATE customer SET c_balance = c_balance - CAST(? AS DECIMAL(6,2)), "
        "c_ytd_payment = c_ytd_payment + CAST(? AS DECIMAL(6,2)), "
        "c_payment_cnt = c_payment_cnt + 1 WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?",
        {amount, amount, c_w, c_d, c});
  }
  execute(
      "INSERT INTO history (h_c_id, h_c_d_id, h_c_w_id, h_d_id, h_w_id, h_date, h_amount, "
      "h_data) VALUES (?, ?, ?, ?, ?, NOW(), CAST(? AS DECIMAL(6,2)), ?)",
      {c, c_d, c_w, d, w, amount, h_data});
  commit();
}

void TpccTerminal::order_status() {
  const int w = place_.home_warehouse;
  const int d = static_cast<int>(random_.uniform(1, kDistrictsPerWarehouse));
  const int c = pick_customer(w, d, /*for_update=*/false);
  auto customer = query(
      "SELECT c_balance, c_first, c_middle, c_last FROM customer WHERE c_w_id = ? AND "
      "c_d_id = ? AND c_id = ?",
      {w, d, c});
  test_rig::expect(customer.next(), "no customer " + n(c));
  auto last = query(
      "SELECT o_id, o_entry_d, o_carrier_id FROM orders WHERE o_w_id = ? AND o_d_id = ? AND "
      "o_c_id = ? ORDER BY o_id DESC LIMIT 1",
      {w, d, c});
  if (last.next()) {
    const int64_t o_id = std::stoll(std::string(last.get(0).value_or("0")));
    auto lines = query(
        "SELECT ol_i_id, ol_supply_w_id, ol_quantity, ol_amount, ol_delivery_d FROM order_line "
        "WHERE ol_w_id = ? AND ol_d_id = ? AND ol_o_id = ?",
        {w, d, o_id});
    while (lines.next()) {
    }
  }
  commit();
}

void TpccTerminal::delivery() {
  const int w = place_.home_warehouse;
  const int64_t carrier = random_.uniform(1, 10);
  for (int d = 1; d <= kDistrictsPerWarehouse; ++d) {
    auto oldest = query(
        "SELECT no_o_id FROM new_order WHERE no_w_id = ? AND no_d_id = ? ORDER BY no_o_id "
        "LIMIT 1 FOR UPDATE",
        {w, d});
    if (!oldest.next()) continue;  // none to deliver in this district (2.7.4.2)
    const int64_t o_id = std::stoll(std::string(oldest.get(0).value_or("0")));
    execute("DELETE FROM new_order WHERE no_w_id = ? AND no_d_id = ? AND no_o_id = ?",
            {w, d, o_id});
    auto owner =
        query("SELECT o_c_id FROM orders WHERE o_w_id = ? AND o_d_id = ? AND o_id = ? FOR UPDATE",
              {w, d, o_id});
    const int64_t c_id = std::stoll(first_value(owner, "order " + n(o_id)));
    execute("UPDATE orders SET o_carrier_id = ? WHERE o_w_id = ? AND o_d_id = ? AND o_id = ?",
            {carrier, w, d, o_id});
    execute(
        "UPDATE order_line SET ol_delivery_d = NOW() WHERE ol_w_id = ? AND ol_d_id = ? AND "
        "ol_o_id = ?",
        {w, d, o_id});
    auto total = query(
        "SELECT COALESCE(SUM(ol_amount), 0) FROM order_line WHERE ol_w_id = ? AND ol_d_id = ? "
        "AND ol_o_id = ?",
        {w, d, o_id});
    const std::string amount = first_value(total, "order " + n(o_id) + "'s lines");
    execute(
        "UPDATE customer SET c_balance = c_balance + CAST(? AS DECIMAL(12,2)), "
        "c_delivery_cnt = c_delivery_cnt + 1 WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?",
        {amount, w, d, c_id});
  }
  commit();
}

void TpccTerminal::stock_level() {
  const int w = place_.home_warehouse, d = place_.district;
  const int64_t threshold = random_.uniform(10, 20);
  auto next = query("SELECT d_next_o_id FROM district WHERE d_w_id = ? AND d_id = ?", {w, d});
  const int64_t next_o_id = std::stoll(first_value(next, "district " + n(d)));
  auto low = query(
      "SELECT COUNT(DISTINCT s_i_id) FROM order_line, stock WHERE ol_w_id = ? AND ol_d_id = ? "
      "AND ol_o_id < ? AND ol_o_id >= ? AND s_w_id = ? AND s_i_id = ol_i_id AND s_quantity < ?",
      {w, d, next_o_id, next_o_id - 20, w, threshold});
  first_value(low, "stock level");
  commit();
}

}  // namespace rig_load::tpcc
