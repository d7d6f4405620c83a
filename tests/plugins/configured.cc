// A plugin of ABI 1.2's general mechanisms, as the loader tests use them:
//  - its tests come from its own option in the configure phase:
//    --configured.tests N (also --configured-tests) gives tests t1..tN, and
//    0 makes configure fail;
//  - the alias of --configured.taken is a core option's name, which the host
//    must refuse;
//  - test `hooked` calls its hook `step` three times, once bound: with
//    --configured.bind-step, configure binds a handler that counts its calls.
#include <atomic>
#include <stdexcept>
#include <string>

#include "test_rig/sdk.h"

namespace {

using namespace test_rig;

std::atomic<int> step_calls{0};

// The handler configure binds to hook `step`.
class CountingStep : public StateHandler {
 public:
  StateId execute(Context&) override {
    ++step_calls;
    return State::kCompleted;
  }
};

// Calls the handler bound to `step` three times, on this thread, as a load
// test calls its event hook on each worker.
StateId call_the_hook(Context& ctx) {
  const std::optional<rig_state_descriptor> step = ctx.bound_hook("step");
  if (!step) throw Skip("no handler is bound to hook 'step'");
  for (int i = 0; i < 3; ++i) {
    const char* next = nullptr;
    if (step->execute(step->user, ctx.handle(), &next) != RIG_OK) {
      throw std::runtime_error("the bound step failed");
    }
  }
  ctx.record("step_calls", std::to_string(step_calls.load()));
  return "done";
}

TestDefinition numbered(int64_t number) {
  TestDefinition test("t" + std::to_string(number), "one of the tests --configured.tests asks for");
  test.initial("start", std::make_unique<LambdaHandler>([](Context&) { return "done"; }))
      .terminal("done")
      .transition("start", "done");
  return test;
}

PluginDefinition declaration() {
  PluginDefinition plugin("configured", "1.0.0", "tests decided by the plugin's own options");
  plugin
      .option(Option::integer("tests", 1, "how many tests t1..tN to declare (0: configure fails)")
                  .alias("configured-tests"))
      .option(Option::string("taken", "", "an option whose alias is a core option's")
                  .alias("log-level"))
      .option(Option::boolean("bind-step", false, "bind a counting handler to hooked's hook"));
  return plugin;
}

const rig_plugin_descriptor* configure(Context& ctx) {
  const int64_t count = ctx.option_int("tests");
  if (count == 0) throw std::runtime_error("--configured.tests 0 asks for no tests");
  PluginDefinition plugin = declaration();
  for (int64_t i = 1; i <= count; ++i) plugin.test(numbered(i));
  TestDefinition hooked("hooked", "calls the handler bound to its hook three times");
  hooked.initial("start", std::make_unique<LambdaHandler>(&call_the_hook))
      .terminal("done")
      .transition("start", "done")
      .hook("step", "called three times by start");
  plugin.test(std::move(hooked));
  if (ctx.option_bool("bind-step")) {
    bind_state("configured", "hooked", "step", new CountingStep(), "configured.cc");
  }
  return keep(std::move(plugin));
}

PluginDefinition define() {
  PluginDefinition plugin = declaration();
  plugin.configure(&configure);
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
