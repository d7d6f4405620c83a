#include "core/engine/state_machine.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/engine/machine_runner.h"

namespace rig {
namespace {

// Handlers are plain C functions; `user` points at a Script that says what
// each state's execute returns and records what ran.
struct Script {
  std::map<std::string, std::string> next;     // state -> next state id
  std::map<std::string, rig_status> statuses;  // state -> execute status
  std::vector<std::string> calls;              // "enter:s", "execute:s", "exit:s"
  std::string current;
};

rig_status enter(void* user, rig_run*) {
  auto* script = static_cast<Script*>(user);
  script->calls.push_back("enter:" + script->current);
  return RIG_OK;
}

rig_status execute(void* user, rig_run*, const char** next) {
  auto* script = static_cast<Script*>(user);
  script->calls.push_back("execute:" + script->current);
  auto status =
      script->statuses.count(script->current) ? script->statuses[script->current] : RIG_OK;
  *next = script->next[script->current].c_str();
  return status;
}

rig_status exit_handler(void* user, rig_run*) {
  auto* script = static_cast<Script*>(user);
  script->calls.push_back("exit:" + script->current);
  return RIG_OK;
}

class MachineTest : public ::testing::Test {
 protected:
  StateDefinition state(const std::string& id, bool initial = false, bool terminal = false) {
    StateDefinition s;
    s.id = id;
    s.initial = initial;
    s.terminal = terminal;
    s.enter = &enter;
    s.execute = terminal ? nullptr : &execute;
    s.exit = &exit_handler;
    s.user = &script_;
    return s;
  }

  TestMachine linear() {
    TestMachine m;
    m.name = "linear";
    m.states = {state("a", true), state("b"), state("done", false, true)};
    m.transitions = {{"a", "b"}, {"b", "done"}};
    script_.next = {{"a", "b"}, {"b", "done"}};
    return m;
  }

  MachineOutcome run(const TestMachine& machine, RunLimits limits = {}) {
    MachineHooks hooks;
    hooks.on_state = [this](const std::string& id, std::chrono::milliseconds) {
      script_.current = id;
    };
    hooks.take_message = [] { return std::string("handler said so"); };
    return run_machine(machine, nullptr, limits, hooks);
  }

  Script script_;
};

TEST_F(MachineTest, ValidMachineHasNoProblems) { EXPECT_TRUE(validate(linear()).empty()); }

TEST_F(MachineTest, RejectsUndeclaredTargetNamingIt) {
  TestMachine m = linear();
  m.transitions.emplace_back("a", "ghost");
  auto problems = validate(m);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "transition 'a' -> 'ghost' targets an undeclared state");
}

TEST_F(MachineTest, RejectsReachableStateWithoutHandler) {
  TestMachine m = linear();
  m.states[1].execute = nullptr;
  auto problems = validate(m);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "reachable states without an execute handler: 'b'");
}

TEST_F(MachineTest, RejectsStatesThatCanNeverFinish) {
  TestMachine m = linear();
  m.states.push_back(state("trap"));
  m.transitions.emplace_back("a", "trap");
  m.transitions.emplace_back("trap", "trap");
  auto problems = validate(m);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "no terminal state is reachable from: 'trap' (the run could never end)");
}

TEST_F(MachineTest, RejectsMissingOrDoubleInitialAndDuplicates) {
  TestMachine m = linear();
  m.states[0].initial = false;
  EXPECT_EQ(validate(m), std::vector<std::string>{"no initial state is declared"});
  m.states[0].initial = m.states[1].initial = true;
  EXPECT_EQ(validate(m), std::vector<std::string>{"more than one initial state: 'a', 'b'"});
  m = linear();
  m.states.push_back(state("b"));
  EXPECT_EQ(validate(m)[0], "state 'b' is declared twice");
}

