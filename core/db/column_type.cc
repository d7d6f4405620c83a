#include "core/db/column_type.h"

namespace rig {

rig_column_type column_type(const MYSQL_FIELD& field) {
  // Binary strings carry the binary collation (63); text ones do not.
  constexpr unsigned kBinaryCharset = 63;
  switch (field.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR: return RIG_COLUMN_INT;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE: return RIG_COLUMN_FLOAT;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL: return RIG_COLUMN_DECIMAL;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: return RIG_COLUMN_DATE;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP: return RIG_COLUMN_DATETIME;
    case MYSQL_TYPE_TIME: return RIG_COLUMN_TIME;
    case MYSQL_TYPE_NULL: return RIG_COLUMN_NULL;
    case MYSQL_TYPE_BIT:
    case MYSQL_TYPE_GEOMETRY: return RIG_COLUMN_BYTES;
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_STRING:
    case MYSQL_TYPE_VARCHAR:
      return field.charsetnr == kBinaryCharset ? RIG_COLUMN_BYTES : RIG_COLUMN_TEXT;
    default: return RIG_COLUMN_TEXT;
  }
}

}  // namespace rig
