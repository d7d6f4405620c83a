#include "cell_runner.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "lock_wait_text.h"
#include "plugin_support.h"

namespace isolation {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(2);
constexpr uint32_t kLockWaitTimeout = 1205;
const char* kDefaultSetup[] = {
    "CREATE TABLE {t} (id INT PRIMARY KEY, value INT) ENGINE=InnoDB {owner}",
    "INSERT INTO {t} (id, value) VALUES (1, 10), (2, 20)"};

// `sql` with {t} replaced by the cell's table and {owner} by the table
// option that marks it as this run's (test_rig/sdk/owner_mark.h).
std::string with_table(std::string sql, const std::string& table) {
  const std::pair<std::string, std::string> placeholders[] = {
      {"{t}", table}, {"{owner}", test_rig::owner_comment()}};
  for (const auto& [placeholder, value] : placeholders) {
    for (auto at = sql.find(placeholder); at != std::string::npos;
         at = sql.find(placeholder, at + value.size())) {
      sql.replace(at, placeholder.size(), value);
    }
  }
  return sql;
}

std::string describe(const StepResult& step) { return step.session + " step '" + step.sql + "'"; }

bool holds(const Condition& condition, const std::map<std::string, const StepResult*>& steps) {
  auto it = steps.find(condition.label);
  if (it == steps.end()) return false;
  const StepResult& step = *it->second;
  switch (condition.kind) {
    case Condition::Kind::kBefore: {
      auto other = steps.find(condition.other);
      return other != steps.end() && step.done && other->second->done &&
             step.finished_ms < other->second->started_ms;
    }
    case Condition::Kind::kOk: return step.ok();
    case Condition::Kind::kFailed: return step.done && !step.ok();
    case Condition::Kind::kEquals: return step.ok() && step.rows == condition.rows;
    case Condition::Kind::kHas:
      return step.ok() &&
             std::all_of(condition.rows.begin(), condition.rows.end(), [&](const Row& row) {
               return std::binary_search(step.rows.begin(), step.rows.end(), row);
             });
  }
  return false;
}

// Why the scenario did not run to its end by itself, or "".
std::string undecided_reason(const std::vector<StepResult>& trace) {
  for (const auto& step : trace) {
    if (step.still_waiting) {
      return describe(step) + " was still waiting for a " + step.waited_for +
             " when the scenario ended; only the runner's cleanup released it";
    }
    if (step.error_code == kLockWaitTimeout) {
      return describe(step) + " ended by a lock-wait timeout (1205)" +
             (step.waited_for.empty() ? "" : " waiting for a " + step.waited_for) +
             ": no step of the scenario released it";
    }
  }
  return "";
}

// Returns the reason the cell cannot be judged, or "".
std::string unexpected_error(const std::vector<StepResult>& trace) {
  for (const auto& step : trace) {
    if (!step.done) return describe(step) + " never finished";
    if (step.error_code != 0 && !is_concurrency_error(step.error_code)) {
      return describe(step) + " failed: " + step.error;
    }
  }
  return "";
}

Outcome judge(const Scenario& scenario, const std::vector<StepResult>& trace) {
  std::map<std::string, const StepResult*> labelled;
  for (const auto& step : trace) {
    if (!step.label.empty()) labelled[step.label] = &step;
  }
  for (const Clause& clause : scenario.anomaly) {
    bool all = std::all_of(clause.begin(), clause.end(),
                           [&](const Condition& c) { return holds(c, labelled); });
    if (all) return Outcome::kAnomaly;
  }
  bool waited_or_aborted = std::any_of(trace.begin(), trace.end(), [](const StepResult& s) {
    return s.blocked || is_concurrency_error(s.error_code);
  });
  return waited_or_aborted ? Outcome::kRollback : Outcome::kAvoid;
}

std::size_t session_index(const std::string& session, const Scenario& scenario) {
  return static_cast<std::size_t>(
      std::find(scenario.sessions.begin(), scenario.sessions.end(), session) -
      scenario.sessions.begin());
}

SessionWorker& worker_of(const std::string& session, const Scenario& scenario, SessionPool& pool) {
  return *pool.workers[session_index(session, scenario)];
}

// Waits for `step` to finish. Returns false when it is blocked instead: the
// probe sees its session wait for a lock (and names it in `step`), or,
// without a probe, it is still running after `patience`. A statement that is
// merely slow is waited for, up to `limit`.
bool finishes(StepResult& step, SessionWorker& worker, WaitProbe& probe,
              std::chrono::milliseconds patience, std::chrono::milliseconds limit) {
  const auto started = Clock::now();
  while (!worker.wait_done(step, kPollInterval)) {
    const auto waited = Clock::now() - started;
    if (probe.available()) {
      std::string lock = probe.waiting(worker.server(), worker.connection_id());
      if (!lock.empty()) {
        step.waited_for = lock;
        return false;
      }
    } else if (waited >= patience) {
      step.waited_for = "lock (still running after the block timeout)";
      return false;
    }
    if (waited >= limit) return false;
  }
  return true;
}

// Once step `current` ran (a COMMIT often releases a lock), lets the steps
// blocked before it finish, so the next step meets a settled server instead
// of racing them.
void settle(std::vector<StepResult>& trace, std::size_t current, const Scenario& scenario,
            const CellSettings& settings, SessionPool& pool) {
  for (std::size_t i = 0; i < current; ++i) {
    StepResult& step = trace[i];
    if (!step.blocked || step.session == "after") continue;
    finishes(step, worker_of(step.session, scenario, pool), pool.probe, settings.settle_timeout,
             settings.finish_timeout);
  }
}

// Across a cluster's nodes, waits until every node has applied what the
// cluster committed so far, so that the next step meets the step before it
// on whichever node it runs: a cell then shows how the cluster isolates
// transactions, not how far one node's replication lags behind.
void catch_up_replicas(const CellSettings& settings, SessionPool& pool) {
  if (settings.replica_barrier.empty() || pool.monitors.size() < 2) return;
  const std::string sql = with_table(settings.replica_barrier, settings.table);
  for (test_rig::Connection& monitor : pool.monitors) monitor.execute(sql);
}

// After the last step, every unfinished step either finishes by itself or
// waits for a lock that no remaining step releases. Passes repeat while one
// finished, since that may release another session; then each session's
// first unfinished step is marked still waiting, and the steps queued
// behind it never run.
void mark_still_waiting(std::vector<StepResult>& trace, const Scenario& scenario,
                        const CellSettings& settings, SessionPool& pool) {
  auto first_unfinished = [&](std::size_t session) -> StepResult* {
    for (auto& step : trace) {
      if (step.session != "after" && !step.done &&
          session_index(step.session, scenario) == session) {
        return &step;
      }
    }
    return nullptr;
  };
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t s = 0; s < scenario.sessions.size(); ++s) {
      while (StepResult* step = first_unfinished(s)) {
        if (!finishes(*step, *pool.workers[s], pool.probe, settings.settle_timeout,
                      settings.finish_timeout)) {
          break;
        }
        progress = true;
      }
    }
  }
  for (std::size_t s = 0; s < scenario.sessions.size(); ++s) {
    StepResult* step = first_unfinished(s);
    if (!step) continue;
    step->blocked = true;
    step->still_waiting = true;
    pool.workers[s]->cancel_pending();
  }
}

