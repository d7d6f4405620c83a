// The consistency checker's speed and memory on synthetic histories (not a
// test; scripts/bench-consistency.sh runs it):
//
//   consistency_checker_bench generate TRANSACTIONS KEYS SEED FILE
//       a strict-serializable list-append history from the simulated
//       database, written as the plugin writes its histories;
//   consistency_checker_bench check FILE
//       reads FILE, makes one plain pass over every operation and element
//       (the floor: what merely touching the history costs), checks it, and
//       prints one line of key=value pairs: seconds to read, to pass over
//       and to check, transactions checked per second, the check's cost in
//       floors, and the process's peak resident memory (VmHWM) -- a process
//       of its own per history, so that the peak is that history's.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

// Every operation and element read once; the sum keeps the loop alive.
int64_t one_pass(const consistency::History& history) {
  int64_t sum = 0;
  for (const consistency::Transaction& txn : history.transactions()) {
    for (const consistency::Mop& mop : history.mops(txn)) {
      sum += mop.key + mop.value;
      for (int64_t element : history.list(mop)) sum += element;
    }
  }
  return sum;
}

int generate(int64_t transactions, int64_t keys, uint64_t seed, const char* path) {
  consistency::History history = simulation::simulate(
      {.transactions = transactions, .keys = keys, .processes = 10, .seed = seed});
  std::ofstream out(path);
  consistency::write_history(history, out);
  return out ? 0 : 1;
}

int check(const char* path) {
  auto start = Clock::now();
  consistency::History history = consistency::read_history(path);
  const double read_s = seconds_since(start);
  start = Clock::now();
  const int64_t sum = one_pass(history);
  const double floor_s = seconds_since(start);
  start = Clock::now();
  consistency::CheckResult result =
      consistency::check(history, {consistency::Workload::kListAppend});
  const double check_s = seconds_since(start);
  const auto n = static_cast<double>(history.transactions().size());
  std::printf(
      "transactions=%.0f ops=%zu elements=%zu edges=%llu anomalies=%zu read_s=%.3f floor_s=%.4f "
      "check_s=%.3f check_txn_per_s=%.0f check_in_floors=%.0f peak_mib=%.0f (sum %lld)\n",
      n, history.mop_total(), history.element_total(),
      static_cast<unsigned long long>(result.edges), result.anomalies.size(), read_s, floor_s,
      check_s, n / check_s, check_s / floor_s, peak_mib(), static_cast<long long>(sum));
  return result.anomalies.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && std::strcmp(argv[1], "generate") == 0) {
    return generate(std::atoll(argv[2]), std::atoll(argv[3]), std::strtoull(argv[4], nullptr, 10),
                    argv[5]);
  }
  if (argc == 3 && std::strcmp(argv[1], "check") == 0) return check(argv[2]);
  std::fprintf(stderr,
               "usage: %s generate TRANSACTIONS KEYS SEED FILE\n"
               "       %s check FILE\n",
               argv[0], argv[0]);
  return 2;
}
