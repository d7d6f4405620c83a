#include "load_run.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "client_usage.h"
#include "latency_histogram.h"
#include "plugin_support.h"
#include "rate_limiter.h"
#include "statement_runner.h"
#include "tpcc_transactions.h"
#include "write_file.h"

namespace rig_load {
namespace {

using rig_plugins::fixed;

using Clock = std::chrono::steady_clock;
using test_rig::Context;

// The wall-clock time of `t`, in milliseconds since the Unix epoch: what
// lines up the intervals of runs on several machines.
int64_t unix_ms(Clock::time_point t) {
  using namespace std::chrono;
  const auto wall = system_clock::now() - duration_cast<system_clock::duration>(Clock::now() - t);
  return duration_cast<milliseconds>(wall.time_since_epoch()).count();
}

// One worker's counters, on a cache line of its own: workers never write
// to shared lines per query. The reporter sums them.
struct alignas(64) ThreadCounters {
  std::atomic<int64_t> attempted{0}, succeeded{0}, failed{0}, ignored{0}, indeterminate{0};
  std::array<std::atomic<int64_t>, 3> queries{};  // by StatementClass
  // Of those, the ones that ran in an attempt that did not succeed (retried
  // or given up): only the rest did what the succeeded events say.
  std::array<std::atomic<int64_t>, 3> queries_in_failed_attempts{};
  std::atomic<int64_t> errors{0}, reconnects{0}, retries{0};

  // One writer per counter: a load and a store, no locked read-modify-write.
  static void add(std::atomic<int64_t>& counter, int64_t n) {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  static void bump(std::atomic<int64_t>& counter) { add(counter, 1); }
};

// Workers record into one of a few shards of each histogram (thread % 8),
// so that at most a few threads share cache lines.
constexpr int kShards = 8;

// Everything the workers measure, from the end of the warm-up on.
struct Measurements {
  std::vector<ThreadCounters> threads;
  std::deque<LatencyHistogram> events;  // by shard (a deque: histograms do not move)
  // By shard, then statement kind; only the kinds the workload runs.
  std::vector<std::array<std::unique_ptr<LatencyHistogram>, kStatementKinds>> statements;
  std::mutex errors_mutex;
  std::map<uint32_t, int64_t> errors_by_code;

  Measurements(int thread_count, const std::vector<StatementKind>& kinds)
      : threads(static_cast<std::size_t>(thread_count)), statements(shards(thread_count)) {
    // Up to kShards threads each own a shard and record without locked
    // instructions; beyond, threads share shards.
    const bool single_writer = thread_count <= kShards;
    for (std::size_t s = 0; s < shards(thread_count); ++s) events.emplace_back(single_writer);
    for (auto& shard : statements) {
      for (StatementKind kind : kinds) {
        shard[static_cast<int>(kind)] =
            std::make_unique<LatencyHistogram>(single_writer, layout_of(kind));
      }
    }
  }

  // A transaction (load/tpcc's) is measured as closely as an event; a
  // statement of an event at 0.8 %.
  static test_rig::HistogramLayout layout_of(StatementKind kind) {
    return is_transaction(kind) ? test_rig::kThreeDigits : kStatementLayout;
  }

  static std::size_t shards(int thread_count) {
    return static_cast<std::size_t>(std::min(thread_count, kShards));
  }

  Counts counts() const {
    constexpr auto relaxed = std::memory_order_relaxed;
    const auto by_class = [](const std::array<std::atomic<int64_t>, 3>& q) {
      return QueryCounts{q[0].load(relaxed), q[1].load(relaxed), q[2].load(relaxed)};
    };
    Counts total;
    for (const ThreadCounters& t : threads) {
      Counts thread;
      thread.events = {t.attempted.load(relaxed), t.succeeded.load(relaxed), t.failed.load(relaxed),
                       t.ignored.load(relaxed), t.indeterminate.load(relaxed)};
      thread.queries = by_class(t.queries);
      thread.queries_in_failed_attempts = by_class(t.queries_in_failed_attempts);
      thread.retries = t.retries.load(relaxed);
      thread.reconnects = t.reconnects.load(relaxed);
      thread.errors = t.errors.load(relaxed);
      total += thread;
    }
    return total;
  }

