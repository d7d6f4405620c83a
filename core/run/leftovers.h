// core/run/leftovers.h -- what killed or timed-out runs left behind: dropped
// or removed when its maker is known to be gone, listed otherwise.
//
// A run's tables carry its owner mark in their COMMENT, its temporary
// directories (test-rig-import-*, the --sandbox directories
// test-rig-sandbox-*) a mark file (test_rig/sdk/owner_mark.h). `test-rig run`
// calls both functions when it starts and when it ends. Nothing without a
// mark is ever touched, whatever its name; a marked thing whose maker still
// runs is left to it; one made on another machine, in another container or
// before a reboot is listed with the statement or command that removes it.
//
// Thread tags: [main-thread].
#ifndef TEST_RIG_CORE_RUN_LEFTOVERS_H_
#define TEST_RIG_CORE_RUN_LEFTOVERS_H_

#include <string>
#include <vector>

#include "core/db/session.h"

namespace rig {

// One line each, for the user.
struct Leftovers {
  std::vector<std::string> removed;   // "dropped table rig_test.txn_big_... (pid 123 ended)"
  std::vector<std::string> unjudged;  // "... remove it with: DROP TABLE ..."
};

// The marked tables of the session's database, and the marked databases;
// views that read a dropped table are listed. Once `run_ended`, what this
// very process marked is left over too: with --isolation none its tests ran
// here, and one stopped before its cleanup state left its tables.
void clean_leftover_tables(Session& db, Leftovers* leftovers, bool run_ended);

// The directories test-rig-* directly under `temp_directory` that hold a
// mark file and belong to this user; a sandbox's only once its server is
// gone.
void clean_leftover_directories(const std::string& temp_directory, Leftovers* leftovers);

}  // namespace rig

#endif  // TEST_RIG_CORE_RUN_LEFTOVERS_H_
