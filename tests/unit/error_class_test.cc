// Every code of the classification table, as the design brief lists them.
#include "core/errors/error_class.h"

#include <gtest/gtest.h>

namespace rig {
namespace {

struct Case {
  uint32_t code;
  rig_error_kind kind;
  rig_retry_class retry;
};

TEST(ErrorClass, EveryListedCode) {
  const Case cases[] = {
      {2002, RIG_ERROR_KIND_CONNECTION, RIG_RETRY_TRANSIENT},
      {2003, RIG_ERROR_KIND_CONNECTION, RIG_RETRY_TRANSIENT},
      {2006, RIG_ERROR_KIND_CONNECTION, RIG_RETRY_TRANSIENT},
      {2013, RIG_ERROR_KIND_CONNECTION, RIG_RETRY_TRANSIENT},
      {2055, RIG_ERROR_KIND_CONNECTION, RIG_RETRY_TRANSIENT},
      {1047, RIG_ERROR_KIND_CONNECTION, RIG_RETRY_TRANSIENT},
      {1180, RIG_ERROR_KIND_CONNECTION, RIG_RETRY_TRANSIENT},
      {RIG_ERROR_CIRCUIT_OPEN, RIG_ERROR_KIND_CONNECTION, RIG_RETRY_TRANSIENT},
      {1205, RIG_ERROR_KIND_CONFLICT, RIG_RETRY_TRANSIENT},
      {1213, RIG_ERROR_KIND_CONFLICT, RIG_RETRY_TRANSIENT},
      {1020, RIG_ERROR_KIND_CONFLICT, RIG_RETRY_TRANSIENT},
      {8002, RIG_ERROR_KIND_CONFLICT, RIG_RETRY_TRANSIENT},
      {8005, RIG_ERROR_KIND_CONFLICT, RIG_RETRY_TRANSIENT},
      {8022, RIG_ERROR_KIND_CONFLICT, RIG_RETRY_TRANSIENT},
      {9007, RIG_ERROR_KIND_CONFLICT, RIG_RETRY_TRANSIENT},
      {8027, RIG_ERROR_KIND_SCHEMA_CHANGED, RIG_RETRY_TRANSIENT},
      {8028, RIG_ERROR_KIND_SCHEMA_CHANGED, RIG_RETRY_TRANSIENT},
      {9001, RIG_ERROR_KIND_SERVER_BUSY, RIG_RETRY_TRANSIENT},
      {9002, RIG_ERROR_KIND_SERVER_BUSY, RIG_RETRY_TRANSIENT},
      {9003, RIG_ERROR_KIND_SERVER_BUSY, RIG_RETRY_TRANSIENT},
      {9004, RIG_ERROR_KIND_SERVER_BUSY, RIG_RETRY_TRANSIENT},
      {9005, RIG_ERROR_KIND_SERVER_BUSY, RIG_RETRY_TRANSIENT},
      {1045, RIG_ERROR_KIND_AUTHENTICATION, RIG_RETRY_PERMANENT},
      {1044, RIG_ERROR_KIND_AUTHENTICATION, RIG_RETRY_PERMANENT},
      {1049, RIG_ERROR_KIND_UNKNOWN_DATABASE, RIG_RETRY_PERMANENT},
      {1064, RIG_ERROR_KIND_SYNTAX, RIG_RETRY_PERMANENT},
      {1062, RIG_ERROR_KIND_CONSTRAINT, RIG_RETRY_PERMANENT},
      {8048, RIG_ERROR_KIND_UNSUPPORTED, RIG_RETRY_PERMANENT},
      {4242, RIG_ERROR_KIND_OTHER, RIG_RETRY_PERMANENT},
      {0, RIG_ERROR_KIND_NONE, RIG_RETRY_NONE},
  };
  for (const Case& c : cases) {
    ErrorClass got = classify_error(c.code, false);
    EXPECT_EQ(got.kind, c.kind) << c.code << " " << error_kind_name(got.kind);
    EXPECT_EQ(got.retry, c.retry) << c.code << " " << retry_class_name(got.retry);
  }
}

TEST(ErrorClass, LostConnectionDuringCommitIsIndeterminate) {
  // Galera's 1047 and 1180 too: a node that lost the cluster may have
  // sent its write set to the others before it knew.
  for (uint32_t code : {2006u, 2013u, 1047u, 1180u}) {
    EXPECT_EQ(classify_error(code, true).retry, RIG_RETRY_INDETERMINATE) << code;
  }
  // A conflict at COMMIT is a clear failure of the transaction, not unknown.
  EXPECT_EQ(classify_error(9007, true).retry, RIG_RETRY_TRANSIENT);
  EXPECT_EQ(classify_error(1045, true).retry, RIG_RETRY_PERMANENT);
}

}  // namespace
}  // namespace rig
