#include "workload_run.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "plugin_support.h"

namespace consistency {
namespace {

using rig_plugins::fixed;

using Clock = std::chrono::steady_clock;
using test_rig::Connection;
using test_rig::Context;
using test_rig::DbError;

// The SQL of each workload, over one table: list-append keeps a list as
// comma-separated text per key, rw-register one integer per key, bank one
// balance per account.
class Statements {
 public:
  Statements(Workload workload, std::string table)
      : workload_(workload), table_(std::move(table)) {}

  std::string write(const PlannedOperation& op) const {
    const std::string k = std::to_string(op.key), v = std::to_string(op.value);
    switch (op.kind) {
      case MopKind::kAppend:
        return "INSERT INTO " + table_ + " (k, v) VALUES (" + k + ", '" + v +
               "') ON DUPLICATE KEY UPDATE v = CONCAT(v, '," + v + "')";
      case MopKind::kWrite:
        return "INSERT INTO " + table_ + " (k, v) VALUES (" + k + ", " + v +
               ") ON DUPLICATE KEY UPDATE v = " + v;
      case MopKind::kAdd:
        // Money leaves only an account that has it.
        return "UPDATE " + table_ + " SET balance = balance + " + v + " WHERE id = " + k +
               (op.value < 0 ? " AND balance >= " + std::to_string(-op.value) : "");
      case MopKind::kRead: break;
    }
    return "";
  }
  std::string read(int64_t key) const {
    return "SELECT v FROM " + table_ + " WHERE k = " + std::to_string(key);
  }
  std::string read_all() const {
    return workload_ == Workload::kBank ? "SELECT id, balance FROM " + table_
                                        : "SELECT k, v FROM " + table_;
  }

 private:
  Workload workload_;
  std::string table_;
};

int64_t number(std::string_view text) {
  int64_t value = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size()) {
    throw std::runtime_error("the server returned '" + std::string(text) +
                             "' where this run wrote an integer");
  }
  return value;
}

// "1,2,3" -> {1, 2, 3}; empty text -> {}.
std::vector<int64_t> list_of(std::string_view text) {
  std::vector<int64_t> list;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    list.push_back(number(text.substr(0, comma)));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return list;
}

// Progress, per session, read by the reporter while the sessions run.
struct alignas(64) SessionCounters {
  std::atomic<int64_t> ok{0}, failed{0}, indeterminate{0};
};

// What every session shares.
struct Shared {
  const WorkloadSettings& settings;
  Statements statements;
  TransactionGenerator generator;
  Clock::time_point start;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> left;  // transactions still to start, with --transactions
  std::vector<SessionCounters> counters;
  std::mutex done_mutex;
  std::condition_variable done;
  int running;

  Shared(const WorkloadSettings& s, const std::string& table)
      : settings(s),
        statements(s.shape.workload, table),
        generator(s.shape),
        left(s.transactions),
        counters(static_cast<std::size_t>(s.sessions)),
        running(s.sessions) {}

  int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
  }
  bool take_transaction() {
    if (stop.load(std::memory_order_relaxed)) return false;
    if (settings.time_s > 0 &&
        Clock::now() - start >= std::chrono::duration<double>(settings.time_s)) {
      return false;
    }
    return settings.transactions <= 0 || left.fetch_sub(1, std::memory_order_relaxed) > 0;
  }
};

// One session: a thread, a connection, and the logical processes it runs
// (a new one after each transaction whose outcome is unknown).
class Session {
 public:
  Session(Shared& shared, Context& ctx, int index, WorkloadRun* log)
      : shared_(shared),
        ctx_(ctx),
        index_(index),
        process_(static_cast<uint32_t>(shared.settings.first_session + index)),
        rng_(shared.settings.seed * 1000003 +
             static_cast<uint64_t>(shared.settings.first_session + index)),
        policy_(test_rig::retry_policy(ctx)),
        log_(*log),
        counters_(shared.counters[static_cast<std::size_t>(index)]) {}

