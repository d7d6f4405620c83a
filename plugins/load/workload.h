// plugins/load/workload.h -- sysbench's OLTP workloads: which statements
// one event runs, with sysbench's table layout and SQL, so that results
// compare with sysbench's.
//
//   point_select      1 point select (autocommit)
//   read_only         BEGIN, 10 point selects, simple/sum/order/distinct
//                     range, COMMIT
//   read_write        read_only's reads + index update, non-index update,
//                     delete + insert of the same id, in one transaction
//   write_only        the writes of read_write in one transaction
//   insert            1 INSERT (autocommit, auto-increment id)
//   update_index      1 UPDATE ... SET k=k+1 (autocommit)
//   update_non_index  1 UPDATE ... SET c=? (autocommit)
//   delete            1 DELETE of a row id (autocommit)
//   python            no SQL of its own: each event is one call of the
//                     Python handler bound to hook "event" of load/python
//   tpcc              TPC-C's five transactions on its own tables
//                     (tpcc_transactions.h), one per event, in their mix
//
// The counts in read_only, read_write and write_only (and in update_index
// and update_non_index), the length of the ranges and the transaction are
// sysbench's defaults, and its options change them (EventShape). Each
// group of statements picks its table uniformly among --load.tables, as
// sysbench does; row ids come from RandomIds (--load.rand-type).
#ifndef TEST_RIG_PLUGINS_LOAD_WORKLOAD_H_
#define TEST_RIG_PLUGINS_LOAD_WORKLOAD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "random_ids.h"

namespace rig_load {

enum class Workload {
  kPointSelect,
  kReadOnly,
  kReadWrite,
  kWriteOnly,
  kInsert,
  kUpdateIndex,
  kUpdateNonIndex,
  kDelete,
  kPython,
  kTpcc,
};

// Every workload, in the order of the tests load/<workload>.
inline constexpr Workload kWorkloads[] = {
    Workload::kPointSelect,    Workload::kReadOnly, Workload::kReadWrite,
    Workload::kWriteOnly,      Workload::kInsert,   Workload::kUpdateIndex,
    Workload::kUpdateNonIndex, Workload::kDelete,   Workload::kPython};

// What a statement does, for per-type statistics and sysbench's r/w/o split.
enum class StatementKind {
  kPointSelect,
  kSimpleRange,
  kSumRange,
  kOrderRange,
  kDistinctRange,
  kIndexUpdate,
  kNonIndexUpdate,
  kDelete,
  kInsert,
  kBegin,
  kCommit,
  // TPC-C's transactions, each timed whole (load/tpcc).
  kNewOrder,
  kPayment,
  kOrderStatus,
  kDelivery,
  kStockLevel,
};
inline constexpr int kStatementKinds = 16;
// The kinds before kNewOrder: sysbench's statements, which have SQL templates.
inline constexpr int kSqlStatementKinds = 11;
// Whether `kind` is a whole transaction (load/tpcc's), not one statement.
inline bool is_transaction(StatementKind kind) {
  return static_cast<int>(kind) >= kSqlStatementKinds;
}

enum class StatementClass { kRead, kWrite, kOther };

const char* workload_name(Workload workload);
std::optional<Workload> parse_workload(const std::string& name);
const char* statement_name(StatementKind kind);
StatementClass statement_class(StatementKind kind);

// How many statements of each kind a read_only, read_write or write_only
// event runs, and how: sysbench's oltp options of the same names, with its
// defaults. As in sysbench, update_index runs index_updates statements and
// update_non_index non_index_updates; point_select, insert and delete one.
struct EventShape {
  int point_selects = 10;
  int simple_ranges = 1;
  int sum_ranges = 1;
  int order_ranges = 1;
  int distinct_ranges = 1;
  int64_t range_size = 100;   // rows a range select spans
  bool range_selects = true;  // false: none of the four range kinds
  int index_updates = 1;
  int non_index_updates = 1;
  int delete_inserts = 1;  // DELETE then INSERT of the same id
  bool skip_trx = false;   // no BEGIN/COMMIT: every statement autocommits
};

// The SQL of every statement kind for every table, with `?` placeholders;
// made once per run and shared by its threads.
class SqlTemplates {
 public:
  // Tables <prefix>1 .. <prefix><tables> ("sbtest1" ..., as sysbench).
  SqlTemplates(const std::string& prefix, int tables);
  int tables() const { return tables_; }
  const std::string& sql(StatementKind kind, int table) const;

 private:
  int tables_;
  std::vector<std::string> sql_;  // [table - 1][kind]
};

// A placeholder's value: a number, or text of digits and dashes (sysbench's
// c and pad), which never needs escaping.
using Param = std::variant<int64_t, std::string>;

// `sql` with each `?` replaced, in order, by the literal of its value: a
// number as digits, text in single quotes (values never need escaping).
std::string with_params(const std::string& sql, const std::vector<Param>& params);

// One statement of an event: its kind, its SQL with `?` placeholders (for
// prepared statements), and the values of those placeholders.
struct Statement {
  StatementKind kind;
  int table;               // 1-based
  const std::string* sql;  // from SqlTemplates
  std::vector<Param> params;
  // The statement with the parameters written in as literals.
  std::string text() const { return with_params(*sql, params); }
};

// Makes `*event` the statements of one event, drawn from `ids`. The
// statements `*event` holds are reused, so that a worker that keeps one
// event allocates nothing per event once its first event is made.
void make_event(Workload workload, const EventShape& shape, const SqlTemplates& templates,
                RandomIds& ids, std::vector<Statement>* event);

// Whether the workload's events are transactions (BEGIN ... COMMIT).
bool transactional(Workload workload, const EventShape& shape);

// sysbench's table names and layout: "sbtest1", and "`sbtest1`" for SQL.
std::string table_name(const std::string& prefix, int table);
std::string quoted_table(const std::string& prefix, int table);
// Why `prefix` cannot name tables, or "": it must be an identifier (a letter
// or '_', then letters, digits and '_', at most 58 characters, so that
// prefix1000 fits MySQL's 64). Anything else -- "otherdb.sbtest",
// "accounts, sbtest" -- would be SQL, reaching tables that are not the run's.
std::string table_prefix_problem(const std::string& prefix);
std::string create_table_sql(const std::string& prefix, int table);
// c and pad values as sysbench makes them: groups of 11 random digits.
std::string random_digits(RandomIds& ids, int groups);

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_WORKLOAD_H_