  test_rig::Histogram event_latency() const {
    test_rig::Histogram total(test_rig::kThreeDigits);
    for (const auto& shard : events) shard.add_to(&total);
    return total;
  }

  // Nullopt for kinds the workload never runs.
  std::optional<test_rig::Histogram> statement_latency(int kind) const {
    if (!statements.front()[kind]) return std::nullopt;
    test_rig::Histogram total(layout_of(static_cast<StatementKind>(kind)));
    for (const auto& shard : statements) shard[kind]->add_to(&total);
    return total;
  }

  void count_error(int thread, uint32_t code) {
    ThreadCounters::bump(threads[static_cast<std::size_t>(thread)].errors);
    std::lock_guard lock(errors_mutex);
    ++errors_by_code[code];
  }
};

// The statement kinds a workload runs, from a sample event.
std::vector<StatementKind> kinds_of(const LoadSettings& settings, const SqlTemplates& templates) {
  if (settings.workload == Workload::kTpcc) {
    return {StatementKind::kNewOrder, StatementKind::kPayment, StatementKind::kOrderStatus,
            StatementKind::kDelivery, StatementKind::kStockLevel};
  }
  RandomIds ids(Distribution::kUniform, 10, 0);
  std::vector<Statement> event;
  make_event(settings.workload, settings.shape, templates, ids, &event);
  std::vector<StatementKind> kinds;
  for (const Statement& s : event) {
    if (std::find(kinds.begin(), kinds.end(), s.kind) == kinds.end()) kinds.push_back(s.kind);
  }
  return kinds;
}

// Shared by every worker of the run.
struct RunState {
  const LoadSettings& settings;
  const SqlTemplates& templates;
  Measurements measured;
  std::atomic<bool> measuring{false};
  // No new event starts: the time is up, or the run failed.
  std::atomic<bool> stop{false};
  // The run failed (a permanent error, or the test told to stop): events
  // under way give up their retries too. At the deadline alone they finish
  // them, so that an event retrying a deadlock as the time runs out is not
  // counted as failed.
  std::atomic<bool> aborted{false};
  std::atomic<int64_t> events_left;  // with --load.events
  std::mutex fatal_mutex;
  std::optional<std::string> fatal;  // a permanent error that stopped the run
  // A failure whose message the host holds (a session that could not be
  // opened, a failing event handler).
  std::optional<test_rig::ReportedError> reported_failure;
  // Workers whose thread has not ended. The main thread sleeps on
  // `worker_ended` rather than polling, so that it wakes neither the
  // workers' core nor late.
  std::mutex running_mutex;
  std::condition_variable worker_ended;
  int running;

  RunState(const LoadSettings& s, const SqlTemplates& t)
      : settings(s),
        templates(t),
        measured(s.threads, kinds_of(s, t)),
        events_left(s.events),
        running(s.threads) {}

  void end_worker() {
    {
      std::lock_guard lock(running_mutex);
      --running;
    }
    worker_ended.notify_all();
  }

  // Sleeps until `until` or until every worker has ended; whether any
  // still runs.
  bool wait_for_workers(Clock::time_point until) {
    std::unique_lock lock(running_mutex);
    return !worker_ended.wait_until(lock, until, [this] { return running == 0; });
  }

  void fail_reported(rig_status status) {
    std::lock_guard lock(fatal_mutex);
    if (!reported_failure && !fatal) reported_failure = test_rig::ReportedError(status);
    aborted = true;
    stop = true;
  }

  void fail(std::string message) {
    std::lock_guard lock(fatal_mutex);
    if (!fatal) fatal = std::move(message);
    aborted = true;
    stop = true;
  }
  // Whether another event may start (--load.events counts them down).
  bool take_event() {
    if (stop.load(std::memory_order_relaxed)) return false;
    if (settings.events <= 0) return true;
    return events_left.fetch_sub(1, std::memory_order_relaxed) > 0;
  }
};

enum class Outcome { kSucceeded, kFailed, kIgnored, kIndeterminate };

class Worker {
 public:
  Worker(RunState& state, Context& ctx, int index)
      : state_(state),
        ctx_(ctx),
        index_(index),
        shard_(static_cast<std::size_t>(index % kShards)),
        counters_(state.measured.threads[static_cast<std::size_t>(index)]),
        ids_(state.settings.distribution, state.settings.table_size,
             state.settings.seed * 1000003 +
                 static_cast<uint64_t>(state.settings.first_thread + index)),
        policy_(test_rig::retry_policy(ctx)) {}