// Leaves the first `count` sessions idle and rolled back, whatever the cell
// did: steps not yet started are cancelled and running statements killed.
void release_sessions(SessionPool& pool, std::size_t count, const CellSettings& settings) {
  for (std::size_t i = 0; i < count; ++i) {
    SessionWorker& worker = *pool.workers[i];
    if (worker.wait_idle(std::chrono::milliseconds(0))) continue;
    worker.cancel_pending();
    pool.monitors[worker.server()].execute_best_effort("KILL QUERY " +
                                                       std::to_string(worker.connection_id()));
  }
  for (std::size_t i = 0; i < count; ++i) {
    SessionWorker& worker = *pool.workers[i];
    if (!worker.wait_idle(settings.finish_timeout)) {
      throw PoolBroken("session T" + std::to_string(i + 1) + " was still busy " +
                       std::to_string(settings.finish_timeout.count() / 1000) +
                       " s after KILL QUERY; the remaining cells cannot run");
    }
    // A transaction's end does not release LOCK TABLES or GET_LOCK.
    for (const char* sql : {"ROLLBACK", "UNLOCK TABLES", "DO RELEASE_ALL_LOCKS()"}) {
      try {
        worker.execute_now(sql);
      } catch (const test_rig::DbError&) {
        // A lost session is reconnected when the next cell resets it.
      }
    }
  }
}

