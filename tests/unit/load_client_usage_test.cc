// What a load run reports of the client itself: its CPU, the CPUs it may
// use, and when it counts as short of CPU.
#include "client_usage.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace rig_load {
namespace {

TEST(ClientUsage, NinetyPercentOfTheCpusIsClientBound) {
  EXPECT_FALSE(client_bound(0.89, 1));
  EXPECT_TRUE(client_bound(0.9, 1));
  EXPECT_TRUE(client_bound(1.0, 1));
  EXPECT_FALSE(client_bound(1.7, 2));
  EXPECT_TRUE(client_bound(1.8, 2));
  EXPECT_FALSE(client_bound(0.0, 64));
}

TEST(ClientUsage, CpuTimesCountWorkDoneOnOtherThreads) {
  const CpuTimes before = process_cpu_times();
  // Spin on another thread until the process has used 50 ms more CPU, and
  // some of it shows as user time. The kernel splits a process's exact
  // runtime into user and system by the clock ticks it sampled (until a
  // tick lands in user mode, all of it counts as system), so a spin shows
  // as user time only once a tick has caught it: under CPU load, 1 fresh
  // process in 200 had no user time after 50 ms. The wall-clock bound only
  // keeps a broken measure from hanging the test.
  std::thread spinner([&] {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    volatile uint64_t sink = 0;
    auto spun = [&] {
      const CpuTimes used = process_cpu_times() - before;
      return used.total_s() >= 0.05 && used.user_s > 0.0;
    };
    while (!spun() && std::chrono::steady_clock::now() < give_up) {
      for (int i = 0; i < 100000; ++i) sink = sink + static_cast<uint64_t>(i);
    }
  });
  spinner.join();
  const CpuTimes used = process_cpu_times() - before;
  EXPECT_GE(used.total_s(), 0.05);
  EXPECT_GT(used.user_s, 0.0);  // a spin is user time, once sampled
  EXPECT_DOUBLE_EQ(used.total_s(), used.user_s + used.system_s);
}

TEST(ClientUsage, UsableCpusFollowTheAffinityMask) {
  const int cpus = usable_cpus();
  EXPECT_GE(cpus, 1);
  EXPECT_LE(static_cast<unsigned>(cpus), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(ClientUsage, MemoryIsReadFromProc) {
  const MemoryMib memory = process_memory_mib();
  EXPECT_GT(memory.rss, 0.0);
  EXPECT_GE(memory.peak, memory.rss);
}

}  // namespace
}  // namespace rig_load
