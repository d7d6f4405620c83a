// core/db/column_type.h -- what the plugin ABI calls a column's type, from
// Connector/C's field metadata.
#ifndef TEST_RIG_CORE_DB_COLUMN_TYPE_H_
#define TEST_RIG_CORE_DB_COLUMN_TYPE_H_

#include <mysql.h>

#include "test_rig/plugin_api.h"

namespace rig {

rig_column_type column_type(const MYSQL_FIELD& field);

}  // namespace rig

#endif  // TEST_RIG_CORE_DB_COLUMN_TYPE_H_
