// A plugin with one valid test and three invalid machines: a transition to
// an undeclared state, a reachable state with no handler, and a cycle from
// which no terminal state can be reached. Only the valid test may load.
#include "test_rig/sdk.h"

namespace {

using namespace test_rig;

std::unique_ptr<StateHandler> go(StateId next) {
  return std::make_unique<LambdaHandler>([next](Context&) { return next; });
}

PluginDefinition define() {
  TestDefinition valid("valid", "a correct two-state machine");
  valid.initial("start", go("done")).terminal("done").transition("start", "done");

  TestDefinition dangling("dangling", "targets a state nobody declared");
  dangling.initial("start", go("nowhere"))
      .terminal("done")
      .transition("start", "nowhere")
      .transition("start", "done");

  TestDefinition unhandled("unhandled", "a reachable state without a handler");
  unhandled.initial("start", go("middle"))
      .state("middle", nullptr)
      .terminal("done")
      .transition("start", "middle")
      .transition("middle", "done");

  TestDefinition trapped("trapped", "a cycle with no way out");
  trapped.initial("start", go("ping"))
      .state("ping", go("pong"))
      .state("pong", go("ping"))
      .terminal("done")
      .transition("start", "ping")
      .transition("start", "done")
      .transition("ping", "pong")
      .transition("pong", "ping");

  PluginDefinition plugin("invalid_machine", "1.0.0", "machines the host must reject");
  plugin.test(std::move(valid))
      .test(std::move(dangling))
      .test(std::move(unhandled))
      .test(std::move(trapped));
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