  void run(std::latch& connected, Clock::time_point start) {
    try {
      runner_ = make_runner(ctx_, "load-" + std::to_string(index_), state_.settings);
    } catch (const test_rig::Context::ConnectError& e) {
      state_.fail_reported(e.status());
    } catch (const std::exception& e) {
      state_.fail("thread " + std::to_string(index_) + " could not start: " + e.what());
    }
    if (state_.settings.workload == Workload::kTpcc) start_terminal();
    connected.arrive_and_wait();
    if (!runner_ || (state_.settings.workload == Workload::kTpcc && !terminal_)) return;
    if (state_.settings.workload == Workload::kPython &&
        !call_event(state_.settings.event_handler.enter)) {
      return;
    }
    RateLimiter pace(state_.settings.rate, state_.settings.threads, index_, start);
    while (state_.take_event()) {
      // Open loop: latency runs from the intended start (statements are
      // still timed from their actual start).
      std::optional<Clock::time_point> intended;
      if (pace.open_loop()) {
        intended = pace.next();
        std::this_thread::sleep_until(*intended);
      }
      if (state_.stop.load(std::memory_order_relaxed)) break;
      const bool measured = state_.measuring.load(std::memory_order_relaxed);
      if (state_.settings.workload == Workload::kPython) {
        const Clock::time_point began = intended ? *intended : Clock::now();
        const Outcome outcome = call_event(nullptr) ? Outcome::kSucceeded : Outcome::kFailed;
        if (measured) finish(outcome, Clock::now() - began);
        continue;
      }
      if (terminal_) {
        const tpcc::TpccTransaction type = deck_->deal(ids_.engine());
        if (state_.settings.tpcc.wait) {
          keying_time(type);
          if (state_.stop.load(std::memory_order_relaxed)) break;  // the time ran out meanwhile
        }
        const Clock::time_point began = intended.value_or(Clock::now());
        const Outcome outcome = run_transaction(type, measured);
        const Clock::time_point ended = Clock::now();
        if (outcome != Outcome::kSucceeded) ++effects_.unfinished;
        if (measured) {
          finish(outcome, ended - began);
          if (outcome == Outcome::kSucceeded) {
            state_.measured.statements[shard_][static_cast<int>(kind_of(type))]->record(ended -
                                                                                        began);
          }
        }
        if (state_.settings.tpcc.wait) think_time(type);
        continue;
      }
      make_event(state_.settings.workload, state_.settings.shape, state_.templates, ids_, &event_);
      Clock::time_point clock = Clock::now();
      const Clock::time_point began = intended.value_or(clock);
      const Outcome outcome = run_event(measured, &clock);
      if (outcome != Outcome::kSucceeded) ++effects_.unfinished;
      if (measured) finish(outcome, clock - began);
    }
    if (state_.settings.workload == Workload::kPython)
      call_event(state_.settings.event_handler.exit);
  }

  // What this worker's events did to the tables; read after its thread ended.
  const TableEffects& effects() const { return effects_; }
  // The measured events' latencies, with --load.raw-latencies; read after
  // its thread ended.
  const std::vector<int64_t>& raw_latencies() const { return raw_latencies_; }

 private:
  void finish(Outcome outcome, Clock::duration latency) {
    ThreadCounters::bump(counters_.attempted);
    switch (outcome) {
      case Outcome::kSucceeded:
        ThreadCounters::bump(counters_.succeeded);
        state_.measured.events[shard_].record(latency);
        if (!state_.settings.raw_latencies_path.empty()) {
          raw_latencies_.push_back(
              std::chrono::duration_cast<std::chrono::nanoseconds>(latency).count());
        }
        break;
      case Outcome::kFailed: ThreadCounters::bump(counters_.failed); break;
      case Outcome::kIgnored: ThreadCounters::bump(counters_.ignored); break;
      case Outcome::kIndeterminate: ThreadCounters::bump(counters_.indeterminate); break;
    }
  }

