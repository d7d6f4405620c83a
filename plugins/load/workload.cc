#include "workload.h"

#include <utility>

namespace rig_load {
namespace {

const char* const kTemplates[kSqlStatementKinds] = {
    "SELECT c FROM `%t%d` WHERE id=?",
    "SELECT c FROM `%t%d` WHERE id BETWEEN ? AND ?",
    "SELECT SUM(k) FROM `%t%d` WHERE id BETWEEN ? AND ?",
    "SELECT c FROM `%t%d` WHERE id BETWEEN ? AND ? ORDER BY c",
    "SELECT DISTINCT c FROM `%t%d` WHERE id BETWEEN ? AND ? ORDER BY c",
    "UPDATE `%t%d` SET k=k+1 WHERE id=?",
    "UPDATE `%t%d` SET c=? WHERE id=?",
    "DELETE FROM `%t%d` WHERE id=?",
    "INSERT INTO `%t%d` (id, k, c, pad) VALUES (?, ?, ?, ?)",
    "BEGIN",
    "COMMIT",
};

// `pattern` with %t replaced by the table prefix and %d by the number.
std::string fill(const std::string& pattern, const std::string& prefix, int table) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == 'd') {
      out += std::to_string(table);
      ++i;
    } else if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == 't') {
      out += prefix;
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

// Writes statements into an event, reusing the statements (and their
// parameters' storage) the event already holds. Each group of statements
// (the point selects, each kind of range, ...) goes to a table picked for
// it, as in sysbench. Values are drawn before a call, never in its
// arguments, so that the order of draws (unspecified among arguments)
// stays fixed for a seed.
class EventBuilder {
 public:
  EventBuilder(const SqlTemplates& templates, RandomIds& ids, std::vector<Statement>* event)
      : templates_(templates), ids_(ids), event_(event) {}
  ~EventBuilder() { event_->resize(used_); }

  // The table the next statements go to, drawn afresh.
  void pick_table() {
    table_ = templates_.tables() > 1 ? static_cast<int>(ids_.uniform(1, templates_.tables())) : 1;
  }

  template <typename... Values>
  void add(StatementKind kind, Values&&... values) {
    if (used_ == event_->size()) event_->emplace_back();
    Statement& statement = (*event_)[used_++];
    statement.kind = kind;
    statement.table = table_;
    statement.sql = &templates_.sql(kind, table_);
    statement.params.resize(sizeof...(Values));
    std::size_t next = 0;
    ((statement.params[next++] = std::forward<Values>(values)), ...);
  }
  void add_point_selects(int count) {
    pick_table();
    for (int i = 0; i < count; ++i) add(StatementKind::kPointSelect, ids_.next());
  }
  void add_ranges(StatementKind kind, int count, int64_t size) {
    pick_table();
    for (int i = 0; i < count; ++i) {
      const int64_t first = ids_.next();
      add(kind, first, first + size - 1);
    }
  }
  void add_writes(const EventShape& shape) {
    add_index_updates(shape.index_updates);
    add_non_index_updates(shape.non_index_updates);
    pick_table();
    for (int i = 0; i < shape.delete_inserts; ++i) {
      const int64_t id = ids_.next();
      add(StatementKind::kDelete, id);
      add_insert(id);
    }
  }
  void add_index_updates(int count) {
    pick_table();
    for (int i = 0; i < count; ++i) add(StatementKind::kIndexUpdate, ids_.next());
  }
  void add_non_index_updates(int count) {
    pick_table();
    for (int i = 0; i < count; ++i) {
      std::string c = random_digits(ids_, 10);
      const int64_t updated = ids_.next();
      add(StatementKind::kNonIndexUpdate, std::move(c), updated);
    }
  }
  // An INSERT of row `id` (0: the next auto-increment value).
  void add_insert(int64_t id) {
    const int64_t k = ids_.next();
    std::string c = random_digits(ids_, 10);
    std::string pad = random_digits(ids_, 5);
    add(StatementKind::kInsert, id, k, std::move(c), std::move(pad));
  }

 private:
  const SqlTemplates& templates_;
  RandomIds& ids_;
  std::vector<Statement>* event_;
  int table_ = 1;
  std::size_t used_ = 0;
};

}  // namespace

const char* workload_name(Workload workload) {
  switch (workload) {
    case Workload::kPointSelect: return "point_select";
    case Workload::kReadOnly: return "read_only";
    case Workload::kReadWrite: return "read_write";
    case Workload::kWriteOnly: return "write_only";
    case Workload::kInsert: return "insert";
    case Workload::kUpdateIndex: return "update_index";
    case Workload::kUpdateNonIndex: return "update_non_index";
    case Workload::kDelete: return "delete";
    case Workload::kPython: return "python";
    case Workload::kTpcc: return "tpcc";
  }
  return "unknown";
}

std::optional<Workload> parse_workload(const std::string& name) {
  for (Workload w : kWorkloads) {
    if (name == workload_name(w)) return w;
  }
  return std::nullopt;
}

const char* statement_name(StatementKind kind) {
  static const char* const kNames[kStatementKinds] = {
      "point_select",   "simple_range", "sum_range",        "order_range",
      "distinct_range", "index_update", "non_index_update", "delete",
      "insert",         "begin",        "commit",           "new_order",
      "payment",        "order_status", "delivery",         "stock_level"};
  return kNames[static_cast<int>(kind)];
}

