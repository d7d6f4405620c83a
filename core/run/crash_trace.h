// core/run/crash_trace.h -- where a test's process crashed: the native stack
// of the crashing thread, symbolized with function and file:line where the
// binaries carry debug information.
//
//   write_stack_on_crash(fd);               // in the child, before the test
//   ... the child dies of SIGSEGV ...
//   std::string trace = symbolized_stack(read_all(other_end));   // parent
//
// The handler only copies raw return addresses into `fd` (async-signal-
// safe), then dies of the same signal, so the parent still sees the crash;
// the parent, which has the same libraries at the same addresses (the child
// is its fork), turns them into names with addr2line (binutils); without
// it, frames name their module and the nearest exported symbol.
// Thread safety: write_stack_on_crash [main-thread, once]; symbolized_stack
// [any-thread].
#ifndef TEST_RIG_CORE_RUN_CRASH_TRACE_H_
#define TEST_RIG_CORE_RUN_CRASH_TRACE_H_

#include <string>

namespace rig {

// On SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT, writes the crashing
// thread's stack to `fd`, on an alternate stack (a stack overflow crashes
// too).
void write_stack_on_crash(int fd);

// "#0 handler_function() at /src/plugin.cc:42 (plugin.so)\n#1 ...", the
// crash handler's own frames left out; empty for an empty dump. What an
// interpreter wrote to the fd before (Python's faulthandler traceback, see
// the host list "run.crash_fd") comes first, then "native stack:".
std::string symbolized_stack(const std::string& dump);

}  // namespace rig

#endif  // TEST_RIG_CORE_RUN_CRASH_TRACE_H_
