// core/errors/error_class.h -- what a server or client error code means for
// a test: one table, in one place, for the host and (through the plugin ABI)
// every plugin.
//
//   ErrorClass c = classify_error(1213, /*during_commit=*/false);
//   c.kind == RIG_ERROR_KIND_CONFLICT; c.retry == RIG_RETRY_TRANSIENT
//   classify_error(2013, /*during_commit=*/true).retry == RIG_RETRY_INDETERMINATE
//
// Transient errors may be retried (with backoff, reconnecting if needed);
// a connection lost during COMMIT is indeterminate -- the outcome is unknown
// and must be reported as such, never retried as if it failed; everything
// else is permanent and fails fast.
#ifndef TEST_RIG_CORE_ERRORS_ERROR_CLASS_H_
#define TEST_RIG_CORE_ERRORS_ERROR_CLASS_H_

#include <cstdint>

#include "test_rig/plugin_api.h"

namespace rig {

struct ErrorClass {
  rig_error_kind kind = RIG_ERROR_KIND_NONE;
  rig_retry_class retry = RIG_RETRY_NONE;
  const char* description = "no error";  // static text
};

ErrorClass classify_error(uint32_t code, bool during_commit);

const char* error_kind_name(rig_error_kind kind);
const char* retry_class_name(rig_retry_class retry);

}  // namespace rig

#endif  // TEST_RIG_CORE_ERRORS_ERROR_CLASS_H_
