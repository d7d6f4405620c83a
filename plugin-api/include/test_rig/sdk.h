// test_rig/sdk.h -- the header-only C++ SDK over test_rig/plugin_api.h.
//
// Include this one header to write a plugin in C++: state handlers
// (handler.h), state names (state.h), the run context and database sessions
// (context.h, connection.h), outcome exceptions and expectations (errors.h),
// transaction retries with backoff (retry.h), latency histograms and the
// metrics record that reports merge (histogram.h, metrics.h), names of its
// own for what a test creates (unique_name.h), the mark that tells a killed
// run's leftovers from a live run's (owner_mark.h), and the plugin
// definition with its entry macro (plugin.h). The SDK needs only the C++20 standard library; a
// plugin never links against test-rig.
#ifndef TEST_RIG_SDK_H_
#define TEST_RIG_SDK_H_

#include "test_rig/plugin_api.h"
#include "test_rig/sdk/connection.h"
#include "test_rig/sdk/context.h"
#include "test_rig/sdk/errors.h"
#include "test_rig/sdk/handler.h"
#include "test_rig/sdk/histogram.h"
#include "test_rig/sdk/metrics.h"
#include "test_rig/sdk/owner_mark.h"
#include "test_rig/sdk/plugin.h"
#include "test_rig/sdk/retry.h"
#include "test_rig/sdk/small_file.h"
#include "test_rig/sdk/state.h"
#include "test_rig/sdk/unique_name.h"

#endif  // TEST_RIG_SDK_H_
