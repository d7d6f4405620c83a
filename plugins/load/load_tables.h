// plugins/load/load_tables.h -- sysbench's tables, which may be the user's.
//
// As sysbench, the load plugin runs on tables that already exist: tables
// <prefix>1..N of sysbench's layout and of the size asked for are used as
// they are. Tables of those names with another layout or size are refused
// (never replaced), and so are tables another live run is making or using.
// Tables this run creates carry its owner mark (test_rig/sdk/owner_mark.h)
// until they are dropped, or handed to the user by --load.cleanup none.
//
// Thread tags: [run-thread], on the state's main session.
#ifndef TEST_RIG_PLUGINS_LOAD_LOAD_TABLES_H_
#define TEST_RIG_PLUGINS_LOAD_LOAD_TABLES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "test_rig/sdk.h"

namespace rig_load {

struct TableSet {
  std::string prefix;  // an identifier (table_prefix_problem)
  int tables = 1;
  int64_t rows = 0;  // per table
};

// Why the existing `table` cannot serve as one of `set`'s tables, or "":
// another layout than sysbench's (id, k, c, pad, primary key id), another
// row count, or the owner mark of another run that still runs.
std::string existing_table_problem(test_rig::Connection& db, const TableSet& set,
                                   const std::string& table);

struct Prepared {
  std::vector<int> created;  // numbers of the tables this run made
  std::vector<int> reused;   // numbers of the existing tables it uses
};

// Creates the missing tables and fills them with `fill` (a table's number);
// checks the existing ones with existing_table_problem and throws
// std::runtime_error, one line, for the first that cannot serve. With
// `recreate`, drops the existing tables of these names first instead. A
// table that carries this process's own owner mark is made again as well:
// an earlier attempt of this run made it, and lost its connection before
// the table was known to be full, so calling this again after a lost
// connection prepares from the start.
Prepared prepare_tables(test_rig::Connection& db, const TableSet& set, bool recreate,
                        const std::function<void(int)>& fill);

// "using the existing sbtest1..4 (10 000 rows each)", or "" when none was.
std::string reuse_note(const TableSet& set, const std::vector<int>& reused);

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_LOAD_TABLES_H_
