// Handlers that misbehave in every way the host must survive: exceptions,
// crashes, hangs, undeclared transitions, endless loops, skips, and a
// failing execute whose exit must still run; and a connection lost while a
// result arrives, which the host must report as an error, never as a
// shorter result.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <sys/prctl.h>
#include <sys/resource.h>

#include "test_rig/sdk.h"

namespace {

using namespace test_rig;

std::unique_ptr<StateHandler> run(std::function<StateId(Context&)> body) {
  return std::make_unique<LambdaHandler>(std::move(body));
}

// One-state test: "start" runs `body`, then "done".
TestDefinition single(const char* name, const char* doc, std::function<StateId(Context&)> body) {
  TestDefinition test(name, doc);
  test.initial("start", run(std::move(body))).terminal("done").transition("start", "done");
  return test;
}

// execute fails; exit records that it ran anyway.
class FailsButCleansUp : public StateHandler {
 public:
  StateId execute(Context&) override { throw Failure("expected 1 row, got 0"); }
  void exit(Context& ctx) override { ctx.record("exit_ran", "yes"); }
};

PluginDefinition define() {
  PluginDefinition plugin("misbehaving", "1.0.0", "handlers that break the rules");
  plugin.test(single("passes", "does nothing and passes", [](Context&) { return "done"; }));
  plugin.test(single("throws", "throws std::runtime_error",
                     [](Context&) -> StateId { throw std::runtime_error("boom from a handler"); }));
  // As a server's message can: bytes that are not UTF-8, and control
  // characters XML forbids.
  plugin.test(
      single("odd_bytes", "fails with a message that is not UTF-8", [](Context&) -> StateId {
        throw test_rig::Failure("latin-1 \xe9t\xe9, cut \xe2\x82, bell \x07 end");
      }));
  plugin.test(
      single("throws_int", "throws a non-std exception", [](Context&) -> StateId { throw 7; }));
  plugin.test(single("segfault", "dereferences null", [](Context&) -> StateId {
    std::raise(SIGSEGV);
    return "done";
  }));
  plugin.test(single("aborts", "calls abort()", [](Context&) -> StateId { std::abort(); }));
  plugin.test(single("hangs", "sleeps for an hour", [](Context&) -> StateId {
    // Tells a test that it is under way: a file, when one is named.
    if (const char* marker = std::getenv("MISBEHAVING_HANGS_MARKER")) {
      std::fclose(std::fopen(marker, "w"));
    }
    std::this_thread::sleep_for(std::chrono::hours(1));
    return "done";
  }));
  plugin.test(single("undeclared", "returns a state with no declared transition",
                     [](Context&) { return "start"; }));
  plugin.test(single("dump_settings", "records what its process allows of core dumps",
                     [](Context& ctx) -> StateId {
                       struct rlimit core {};
                       ::getrlimit(RLIMIT_CORE, &core);
                       ctx.record("dumpable", std::to_string(::prctl(PR_GET_DUMPABLE)));
                       ctx.record("core_limit", std::to_string(core.rlim_cur) + "/" +
                                                    std::to_string(core.rlim_max));
                       return "done";
                     }));
  plugin.test(single("skips", "skips with a reason",
                     [](Context&) -> StateId { throw Skip("needs TiDB"); }));

  TestDefinition loop("endless", "loops between two states forever");
  loop.initial("start", run([](Context&) { return "ping"; }))
      .state("ping", run([](Context&) { return "pong"; }))
      .state("pong",
             run([](Context& ctx) { return ctx.get_custom_data("stop") ? "done" : "ping"; }))
      .terminal("done")
      .transition("start", "ping")
      .transition("ping", "pong")
      .transition("pong", "ping")
      .transition("pong", "done");
  plugin.test(std::move(loop));

  TestDefinition cleanup("cleanup", "execute fails; exit must still run");
  cleanup.initial("start", std::make_unique<FailsButCleansUp>())
      .terminal("done")
      .transition("start", "done");
  plugin.test(std::move(cleanup));

  // A slow result of 200 rows of 64 KiB (one network flush each), cut off
  // by KILL CONNECTION from another session once the server has sent some
  // of its rows (PROCESSLIST's SENT_ROWS). Records the error code the query
  // gave; a query that returns instead is a failure.
  plugin.test(single(
      "result_cut_off", "a connection killed while its rows arrive", [](Context& ctx) -> StateId {
        Connection victim = ctx.connection("victim");
        Connection killer = ctx.connection("killer");
        const std::string id = std::to_string(victim.connection_id());
        std::jthread kill([&] {
          // Until the victim has sent a few rows: it is then inside its
          // result, past the statement's first answer. (A deadline, not a
          // pause: a victim whose query never starts is killed all the same.)
          const std::string sending =
              "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
              "WHERE ID = " +
              id + " AND SENT_ROWS < 5";
          const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
          try {
            while (killer.scalar(sending) == "1" && std::chrono::steady_clock::now() < deadline) {
            }
          } catch (const DbError&) {  // the KILL below says the rest
          }
          killer.execute_best_effort("KILL CONNECTION " + id);
        });
        int64_t count = 0;
        try {
          auto rows = victim.query("SELECT REPEAT('x', 65536), SLEEP(0.02) FROM seq_1_to_200");
          while (rows.next()) ++count;
        } catch (const DbError& e) {
          ctx.record("error_code", std::to_string(e.code()));
          return "done";
        }
        throw Failure("the cut-off result came back as a complete one of " + std::to_string(count) +
                      " row(s)");
      }));
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
