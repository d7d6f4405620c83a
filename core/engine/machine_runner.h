// core/engine/machine_runner.h -- drives one run through a test's machine.
//
//   MachineOutcome outcome = run_machine(machine, run_handle, limits, hooks);
//
// For each state: enter, then execute (which names the next state), then
// exit -- which runs whenever enter succeeded, even after execute failed.
// Terminal states run enter and exit only. A non-OK status, an undeclared
// transition, an unknown status value, the step limit or a stop request
// (hooks.stop_reason: a signal, a state over its time limit, watched by
// run/isolated_run.h) ends the run in the "error" state; a declared
// "error" state's enter and exit then run for cleanup.
#ifndef TEST_RIG_CORE_ENGINE_MACHINE_RUNNER_H_
#define TEST_RIG_CORE_ENGINE_MACHINE_RUNNER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/state_machine.h"
#include "test_rig/plugin_api.h"

namespace rig {

struct RunLimits {
  uint32_t max_steps = 10000;
  std::chrono::milliseconds state_timeout{300000};
};

struct MachineHooks {
  // Called on entering each state with that state's time limit.
  std::function<void(const std::string& state, std::chrono::milliseconds timeout)> on_state;
  // Returns and clears the message the last handler set through the host.
  std::function<std::string()> take_message;
  // Why the test was told to stop (interrupted, out of time), if it was:
  // the run then ends as an error with that reason once the state returns.
  std::function<std::optional<std::string>()> stop_reason;
};

struct MachineOutcome {
  rig_status status = RIG_ERROR;  // RIG_OK, RIG_FAILED, RIG_ERROR or RIG_SKIPPED
  std::string message;
  std::vector<std::string> states;  // visited, in order
};

// The time limit of `state` under `limits`.
std::chrono::milliseconds state_timeout(const StateDefinition& state, const RunLimits& limits);

MachineOutcome run_machine(const TestMachine& machine, rig_run* run, const RunLimits& limits,
                           const MachineHooks& hooks);

}  // namespace rig

#endif  // TEST_RIG_CORE_ENGINE_MACHINE_RUNNER_H_