  // Runs the statements of `event_`, retrying the whole event on transient
  // errors under the [retry] policy. `*clock` is the time the event's first
  // statement starts; on success, the time its last one ended. Each
  // statement's end is the next one's start, so an event of n statements
  // reads the clock n times.
  Outcome run_event(bool measured, Clock::time_point* clock) {
    const bool in_transaction = transactional(state_.settings.workload, state_.settings.shape);
    for (uint32_t attempt = 1;; ++attempt) {
      const Statement* current = nullptr;
      std::array<int64_t, 3> attempt_queries{};
      try {
        for (const Statement& statement : event_) {
          current = &statement;
          runner_->run(statement);
          const Clock::time_point done = Clock::now();
          if (measured) {
            state_.measured.statements[shard_][static_cast<int>(statement.kind)]->record(done -
                                                                                         *clock);
            const int kind_class = static_cast<int>(statement_class(statement.kind));
            ThreadCounters::bump(counters_.queries[kind_class]);
            ++attempt_queries[kind_class];
          }
          *clock = done;
          // Outside a transaction each statement commits as it succeeds,
          // even if a later one fails (and a retry runs it again).
          if (!in_transaction) count_committed(statement);
        }
        if (in_transaction) {
          for (const Statement& statement : event_) count_committed(statement);
        }
        return Outcome::kSucceeded;
      } catch (const test_rig::DbError& e) {
        if (measured) count_failed_attempt(attempt_queries);
        // A write whose outcome is unknown: the COMMIT of a transaction
        // that wrote, or a write that autocommits, lost its connection.
        auto writes = [](const Statement& s) {
          return statement_class(s.kind) == StatementClass::kWrite;
        };
        const bool committing =
            current && (in_transaction ? current->kind == StatementKind::kCommit &&
                                             std::any_of(event_.begin(), event_.end(), writes)
                                       : writes(*current));
        if (auto outcome = settle(e, committing, attempt, measured)) return *outcome;
        *clock = Clock::now();
      }
    }
  }

  // One TPC-C transaction, retried whole on transient errors as an event.
  Outcome run_transaction(tpcc::TpccTransaction type, bool measured) {
    for (uint32_t attempt = 1;; ++attempt) {
      try {
        const tpcc::TpccOutcome done = terminal_->run(type);
        if (measured) count_queries(terminal_->statements());
        if (done == tpcc::TpccOutcome::kRolledBack) {
          ++effects_.rolled_back_new_orders;
        } else if (type == tpcc::TpccTransaction::kNewOrder) {
          ++effects_.committed_new_orders;
        } else if (type == tpcc::TpccTransaction::kDelivery) {
          ++effects_.committed_deliveries;
        }
        return Outcome::kSucceeded;
      } catch (const test_rig::DbError& e) {
        if (measured) count_failed_attempt(terminal_->statements());
        // Every transaction but Order-Status and Stock-Level writes.
        const bool committing = terminal_->committing() &&
                                type != tpcc::TpccTransaction::kOrderStatus &&
                                type != tpcc::TpccTransaction::kStockLevel;
        if (auto outcome = settle(e, committing, attempt, measured)) return *outcome;
      }
    }
  }

  // After attempt `attempt` of an event failed with `e`: how the event
  // ends, or nullopt once it is ready to be tried again (the session
  // recovered, the backoff slept).
  std::optional<Outcome> settle(const test_rig::DbError& e, bool committing, uint32_t attempt,
                                bool measured) {
    if (measured) state_.measured.count_error(index_, e.code());
    test_rig::ErrorClass error = test_rig::classify_error(e.code(), committing);
    if (error.retry == RIG_RETRY_INDETERMINATE) {
      ++effects_.indeterminate;
      reconnect(measured);
      return Outcome::kIndeterminate;
    }
    if (state_.settings.ignore_errors.count(e.code())) {
      recover(error, measured);
      return Outcome::kIgnored;
    }
    if (!error.transient()) {
      state_.fail(std::string(e.what()) + " (" + error.description + ")");
      return Outcome::kFailed;
    }
    recover(error, measured);
    if (attempt >= policy_.max_attempts || state_.aborted.load()) return Outcome::kFailed;
    if (measured) ThreadCounters::bump(counters_.retries);
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    std::this_thread::sleep_for(test_rig::backoff_delay(policy_, attempt, jitter(ids_.engine())));
    return std::nullopt;
  }

