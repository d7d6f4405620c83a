// plugins/load/client_usage.h -- what the client process itself uses
// during a load run: its CPU (every thread, user and system) and memory.
//
// A benchmark client that runs out of CPU measures itself as much as the
// server (a classic sysbench trap). A run reports the client's CPU per
// query and how many of its CPUs it kept busy, and warns when that was
// nearly all of them.
//
//   const CpuTimes before = process_cpu_times();
//   ... run ...
//   const CpuTimes used = process_cpu_times() - before;
//   if (client_bound(used.total_s() / seconds, usable_cpus())) warn(...);
#ifndef TEST_RIG_PLUGINS_LOAD_CLIENT_USAGE_H_
#define TEST_RIG_PLUGINS_LOAD_CLIENT_USAGE_H_

namespace rig_load {

// CPU seconds spent by this process, every thread included (ended ones
// too).
struct CpuTimes {
  double user_s = 0;
  double system_s = 0;

  double total_s() const { return user_s + system_s; }
  CpuTimes operator-(const CpuTimes& earlier) const {
    return {user_s - earlier.user_s, system_s - earlier.system_s};
  }
};

CpuTimes process_cpu_times();

// The CPUs this process may run on (its affinity mask), at least 1.
int usable_cpus();

// Whether a client that kept `busy_cpus` (CPU seconds per second) of its
// `cpus` busy was short of CPU: 90 % of them or more.
bool client_bound(double busy_cpus, int cpus);

// This process's resident memory now (VmRSS) and at its peak (VmHWM).
struct MemoryMib {
  double rss = 0;
  double peak = 0;
};

MemoryMib process_memory_mib();

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_CLIENT_USAGE_H_