// A hook is named like a state (bindings and run_state_handlers find both
// by name), so the names must not meet; a hook needs no transition.
TEST_F(MachineTest, AHookNeedsNoTransitionButANameOfItsOwn) {
  TestMachine m = linear();
  StateDefinition hook;
  hook.id = "event";
  m.hooks.push_back(hook);
  EXPECT_TRUE(validate(m).empty());
  m.hooks.push_back(hook);
  EXPECT_EQ(validate(m),
            std::vector<std::string>{"hook 'event' has the name of another state or hook"});
  m.hooks.back().id = "b";
  EXPECT_EQ(validate(m),
            std::vector<std::string>{"hook 'b' has the name of another state or hook"});
}

TEST_F(MachineTest, RejectsTransitionsOutOfTerminalStates) {
  TestMachine m = linear();
  m.transitions.emplace_back("done", "a");
  EXPECT_EQ(validate(m)[0], "terminal state 'done' has an outgoing transition to 'a'");
}

TEST_F(MachineTest, RunsEnterExecuteExitInOrder) {
  MachineOutcome outcome = run(linear());
  EXPECT_EQ(outcome.status, RIG_OK);
  EXPECT_EQ(outcome.states, (std::vector<std::string>{"a", "b", "done"}));
  EXPECT_EQ(script_.calls,
            (std::vector<std::string>{"enter:a", "execute:a", "exit:a", "enter:b", "execute:b",
                                      "exit:b", "enter:done", "exit:done"}));
}

TEST_F(MachineTest, ExitRunsWhenExecuteFails) {
  script_.statuses["a"] = RIG_FAILED;
  MachineOutcome outcome = run(linear());
  EXPECT_EQ(outcome.status, RIG_FAILED);
  EXPECT_EQ(outcome.message, "state 'a' execute: handler said so");
  EXPECT_EQ(outcome.states, (std::vector<std::string>{"a", "error"}));
  EXPECT_EQ(script_.calls, (std::vector<std::string>{"enter:a", "execute:a", "exit:a"}));
}

TEST_F(MachineTest, UndeclaredTransitionAtRunTimeIsAnError) {
  TestMachine m = linear();
  script_.next["a"] = "done";  // declared state, undeclared transition
  MachineOutcome outcome = run(m);
  EXPECT_EQ(outcome.status, RIG_ERROR);
  EXPECT_EQ(outcome.message, "state 'a' returned 'done', which is not a declared transition");
}

TEST_F(MachineTest, UnknownStatusIsAnErrorNeverSuccess) {
  script_.statuses["a"] = 42;
  MachineOutcome outcome = run(linear());
  EXPECT_EQ(outcome.status, RIG_ERROR);
  EXPECT_EQ(outcome.message, "state 'a' execute returned unknown status 42");
}

TEST_F(MachineTest, StepLimitStopsALoop) {
  TestMachine m = linear();
  m.transitions.emplace_back("b", "a");
  script_.next["b"] = "a";
  RunLimits limits;
  limits.max_steps = 10;
  MachineOutcome outcome = run(m, limits);
  EXPECT_EQ(outcome.status, RIG_ERROR);
  EXPECT_EQ(outcome.message, "step limit of 10 transitions reached in state 'b'");
  EXPECT_EQ(outcome.states.size(), 11u);  // ten states and the error state
}

TEST_F(MachineTest, SkipEndsWithoutTheErrorState) {
  script_.statuses["b"] = RIG_SKIPPED;
  MachineOutcome outcome = run(linear());
  EXPECT_EQ(outcome.status, RIG_SKIPPED);
  EXPECT_EQ(outcome.message, "handler said so");
  EXPECT_EQ(outcome.states, (std::vector<std::string>{"a", "b"}));
}

TEST_F(MachineTest, DotNamesEveryStateAndTransition) {
  std::string dot = to_dot(linear());
  EXPECT_NE(dot.find("digraph \"linear\""), std::string::npos);
  EXPECT_NE(dot.find("\"a\" -> \"b\";"), std::string::npos);
  EXPECT_NE(dot.find("\"done\" [shape=doublecircle]"), std::string::npos);
}

}  // namespace
}  // namespace rig