  void count_queries(const std::array<int64_t, 3>& by_class) {
    for (std::size_t c = 0; c < 3; ++c) ThreadCounters::add(counters_.queries[c], by_class[c]);
  }

  void count_failed_attempt(const std::array<int64_t, 3>& by_class) {
    for (std::size_t c = 0; c < 3; ++c) {
      ThreadCounters::add(counters_.queries_in_failed_attempts[c], by_class[c]);
    }
  }

  // This worker's TPC-C terminal: its own session, a home warehouse by its
  // number among the run's threads, and its deck of transactions.
  void start_terminal() {
    const TpccSettings& settings = state_.settings.tpcc;
    const int thread = state_.settings.first_thread + index_;
    try {
      test_rig::Connection db = ctx_.connection("tpcc-" + std::to_string(index_));
      const uint64_t seed = state_.settings.seed * 1000003 + static_cast<uint64_t>(thread);
      terminal_.emplace(
          db, tpcc::TpccRandom(seed, settings.load_constants.for_run(state_.settings.seed)),
          tpcc::TerminalPlace{thread % settings.warehouses + 1,
                              thread / settings.warehouses % tpcc::kDistrictsPerWarehouse + 1,
                              settings.warehouses},
          settings.session_setup, state_.settings.prepared);
      deck_.emplace(settings.weights);
    } catch (const test_rig::Context::ConnectError& e) {
      state_.fail_reported(e.status());
    } catch (const std::exception& e) {
      state_.fail("thread " + std::to_string(index_) + " could not start: " + e.what());
    }
  }

  static StatementKind kind_of(tpcc::TpccTransaction type) {
    return static_cast<StatementKind>(static_cast<int>(StatementKind::kNewOrder) +
                                      static_cast<int>(type));
  }

  // Clause 5.2.5: the user keys in the input (a fixed time per transaction)
  // and thinks over the output (a negative exponential time, at most ten
  // times its mean). Both count in no latency.
  void keying_time(tpcc::TpccTransaction type) {
    static constexpr double kKeying[] = {18, 3, 2, 2, 2};
    sleep_unless_stopped(kKeying[static_cast<int>(type)]);
  }
  void think_time(tpcc::TpccTransaction type) {
    static constexpr double kThinkMean[] = {12, 12, 10, 5, 5};
    const double mean = kThinkMean[static_cast<int>(type)];
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const double r = std::max(uniform(ids_.engine()), 1e-12);
    sleep_unless_stopped(std::min(-std::log(r) * mean, 10 * mean));
  }
  void sleep_unless_stopped(double seconds) {
    const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(seconds));
    while (Clock::now() < until && !state_.stop.load(std::memory_order_relaxed)) {
      std::this_thread::sleep_for(
          std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(100)));
    }
  }

  // Calls `phase` (enter or exit) of the event handler, or its execute when
  // null. A failure stops the run; the handler has set the run's message.
  bool call_event(rig_status (*phase)(void*, rig_run*)) {
    const rig_state_descriptor& handler = state_.settings.event_handler;
    rig_status status = RIG_OK;
    if (phase) {
      status = phase(handler.user, ctx_.handle());
    } else if (handler.execute) {
      const char* next = nullptr;
      status = handler.execute(handler.user, ctx_.handle(), &next);
    }
    if (status != RIG_OK) state_.fail_reported(status);
    return status == RIG_OK;
  }

  void count_committed(const Statement& statement) {
    const Workload workload = state_.settings.workload;
    switch (statement.kind) {
      case StatementKind::kIndexUpdate: ++effects_.committed_index_updates; break;
      case StatementKind::kInsert:
        if (workload == Workload::kInsert) ++effects_.committed_inserts;
        break;
      case StatementKind::kDelete:
        if (workload == Workload::kDelete) ++effects_.committed_deletes;
        break;
      default: break;
    }
  }

  // After a transient error: a new session if the connection is gone, else
  // a ROLLBACK of what the event had started.
  void recover(const test_rig::ErrorClass& error, bool measured) {
    if (error.kind == RIG_ERROR_KIND_CONNECTION) {
      reconnect(measured);
    } else if (terminal_) {
      terminal_->rollback();
    } else {
      runner_->rollback();
    }
  }