// Prepares the sessions for the cell; returns why the level does not apply,
// or "". Throws test_rig::DbError when a session cannot be used.
std::string prepare_sessions(const CellSettings& settings, SessionPool& pool, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    SessionWorker& worker = *pool.workers[i];
    worker.reset();
    for (const auto& sql : settings.session_setup) worker.execute_now(sql);
    try {
      worker.execute_now(settings.set_level_sql);
    } catch (const test_rig::DbError& e) {
      return "the server rejects " + settings.level + ": " + e.what();
    }
  }
  return "";
}

// The monitors serve every cell; one that lost them (a read timeout, a
// server restart) must not take the next cell's setup or this cell's
// cleanup along.
void reconnect_monitors_if_lost(SessionPool& pool) {
  for (test_rig::Connection& monitor : pool.monitors) {
    if (monitor.execute_best_effort("DO 1")) continue;
    monitor.reconnect();
    for (const auto& sql : pool.monitor_setup) monitor.execute(sql);
  }
}

void run_after_steps(const std::vector<std::size_t>& after_steps, SessionPool& pool,
                     std::vector<StepResult>& trace) {
  for (std::size_t i : after_steps) {
    StepResult& slot = trace[i];
    slot.started_ms = std::chrono::duration<double, std::milli>(Clock::now() - pool.epoch).count();
    try {
      auto result = pool.monitor().query(slot.sql);
      slot.has_rows = result.has_rows();
      slot.rows = fetch_rows(result);
    } catch (const test_rig::DbError& e) {
      slot.error_code = e.code();
      slot.error = e.what();
    }
    slot.finished_ms = std::chrono::duration<double, std::milli>(Clock::now() - pool.epoch).count();
    slot.done = true;
  }
}

// Creates the cell's table, runs the interleaving and marks what was left
// waiting. Returns the indexes of the `after` steps. Throws
// test_rig::DbError.
std::vector<std::size_t> run_script(const Scenario& scenario, const CellSettings& settings,
                                    SessionPool& pool, CellResult& cell) {
  const std::size_t sessions = scenario.sessions.size();
  cell.skipped = prepare_sessions(settings, pool, sessions);
  if (!cell.skipped.empty()) return {};
  if (scenario.setup.empty()) {
    for (const char* sql : kDefaultSetup) pool.monitor().execute(with_table(sql, settings.table));
  } else {
    for (const auto& sql : scenario.setup) pool.monitor().execute(with_table(sql, settings.table));
  }

  cell.trace.resize(scenario.steps.size());
  pool.epoch = Clock::now();
  std::vector<std::size_t> after_steps;
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const Step& step = scenario.steps[i];
    StepResult& slot = cell.trace[i];
    slot.session = step.session;
    slot.label = step.label;
    slot.sql = with_table(step.sql, settings.table);
    if (step.session == "after") {
      after_steps.push_back(i);
      continue;
    }
    SessionWorker& worker = worker_of(step.session, scenario, pool);
    worker.submit(&slot);
    slot.blocked =
        !finishes(slot, worker, pool.probe, settings.block_timeout, settings.finish_timeout);
    settle(cell.trace, i, scenario, settings, pool);
    catch_up_replicas(settings, pool);
  }
  mark_still_waiting(cell.trace, scenario, settings, pool);
  return after_steps;
}

}  // namespace

WaitProbe::WaitProbe(std::vector<test_rig::Connection> monitors)
    : monitors_(std::move(monitors)),
      available_(std::all_of(monitors_.begin(), monitors_.end(), [](test_rig::Connection& m) {
        return m.try_execute("SHOW ENGINE INNODB STATUS").ok() &&
               m.try_execute("SELECT STATE FROM information_schema.PROCESSLIST LIMIT 1").ok();
      })) {}