StatementClass statement_class(StatementKind kind) {
  // A transaction's own statements are counted as they run.
  if (is_transaction(kind)) return StatementClass::kOther;
  switch (kind) {
    case StatementKind::kBegin:
    case StatementKind::kCommit: return StatementClass::kOther;
    case StatementKind::kIndexUpdate:
    case StatementKind::kNonIndexUpdate:
    case StatementKind::kDelete:
    case StatementKind::kInsert: return StatementClass::kWrite;
    default: return StatementClass::kRead;
  }
}

SqlTemplates::SqlTemplates(const std::string& prefix, int tables) : tables_(tables) {
  for (int table = 1; table <= tables; ++table) {
    for (const char* pattern : kTemplates) sql_.push_back(fill(pattern, prefix, table));
  }
}

const std::string& SqlTemplates::sql(StatementKind kind, int table) const {
  return sql_[static_cast<std::size_t>(table - 1) * kSqlStatementKinds + static_cast<int>(kind)];
}

std::string with_params(const std::string& sql, const std::vector<Param>& params) {
  std::string out;
  out.reserve(sql.size() + 64);
  std::size_t next = 0;
  for (char c : sql) {
    if (c == '?' && next < params.size()) {
      const Param& param = params[next++];
      if (const int64_t* number = std::get_if<int64_t>(&param)) {
        out += std::to_string(*number);
      } else {
        out += '\'';
        out += std::get<std::string>(param);
        out += '\'';
      }
    } else {
      out += c;
    }
  }
  return out;
}

bool transactional(Workload workload, const EventShape& shape) {
  return !shape.skip_trx && (workload == Workload::kReadOnly || workload == Workload::kReadWrite ||
                             workload == Workload::kWriteOnly);
}

void make_event(Workload workload, const EventShape& shape, const SqlTemplates& templates,
                RandomIds& ids, std::vector<Statement>* event) {
  EventBuilder build(templates, ids, event);  // BEGIN and COMMIT name no table
  const bool in_transaction = transactional(workload, shape);
  if (in_transaction) build.add(StatementKind::kBegin);
  switch (workload) {
    case Workload::kPointSelect: build.add_point_selects(1); break;
    case Workload::kReadOnly:
    case Workload::kReadWrite:
      build.add_point_selects(shape.point_selects);
      if (shape.range_selects) {
        build.add_ranges(StatementKind::kSimpleRange, shape.simple_ranges, shape.range_size);
        build.add_ranges(StatementKind::kSumRange, shape.sum_ranges, shape.range_size);
        build.add_ranges(StatementKind::kOrderRange, shape.order_ranges, shape.range_size);
        build.add_ranges(StatementKind::kDistinctRange, shape.distinct_ranges, shape.range_size);
      }
      if (workload == Workload::kReadWrite) build.add_writes(shape);
      break;
    case Workload::kWriteOnly: build.add_writes(shape); break;
    case Workload::kInsert:
      // Id 0 takes the next auto-increment value, as sysbench's oltp_insert.
      build.pick_table();
      build.add_insert(0);
      break;
    case Workload::kUpdateIndex: build.add_index_updates(shape.index_updates); break;
    case Workload::kUpdateNonIndex: build.add_non_index_updates(shape.non_index_updates); break;
    case Workload::kDelete:
      build.pick_table();
      build.add(StatementKind::kDelete, ids.next());
      break;
    case Workload::kPython: break;  // the handler is the event
    case Workload::kTpcc: break;    // the terminal's transaction is
  }
  if (in_transaction) build.add(StatementKind::kCommit);
}

std::string table_name(const std::string& prefix, int table) {
  return prefix + std::to_string(table);
}

std::string quoted_table(const std::string& prefix, int table) {
  return "`" + table_name(prefix, table) + "`";
}

std::string table_prefix_problem(const std::string& prefix) {
  constexpr std::size_t kMaxLength = 58;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  bool identifier = !prefix.empty() && prefix.size() <= kMaxLength && letter(prefix[0]);
  for (char c : prefix) identifier = identifier && (letter(c) || (c >= '0' && c <= '9'));
  if (identifier) return "";
  return "--load.table-prefix '" + prefix +
         "' is not a table name prefix: use a letter or '_', then letters, digits and '_', "
         "at most 58 characters (default sbtest)";
}

std::string create_table_sql(const std::string& prefix, int table) {
  return "CREATE TABLE " + quoted_table(prefix, table) +
         " (id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT NULL, "
         "c CHAR(120) DEFAULT '' NOT NULL, pad CHAR(60) DEFAULT '' NOT NULL, "
         "PRIMARY KEY (id), KEY k_" +
         std::to_string(table) + " (k))";
}

std::string random_digits(RandomIds& ids, int groups) {
  std::string text;
  text.reserve(static_cast<std::size_t>(groups) * 12);
  for (int g = 0; g < groups; ++g) {
    if (g) text += '-';
    for (int d = 0; d < 11; ++d) text += static_cast<char>('0' + ids.uniform(0, 9));
  }
  return text;
}

}  // namespace rig_load
