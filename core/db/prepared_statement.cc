#include "core/db/prepared_statement.h"

#include <errmsg.h>

#include <algorithm>
#include <cstring>

#include "core/db/column_type.h"

namespace rig {

std::unique_ptr<PreparedStatement> PreparedStatement::prepare(Session& session,
                                                              std::string_view sql,
                                                              SessionError* error) {
  MYSQL_STMT* stmt = mysql_stmt_init(session.handle());
  if (stmt == nullptr) {
    *error = {CR_OUT_OF_MEMORY, "HY001", "out of memory creating a statement"};
    return nullptr;
  }
  if (mysql_stmt_prepare(stmt, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    *error = {mysql_stmt_errno(stmt), mysql_stmt_sqlstate(stmt), mysql_stmt_error(stmt)};
    mysql_stmt_close(stmt);
    return nullptr;
  }
  return std::unique_ptr<PreparedStatement>(new PreparedStatement(session, stmt));
}

PreparedStatement::PreparedStatement(Session& session, MYSQL_STMT* stmt)
    : session_(session), stmt_(stmt) {}

PreparedStatement::~PreparedStatement() { mysql_stmt_close(stmt_); }

bool PreparedStatement::fail() {
  error_ = {mysql_stmt_errno(stmt_), mysql_stmt_sqlstate(stmt_), mysql_stmt_error(stmt_)};
  return false;
}

bool PreparedStatement::execute(const rig_value* params, uint32_t count, StatementRows* rows) {
  if (error_.code != 0) error_ = SessionError{};  // every failure has a code
  if (count != mysql_stmt_param_count(stmt_)) {
    error_ = {CR_PARAMS_NOT_BOUND, "HY000",
              "the statement has " + std::to_string(mysql_stmt_param_count(stmt_)) +
                  " parameters, " + std::to_string(count) + " given"};
    return false;
  }
  if (count && !bind(params, count)) return false;
  if (mysql_stmt_execute(stmt_)) return fail();
  bool ok = true;
  if (mysql_stmt_field_count(stmt_) > 0) {
    ok = rows ? read_rows(rows) : (mysql_stmt_store_result(stmt_) == 0 || fail());
    mysql_stmt_free_result(stmt_);
  }
  session_.set_affected_rows(rows && ok ? rows->rows.size()
                                        : static_cast<uint64_t>(mysql_stmt_affected_rows(stmt_)));
  return ok;
}

bool PreparedStatement::bind(const rig_value* params, uint32_t count) {
  bool rebind = binds_.size() != count;
  if (rebind) {
    binds_.assign(count, MYSQL_BIND{});
    bound_types_.assign(count, -1);
    ints_.assign(count, 0);
    doubles_.assign(count, 0);
    texts_.assign(count, std::string());
    lengths_.assign(count, 0);
  }
  for (uint32_t i = 0; i < count; ++i) {
    const rig_value& value = params[i];
    if (value.type != bound_types_[i]) rebind = true;
    switch (value.type) {
      case RIG_VALUE_INT: ints_[i] = value.int_value; break;
      case RIG_VALUE_DOUBLE: doubles_[i] = value.double_value; break;
      case RIG_VALUE_TEXT:
        if (value.text_size > texts_[i].capacity()) rebind = true;
        texts_[i].assign(value.text, value.text_size);
        lengths_[i] = static_cast<unsigned long>(value.text_size);
        break;
      default: break;
    }
  }
  if (!rebind) return true;
  for (uint32_t i = 0; i < count; ++i) {
    MYSQL_BIND& b = binds_[i];
    std::memset(&b, 0, sizeof(b));
    bound_types_[i] = params[i].type;
    switch (params[i].type) {
      case RIG_VALUE_INT:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &ints_[i];
        break;
      case RIG_VALUE_DOUBLE:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = &doubles_[i];
        break;
      case RIG_VALUE_TEXT:
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = texts_[i].data();
        b.buffer_length = static_cast<unsigned long>(texts_[i].capacity());
        b.length = &lengths_[i];
        break;
      default: b.buffer_type = MYSQL_TYPE_NULL; break;
    }
  }
  return mysql_stmt_bind_param(stmt_, binds_.data()) == 0 || fail();
}

bool PreparedStatement::read_rows(StatementRows* out) {
  my_bool update_max = 1;
  mysql_stmt_attr_set(stmt_, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
  if (mysql_stmt_store_result(stmt_) != 0) return fail();
  MYSQL_RES* meta = mysql_stmt_result_metadata(stmt_);
  const unsigned columns = mysql_stmt_field_count(stmt_);
  MYSQL_FIELD* fields = meta ? mysql_fetch_fields(meta) : nullptr;
  std::vector<MYSQL_BIND> binds(columns);
  std::vector<std::string> buffers(columns);
  std::vector<unsigned long> lengths(columns);
  std::vector<my_bool> nulls(columns);
  out->column_types.clear();
  out->column_names.clear();
  out->rows.clear();
  for (unsigned i = 0; i < columns; ++i) {
    out->column_types.push_back(column_type(fields[i]));
    out->column_names.emplace_back(fields[i].name);
    buffers[i].resize(std::max<unsigned long>(fields[i].max_length, 64) + 1);
    std::memset(&binds[i], 0, sizeof(MYSQL_BIND));
    binds[i].buffer_type = MYSQL_TYPE_STRING;  // Connector/C converts to text
    binds[i].buffer = buffers[i].data();
    binds[i].buffer_length = static_cast<unsigned long>(buffers[i].size());
    binds[i].length = &lengths[i];
    binds[i].is_null = &nulls[i];
  }
  if (meta) mysql_free_result(meta);
  if (columns && mysql_stmt_bind_result(stmt_, binds.data())) return fail();
  while (true) {
    int status = mysql_stmt_fetch(stmt_);
    if (status == MYSQL_NO_DATA) break;
    if (status == 1) return fail();
    auto& row = out->rows.emplace_back();
    for (unsigned i = 0; i < columns; ++i) {
      if (nulls[i]) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(
            std::string(buffers[i].data(), std::min<unsigned long>(lengths[i], buffers[i].size())));
      }
    }
  }
  return true;
}

}  // namespace rig