// A row or gap lock wait does not show in the process list; InnoDB's status
// shows it. Its INNODB_TRX table is no help: a cache that refreshes only
// after 100 ms without reads, which polling never allows.
std::string WaitProbe::waiting(std::size_t server, uint64_t connection_id) {
  test_rig::Connection& monitor = monitors_[server];
  auto process = monitor.query("SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = " +
                               std::to_string(connection_id));
  if (process.next()) {
    if (auto state = process.get(0)) {
      std::string lock = lock_wait_of_process_state(*state);
      if (!lock.empty()) return lock;
    }
  }
  auto status = monitor.query("SHOW ENGINE INNODB STATUS");
  if (!status.next()) return "";
  auto text = status.get(2);
  return text && innodb_status_shows_lock_wait(*text, connection_id) ? "row lock" : "";
}

CellResult run_cell(const Scenario& scenario, const CellSettings& settings, SessionPool& pool) {
  CellResult cell;
  cell.scenario = scenario.id;
  cell.level = settings.level;
  const auto started = Clock::now();
  const std::size_t sessions = scenario.sessions.size();

  bool table_is_ours = false;
  std::vector<std::size_t> after_steps;
  try {
    reconnect_monitors_if_lost(pool);
    if (rig_plugins::table_exists(pool.monitor(), settings.table)) {
      cell.error = "table " + settings.table + " already exists; it is not this run's, so the " +
                   "cell does not run and leaves it alone";
    } else {
      table_is_ours = true;
      after_steps = run_script(scenario, settings, pool, cell);
    }
  } catch (const test_rig::DbError& e) {
    cell.error = e.what();
  }
  release_sessions(pool, sessions, settings);
  if (cell.error.empty() && cell.skipped.empty()) {
    run_after_steps(after_steps, pool, cell.trace);
  }
  if (table_is_ours) {
    try {
      reconnect_monitors_if_lost(pool);
      if (rig_plugins::table_exists(pool.monitor(), settings.table)) {
        pool.monitor().execute("DROP TABLE " + settings.table);
      }
    } catch (const test_rig::DbError& e) {
      cell.error += std::string(cell.error.empty() ? "" : "; ") + "table " + settings.table +
                    " is left behind (" + e.what() + "); remove it with DROP TABLE " +
                    settings.table;
    }
  }

  if (cell.error.empty() && cell.skipped.empty()) {
    cell.undecided = undecided_reason(cell.trace);
    if (!cell.undecided.empty()) {
      cell.outcome = Outcome::kUndecided;
    } else {
      cell.error = unexpected_error(cell.trace);
      if (cell.error.empty()) cell.outcome = judge(scenario, cell.trace);
    }
  }
  cell.duration_s = std::chrono::duration<double>(Clock::now() - started).count();
  return cell;
}

std::string format_trace(const CellResult& cell) {
  std::string text;
  if (!cell.undecided.empty()) text += "    undecided: " + cell.undecided + "\n";
  for (const auto& step : cell.trace) {
    char timing[64];
    std::snprintf(timing, sizeof(timing), "%7.1f-%7.1f ms", step.started_ms, step.finished_ms);
    text += std::string("    ") + timing + "  " + step.session;
    if (!step.label.empty()) text += " [" + step.label + "]";
    text += ": " + step.sql + "  =>  ";
    if (step.still_waiting) {
      text += "still waiting for a " + step.waited_for + " at the end, released by the runner: ";
    } else if (step.blocked) {
      text += "blocked (" + step.waited_for + "), then ";
    }
    if (step.cancelled) {
      text += "never ran (its session was still waiting)";
    } else if (step.skipped) {
      text += "skipped (transaction aborted)";
    } else if (step.error_code == kLockWaitTimeout) {
      text += "lock-wait timeout (1205)";
    } else if (step.error_code != 0) {
      text += "error " + std::to_string(step.error_code);
    } else if (step.has_rows) {
      text += format_rows(step.rows);
    } else {
      text += "ok";
    }
    text += "\n";
  }
  return text;
}

}  // namespace isolation