  void reconnect(bool measured) {
    if (measured) ThreadCounters::bump(counters_.reconnects);
    try {
      if (terminal_) {
        terminal_->reconnect();
      } else {
        runner_->reconnect();
      }
    } catch (const test_rig::DbError&) {
      // Still down: the next attempt fails and backs off again.
    }
  }

  RunState& state_;
  Context& ctx_;
  int index_;
  std::size_t shard_;
  ThreadCounters& counters_;  // only this worker writes them
  RandomIds ids_;
  test_rig::RetryPolicy policy_;
  std::unique_ptr<StatementRunner> runner_;
  std::vector<Statement> event_;                // the current event, reused
  std::optional<tpcc::TpccTerminal> terminal_;  // Workload::kTpcc's
  std::optional<tpcc::TransactionDeck> deck_;
  TableEffects effects_;  // read once the thread has ended
  std::vector<int64_t> raw_latencies_;
};

// The reporter: one progress line per interval, kept for the JSON and CSV.
class Reporter {
 public:
  Reporter(RunState& state, Context& ctx) : state_(state), ctx_(ctx) {}

  void begin(Clock::time_point start) {
    start_ = last_ = start;
    last_counts_ = state_.measured.counts();
    last_events_ = state_.measured.event_latency();
  }

  // Emits the interval ending `now`.
  void interval(Clock::time_point now) {
    const double seconds = std::chrono::duration<double>(now - last_).count();
    if (seconds <= 0) return;
    Counts counts = state_.measured.counts();
    test_rig::Histogram events = state_.measured.event_latency();
    const test_rig::Histogram latency = events - last_events_;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    IntervalRow row;
    row.time_s = std::round(elapsed * 1000) / 1000;
    row.seconds = seconds;
    row.start_unix_ms = unix_ms(last_);
    row.threads = state_.settings.threads;
    row.counts = counts - last_counts_;
    row.latency = latency_summary(latency);
    row.histogram = latency.coarsened(test_rig::kCoarse);
    ctx_.info(progress_line(row));
    rows_.push_back(std::move(row));
    last_ = now;
    last_counts_ = counts;
    last_events_ = std::move(events);
  }

  const std::vector<IntervalRow>& rows() const { return rows_; }

 private:
  RunState& state_;
  Context& ctx_;
  Clock::time_point start_, last_;
  Counts last_counts_;
  test_rig::Histogram last_events_;
  std::vector<IntervalRow> rows_;
};

}  // namespace

namespace {

// Every count of TableEffects, in to_text's order.
constexpr int64_t TableEffects::*kEffectFields[] = {
    &TableEffects::committed_inserts,    &TableEffects::committed_index_updates,
    &TableEffects::committed_deletes,    &TableEffects::indeterminate,
    &TableEffects::unfinished,           &TableEffects::committed_new_orders,
    &TableEffects::committed_deliveries, &TableEffects::rolled_back_new_orders};

}  // namespace

std::string TableEffects::to_text() const {
  std::string text;
  for (auto field : kEffectFields) text += (text.empty() ? "" : " ") + std::to_string(this->*field);
  return text;
}

TableEffects TableEffects::from_text(const std::string& text) {
  TableEffects effects;
  std::istringstream in(text);
  for (auto field : kEffectFields) in >> effects.*field;
  if (!in) {
    throw std::runtime_error("a shard's table effects are not " +
                             std::to_string(std::size(kEffectFields)) + " numbers: '" + text + "'");
  }
  return effects;
}

TableEffects& TableEffects::operator+=(const TableEffects& other) {
  for (auto field : kEffectFields) this->*field += other.*field;
  return *this;
}