  void run() {
    try {
      db_.emplace(ctx_.connection("consistency-" + std::to_string(index_)));
      set_up();
      const double rate = shared_.settings.rate / shared_.settings.sessions;
      Clock::time_point next = Clock::now();
      while (shared_.take_transaction()) {
        if (rate > 0) {
          std::this_thread::sleep_until(next);
          next +=
              std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1 / rate));
        }
        if (reconnect_first_ && !reconnect()) break;
        transaction(shared_.generator.next(rng_));
      }
    } catch (const std::exception& e) {
      log_.stopped_by = e.what();
      shared_.stop = true;
    }
    {
      std::lock_guard lock(shared_.done_mutex);
      --shared_.running;
    }
    shared_.done.notify_all();
  }

 private:
  // The session's settings: again after every reconnect, which opens a
  // new server session.
  void set_up() {
    for (const std::string& sql : shared_.settings.session_setup) db_->execute(sql);
  }

  // Reopens the session after a lost connection, backing off while the
  // server is down. False when the run is over meanwhile.
  bool reconnect() {
    for (uint32_t attempt = 1; !shared_.stop.load(); ++attempt) {
      try {
        db_->reconnect();
        ++log_.reconnects;
        set_up();
        reconnect_first_ = false;
        return true;
      } catch (const DbError& e) {
        count(e.code());
        if (!test_rig::classify_error(e.code()).transient()) throw;
        std::this_thread::sleep_for(test_rig::backoff_delay(
            policy_, std::min(attempt, 16u), std::uniform_real_distribution<double>(0, 1)(rng_)));
      }
    }
    return false;
  }

  void count(uint32_t code) { ++log_.errors_by_code[code]; }

  void transaction(const PlannedTransaction& plan) {
    History& h = log_.history;
    const bool record = shared_.settings.record;
    const uint32_t t = record ? h.begin_transaction(plan.f, process_, shared_.now_ns()) : 0;
    std::size_t done = 0;  // operations sent and recorded
    bool committing = false, chose_rollback = plan.rollback;
    try {
      db_->execute("BEGIN");
      if (plan.f == Function::kRead) {
        read_all(t, plan);
        done = plan.operations.size();
      }
      for (; done < plan.operations.size(); ++done) {
        const PlannedOperation& op = plan.operations[done];
        if (op.kind != MopKind::kRead) {
          const uint64_t changed = db_->execute(shared_.statements.write(op));
          if (record) record_write(t, op);
          if (op.kind == MopKind::kAdd && changed == 0) chose_rollback = true;  // no funds
          continue;
        }
        test_rig::QueryResult rows = db_->query(shared_.statements.read(op.key));
        if (!record) continue;
        const bool found = rows.next();
        const std::optional<std::string_view> cell = found ? rows.get(0) : std::nullopt;
        if (shared_.settings.shape.workload == Workload::kListAppend) {
          h.add_list_read(t, op.key, cell ? list_of(*cell) : std::vector<int64_t>{});
        } else if (cell) {
          h.add_value_read(t, op.key, number(*cell));
        } else {
          h.add_nil_read(t, op.key);
        }
      }
      if (chose_rollback) {
        db_->execute("ROLLBACK");
        ++log_.rolled_back;
        return finish(t, Outcome::kFail);
      }
      committing = true;
      db_->execute("COMMIT");
      finish(t, Outcome::kOk);
    } catch (const DbError& e) {
      if (record) {
        for (; done < plan.operations.size(); ++done) record_unsent(t, plan.operations[done]);
      }
      count(e.code());
      const test_rig::ErrorClass error = test_rig::classify_error(e.code(), committing);
      const bool unknown = error.retry == RIG_RETRY_INDETERMINATE;
      if (error.kind == RIG_ERROR_KIND_CONNECTION || unknown) {
        reconnect_first_ = true;
      } else {
        db_->execute_best_effort("ROLLBACK");
      }
      finish(t, unknown ? Outcome::kInfo : Outcome::kFail);
      if (error.retry == RIG_RETRY_PERMANENT) throw;
    }
  }

  void read_all(uint32_t t, const PlannedTransaction& plan) {
    test_rig::QueryResult rows = db_->query(shared_.statements.read_all());
    std::map<int64_t, int64_t> balances;
    while (rows.next()) balances[number(*rows.get(0))] = number(rows.get(1).value_or("0"));
    if (!shared_.settings.record) return;
    for (const PlannedOperation& op : plan.operations) {
      auto found = balances.find(op.key);
      if (found != balances.end()) log_.history.add_value_read(t, op.key, found->second);
    }
  }

  void record_write(uint32_t t, const PlannedOperation& op) {
    History& h = log_.history;
    if (op.kind == MopKind::kAppend) h.add_append(t, op.key, op.value);
    if (op.kind == MopKind::kWrite) h.add_write(t, op.key, op.value);
    if (op.kind == MopKind::kAdd) h.add_add(t, op.key, op.value);
  }

  // An operation of a transaction that ended before it: the intent, with
  // nothing read.
  void record_unsent(uint32_t t, const PlannedOperation& op) {
    if (op.kind == MopKind::kRead) {
      log_.history.add_unknown_read(t, op.key,
                                    shared_.settings.shape.workload == Workload::kListAppend);
    } else {
      record_write(t, op);
    }
  }

  void finish(uint32_t t, Outcome outcome) {
    if (shared_.settings.record) log_.history.complete(t, outcome, shared_.now_ns());
    switch (outcome) {
      case Outcome::kOk: counters_.ok.fetch_add(1, std::memory_order_relaxed); break;
      case Outcome::kFail: counters_.failed.fetch_add(1, std::memory_order_relaxed); break;
      case Outcome::kInfo:
        counters_.indeterminate.fetch_add(1, std::memory_order_relaxed);
        // Elle's rule: a process with a transaction of unknown outcome
        // never runs another; the session goes on as a new process.
        process_ += static_cast<uint32_t>(shared_.settings.run_sessions);
        break;
    }
  }

  Shared& shared_;
  Context& ctx_;
  int index_;
  uint32_t process_;
  std::mt19937_64 rng_;
  test_rig::RetryPolicy policy_;
  WorkloadRun& log_;
  SessionCounters& counters_;
  std::optional<Connection> db_;
  bool reconnect_first_ = false;
};

