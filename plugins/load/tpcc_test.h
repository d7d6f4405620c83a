// plugins/load/tpcc_test.h -- load/tpcc: TPC-C as a load workload, with the
// states prepare -> run -> check -> cleanup (prepare -> check alone with
// --load.tpcc-check-only).
//
//   prepare  the specification's initial population (clause 4.3), loaded in
//            parallel by warehouse; an existing dataset this rig made with
//            the same warehouses is used as it is; tables of TPC-C's names
//            that it did not make are refused (--load.prepare always
//            replaces them, skip uses them as they are)
//   run      the five transactions in their mix on --load.threads terminals,
//            measured as every load workload (load_run.h), tpmC on top
//   check    clause 3.3.2's conditions 1-12 for every warehouse, and that
//            the orders grew by the New-Orders that committed
//   cleanup  drops the tables this run made (--load.cleanup none keeps them,
//            marked as a dataset a later run may use)
//
// Thread tags: [main-thread] for these declarations.
#ifndef TEST_RIG_PLUGINS_LOAD_TPCC_TEST_H_
#define TEST_RIG_PLUGINS_LOAD_TPCC_TEST_H_

#include "test_rig/sdk.h"

namespace rig_load {

// The options only load/tpcc reads (--load.warehouses, ...).
void add_tpcc_options(test_rig::PluginDefinition& plugin);
test_rig::TestDefinition tpcc_test();

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_TPCC_TEST_H_
