// core/run/isolated_run.h -- running one selected test and turning the
// machine's outcome into a TestResult, either in this process or in a child.
//
//   ExecutionSettings settings{connect, limits, &config};
//   TestResult r = execute_isolated(selected, settings, interrupts);
//
// Process isolation (the default) forks a child per test: a handler that
// crashes, aborts or hangs past its state's timeout takes down only the
// child, and is reported as crashed or timed out while later tests still run.
// The child streams "entered state" events and the final result to the parent
// as JSON lines over a pipe. Connections are opened in the child, never
// shared across fork.
//
// A state over its timeout, or a signal, first asks the test to stop
// (plugin/stop_request.h): its database calls are refused, and it returns
// with what it gathered, which the report keeps. Only a test that has not
// returned `stop_grace` later is killed.
#ifndef TEST_RIG_CORE_RUN_ISOLATED_RUN_H_
#define TEST_RIG_CORE_RUN_ISOLATED_RUN_H_

#include <atomic>

#include "core/config/configuration.h"
#include "core/db/session.h"
#include "core/engine/machine_runner.h"
#include "core/plugin/plugin_registry.h"
#include "core/run/result.h"
#include "core/run/shard.h"

namespace rig {

struct ExecutionSettings {
  ConnectParams connect;
  RunLimits limits;
  const Configuration* config = nullptr;
  // How long an isolated test told to stop may take to report (--stop-grace).
  std::chrono::milliseconds stop_grace{10000};
  Shard shard;  // --shard I/N and --run-id; 0 of 1 when the run is whole
};

// What the parent of an isolated test learns as the test runs.
struct StateObserver {
  // A state began; it may take `timeout`.
  std::function<void(const std::string& state, std::chrono::milliseconds timeout)> on_state;
  // The current state may now take `timeout` from now: it said how long its
  // work takes (run_expect_state_duration).
  std::function<void(std::chrono::milliseconds timeout)> on_timeout;
};

// Runs the test on this thread; a watchdog thread asks it to stop when a
// state overruns its timeout.
TestResult execute_in_process(const SelectedTest& selected, const ExecutionSettings& settings,
                              const StateObserver& observer = {});

// Runs the test in a child process. `interrupts` counts the signals
// test-rig received: the first asks the test to stop, a second (or the
// grace period running out) kills it.
TestResult execute_isolated(const SelectedTest& selected, const ExecutionSettings& settings,
                            const std::atomic<int>& interrupts);

}  // namespace rig

#endif  // TEST_RIG_CORE_RUN_ISOLATED_RUN_H_