// One progress line per interval until every session has ended.
void report_progress(Context& ctx, Shared& shared) {
  const auto interval = std::chrono::duration<double>(shared.settings.report_interval_s);
  auto next = shared.start + std::chrono::duration_cast<Clock::duration>(interval);
  int64_t last_total = 0;
  std::unique_lock lock(shared.done_mutex);
  while (!shared.done.wait_until(lock, next, [&] { return shared.running == 0; })) {
    int64_t ok = 0, failed = 0, info = 0;
    for (const SessionCounters& c : shared.counters) {
      ok += c.ok.load(std::memory_order_relaxed);
      failed += c.failed.load(std::memory_order_relaxed);
      info += c.indeterminate.load(std::memory_order_relaxed);
    }
    const double elapsed = std::chrono::duration<double>(next - shared.start).count();
    ctx.info("[ " + fixed(elapsed, 0) + "s ] txn/s: " +
             fixed(static_cast<double>(ok + failed + info - last_total) / interval.count(), 1) +
             " ok: " + std::to_string(ok) + " fail: " + std::to_string(failed) +
             " info: " + std::to_string(info));
    last_total = ok + failed + info;
    next += std::chrono::duration_cast<Clock::duration>(interval);
  }
}

// The last state of every key, read in one committed transaction.
void final_read(Context& ctx, const WorkloadSettings& settings, const Shared& shared,
                WorkloadRun* run) {
  Connection db = ctx.connection();
  const std::vector<int64_t> keys = shared.generator.keys_used();
  std::map<int64_t, std::string> values;
  const int64_t invoke = shared.now_ns();
  // One statement, retried; no transaction, whose COMMIT could only lose a
  // read its connection.
  test_rig::retry_reads(ctx, db, [&](Connection& tx) {
    values.clear();
    test_rig::QueryResult rows = tx.query(shared.statements.read_all());
    while (rows.next()) values[number(*rows.get(0))] = std::string(rows.get(1).value_or(""));
  });
  if (!settings.record) return;
  History& h = run->history;
  const bool bank = settings.shape.workload == Workload::kBank;
  // A process of its own: past every session's, in the first session's
  // residue class, which no other shard's sessions use.
  uint32_t highest = 0;
  for (const Transaction& txn : h.transactions()) highest = std::max(highest, txn.process);
  const auto step = static_cast<uint32_t>(settings.run_sessions);
  const uint32_t process =
      (highest / step + 1) * step + static_cast<uint32_t>(settings.first_session);
  const uint32_t t = h.begin_transaction(bank ? Function::kRead : Function::kTxn, process, invoke);
  for (int64_t key : keys) {
    auto found = values.find(key);
    if (settings.shape.workload == Workload::kListAppend) {
      h.add_list_read(t, key,
                      found == values.end() ? std::vector<int64_t>{} : list_of(found->second));
    } else if (found != values.end()) {
      h.add_value_read(t, key, number(found->second));
    } else if (!bank) {
      h.add_nil_read(t, key);
    }
  }
  h.complete(t, Outcome::kOk, shared.now_ns());
  ++run->ok;
}

