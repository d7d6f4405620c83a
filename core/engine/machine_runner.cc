#include "core/engine/machine_runner.h"

namespace rig {
namespace {

bool known_status(rig_status status) {
  return status == RIG_OK || status == RIG_FAILED || status == RIG_ERROR || status == RIG_SKIPPED;
}

class Driver {
 public:
  Driver(const TestMachine& machine, rig_run* run, const RunLimits& limits,
         const MachineHooks& hooks)
      : machine_(machine), run_(run), limits_(limits), hooks_(hooks) {}

  MachineOutcome run() {
    const StateDefinition* state = machine_.initial_state();
    const uint32_t max_steps = machine_.max_steps ? machine_.max_steps : limits_.max_steps;
    for (uint32_t step = 0;; ++step) {
      outcome_.states.push_back(state->id);
      auto timeout = state_timeout(*state, limits_);
      if (hooks_.on_state) hooks_.on_state(state->id, timeout);

      if (!call(state->enter, *state, "enter")) return finish();
      if (state->terminal) {
        if (!call(state->exit, *state, "exit")) return finish();
        outcome_.status = state->id == kErrorStateId ? RIG_ERROR : RIG_OK;
        if (outcome_.status != RIG_OK) outcome_.message = "the test moved to its error state";
        return outcome_;
      }
      const char* next = nullptr;
      rig_status executed = state->execute(state->user, run_, &next);
      bool execute_ok = check(executed, *state, "execute");
      std::string next_id = execute_ok && next ? next : "";
      // exit runs even when execute failed; the first failure is what counts.
      bool exit_ok = call(state->exit, *state, "exit");
      // A stop explains whatever the state returned (calls refused, say).
      if (auto stopping = hooks_.stop_reason ? hooks_.stop_reason() : std::nullopt) {
        outcome_.status = RIG_ERROR;
        outcome_.message = *stopping + "; the test stopped in state '" + state->id + "'";
        failed_ = true;
        return finish();
      }
      if (!execute_ok || !exit_ok) return finish();

      if (next == nullptr) {
        return fail(RIG_ERROR, "state '" + state->id + "': execute returned no next state");
      }
      const StateDefinition* target = machine_.find(next_id);
      if (target == nullptr || !machine_.allows(state->id, next_id)) {
        return fail(RIG_ERROR, "state '" + state->id + "' returned '" + next_id +
                                   "', which is not a declared transition" +
                                   (target ? "" : " (no such state)"));
      }
      if (step + 1 >= max_steps) {
        return fail(RIG_ERROR, "step limit of " + std::to_string(max_steps) +
                                   " transitions reached in state '" + state->id + "'");
      }
      state = target;
    }
  }

 private:
  // Calls an optional enter/exit handler; false if it did not return OK.
  bool call(rig_status (*handler)(void*, rig_run*), const StateDefinition& state,
            const char* phase) {
    if (handler == nullptr) return true;
    return check(handler(state.user, run_), state, phase);
  }

  // Records the first non-OK status with the handler's message.
  bool check(rig_status status, const StateDefinition& state, const char* phase) {
    std::string message = hooks_.take_message ? hooks_.take_message() : "";
    if (status == RIG_OK) return true;
    if (failed_) return false;
    failed_ = true;
    if (!known_status(status)) {
      outcome_.status = RIG_ERROR;
      outcome_.message = "state '" + state.id + "' " + phase + " returned unknown status " +
                         std::to_string(status);
      return false;
    }
    outcome_.status = status;
    if (message.empty()) message = "no message given";
    outcome_.message =
        status == RIG_SKIPPED ? message : "state '" + state.id + "' " + phase + ": " + message;
    return false;
  }

  MachineOutcome fail(rig_status status, std::string message) {
    failed_ = true;
    outcome_.status = status;
    outcome_.message = std::move(message);
    return finish();
  }

  // Ends a run that did not complete: skips end where they are; everything
  // else moves to the error state, whose declared handlers clean up.
  MachineOutcome finish() {
    if (outcome_.status == RIG_SKIPPED) return outcome_;
    outcome_.states.push_back(kErrorStateId);
    if (const StateDefinition* error_state = machine_.find(kErrorStateId)) {
      for (auto handler : {error_state->enter, error_state->exit}) {
        if (handler) handler(error_state->user, run_);
        if (hooks_.take_message) hooks_.take_message();
      }
    }
    return outcome_;
  }

  const TestMachine& machine_;
  rig_run* run_;
  const RunLimits& limits_;
  const MachineHooks& hooks_;
  MachineOutcome outcome_{RIG_OK, "", {}};
  bool failed_ = false;
};

}  // namespace

std::chrono::milliseconds state_timeout(const StateDefinition& state, const RunLimits& limits) {
  return state.timeout_ms ? std::chrono::milliseconds(state.timeout_ms) : limits.state_timeout;
}

MachineOutcome run_machine(const TestMachine& machine, rig_run* run, const RunLimits& limits,
                           const MachineHooks& hooks) {
  if (machine.initial_state() == nullptr) {
    return {RIG_ERROR, "test '" + machine.name + "' has no initial state", {}};
  }
  return Driver(machine, run, limits, hooks).run();
}

}  // namespace rig
