// Waiting for a socket with a deadline kept by the watchdog thread, not by
// a kernel timer: readiness, timeouts, many threads, a forked child.
#include "core/db/socket_wait.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace rig {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A connected pair of stream sockets: the test's end and the "server's".
// Should the watchdog fail to end a wait, the "server" answers after
// kRescue, so that the test fails on its expectations instead of hanging.
class SocketPair {
 public:
  static constexpr milliseconds kRescue{5000};

  SocketPair() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
    rescuer_ = std::thread([this] {
      std::unique_lock lock(mutex_);
      if (!done_.wait_for(lock, kRescue, [this] { return closing_; })) server_sends();
    });
  }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;
  ~SocketPair() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    done_.notify_one();
    rescuer_.join();
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int client() const { return fds_[0]; }
  void server_sends() const { EXPECT_EQ(::write(fds_[1], "x", 1), 1); }

 private:
  int fds_[2] = {-1, -1};
  std::mutex mutex_;
  std::condition_variable done_;
  bool closing_ = false;
  std::thread rescuer_;
};

// A wait that times out, and how long it took.
milliseconds timed_out_wait(int socket, int timeout_ms) {
  const auto start = Clock::now();
  errno = 0;
  EXPECT_EQ(wait_for_socket(socket, 1, timeout_ms), 0);
  EXPECT_EQ(errno, ETIMEDOUT);
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

TEST(SocketWait, ReadyAtOnceWhenDataIsThere) {
  SocketPair pair;
  pair.server_sends();
  EXPECT_EQ(wait_for_socket(pair.client(), 1, 5000), 1);
  EXPECT_EQ(wait_for_socket(pair.client(), 1, -1), 1);
  EXPECT_EQ(wait_for_socket(pair.client(), 0, 5000), 1);  // writable
}

TEST(SocketWait, WakesWhenDataArrivesLater) {
  SocketPair pair;
  std::thread server([&] {
    std::this_thread::sleep_for(milliseconds(50));
    pair.server_sends();
  });
  const auto start = Clock::now();
  EXPECT_EQ(wait_for_socket(pair.client(), 1, 10000), 1);
  EXPECT_LT(Clock::now() - start, milliseconds(5000));
  server.join();
}

TEST(SocketWait, TimesOutWithinTwoWatchdogPeriodsAndShutsTheSocketDown) {
  SocketPair pair;
  const milliseconds took = timed_out_wait(pair.client(), 300);
  EXPECT_GE(took, milliseconds(300));
  EXPECT_LT(took, milliseconds(300) + 2 * kWatchdogPeriod + milliseconds(500));
  // What Connector/C then reads: the connection is gone.
  char byte;
  EXPECT_EQ(::recv(pair.client(), &byte, 1, MSG_DONTWAIT), 0);
}

TEST(SocketWait, ZeroTimeoutDoesNotWait) {
  SocketPair pair;
  EXPECT_LT(timed_out_wait(pair.client(), 0), milliseconds(100));
}

TEST(SocketWait, ThreadsTimeOutOnlyTheirOwnWaits) {
  constexpr int kThreads = 6;
  std::array<SocketPair, kThreads> pairs;
  std::vector<int> results(kThreads, -2);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    // Even threads get an answer after 100 ms; odd ones wait out 400 ms.
    threads.emplace_back([&, i] { results[i] = wait_for_socket(pairs[i].client(), 1, 400); });
  }
  const auto start = Clock::now();
  std::this_thread::sleep_for(milliseconds(100));
  for (int i = 0; i < kThreads; i += 2) pairs[i].server_sends();
  for (auto& thread : threads) thread.join();
  EXPECT_LT(Clock::now() - start, SocketPair::kRescue / 2);  // the watchdog ended them
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(results[i], i % 2 == 0 ? 1 : 0) << "thread " << i;
  // The answered sockets are intact.
  char byte;
  EXPECT_EQ(::recv(pairs[0].client(), &byte, 1, MSG_DONTWAIT), 1);
}

TEST(SocketWait, AForkedChildHasAWatchdogOfItsOwn) {
  SocketPair pair;
  pair.server_sends();
  ASSERT_EQ(wait_for_socket(pair.client(), 1, 1000), 1);  // the parent's watchdog runs
  char byte;
  ASSERT_EQ(::recv(pair.client(), &byte, 1, 0), 1);
  const auto start = Clock::now();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Without a watchdog in the child this wait would never end: the alarm
    // kills the child then (the parent's rescuer thread is not in it).
    ::alarm(5);
    const int ready = wait_for_socket(pair.client(), 1, 200);
    ::_exit(ready == 0 && errno == ETIMEDOUT ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(Clock::now() - start, SocketPair::kRescue / 2);  // the child's watchdog ended it
}

}  // namespace
}  // namespace rig
