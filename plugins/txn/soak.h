// plugins/txn/soak.h -- txn/soak: several sessions commit small transactions
// for a while, retrying transient errors, and every transaction is accounted
// for against the table afterwards. Run it while the server is killed,
// restarted, stopped or overloaded to see that nothing is silently lost.
#ifndef TEST_RIG_PLUGINS_TXN_SOAK_H_
#define TEST_RIG_PLUGINS_TXN_SOAK_H_

#include "test_rig/sdk.h"

namespace rig_plugins {

void soak(test_rig::Context& ctx);

}  // namespace rig_plugins

#endif  // TEST_RIG_PLUGINS_TXN_SOAK_H_
