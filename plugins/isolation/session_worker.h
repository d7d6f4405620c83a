// plugins/isolation/session_worker.h -- one database session on its own
// thread, so that a statement can block on a lock while the scenario goes on.
//
//   SessionWorker t1(ctx.connection_to("T1", 0), 0, &epoch);
//   t1.submit(&slot, "update ...");         // runs after earlier submissions
//   if (!t1.wait_done(slot, 250ms)) ...     // still running: blocked
//   t1.wait_idle(10s);
//
// After a concurrency abort (deadlock, lock wait timeout, record changed,
// TiDB write conflict) the worker rolls the transaction back and records the
// session's later statements as skipped until the next BEGIN.
//
// Thread tags: [worker] is the session's own thread; every public function
// is [cell-runner], the one thread that runs the scenario.
#ifndef TEST_RIG_PLUGINS_ISOLATION_SESSION_WORKER_H_
#define TEST_RIG_PLUGINS_ISOLATION_SESSION_WORKER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "scenario.h"
#include "test_rig/sdk.h"

namespace isolation {

using Clock = std::chrono::steady_clock;

// What one step did. Written by the worker thread under its lock.
struct StepResult {
  std::string session, label, sql;
  bool done = false;
  bool blocked = false;        // waited for a lock (or, without a probe, was slow)
  std::string waited_for;      // what it waited for, e.g. "row lock", "table metadata lock"
  bool skipped = false;        // the session's transaction had been aborted
  bool cancelled = false;      // never ran: its session was still waiting when the script ended
  bool still_waiting = false;  // was waiting when the script ended; the runner released it
  uint32_t error_code = 0;
  std::string error;
  bool has_rows = false;
  Rows rows;
  double started_ms = 0, finished_ms = 0;  // since the cell started

  bool ok() const { return done && !skipped && !cancelled && error_code == 0; }
};

// True for errors that abort a transaction because of a conflict (deadlock,
// lock wait timeout, MariaDB's 1020, TiDB write conflicts), as the host's
// classification table says.
bool is_concurrency_error(uint32_t code);

// The remaining rows of `result` as text, sorted (SQL NULL is "null").
Rows fetch_rows(test_rig::QueryResult& result);

class SessionWorker {
 public:
  // `server`: the index, in the --host list, of the server `connection` is on.
  SessionWorker(test_rig::Connection connection, std::size_t server, Clock::time_point* epoch);
  ~SessionWorker();
  SessionWorker(const SessionWorker&) = delete;
  SessionWorker& operator=(const SessionWorker&) = delete;

  void submit(StepResult* slot);
  bool wait_done(const StepResult& slot, std::chrono::milliseconds timeout);
  bool wait_idle(std::chrono::milliseconds timeout);
  // Runs `sql` on this session right now; the worker must be idle. Throws
  // test_rig::DbError.
  void execute_now(const std::string& sql);
  // Makes the idle session ready for a new cell: forgets an abort carried
  // over, rolls back, and reconnects when the session was lost. Throws
  // test_rig::DbError when it cannot.
  void reset();
  // Marks the submitted steps that have not started as done and cancelled;
  // returns how many there were.
  std::size_t cancel_pending();

  uint64_t connection_id() const { return connection_id_.load(); }
  std::size_t server() const { return server_; }

 private:
  void loop();
  void run(StepResult* slot);

  test_rig::Connection connection_;
  std::atomic<uint64_t> connection_id_;
  const std::size_t server_;
  Clock::time_point* epoch_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<StepResult*> queue_;
  bool busy_ = false;
  bool aborted_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace isolation

#endif  // TEST_RIG_PLUGINS_ISOLATION_SESSION_WORKER_H_
