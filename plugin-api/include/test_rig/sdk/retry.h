// test_rig/sdk/retry.h -- retrying a whole transaction on transient errors,
// with exponential backoff and jitter, under the run's [retry] policy.
//
//   test_rig::retry_transaction(ctx, db, [&](Connection& tx) {
//     tx.execute("UPDATE t SET v = v - 1 WHERE id = 1");
//     tx.execute("UPDATE t SET v = v + 1 WHERE id = 2");
//   });   // BEGIN, body, COMMIT; again on a deadlock, write conflict, ...
//   test_rig::retry_reads(ctx, db, [&](Connection& c) { check(c); });  // no BEGIN/COMMIT
//
// Each retry is counted in the run's report; a lost connection is reopened
// (and counted) before the next attempt. A connection lost during COMMIT
// leaves the outcome unknown: that throws IndeterminateCommit and is never
// retried as if the transaction had failed. Permanent errors, and transient
// ones after the last attempt, are rethrown as DbError.
#ifndef TEST_RIG_SDK_RETRY_H_
#define TEST_RIG_SDK_RETRY_H_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <thread>

#include "test_rig/sdk/connection.h"
#include "test_rig/sdk/context.h"
#include "test_rig/sdk/errors.h"

namespace test_rig {

struct RetryPolicy {
  uint32_t max_attempts = 1;
  uint32_t base_delay_ms = 0;
  uint32_t max_delay_ms = 0;
  double multiplier = 1;
};

inline RetryPolicy retry_policy(Context& ctx) {
  rig_retry_policy out{};
  out.struct_size = sizeof(out);
  host().retry_policy(ctx.handle(), &out);
  return {std::max<uint32_t>(out.max_attempts, 1), out.base_delay_ms, out.max_delay_ms,
          std::max(out.multiplier, 1.0)};
}

// The pause after failed attempt number `failed_attempt` (1-based): the base
// delay grown by the multiplier per attempt, capped, then scaled by a
// jitter factor in [0.5, 1] taken from `random01` in [0, 1].
inline std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, uint32_t failed_attempt,
                                               double random01) {
  double delay =
      policy.base_delay_ms * std::pow(policy.multiplier, static_cast<double>(failed_attempt - 1));
  delay = std::min(delay, static_cast<double>(policy.max_delay_ms));
  delay *= 0.5 + 0.5 * std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(delay));
}

// The connection broke during COMMIT: the transaction may or may not have
// committed. Reported as an error whose message says so.
class IndeterminateCommit : public std::runtime_error {
 public:
  explicit IndeterminateCommit(const std::string& what)
      : std::runtime_error("outcome unknown: the connection was lost during COMMIT (" + what +
                           "); not retried") {}
};

namespace internal {

// Calls `attempt(&committing)` until it returns, or throws what may not be
// retried; `committing` is set once the outcome of a failure would be
// unknown (COMMIT was sent).
template <typename Attempt>
void retry_attempts(Context& ctx, Connection& db, Attempt&& attempt) {
  const RetryPolicy policy = retry_policy(ctx);
  std::mt19937_64 random(std::random_device{}());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  bool reconnect_first = false;  // the last attempt lost the connection
  for (uint32_t number = 1;; ++number) {
    bool committing = false;
    try {
      if (reconnect_first) {
        db.reconnect();
        reconnect_first = false;
      }
      attempt(&committing);
      return;
    } catch (const DbError& e) {
      ErrorClass error_class = classify_error(e.code(), committing);
      if (error_class.retry == RIG_RETRY_INDETERMINATE) throw IndeterminateCommit(e.what());
      if (!error_class.transient() || number >= policy.max_attempts) throw;
      // A failed reconnect is a failed attempt like any other: the server
      // may be restarting, so back off and try again.
      if (error_class.kind == RIG_ERROR_KIND_CONNECTION) {
        reconnect_first = true;
      } else {
        db.execute_best_effort("ROLLBACK");
      }
      host().count_retry(ctx.handle());
      ctx.debug("retrying after " + std::string(e.what()) + " (attempt " + std::to_string(number) +
                " of " + std::to_string(policy.max_attempts) + ")");
      std::this_thread::sleep_for(backoff_delay(policy, number, unit(random)));
    }
  }
}

}  // namespace internal

template <typename Body>
void retry_transaction(Context& ctx, Connection& db, Body&& body) {
  internal::retry_attempts(ctx, db, [&](bool* committing) {
    db.execute("BEGIN");
    body(db);
    *committing = true;
    db.execute("COMMIT");
  });
}

// Runs `body`, which only reads (or does nothing a second run would
// change), again on transient errors, as retry_transaction does but
// without BEGIN and COMMIT: a check after a load, say, whose idle session
// may have lost its connection.
template <typename Body>
void retry_reads(Context& ctx, Connection& db, Body&& body) {
  internal::retry_attempts(ctx, db, [&](bool*) { body(db); });
}

}  // namespace test_rig

#endif  // TEST_RIG_SDK_RETRY_H_
