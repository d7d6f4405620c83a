#include "load_tables.h"

#include <functional>

#include "plugin_support.h"
#include "workload.h"

namespace rig_load {
namespace {

using test_rig::Connection;

// "10 000": row counts as the summary prints them.
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

// "sbtest1..4" for consecutive numbers, else "sbtest1, sbtest3".
std::string names(const TableSet& set, const std::vector<int>& numbers) {
  bool consecutive = true;
  for (std::size_t i = 1; i < numbers.size(); ++i) {
    consecutive = consecutive && numbers[i] == numbers[i - 1] + 1;
  }
  if (consecutive && numbers.size() > 2) {
    return table_name(set.prefix, numbers.front()) + ".." + std::to_string(numbers.back());
  }
  std::string out;
  for (int n : numbers) out += (out.empty() ? "" : ", ") + table_name(set.prefix, n);
  return out;
}

// The columns as "id int, k int, c char(120), pad char(60)", and whether id
// is the primary key.
std::string layout(Connection& db, const std::string& table, bool* id_is_key) {
  auto columns = db.query(
      "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, COLUMN_KEY FROM "
      "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" +
      table + "' ORDER BY ORDINAL_POSITION");
  std::string text;
  *id_is_key = false;
  while (columns.next()) {
    const std::string name(columns.get(0).value_or(""));
    text += (text.empty() ? "" : ", ") + name + " " + std::string(columns.get(1).value_or(""));
    if (auto length = columns.get(2)) text += "(" + std::string(*length) + ")";
    if (name == "id" && columns.get(3).value_or("") == "PRI") *id_is_key = true;
  }
  return text;
}

}  // namespace

std::string existing_table_problem(Connection& db, const TableSet& set, const std::string& table) {
  if (auto mark = test_rig::parse_owner_mark(rig_plugins::table_comment(db, table))) {
    if (!rig_plugins::is_own_mark(*mark) &&
        test_rig::owner_state(*mark) != test_rig::OwnerState::kGone) {
      return table + " belongs to another test-rig run (pid " + std::to_string(mark->pid) +
             "), which is making or using it; give each concurrent run its own "
             "--load.table-prefix";
    }
  }
  const std::string expected = "id int, k int, c char(120), pad char(60)";
  bool id_is_key = false;
  const std::string found = layout(db, table, &id_is_key);
  if (found != expected || !id_is_key) {
    return table + " exists with columns (" + found + ")" +
           (found == expected ? " but no primary key on id" : "") + ", not sysbench's (" +
           expected +
           ", primary key id); the run leaves it alone: choose other tables with "
           "--load.table-prefix";
  }
  const int64_t rows = rig_plugins::scalar_int(db, "SELECT COUNT(*) FROM `" + table + "`");
  if (rows != set.rows) {
    return table + " exists with " + grouped(rows) + " rows, not --load.table-size " +
           grouped(set.rows) + "; the run leaves it alone: give --load.table-size " +
           std::to_string(rows) +
           " to use it as it is, or --load.table-prefix for tables of "
           "the run's own";
  }
  return "";
}

Prepared prepare_tables(Connection& db, const TableSet& set, bool recreate,
                        const std::function<void(int)>& fill) {
  Prepared prepared;
  for (int t = 1; t <= set.tables; ++t) {
    const std::string name = table_name(set.prefix, t);
    if (rig_plugins::table_exists(db, name)) {
      if (!recreate && !rig_plugins::made_by_this_process(db, name)) {
        if (std::string problem = existing_table_problem(db, set, name); !problem.empty()) {
          throw std::runtime_error(problem);
        }
        prepared.reused.push_back(t);
        continue;
      }
      db.execute("DROP TABLE " + quoted_table(set.prefix, t));
    }
    const std::string create = create_table_sql(set.prefix, t) + " " + test_rig::owner_comment();
    auto created = db.try_execute(create);
    if (created.code == 1050) {
      throw std::runtime_error(name +
                               " appeared while this run was about to create it: another run is "
                               "preparing the same tables; give each concurrent run its own "
                               "--load.table-prefix");
    }
    if (!created.ok()) {
      throw test_rig::DbError(created.code, created.sqlstate, created.message, create);
    }
    prepared.created.push_back(t);
    fill(t);
  }
  return prepared;
}

std::string reuse_note(const TableSet& set, const std::vector<int>& reused) {
  if (reused.empty()) return "";
  return "using the existing " + names(set, reused) + " (" + grouped(set.rows) + " rows" +
         (reused.size() > 1 ? " each" : "") + ")";
}

}  // namespace rig_load
