// The consistency checker's speed and memory on synthetic histories (not a
// test; scripts/bench-consistency.sh runs it). One history per process run,
// so that the peak memory (VmHWM) is that history's:
//
//   consistency_checker_bench TRANSACTIONS KEYS [SEED]
//
// prints one line of key=value pairs: the history's size, the seconds to
// simulate, check, write and read it back, transactions checked per second,
// and the peak resident memory of the whole process.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "checker.h"
#include "history_json.h"
#include "simulated_database.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double peak_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s TRANSACTIONS KEYS [SEED]\n", argv[0]);
    return 2;
  }
  const int64_t transactions = std::atoll(argv[1]);
  const int64_t keys = std::atoll(argv[2]);
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;

  auto start = Clock::now();
  consistency::History history = simulation::simulate(
      {.transactions = transactions, .keys = keys, .processes = 10, .seed = seed});
  const double simulate_s = seconds_since(start);
  const double simulated_mib = peak_mib();

  start = Clock::now();
  consistency::CheckResult result =
      consistency::check(history, {consistency::Workload::kListAppend});
  const double check_s = seconds_since(start);
  const double checked_mib = peak_mib();

  const std::string path = "/tmp/consistency_bench_" + std::to_string(::getpid()) + ".jsonl";
  start = Clock::now();
  {
    std::ofstream out(path);
    consistency::write_history(history, out);
  }
  const double write_s = seconds_since(start);
  start = Clock::now();
  consistency::History back = consistency::read_history(path);
  const double read_s = seconds_since(start);
  std::remove(path.c_str());

  std::printf(
      "transactions=%lld keys=%lld ops=%zu elements=%zu edges=%llu anomalies=%zu "
      "simulate_s=%.3f check_s=%.3f txn_per_s=%.0f write_s=%.3f read_s=%.3f "
      "peak_after_simulate_mib=%.0f peak_after_check_mib=%.0f peak_mib=%.0f\n",
      static_cast<long long>(transactions), static_cast<long long>(keys), history.mop_total(),
      history.element_total(), static_cast<unsigned long long>(result.edges),
      result.anomalies.size(), simulate_s, check_s, static_cast<double>(transactions) / check_s,
      write_s, read_s, simulated_mib, checked_mib, peak_mib());
  return result.anomalies.empty() && back.transactions().size() == history.transactions().size()
             ? 0
             : 1;
}