// The faults of the run's nemesis while the workload ran, from the
// timeline test-rig names in TEST_RIG_NEMESIS_TIMELINE (monotonic clock
// times, as this process reads them), as records of the history.
void add_nemesis_timeline(History* history, Clock::time_point start, Clock::time_point end) {
  const char* path = std::getenv("TEST_RIG_NEMESIS_TIMELINE");
  if (path == nullptr) return;
  const int64_t from =
      std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
  const int64_t to =
      std::chrono::duration_cast<std::chrono::nanoseconds>(end.time_since_epoch()).count();
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object() || !event.contains("monotonic_ns")) continue;
    const int64_t at = event["monotonic_ns"].get<int64_t>();
    if (at < from || at > to) continue;
    NemesisRecord record;
    record.time_ns = at - from;
    record.phase = event.value("phase", "");
    record.fault = event.value("fault", "");
    for (const auto& node : event.value("nodes", nlohmann::json::array())) {
      record.nodes.push_back(node.get<uint32_t>());
    }
    history->add_nemesis(std::move(record));
  }
}

}  // namespace

void create_table(Connection& db, const WorkloadSettings& settings, const std::string& table) {
  rig_plugins::require_absent(db, table);
  const std::string mark = " " + test_rig::owner_comment();
  switch (settings.shape.workload) {
    case Workload::kListAppend:
      db.execute("CREATE TABLE " + table + " (k BIGINT PRIMARY KEY, v TEXT NOT NULL)" + mark);
      return;
    case Workload::kRwRegister:
      db.execute("CREATE TABLE " + table + " (k BIGINT PRIMARY KEY, v BIGINT NOT NULL)" + mark);
      return;
    case Workload::kBank:
      db.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)" +
                 mark);
      rig_plugins::insert_rows(db, table, settings.shape.accounts, [&](int64_t n) {
        return std::to_string(n - 1) + "," + std::to_string(settings.initial_balance);
      });
      return;
  }
}

WorkloadRun run_workload(Context& ctx, const WorkloadSettings& settings, const std::string& table) {
  Shared shared(settings, table);
  std::vector<WorkloadRun> logs(static_cast<std::size_t>(settings.sessions));
  std::vector<std::thread> threads;
  shared.start = Clock::now();
  const int64_t start_unix_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
  for (int i = 0; i < settings.sessions; ++i) {
    threads.emplace_back(
        [&, i] { Session(shared, ctx, i, &logs[static_cast<std::size_t>(i)]).run(); });
  }
  report_progress(ctx, shared);
  for (std::thread& thread : threads) thread.join();

  WorkloadRun run;
  run.seconds = std::chrono::duration<double>(Clock::now() - shared.start).count();
  run.start_unix_ns = start_unix_ns;
  for (std::size_t i = 0; i < logs.size(); ++i) {
    WorkloadRun& log = logs[i];
    run.history.absorb(std::move(log.history));
    run.ok += shared.counters[i].ok;
    run.failed += shared.counters[i].failed;
    run.indeterminate += shared.counters[i].indeterminate;
    run.rolled_back += log.rolled_back;
    run.reconnects += log.reconnects;
    for (const auto& [code, n] : log.errors_by_code) run.errors_by_code[code] += n;
    if (log.stopped_by && !run.stopped_by) run.stopped_by = log.stopped_by;
  }
  if (!run.stopped_by) {
    // The history so far is checked however the final read ends.
    try {
      final_read(ctx, settings, shared, &run);
    } catch (const std::exception& e) {  // a DbError, IndeterminateCommit, ConnectError
      run.stopped_by = std::string("the final read failed: ") + e.what();
    }
  }
  add_nemesis_timeline(&run.history, shared.start, Clock::now());
  run.history.finish();
  return run;
}

}  // namespace consistency
