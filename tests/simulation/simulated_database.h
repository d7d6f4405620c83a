// tests/simulation/simulated_database.h -- an in-memory list-append
// database that runs random transactions from concurrent processes, each
// atomically at a commit point between its invoke and its completion, and
// records the history. Without a bug that history is strict serializable
// (the checker must find nothing); each bug breaks it in a known way (the
// checker must find it). The unit tests and the checker's benchmark use it.
//
//   SimulationSettings s{.transactions = 1000, .keys = 10, .seed = 7};
//   consistency::History h = simulate(s);
#ifndef TEST_RIG_TESTS_SIMULATION_SIMULATED_DATABASE_H_
#define TEST_RIG_TESTS_SIMULATION_SIMULATED_DATABASE_H_

#include <cstdint>

#include "history.h"

namespace simulation {

enum class Bug {
  kNone,
  // Of two committed transactions that each read a key and then appended
  // to it, the later one is recorded as having read what the earlier one
  // read: both updated one version (a lost update).
  kLostUpdate,
  // A committed append that later reads saw is recorded as failed (an
  // aborted read).
  kAbortedRead,
  // One read returns its last two elements swapped (a version order no
  // single history explains).
  kSwappedOrder,
  // One read misses the last append, though its writer had completed
  // before the reader began (a stale read).
  kStaleRead,
};

struct SimulationSettings {
  int64_t transactions = 1000;
  int64_t keys = 10;  // keys in use at a time
  int processes = 8;
  int min_length = 1, max_length = 4;  // micro-operations per transaction
  int max_writes_per_key = 32;  // then a key is retired for a fresh one, as Elle's generator does
  double fail_rate = 0.05;      // aborted by the "server"
  double info_rate = 0.01;      // outcome unknown (committed or not, at random)
  uint64_t seed = 1;
  Bug bug = Bug::kNone;
};

consistency::History simulate(const SimulationSettings& settings);

}  // namespace simulation

#endif  // TEST_RIG_TESTS_SIMULATION_SIMULATED_DATABASE_H_
