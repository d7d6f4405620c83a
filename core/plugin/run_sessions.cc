#include "core/plugin/run_sessions.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <thread>
#include <utility>

#include "core/errors/circuit_breaker.h"
#include "core/errors/error_class.h"
#include "core/plugin/stop_request.h"
#include "test_rig/sdk/retry.h"

namespace rig {
namespace {

// What the circuit breaker counts against a server: it is unreachable or
// overloaded. Its own refusals are not new evidence.
bool server_failure(uint32_t code) {
  if (code == RIG_ERROR_CIRCUIT_OPEN || code == RIG_ERROR_SERVER_GIVEN_UP) return false;
  rig_error_kind kind = rig::classify_error(code, false).kind;
  return kind == RIG_ERROR_KIND_CONNECTION || kind == RIG_ERROR_KIND_SERVER_BUSY;
}

// Tells the breaker of the run's server `server` how a call went (code 0:
// it worked).
void observe_outcome(rig_run* run, std::size_t server, uint32_t code) {
  if (code == 0) {
    run->breakers[server]->record_success();
  } else if (server_failure(code)) {
    run->breakers[server]->record_failure();
  }
}

// Asks the breaker of server `server` whether a call may go out; if not,
// the refusal. No call goes out once the test has been told to stop.
std::optional<SessionError> breaker_refusal(rig_run* run, std::size_t server) {
  if (auto stopping = stop_reason()) {
    return SessionError{RIG_ERROR_RUN_STOPPING, "HY000",
                        "not sent: the test is stopping (" + *stopping + ")"};
  }
  std::string why;
  if (run->breakers[server]->given_up(run->started, &why)) {
    return SessionError{RIG_ERROR_SERVER_GIVEN_UP, "HY000", why};
  }
  if (run->breakers[server]->allow(&why)) return std::nullopt;
  return SessionError{RIG_ERROR_CIRCUIT_OPEN, "HY000", why};
}

// Records a failed database call of `run`: counted by code, and kept as the
// run's last failure for the error context.
void record_failure(rig_run* run, FailedOperation failed) {
  std::lock_guard lock(run->mutex);
  ++run->error_counts[failed.code];
  run->last_failure = std::move(failed);
}

// Opens a session of `run` to its server `server`, through that server's
// breaker. On failure records it and sets the run's message.
std::unique_ptr<Session> open_session(rig_run* run, std::size_t server, const std::string& name,
                                      const char* operation, uint32_t attempt,
                                      ConnectFailure* failure) {
  std::unique_ptr<Session> session;
  if (auto refusal = breaker_refusal(run, server)) {
    *failure = ConnectFailure{refusal->code, false, refusal->message};
  } else {
    ConnectParams params = run->connect;
    params.endpoint = servers_of(run->connect)[server];
    params.servers = {params.endpoint};
    session = Session::open(params, failure);
    observe_outcome(run, server, session ? 0 : failure->code);
  }
  if (!session) {
    record_failure(
        run, FailedOperation{operation, name, 0, "", failure->code, failure->message, attempt});
    std::lock_guard lock(run->mutex);
    run->message = failure->message;
  }
  return session;
}

// Opens a new session of `run` on server `*server` (new sessions take the
// servers of --host in turn), trying again on transient failures under the
// run's retry policy: a connect changes nothing, and a test that starts
// while its server restarts (a nemesis fault) waits for it as a retried
// transaction would. With `fail_over`, a try that failed on a server that
// has answered before is followed by one on the next server, as a reconnect
// does: a node killed while the sessions open must not fail the one meant
// for it. A server that never answered is more likely a wrong address in
// --host, and keeps its error. `*server` is where the session opened.
std::unique_ptr<Session> open_retrying(rig_run* run, std::size_t* server, bool fail_over,
                                       const std::string& name, ConnectFailure* failure) {
  const rig_retry_policy& retry = run->retry_policy;
  const test_rig::RetryPolicy policy{retry.max_attempts, retry.base_delay_ms, retry.max_delay_ms,
                                     std::max(retry.multiplier, 1.0)};
  std::mt19937_64 random(std::random_device{}());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (uint32_t attempt = 1;; ++attempt) {
    auto session = open_session(run, *server, name, "connect", attempt, failure);
    if (session || attempt >= policy.max_attempts ||
        classify_error(failure->code, false).retry != RIG_RETRY_TRANSIENT) {
      return session;
    }
    ++run->retries;
    const auto delay = test_rig::backoff_delay(policy, attempt, unit(random));
    // A test that waits for its server says so, instead of seeming to hang.
    spdlog::info(
        "[{}/{}] session '{}' is waiting for the server: {} (attempt {} of {}, next in {} "
        "ms)",
        run->plugin, run->test, name, failure->message, attempt, policy.max_attempts,
        delay.count());
    std::this_thread::sleep_for(delay);
    if (fail_over && run->breakers[*server]->has_answered()) {
      *server = (*server + 1) % run->breakers.size();
    }
  }
}

}  // namespace

// Replaces the session of `conn` with a new one. With several servers it
// fails over to the next one (the session's went away, or said it is not
// ready); a session of a single server reopens there. A failure leaves it
// marked for reopening before its next call.
rig_status reopen_session(rig_conn* conn) {
  ++conn->run->reconnects;
  conn->server = (conn->server + 1) % conn->run->breakers.size();
  ConnectFailure failure;
  auto session = open_session(conn->run, conn->server, conn->name, "reconnect",
                              ++conn->failures_in_a_row, &failure);
  if (!session) {
    conn->host_error = SessionError{failure.code, "HY000", failure.message};
    conn->reopen_first = true;
    return RIG_ERROR;
  }
  conn->host_error.reset();
  conn->reopen_first = false;
  ++conn->generation;
  spdlog::info("[{}/{}] session '{}' reconnected (connection id {})", conn->run->plugin,
               conn->run->test, conn->name, session->connection_id());
  conn->session = std::move(session);
  return RIG_OK;
}

rig_status connect_session(rig_run* run, const std::string& session_name,
                           std::optional<uint32_t> server_asked, rig_conn** conn) {
  {
    std::lock_guard lock(run->mutex);
    auto found = run->connections.find(session_name);
    if (found != run->connections.end()) {
      *conn = found->second.get();
      return RIG_OK;
    }
  }
  // Connect without the lock: other threads open their own sessions
  // meanwhile.
  std::size_t server = (server_asked ? *server_asked : run->next_server++) % run->breakers.size();
  ConnectFailure failure;
  // A session asked for on one server stays there.
  auto session = open_retrying(run, &server, !server_asked, session_name, &failure);
  if (!session) return failure.unknown_database ? RIG_FAILED : RIG_ERROR;
  auto opened = std::make_unique<rig_conn>();
  opened->run = run;
  opened->server = server;
  opened->name = session_name;
  opened->version = session->server().version;
  opened->raw_version = session->server().raw;
  spdlog::debug("[{}/{}] opened session '{}' (connection id {})", run->plugin, run->test,
                session_name, session->connection_id());
  std::lock_guard lock(run->mutex);
  if (!run->server) run->server = session->server();
  opened->session = std::move(session);
  auto& slot = run->connections[session_name];
  if (!slot) slot = std::move(opened);  // else another thread won the race
  *conn = slot.get();
  return RIG_OK;
}

bool call_session(rig_conn* conn, const char* operation, std::string_view sql,
                  const std::function<CallOutcome()>& call) {
  // A session whose reconnect failed is reopened first: a call sent on it
  // would fail again and, as the breaker's half-open probe, keep the
  // circuit open although the server is back.
  conn->host_error = breaker_refusal(conn->run, conn->server);
  if (!conn->host_error && conn->reopen_first) reopen_session(conn);
  if (!conn->host_error) {
    CallOutcome outcome = call();
    if (outcome.sent) {
      observe_outcome(conn->run, conn->server, outcome.error ? outcome.error->code : 0);
    }
    conn->host_error = std::move(outcome.error);
  }
  if (!conn->host_error) {
    conn->failures_in_a_row = 0;
    return true;
  }
  constexpr std::size_t kMaxSql = 300;
  record_failure(conn->run,
                 FailedOperation{operation, conn->name, conn->session->connection_id(),
                                 std::string(sql.substr(0, kMaxSql)), conn->host_error->code,
                                 conn->host_error->message, ++conn->failures_in_a_row});
  return false;
}

}  // namespace rig
