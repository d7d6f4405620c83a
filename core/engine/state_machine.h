// core/engine/state_machine.h -- a test's state machine as the host holds it,
// copied out of the plugin's descriptor, and its validation.
//
//   TestMachine machine = ...;                       // see plugin/plugin_registry
//   std::vector<std::string> problems = validate(machine);
//   if (!problems.empty()) reject(problems);         // names the states
//   std::cout << to_dot(machine);                    // Graphviz
//
// Core states (initial, connecting, ...) and a plugin's own states are both
// plain string ids here: one engine runs both kinds.
#ifndef TEST_RIG_CORE_ENGINE_STATE_MACHINE_H_
#define TEST_RIG_CORE_ENGINE_STATE_MACHINE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "test_rig/plugin_api.h"

namespace rig {

// The terminal state every failed run ends in, declared or not.
inline constexpr const char* kErrorStateId = "error";

struct StateDefinition {
  std::string id;
  std::string doc;
  bool initial = false;
  bool terminal = false;
  rig_enter_fn enter = nullptr;
  rig_execute_fn execute = nullptr;
  rig_exit_fn exit = nullptr;
  void* user = nullptr;
  uint32_t timeout_ms = 0;  // 0 = the run's default
};

struct TestMachine {
  std::string name;
  std::string doc;
  std::vector<StateDefinition> states;
  std::vector<std::pair<std::string, std::string>> transitions;
  uint32_t max_steps = 0;  // 0 = the run's default
  // Slots the test calls itself and other plugins bind handlers to (ABI
  // 1.2); never entered, so only id, doc and the bound handlers are used.
  std::vector<StateDefinition> hooks;
  // Runs in every shard of a split run, doing its shard's share (ABI 1.3).
  bool divides_its_work = false;
  // Judges a report of the test against a baseline it recorded (ABI 1.4);
  // null when it records none.
  rig_judge_baseline_fn judge_baseline = nullptr;
  void* judge_baseline_user = nullptr;
  // Checks the run's options before any test starts (ABI 1.5); null when
  // the test checks them as it runs.
  rig_check_options_fn check_options = nullptr;
  void* check_options_user = nullptr;

  const StateDefinition* find(const std::string& id) const;
  // The state or, failing that, the hook called `name`: what a binding
  // and run_state_handlers name.
  const StateDefinition* find_state_or_hook(const std::string& name) const;
  const StateDefinition* initial_state() const;
  bool allows(const std::string& from, const std::string& to) const;
};

// Everything wrong with `machine`, one readable line each; empty if valid.
// Checks: unique ids (of states and hooks alike), exactly one initial state, transitions between
// declared states, no transitions out of terminal states, an execute handler on every reachable
// non-terminal state, and a terminal state reachable from every state reachable from the initial
// one.
std::vector<std::string> validate(const TestMachine& machine);

// The machine as a Graphviz digraph.
std::string to_dot(const TestMachine& machine);

}  // namespace rig

#endif  // TEST_RIG_CORE_ENGINE_STATE_MACHINE_H_
