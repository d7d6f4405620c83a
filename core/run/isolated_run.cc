#include "core/run/isolated_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "core/base/utc_time.h"
#include "core/errors/error_class.h"
#include "core/plugin/host_settings.h"
#include "core/plugin/run_context.h"
#include "core/plugin/stop_request.h"
#include "core/run/crash_trace.h"
#include "test_rig/sdk/isolated_call.h"

namespace rig {
namespace {

using Clock = std::chrono::steady_clock;

// "2 s", "0.5 s", "300 s".
std::string seconds_text(std::chrono::milliseconds duration) {
  std::ostringstream text;
  text << static_cast<double>(duration.count()) / 1000.0 << " s";
  return text.str();
}

// Why a state was stopped: the first half of what the watchdog in the
// test's process and the parent waiting for it both say.
std::string timeout_text(const std::string& state, std::chrono::milliseconds timeout) {
  return "state '" + state + "' exceeded its timeout of " + seconds_text(timeout);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool write_all(int fd, const std::string& data) {
  std::size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// An error result for a test the host could not start; `what` gets errno.
TestResult infrastructure_error(const SelectedTest& selected, const std::string& what) {
  TestResult result;
  result.plugin = selected.plugin->name;
  result.test = selected.test->name;
  result.status = TestStatus::kError;
  result.message = what + ": " + std::strerror(errno);
  return result;
}

void on_stop_signal(int) { request_stop_interrupted(); }

// Asks the test to stop when the state it is in overruns its timeout.
class StateWatchdog {
 public:
  StateWatchdog() : thread_([this] { watch(); }) {}
  ~StateWatchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  void arm(const std::string& state, std::chrono::milliseconds timeout) {
    {
      std::lock_guard lock(mutex_);
      state_ = state;
      timeout_ = timeout;
      deadline_ = Clock::now() + timeout;
    }
    changed_.notify_all();
  }

  // The current state's timeout grows by `extra`, counted from now; returns
  // the new timeout.
  std::chrono::milliseconds extend(std::chrono::milliseconds extra) {
    std::chrono::milliseconds timeout;
    {
      std::lock_guard lock(mutex_);
      timeout_ += extra;
      timeout = timeout_;
      if (deadline_) deadline_ = Clock::now() + timeout_;
    }
    changed_.notify_all();
    return timeout;
  }

 private:
  void watch() {
    std::unique_lock lock(mutex_);
    while (!done_) {
      if (!deadline_) {
        changed_.wait(lock);
      } else if (changed_.wait_until(lock, *deadline_) == std::cv_status::timeout && deadline_ &&
                 Clock::now() >= *deadline_) {
        request_stop_timed_out(timeout_text(state_, timeout_));
        deadline_.reset();
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  bool done_ = false;
  std::string state_;
  std::chrono::milliseconds timeout_{0};
  std::optional<Clock::time_point> deadline_;
  std::thread thread_;  // last: starts once the members above exist
};

[[noreturn]] void run_child(int fd, int trace_fd, pid_t parent, const SelectedTest& selected,
                            const ExecutionSettings& settings) {
  // The test dies with test-rig, even by SIGKILL: an orphan would go on
  // loading the server, and hold its tables, with nobody to report to.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) _exit(0);  // test-rig died before the line above
  // A signal asks the test to stop and report; the parent kills it if it
  // does not within the grace period.
  struct sigaction stop {};
  stop.sa_handler = &on_stop_signal;
  sigemptyset(&stop.sa_mask);
  sigaction(SIGINT, &stop, nullptr);
  sigaction(SIGTERM, &stop, nullptr);
  signal(SIGPIPE, SIG_IGN);
  write_stack_on_crash(trace_fd);
  // Interpreters in the test (the python plugin's faulthandler) write their
  // own traceback there first.
  set_host_list("run.crash_fd", {std::to_string(trace_fd)});
  StateObserver observer;
  observer.on_state = [fd](const std::string& state, std::chrono::milliseconds timeout) {
    nlohmann::json event = {{"event", "state"}, {"state", state}, {"timeout_ms", timeout.count()}};
    write_all(fd, event.dump() + "\n");
  };
  observer.on_timeout = [fd](std::chrono::milliseconds timeout) {
    nlohmann::json event = {{"event", "timeout"}, {"timeout_ms", timeout.count()}};
    write_all(fd, event.dump() + "\n");
  };
  TestResult result = execute_in_process(selected, settings, observer);
  nlohmann::json event = {{"event", "result"}, {"result", result}};
  // A server's message may hold bytes that are not UTF-8 (U+FFFD then).
  write_all(fd, event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  spdlog::default_logger()->flush();
  ::close(fd);
  // Skip static destructors: they belong to the parent's copy of the world.
  _exit(0);
}

// The parent's side of one isolated run.
class ChildMonitor {
 public:
  ChildMonitor(const SelectedTest& selected, pid_t pid, int fd, int trace_fd,
               std::chrono::milliseconds grace)
      : pid_(pid), fd_(fd), trace_fd_(trace_fd), grace_(grace), started_(Clock::now()) {
    partial_.plugin = selected.plugin->name;
    partial_.test = selected.test->name;
  }

  TestResult wait(const std::atomic<int>& interrupts) {
    bool open = true;
    std::optional<Clock::time_point> told_to_stop;
    while (open) {
      if (interrupts > 0 && !told_to_stop) {
        ::kill(pid_, SIGTERM);
        told_to_stop = Clock::now();
      }
      if (interrupts > 1 || (told_to_stop && Clock::now() > *told_to_stop + grace_)) {
        return kill_with(TestStatus::kError,
                         "interrupted by a signal; the test's process was killed before it "
                         "reported");
      }
      // The child's own watchdog asks the test to stop at the deadline.
      if (deadline_ && Clock::now() > *deadline_ + grace_) {
        return kill_with(TestStatus::kError, timeout_text(state_, timeout_) +
                                                 " and did not stop within " +
                                                 seconds_text(grace_) +
                                                 " when told to; the test's process was "
                                                 "killed");
      }
      pollfd poll_fd{fd_, POLLIN, 0};
      int ready = ::poll(&poll_fd, 1, 100);
      if (ready < 0 && errno != EINTR) break;
      if (ready > 0) open = read_available();
    }
    return reap();
  }

 private:
  // Reads what the child sent; false at end of stream.
  bool read_available() {
    char buffer[65536];
    ssize_t n = ::read(fd_, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) return false;
    pending_.append(buffer, static_cast<std::size_t>(n));
    for (auto newline = pending_.find('\n'); newline != std::string::npos;
         newline = pending_.find('\n')) {
      handle_line(pending_.substr(0, newline));
      pending_.erase(0, newline + 1);
    }
    return true;
  }

  void handle_line(const std::string& line) {
    auto event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (event.is_discarded()) return;
    if (event.value("event", "") == "state") {
      state_ = event.value("state", "");
      partial_.states.push_back(state_);
      timeout_ = std::chrono::milliseconds(event.value("timeout_ms", int64_t{0}));
      deadline_ = Clock::now() + timeout_;
    } else if (event.value("event", "") == "timeout") {
      timeout_ = std::chrono::milliseconds(event.value("timeout_ms", int64_t{0}));
      deadline_ = Clock::now() + timeout_;
    } else if (event.value("event", "") == "result") {
      result_ = event.at("result").get<TestResult>();
    }
  }

  TestResult kill_with(TestStatus status, std::string message) {
    ::kill(pid_, SIGKILL);
    int ignored = 0;
    ::waitpid(pid_, &ignored, 0);
    ::close(fd_);
    ::close(trace_fd_);
    partial_.status = status;
    partial_.message = std::move(message);
    partial_.states.push_back(kErrorStateId);
    partial_.duration_s = seconds_since(started_);
    return partial_;
  }

  TestResult reap() {
    ::close(fd_);
    int wait_status = 0;
    while (::waitpid(pid_, &wait_status, 0) < 0 && errno == EINTR) {
    }
    const std::string stack = WIFSIGNALED(wait_status) ? read_available(trace_fd_) : "";
    ::close(trace_fd_);
    if (result_) return *result_;
    partial_.duration_s = seconds_since(started_);
    partial_.status = TestStatus::kCrashed;
    std::string where = state_.empty() ? "" : " in state '" + state_ + "'";
    if (WIFSIGNALED(wait_status)) {
      partial_.message = "crashed with " + test_rig::signal_text(WTERMSIG(wait_status)) + where;
      partial_.backtrace = symbolized_stack(stack);
    } else {
      partial_.message = "the test's process exited with code " +
                         std::to_string(WEXITSTATUS(wait_status)) + where +
                         " without reporting a result";
    }
    partial_.states.push_back(kErrorStateId);
    return partial_;
  }

  // What the dead child wrote to `fd`. Without waiting: a process the test
  // started may hold the pipe open.
  static std::string read_available(int fd) {
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    std::string data;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof(buffer))) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      data.append(buffer, static_cast<std::size_t>(n));
    }
    return data;
  }

  pid_t pid_;
  int fd_;
  int trace_fd_;  // the crash handler's raw stack
  std::chrono::milliseconds grace_;
  Clock::time_point started_;
  TestResult partial_;
  std::optional<TestResult> result_;
  std::string pending_;
  std::string state_;
  std::chrono::milliseconds timeout_{0};
  std::optional<Clock::time_point> deadline_;
};

// The run's failed database calls by code, classified.
nlohmann::json error_counts(const rig_run& run) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& [code, count] : run.error_counts) {
    ErrorClass error_class = classify_error(code, false);
    errors.push_back({{"code", code},
                      {"count", count},
                      {"kind", error_kind_name(error_class.kind)},
                      {"retry", retry_class_name(error_class.retry)},
                      {"description", error_class.description}});
  }
  return errors;
}

// The breakers' changes of state since the run began.
nlohmann::json breaker_events(const rig_run& run) {
  nlohmann::json events = nlohmann::json::array();
  for (std::size_t b = 0; b < run.breakers.size(); ++b) {
    std::vector<BreakerEvent> all = run.breakers[b]->events();
    for (std::size_t i = run.breaker_events_before[b]; i < all.size(); ++i) {
      events.push_back({{"time", format_utc(all[i].at)},
                        {"server", run.breakers[b]->server()},
                        {"from", breaker_state_name(all[i].from)},
                        {"to", breaker_state_name(all[i].to)},
                        {"reason", all[i].reason}});
    }
  }
  return events;
}

// Where a run that did not pass ended, and its last failed database call.
nlohmann::json error_context(const rig_run& run, const MachineOutcome& outcome,
                             const ExecutionSettings& settings) {
  // The failing state is the last one before the implicit "error" state.
  std::string state;
  for (const auto& visited : outcome.states) {
    if (visited != kErrorStateId) state = visited;
  }
  nlohmann::json context = {{"plugin", run.plugin},
                            {"test", run.test},
                            {"state", state},
                            {"target", settings.connect.describe()}};
  if (run.last_failure) {
    const FailedOperation& failed = *run.last_failure;
    std::string head = failed.sql.substr(0, 6);
    std::transform(head.begin(), head.end(), head.begin(), ::toupper);
    ErrorClass error_class = classify_error(failed.code, head == "COMMIT");
    context["last_db_error"] = {{"operation", failed.operation},
                                {"connection", failed.connection},
                                {"connection_id", failed.connection_id},
                                {"sql", failed.sql},
                                {"code", failed.code},
                                {"message", failed.message},
                                {"kind", error_kind_name(error_class.kind)},
                                {"retry", retry_class_name(error_class.retry)},
                                {"attempt", failed.attempt}};
  }
  return context;
}

}  // namespace

TestResult execute_in_process(const SelectedTest& selected, const ExecutionSettings& settings,
                              const StateObserver& observer) {
  auto started = Clock::now();
  auto run = make_run_context(selected.plugin->name, selected.test->name, selected.test,
                              settings.connect, *settings.config);
  run->shard_index = static_cast<uint32_t>(settings.shard.index);
  run->shard_count = static_cast<uint32_t>(settings.shard.count);
  run->run_id = settings.shard.run_id;
  clear_stop_request();
  MachineOutcome outcome;
  {
    StateWatchdog watchdog;
    run->extend_state = [&](std::chrono::milliseconds extra) {
      const std::chrono::milliseconds timeout = watchdog.extend(extra);
      if (observer.on_timeout) observer.on_timeout(timeout);
    };
    MachineHooks hooks;
    hooks.on_state = [&](const std::string& state, std::chrono::milliseconds timeout) {
      spdlog::debug("[{}/{}] entering state '{}'", run->plugin, run->test, state);
      watchdog.arm(state, timeout);
      if (observer.on_state) observer.on_state(state, timeout);
    };
    hooks.take_message = [&] { return std::exchange(run->message, ""); };
    hooks.stop_reason = &stop_reason;
    outcome = run_machine(*selected.test, run.get(), settings.limits, hooks);
  }

  TestResult result;
  result.plugin = run->plugin;
  result.test = run->test;
  result.status = status_of(outcome.status);
  result.message = outcome.message;
  result.states = outcome.states;
  result.records = run->records;
  result.cases = run->cases;
  result.details = run->details;
  result.summary_text = run->summary_text;
  result.retries = run->retries;
  result.reconnects = run->reconnects;
  result.errors = error_counts(*run);
  result.breaker_events = breaker_events(*run);
  if (result.status != TestStatus::kPassed && result.status != TestStatus::kSkipped) {
    result.error_context = error_context(*run, outcome, settings);
  }
  if (run->server) {
    result.server =
        ServerSummary{flavor_name(run->server->flavor), run->server->version, run->server->raw};
  }
  run.reset();  // closes the run's connections before the clock stops
  result.duration_s = seconds_since(started);
  return result;
}

TestResult execute_isolated(const SelectedTest& selected, const ExecutionSettings& settings,
                            const std::atomic<int>& interrupts) {
  int fds[2];
  if (::pipe(fds) != 0) return infrastructure_error(selected, "cannot create a pipe");
  int trace[2];
  if (::pipe(trace) != 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return infrastructure_error(selected, "cannot create a pipe");
  }
  spdlog::default_logger()->flush();  // the child must not repeat buffered lines
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    ::close(trace[0]);
    run_child(fds[1], trace[1], parent, selected, settings);
  }
  ::close(fds[1]);
  ::close(trace[1]);
  if (pid < 0) {
    ::close(fds[0]);
    ::close(trace[0]);
    return infrastructure_error(selected, "cannot fork");
  }
  return ChildMonitor(selected, pid, fds[0], trace[0], settings.stop_grace).wait(interrupts);
}

}  // namespace rig
