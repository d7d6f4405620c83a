// core/plugin/run_sessions.h -- a run's database sessions as the host API
// serves them: every call goes through its server's circuit breaker, every
// failure is recorded against the run, and connects and reconnects retry
// and fail over under the run's policy. host_api.cc translates the C calls
// to these.
//
//   rig_conn* conn = nullptr;
//   if (connect_session(run, "main", std::nullopt, &conn) != RIG_OK) return;
//   call_session(conn, "execute", sql, [&]() -> CallOutcome { ... });
#ifndef TEST_RIG_CORE_PLUGIN_RUN_SESSIONS_H_
#define TEST_RIG_CORE_PLUGIN_RUN_SESSIONS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/db/session.h"
#include "core/plugin/run_context.h"

namespace rig {

// The session `name` of `run`, opened on server `server` (the next in turn
// when nullopt) if it is new, retrying transient failures. RIG_OK, or
// RIG_FAILED when only the database is missing, or RIG_ERROR; on failure
// the run's message says why. [thread-safe]
rig_status connect_session(rig_run* run, const std::string& name, std::optional<uint32_t> server,
                           rig_conn** conn);

// Replaces the session of `conn` with a new one, on the next server when
// there are several. A failure leaves it marked for reopening before its
// next call. [per-handle]
rig_status reopen_session(rig_conn* conn);

// What one call on a session did: worked (no error), failed (the error),
// or was refused before it was sent (`sent` false: the breaker learns
// nothing from it).
struct CallOutcome {
  std::optional<SessionError> error;
  bool sent = true;
};

// One call on `conn`, the pattern every database call follows: `call` runs
// only if the server's breaker lets it (a session whose reconnect failed
// is reopened first); the breaker hears how it went; a failure is recorded
// against the run as `operation`, with up to 300 bytes of `sql`, and left
// in conn->host_error for db_error. Returns whether the call worked.
// [per-handle]
bool call_session(rig_conn* conn, const char* operation, std::string_view sql,
                  const std::function<CallOutcome()>& call);

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_RUN_SESSIONS_H_
