#include "client_usage.h"

#include <sched.h>
#include <sys/resource.h>

#include <fstream>
#include <string>

namespace rig_load {
namespace {

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; }

}  // namespace

CpuTimes process_cpu_times() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  const int count = CPU_COUNT(&set);
  return count > 0 ? count : 1;
}

bool client_bound(double busy_cpus, int cpus) { return busy_cpus >= 0.9 * cpus; }

MemoryMib process_memory_mib() {
  std::ifstream status("/proc/self/status");
  MemoryMib memory;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) memory.rss = std::stod(line.substr(6)) / 1024;
    if (line.rfind("VmHWM:", 0) == 0) memory.peak = std::stod(line.substr(6)) / 1024;
  }
  return memory;
}

}  // namespace rig_load
