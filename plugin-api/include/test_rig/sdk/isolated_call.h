// test_rig/sdk/isolated_call.h -- running code one cannot trust (a plugin's
// entry function, a Python file's top level) in a throw-away child process
// first, to learn whether it returns.
//
//   test_rig::IsolatedCall call = test_rig::call_isolated([&] { entry(host, &error); },
//                                                         std::chrono::seconds(30));
//   if (!call.returned()) skip(path + ": " + call.describe());
//
// Code that calls exit(0), crashes or hangs would otherwise end or freeze the
// whole test-rig process, and an exit(0) would be a green run that tested
// nothing. In the child the code's stdout and stderr go to a pipe; its last
// lines are kept for the message. The child dies with its parent
// (PR_SET_PDEATHSIG), and a child that overruns `limit` is killed.
//
// The caller must be the only thread that matters at the moment of the call:
// the child holds a copy of this thread alone (fork), so a lock another
// thread held stays locked there.
//
// Thread safety: [any-thread], one call at a time per process.
#ifndef TEST_RIG_SDK_ISOLATED_CALL_H_
#define TEST_RIG_SDK_ISOLATED_CALL_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>

namespace test_rig {

// "SIGSEGV (Segmentation fault)", or "signal 70 (...)" for one without a name.
inline std::string signal_text(int number) {
  const char* name = sigabbrev_np(number);
  return (name ? "SIG" + std::string(name) : "signal " + std::to_string(number)) + " (" +
         strsignal(number) + ")";
}

struct IsolatedCall {
  enum class Ending {
    kReturned,   // the code returned (or threw): it is safe to run for real
    kExited,     // the code ended the process; `code` is the exit status
    kSignalled,  // the process died of signal `code` (a crash, an abort)
    kTimedOut,   // the code had not returned after the limit; it was killed
    kNotRun,     // fork or pipe failed; `code` is the errno
  };
  Ending ending = Ending::kNotRun;
  int code = 0;
  double limit_s = 0;
  std::string output;  // the tail of what the code wrote to stdout and stderr

  bool returned() const { return ending == Ending::kReturned; }

  // "ended the process with exit status 0 instead of returning", ...
  std::string describe() const {
    std::string text;
    switch (ending) {
      case Ending::kReturned: text = "returned"; break;
      case Ending::kExited:
        text =
            "ended the process with exit status " + std::to_string(code) + " instead of returning";
        break;
      case Ending::kSignalled: text = "crashed with " + signal_text(code); break;
      case Ending::kTimedOut: {
        char seconds[32];
        std::snprintf(seconds, sizeof(seconds), "%g", limit_s);
        text = std::string("did not return within ") + seconds + " s and was killed";
        break;
      }
      case Ending::kNotRun:
        text = std::string("could not be tried in a child process: ") + std::strerror(code);
        break;
    }
    const std::string last = last_line();
    if (!last.empty()) text += "; its last output: " + last;
    return text;
  }

 private:
  std::string last_line() const {
    std::size_t end = output.find_last_not_of("\r\n");
    if (end == std::string::npos) return "";
    std::size_t begin = output.find_last_of('\n', end);
    begin = begin == std::string::npos ? 0 : begin + 1;
    return output.substr(begin, end - begin + 1);
  }
};

namespace internal {

inline void close_quietly(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Reads what `fd` (non-blocking) holds into `*kept`, keeping only the last
// `keep` bytes. False once nothing more can come now: at EOF, or when a
// process the code started still holds the pipe open but is silent.
inline bool drain(int fd, std::string* kept, std::size_t keep) {
  char buffer[4096];
  const ssize_t got = ::read(fd, buffer, sizeof(buffer));
  if (got < 0 && errno == EINTR) return true;
  if (got <= 0) return false;
  kept->append(buffer, static_cast<std::size_t>(got));
  if (kept->size() > keep) kept->erase(0, kept->size() - keep);
  return true;
}

}  // namespace internal

// Runs `body` in a child process and tells how it ended. `in_child` runs in
// the child before `body` (an interpreter's after-fork hook, say).
inline IsolatedCall call_isolated(const std::function<void()>& body,
                                  std::chrono::milliseconds limit,
                                  const std::function<void()>& in_child = {}) {
  constexpr std::size_t kKeptOutput = 4096;
  IsolatedCall call;
  call.limit_s = static_cast<double>(limit.count()) / 1000.0;
  int output[2] = {-1, -1};
  int done[2] = {-1, -1};
  if (::pipe2(output, O_CLOEXEC) != 0 || ::pipe2(done, O_CLOEXEC) != 0) {
    call.code = errno;
    for (int* fd : {&output[0], &output[1], &done[0], &done[1]}) internal::close_quietly(*fd);
    return call;
  }
  // Buffered output written before the fork must not be written twice.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) {
    call.code = errno;
    for (int* fd : {&output[0], &output[1], &done[0], &done[1]}) internal::close_quietly(*fd);
    return call;
  }
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(125);
    ::dup2(output[1], STDOUT_FILENO);
    ::dup2(output[1], STDERR_FILENO);
    ::close(output[0]);
    ::close(done[0]);
    try {
      if (in_child) in_child();
      body();
    } catch (...) {
      // Throwing is returning: the real call reports the exception.
    }
    const char returned = 'R';
    while (::write(done[1], &returned, 1) < 0 && errno == EINTR) {
    }
    ::_exit(0);
  }
  internal::close_quietly(output[1]);
  internal::close_quietly(done[1]);
  ::fcntl(output[0], F_SETFL, O_NONBLOCK);

  const auto deadline = std::chrono::steady_clock::now() + limit;
  bool said_returned = false;
  bool done_open = true;
  bool output_open = true;
  while (done_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd fds[2] = {{done[0], POLLIN, 0}, {output_open ? output[0] : -1, POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    if (fds[1].revents != 0) output_open = internal::drain(output[0], &call.output, kKeptOutput);
    if (fds[0].revents != 0) {
      char byte = 0;
      const ssize_t got = ::read(done[0], &byte, 1);
      if (got == 1 && byte == 'R') said_returned = true;
      if (got == 0 || said_returned) done_open = false;
    }
  }
  int status = 0;
  pid_t waited = ::waitpid(child, &status, WNOHANG);
  while (waited == 0 && std::chrono::steady_clock::now() < deadline) {
    ::poll(nullptr, 0, 5);
    waited = ::waitpid(child, &status, WNOHANG);
  }
  if (waited < 0) {
    // Someone else reaped the child (a SIGCHLD handler): its end is unknown.
    call.ending = said_returned ? IsolatedCall::Ending::kReturned : IsolatedCall::Ending::kNotRun;
    call.code = errno;
  } else if (waited == 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    call.ending = said_returned ? IsolatedCall::Ending::kReturned : IsolatedCall::Ending::kTimedOut;
  } else if (said_returned) {
    call.ending = IsolatedCall::Ending::kReturned;
  } else if (WIFSIGNALED(status)) {
    call.ending = IsolatedCall::Ending::kSignalled;
    call.code = WTERMSIG(status);
  } else {
    call.ending = IsolatedCall::Ending::kExited;
    call.code = WEXITSTATUS(status);
  }
  while (output_open) output_open = internal::drain(output[0], &call.output, kKeptOutput);
  internal::close_quietly(output[0]);
  internal::close_quietly(done[0]);
  return call;
}

}  // namespace test_rig

#endif  // TEST_RIG_SDK_ISOLATED_CALL_H_
