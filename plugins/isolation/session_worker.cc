#include "session_worker.h"

#include <algorithm>
#include <cctype>

namespace isolation {
namespace {

bool starts_transaction(const std::string& sql) {
  std::string head;
  for (char c : sql.substr(0, 17)) head += static_cast<char>(std::tolower(c));
  return head.rfind("begin", 0) == 0 || head.rfind("start transaction", 0) == 0;
}

double elapsed_ms(Clock::time_point epoch) {
  return std::chrono::duration<double, std::milli>(Clock::now() - epoch).count();
}

}  // namespace

bool is_concurrency_error(uint32_t code) { return test_rig::classify_error(code).conflict(); }

Rows fetch_rows(test_rig::QueryResult& result) {
  Rows rows;
  while (result.next()) {
    Row row;
    for (uint32_t i = 0; i < result.column_count(); ++i) {
      auto cell = result.get(i);
      row.emplace_back(cell ? std::string(*cell) : "null");
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

SessionWorker::SessionWorker(test_rig::Connection connection, std::size_t server,
                             Clock::time_point* epoch)
    : connection_(connection),
      connection_id_(connection.connection_id()),
      server_(server),
      epoch_(epoch),
      thread_([this] { loop(); }) {}

SessionWorker::~SessionWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void SessionWorker::submit(StepResult* slot) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(slot);
  }
  changed_.notify_all();
}

bool SessionWorker::wait_done(const StepResult& slot, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return slot.done; });
}

bool SessionWorker::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return queue_.empty() && !busy_; });
}

void SessionWorker::execute_now(const std::string& sql) { connection_.execute(sql); }

void SessionWorker::reset() {
  {
    std::lock_guard lock(mutex_);
    aborted_ = false;
  }
  if (connection_.execute_best_effort("ROLLBACK")) return;
  connection_.reconnect();
  connection_id_ = connection_.connection_id();
}

std::size_t SessionWorker::cancel_pending() {
  std::size_t cancelled = 0;
  {
    std::lock_guard lock(mutex_);
    for (StepResult* slot : queue_) {
      slot->cancelled = true;
      slot->done = true;
      slot->started_ms = slot->finished_ms = elapsed_ms(*epoch_);
      ++cancelled;
    }
    queue_.clear();
  }
  changed_.notify_all();
  return cancelled;
}

void SessionWorker::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    StepResult* slot = queue_.front();
    queue_.pop_front();
    busy_ = true;
    if (starts_transaction(slot->sql)) aborted_ = false;
    bool skip = aborted_;
    lock.unlock();
    if (skip) {
      slot->skipped = true;
      slot->started_ms = slot->finished_ms = elapsed_ms(*epoch_);
    } else {
      run(slot);
    }
    lock.lock();
    if (is_concurrency_error(slot->error_code)) aborted_ = true;
    slot->done = true;
    busy_ = false;
    changed_.notify_all();
  }
}

// Runs one statement; on a concurrency abort, rolls the transaction back so
// the session is clean, as a client retrying it would.
void SessionWorker::run(StepResult* slot) {
  slot->started_ms = elapsed_ms(*epoch_);
  Rows rows;
  bool has_rows = false;
  uint32_t code = 0;
  std::string error;
  try {
    test_rig::QueryResult result = connection_.query(slot->sql);
    has_rows = result.has_rows();
    rows = fetch_rows(result);
  } catch (const test_rig::DbError& e) {
    code = e.code();
    error = e.what();
  }
  if (is_concurrency_error(code)) connection_.execute_best_effort("ROLLBACK");
  std::lock_guard lock(mutex_);
  slot->rows = std::move(rows);
  slot->has_rows = has_rows;
  slot->error_code = code;
  slot->error = std::move(error);
  slot->finished_ms = elapsed_ms(*epoch_);
}

}  // namespace isolation