LoadResult run_load(Context& ctx, const LoadSettings& settings) {
  const SqlTemplates templates(settings.table_prefix, settings.tables);
  RunState state(settings, templates);
  Reporter reporter(state, ctx);

  std::latch connected(settings.threads + 1);
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  const auto pace_start = Clock::now() + std::chrono::milliseconds(50);
  for (int i = 0; i < settings.threads; ++i) {
    workers.push_back(std::make_unique<Worker>(state, ctx, i));
  }
  for (int i = 0; i < settings.threads; ++i) {
    threads.emplace_back([&, i] {
      workers[static_cast<std::size_t>(i)]->run(connected, pace_start);
      state.end_worker();
    });
  }
  // Without a warm-up every event counts, including the first.
  if (settings.warmup_s <= 0) state.measuring = true;
  connected.arrive_and_wait();  // every session is open before the clock starts

  const auto started = Clock::now();
  const auto warm_end = started + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(settings.warmup_s));
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(settings.report_interval_s));
  if (settings.warmup_s > 0) {
    ctx.info("warming up for " + fixed(settings.warmup_s, 1) + " s");
    state.wait_for_workers(warm_end);
  }
  state.measuring = true;
  const CpuTimes cpu_at_start = process_cpu_times();
  const auto measure_start = Clock::now();
  // The measured window is --load.time long from its own start, however
  // late the warm-up's end woke this thread.
  const auto deadline = settings.time_s > 0
                            ? measure_start + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(settings.time_s))
                            : Clock::time_point::max();
  reporter.begin(measure_start);
  auto next_report = measure_start + interval;
  // The run ends at the deadline, or when the workers stop by themselves
  // (--load.events used up, or a permanent error).
  while (state.wait_for_workers(std::min(next_report, deadline)) && Clock::now() < deadline) {
    reporter.interval(next_report);
    next_report += interval;
  }
  state.stop = true;
  for (auto& t : threads) t.join();
  const auto measure_end = Clock::now();
  const CpuTimes cpu = process_cpu_times() - cpu_at_start;
  // The last, partial interval, unless it is too short to say anything.
  if (measure_end - (next_report - interval) > interval / 10) reporter.interval(measure_end);
  if (!settings.csv_path.empty()) write_csv(settings.csv_path, reporter.rows());
  if (!settings.raw_latencies_path.empty()) {
    rig_plugins::write_file(settings.raw_latencies_path, [&](std::ostream& out) {
      for (const auto& worker : workers) {
        for (int64_t ns : worker->raw_latencies()) out << ns << "\n";
      }
    });
  }

  const double seconds = std::chrono::duration<double>(measure_end - measure_start).count();
  LoadResult result;
  result.stopped_by = state.fatal;
  result.reported_failure = state.reported_failure;
  for (const auto& worker : workers) result.effects += worker->effects();
  LoadSummary& summary = result.summary;
  summary.workload = workload_name(settings.workload);
  summary.dry_run = settings.dry_run;
  summary.prepared = settings.prepared;
  summary.threads = settings.threads;
  summary.seconds = seconds;
  summary.rate = settings.rate;
  summary.start_unix_ms = unix_ms(measure_start);
  summary.counts = state.measured.counts();
  summary.latency = state.measured.event_latency();
  {
    std::lock_guard lock(state.measured.errors_mutex);
    for (auto [code, n] : state.measured.errors_by_code) summary.errors[code] = n;
  }
  // Statements in the order the workload runs them.
  for (int kind = 0; kind < kStatementKinds; ++kind) {
    if (auto latency = state.measured.statement_latency(kind)) {
      summary.statements.emplace_back(statement_name(static_cast<StatementKind>(kind)),
                                      std::move(*latency));
    }
  }
  std::vector<int64_t> events_per_thread;
  for (const ThreadCounters& t : state.measured.threads) {
    events_per_thread.push_back(t.succeeded.load());
  }
  summary.fairness = fairness_of(events_per_thread);
  summary.memory = process_memory_mib();
  ClientCpu& client = summary.client_cpu;
  const double us = cpu.total_s() * 1e6;
  client.user_s = cpu.user_s;
  client.system_s = cpu.system_s;
  // A Python event counts no queries: then there is no figure per query.
  const Counts& counts = summary.counts;
  if (counts.queries.total() > 0) client.us_per_query = us / counts.queries.total();
  if (counts.events.attempted > 0) client.us_per_event = us / counts.events.attempted;
  client.busy_cpus = cpu.total_s() / seconds;
  client.cpus = usable_cpus();
  // A dry run has no server: there the client is all that is measured.
  client.client_bound = !settings.dry_run && client_bound(client.busy_cpus, client.cpus);
  summary.intervals = reporter.rows();
  if (client.client_bound) {
    ctx.warn("the client kept " + busy_cpus_text(client) +
             " busy: these figures measure the client as much as the server; run fewer "
             "threads, or the rig on a machine of its own");
  }
  result.text = summary_text(summary);
  if (settings.histogram) result.text += ascii_chart(summary.latency, 20, 40);
  return result;
}

}  // namespace rig_load
