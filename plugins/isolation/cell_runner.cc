#include "cell_runner.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <thread>

namespace isolation {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(2);
const char* kDefaultSetup[] = {"CREATE TABLE {t} (id INT PRIMARY KEY, value INT) ENGINE=InnoDB",
                               "INSERT INTO {t} (id, value) VALUES (1, 10), (2, 20)"};

std::string with_table(std::string sql, const std::string& table) {
  for (auto at = sql.find("{t}"); at != std::string::npos; at = sql.find("{t}", at)) {
    sql.replace(at, 3, table);
  }
  return sql;
}

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

// Returns the reason the cell cannot be judged, or "".
std::string unexpected_error(const std::vector<StepResult>& trace) {
  for (const auto& step : trace) {
    if (!step.done) return step.session + " step '" + step.sql + "' never finished";
    if (step.error_code != 0 && !is_concurrency_error(step.error_code)) {
      return step.session + " step '" + step.sql + "' failed: " + step.error;
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

SessionWorker& worker_of(const std::string& session, const Scenario& scenario, SessionPool& pool) {
  auto index = std::find(scenario.sessions.begin(), scenario.sessions.end(), session) -
               scenario.sessions.begin();
  return *pool.workers[static_cast<std::size_t>(index)];
}

// Waits for `step` to finish. Returns false when it is blocked instead: the
// probe sees its session in a lock wait, or, without a probe, it is still
// running after `patience`. A statement that is merely slow is waited for.
bool finishes(const StepResult& step, SessionWorker& worker, LockWaitProbe& probe,
              std::chrono::milliseconds patience, std::chrono::milliseconds limit) {
  const auto started = Clock::now();
  while (!worker.wait_done(step, kPollInterval)) {
    const auto waited = Clock::now() - started;
    if (probe.available() ? probe.waiting(worker.connection_id()) : waited >= patience) {
      return false;
    }
    if (waited >= limit) return false;
  }
  return true;
}

// Once step `current` ran (a COMMIT often releases a lock), lets the steps
// blocked before it finish, so the next step meets a settled server instead
// of racing them.
void settle(const std::vector<StepResult>& trace, std::size_t current, const Scenario& scenario,
            const CellSettings& settings, SessionPool& pool, LockWaitProbe& probe) {
  for (std::size_t i = 0; i < current; ++i) {
    const StepResult& step = trace[i];
    if (!step.blocked || step.session == "after") continue;
    finishes(step, worker_of(step.session, scenario, pool), probe, settings.settle_timeout,
             settings.finish_timeout);
  }
}

// Prepares the sessions for the cell; returns why the level does not apply,
// or "".
std::string prepare_sessions(const CellSettings& settings, SessionPool& pool, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    SessionWorker& worker = *pool.workers[i];
    worker.reset();
    worker.execute_now("ROLLBACK");
    for (const auto& sql : settings.session_setup) worker.execute_now(sql);
    try {
      worker.execute_now(settings.set_level_sql);
    } catch (const test_rig::DbError& e) {
      return "the server rejects " + settings.level + ": " + e.what();
    }
  }
  return "";
}

}  // namespace

LockWaitProbe::LockWaitProbe(test_rig::Connection monitor)
    : monitor_(monitor), available_(monitor.try_execute("SHOW ENGINE INNODB STATUS").ok()) {}

// Finds the session's block in the list of transactions ("---TRANSACTION
// ... LOCK WAIT ... MariaDB thread id 13, ...") and looks for LOCK WAIT. The
// search starts at the list: the LATEST DETECTED DEADLOCK section above it
// names threads too.
bool LockWaitProbe::waiting(uint64_t connection_id) {
  auto status = monitor_.query("SHOW ENGINE INNODB STATUS");
  if (!status.next()) return false;
  auto text = status.get(2);
  if (!text) return false;
  const std::string needle = "thread id " + std::to_string(connection_id) + ",";
  std::string_view all = *text;
  auto list = all.find("LIST OF TRANSACTIONS");
  if (list == std::string_view::npos) return false;
  auto at = all.find(needle, list);
  if (at == std::string_view::npos) return false;
  auto begin = all.rfind("---TRANSACTION", at);
  return begin != std::string_view::npos && begin > list &&
         all.substr(begin, at - begin).find("LOCK WAIT") != std::string_view::npos;
}

CellResult run_cell(const Scenario& scenario, const CellSettings& settings, SessionPool& pool) {
  LockWaitProbe& probe = pool.probe;
  CellResult cell;
  cell.scenario = scenario.id;
  cell.level = settings.level;
  const auto started = Clock::now();
  const std::size_t sessions = scenario.sessions.size();

  pool.monitor.execute("DROP TABLE IF EXISTS " + settings.table);
  if (scenario.setup.empty()) {
    for (const char* sql : kDefaultSetup) pool.monitor.execute(with_table(sql, settings.table));
  } else {
    for (const auto& sql : scenario.setup) pool.monitor.execute(with_table(sql, settings.table));
  }
  cell.skipped = prepare_sessions(settings, pool, sessions);
  if (!cell.skipped.empty()) {
    pool.monitor.execute("DROP TABLE IF EXISTS " + settings.table);
    return cell;
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
    slot.blocked = !finishes(slot, worker, probe, settings.block_timeout, settings.finish_timeout);
    settle(cell.trace, i, scenario, settings, pool, probe);
  }
  for (std::size_t i = 0; i < sessions; ++i) {
    if (!pool.workers[i]->wait_idle(settings.finish_timeout)) {
      cell.error = "session " + scenario.sessions[i] + " still running after " +
                   std::to_string(settings.finish_timeout.count() / 1000) + " s";
      cell.duration_s = std::chrono::duration<double>(Clock::now() - started).count();
      return cell;  // the table stays; a stuck session still uses it
    }
    pool.workers[i]->execute_now("ROLLBACK");
  }
  for (std::size_t i : after_steps) {
    StepResult& slot = cell.trace[i];
    slot.started_ms = std::chrono::duration<double, std::milli>(Clock::now() - pool.epoch).count();
    auto result = pool.monitor.query(slot.sql);
    slot.has_rows = result.has_rows();
    slot.rows = fetch_rows(result);
    slot.finished_ms = slot.started_ms;
    slot.done = true;
  }
  pool.monitor.execute("DROP TABLE IF EXISTS " + settings.table);

  cell.error = unexpected_error(cell.trace);
  if (cell.error.empty()) cell.outcome = judge(scenario, cell.trace);
  cell.duration_s = std::chrono::duration<double>(Clock::now() - started).count();
  return cell;
}

std::string format_trace(const CellResult& cell) {
  std::string text;
  for (const auto& step : cell.trace) {
    char timing[64];
    std::snprintf(timing, sizeof(timing), "%7.1f-%7.1f ms", step.started_ms, step.finished_ms);
    text += std::string("    ") + timing + "  " + step.session;
    if (!step.label.empty()) text += " [" + step.label + "]";
    text += ": " + step.sql + "  =>  ";
    if (step.blocked) text += "blocked, then ";
    if (step.skipped) {
      text += "skipped (transaction aborted)";
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
