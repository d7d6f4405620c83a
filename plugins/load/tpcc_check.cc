#include "tpcc_check.h"

#include <array>

namespace rig_load::tpcc {
namespace {

// A condition as one query over warehouse {w}: the rows that break it,
// each (where, expected, actual).
struct Condition {
  const char* rule;
  const char* violations_sql;
};

// Every amount is DECIMAL, so equality is exact.
constexpr std::array<Condition, kConditions> kChecks = {{
    {"W_YTD = sum(D_YTD)",
     "SELECT CONCAT('warehouse ', w_id), s, w_ytd FROM (SELECT w_id, w_ytd, "
     "(SELECT COALESCE(SUM(d_ytd), 0) FROM district WHERE d_w_id = w_id) s "
     "FROM warehouse WHERE w_id = {w}) t WHERE s <> w_ytd"},
    {"D_NEXT_O_ID - 1 = max(O_ID) = max(NO_O_ID)",
     "SELECT CONCAT('warehouse ', d_w_id, ' district ', d_id), d_next_o_id - 1, "
     "CONCAT('max(O_ID) ', COALESCE(mo, 'none'), ', max(NO_O_ID) ', COALESCE(mno, 'none')) "
     "FROM (SELECT d_w_id, d_id, d_next_o_id, "
     "(SELECT MAX(o_id) FROM orders WHERE o_w_id = d_w_id AND o_d_id = d_id) mo, "
     "(SELECT MAX(no_o_id) FROM new_order WHERE no_w_id = d_w_id AND no_d_id = d_id) mno "
     "FROM district WHERE d_w_id = {w}) t "
     "WHERE NOT (mo <=> d_next_o_id - 1) OR (mno IS NOT NULL AND mno <> d_next_o_id - 1)"},
    {"max(NO_O_ID) - min(NO_O_ID) + 1 = count(NEW-ORDER rows)",
     "SELECT CONCAT('warehouse ', no_w_id, ' district ', no_d_id), "
     "MAX(no_o_id) - MIN(no_o_id) + 1, COUNT(*) FROM new_order WHERE no_w_id = {w} "
     "GROUP BY no_w_id, no_d_id HAVING MAX(no_o_id) - MIN(no_o_id) + 1 <> COUNT(*)"},
    {"sum(O_OL_CNT) = count(ORDER-LINE rows)",
     "SELECT CONCAT('warehouse ', d_w_id, ' district ', d_id), s, c FROM (SELECT d_w_id, d_id, "
     "(SELECT COALESCE(SUM(o_ol_cnt), 0) FROM orders WHERE o_w_id = d_w_id AND o_d_id = d_id) s, "
     "(SELECT COUNT(*) FROM order_line WHERE ol_w_id = d_w_id AND ol_d_id = d_id) c "
     "FROM district WHERE d_w_id = {w}) t WHERE s <> c"},
    {"O_CARRIER_ID is null exactly when the order has a NEW-ORDER row",
     "SELECT CONCAT('warehouse ', o_w_id, ' district ', o_d_id, ' order ', o_id), "
     "IF(no_o_id IS NULL, 'a carrier', 'no carrier'), COALESCE(o_carrier_id, 'NULL') "
     "FROM orders LEFT JOIN new_order ON no_w_id = o_w_id AND no_d_id = o_d_id AND no_o_id = o_id "
     "WHERE o_w_id = {w} AND (o_carrier_id IS NULL) <> (no_o_id IS NOT NULL)"},
    {"O_OL_CNT = count(the order's ORDER-LINE rows)",
     "SELECT CONCAT('warehouse ', o_w_id, ' district ', o_d_id, ' order ', o_id), o_ol_cnt, "
     "COUNT(ol_o_id) FROM orders LEFT JOIN order_line ON ol_w_id = o_w_id AND ol_d_id = o_d_id "
     "AND ol_o_id = o_id WHERE o_w_id = {w} GROUP BY o_w_id, o_d_id, o_id, o_ol_cnt "
     "HAVING o_ol_cnt <> COUNT(ol_o_id)"},
    {"OL_DELIVERY_D is null exactly when its order's O_CARRIER_ID is",
     "SELECT CONCAT('warehouse ', ol_w_id, ' district ', ol_d_id, ' order ', ol_o_id, ' line ', "
     "ol_number), IF(o_carrier_id IS NULL, 'NULL', 'a date'), COALESCE(ol_delivery_d, 'NULL') "
     "FROM order_line JOIN orders ON o_w_id = ol_w_id AND o_d_id = ol_d_id AND o_id = ol_o_id "
     "WHERE ol_w_id = {w} AND (ol_delivery_d IS NULL) <> (o_carrier_id IS NULL)"},
    {"W_YTD = sum(H_AMOUNT)",
     "SELECT CONCAT('warehouse ', w_id), s, w_ytd FROM (SELECT w_id, w_ytd, "
     "(SELECT COALESCE(SUM(h_amount), 0) FROM history WHERE h_w_id = w_id) s "
     "FROM warehouse WHERE w_id = {w}) t WHERE s <> w_ytd"},
    {"D_YTD = sum(H_AMOUNT)",
     "SELECT CONCAT('warehouse ', d_w_id, ' district ', d_id), s, d_ytd FROM (SELECT d_w_id, d_id, "
     "d_ytd, (SELECT COALESCE(SUM(h_amount), 0) FROM history WHERE h_w_id = d_w_id AND "
     "h_d_id = d_id) s FROM district WHERE d_w_id = {w}) t WHERE s <> d_ytd"},
    {"C_BALANCE = sum(delivered OL_AMOUNT) - sum(H_AMOUNT)",
     "SELECT CONCAT('warehouse ', c_w_id, ' district ', c_d_id, ' customer ', c_id), "
     "COALESCE(ol.s, 0) - COALESCE(h.s, 0), c_balance FROM customer "
     "LEFT JOIN (SELECT o_d_id, o_c_id, SUM(ol_amount) s FROM orders JOIN order_line ON "
     "ol_w_id = o_w_id AND ol_d_id = o_d_id AND ol_o_id = o_id WHERE o_w_id = {w} AND "
     "ol_delivery_d IS NOT NULL GROUP BY o_d_id, o_c_id) ol ON ol.o_d_id = c_d_id AND "
     "ol.o_c_id = c_id LEFT JOIN (SELECT h_c_d_id, h_c_id, SUM(h_amount) s FROM history WHERE "
     "h_c_w_id = {w} GROUP BY h_c_d_id, h_c_id) h ON h.h_c_d_id = c_d_id AND h.h_c_id = c_id "
     "WHERE c_w_id = {w} AND c_balance <> COALESCE(ol.s, 0) - COALESCE(h.s, 0)"},
    {"count(ORDER rows) - count(NEW-ORDER rows) = 2100",
     "SELECT CONCAT('warehouse ', d_w_id, ' district ', d_id), 2100, o - n FROM (SELECT d_w_id, "
     "d_id, (SELECT COUNT(*) FROM orders WHERE o_w_id = d_w_id AND o_d_id = d_id) o, "
     "(SELECT COUNT(*) FROM new_order WHERE no_w_id = d_w_id AND no_d_id = d_id) n "
     "FROM district WHERE d_w_id = {w}) t WHERE o - n <> 2100"},
    {"C_BALANCE + C_YTD_PAYMENT = sum(delivered OL_AMOUNT)",
     "SELECT CONCAT('warehouse ', c_w_id, ' district ', c_d_id, ' customer ', c_id), "
     "COALESCE(ol.s, 0), c_balance + c_ytd_payment FROM customer "
     "LEFT JOIN (SELECT o_d_id, o_c_id, SUM(ol_amount) s FROM orders JOIN order_line ON "
     "ol_w_id = o_w_id AND ol_d_id = o_d_id AND ol_o_id = o_id WHERE o_w_id = {w} AND "
     "ol_delivery_d IS NOT NULL GROUP BY o_d_id, o_c_id) ol ON ol.o_d_id = c_d_id AND "
     "ol.o_c_id = c_id WHERE c_w_id = {w} AND c_balance + c_ytd_payment <> COALESCE(ol.s, 0)"},
}};

std::string with_warehouse(std::string sql, int w) {
  const std::string id = std::to_string(w);
  for (std::size_t at = sql.find("{w}"); at != std::string::npos; at = sql.find("{w}", at)) {
    sql.replace(at, 3, id);
  }
  return sql;
}

}  // namespace

const char* condition_rule(int number) {
  return number >= 1 && number <= kConditions ? kChecks[static_cast<std::size_t>(number - 1)].rule
                                              : "?";
}

std::string Violation::text() const {
  return "condition " + std::to_string(condition) + " (" + condition_rule(condition) +
         ") fails for " + where + ": expected " + expected + ", found " + actual;
}

std::vector<Violation> check_warehouse(test_rig::Connection& db, int w, bool initial_population,
                                       int per_condition) {
  std::vector<Violation> violations;
  for (int number = 1; number <= kConditions; ++number) {
    if (number == 11 && !initial_population) continue;
    const std::string sql =
        with_warehouse(kChecks[static_cast<std::size_t>(number - 1)].violations_sql, w) +
        " LIMIT " + std::to_string(per_condition);
    auto rows = db.query(sql);
    while (rows.next()) {
      auto text = [&](uint32_t column) { return std::string(rows.get(column).value_or("NULL")); };
      violations.push_back({number, text(0), text(1), text(2)});
    }
  }
  return violations;
}

}  // namespace rig_load::tpcc
