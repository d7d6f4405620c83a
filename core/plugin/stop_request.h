// core/plugin/stop_request.h -- asking the running test to stop, so that it
// ends with its accounting written instead of being killed mid-flight.
//
//   request_stop_interrupted();                    // from a SIGINT handler
//   request_stop_timed_out("state 'run' exceeded its timeout of 300 s");
//   if (auto why = stop_reason()) refuse_call(*why);
//
// Once a stop is requested, the host refuses every database call of the
// test with RIG_ERROR_RUN_STOPPING (permanent): retry loops give up at once,
// load workers end, and the handler records what it gathered and returns.
// The machine then ends the test as an error with the stop's reason. A
// test that does not return within the grace period is killed.
//
// One test runs per process at a time (the isolated child, or test-rig
// itself with --isolation none), so the request is process-wide.
// Thread safety: any thread; request_stop_interrupted is also
// async-signal-safe.
#ifndef TEST_RIG_CORE_PLUGIN_STOP_REQUEST_H_
#define TEST_RIG_CORE_PLUGIN_STOP_REQUEST_H_

#include <optional>
#include <string>

namespace rig {

void request_stop_interrupted() noexcept;
void request_stop_timed_out(const std::string& message);
// Why a stop was requested, if one was.
std::optional<std::string> stop_reason();
// Forgets the request: a new test begins.
void clear_stop_request();

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_STOP_REQUEST_H_
