// plugins/ddl/online_ddl.h -- schema changes while writers insert and update.
//
// N writer sessions, each on its own thread, insert rows and update rows they
// inserted, counting every success; meanwhile ADD INDEX, ADD COLUMN and
// MODIFY COLUMN (INT to BIGINT) run on the main session. Afterwards the table must hold
// exactly the rows and values the successful writes imply, table and indexes
// must agree (CHECK TABLE, or ADMIN CHECK TABLE on TiDB), and no writer may
// have seen an error other than a schema change's abort (TiDB's 8027/8028,
// a Galera node's 1213 from a DDL in total order), which is retried and
// counted.
#ifndef TEST_RIG_PLUGINS_DDL_ONLINE_DDL_H_
#define TEST_RIG_PLUGINS_DDL_ONLINE_DDL_H_

#include "test_rig/sdk.h"

namespace ddl {

void online_ddl(test_rig::Context& ctx);

}  // namespace ddl

#endif  // TEST_RIG_PLUGINS_DDL_ONLINE_DDL_H_
