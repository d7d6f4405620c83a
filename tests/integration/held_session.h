// tests/integration/held_session.h -- a session of the mariadb client that
// the test feeds statements while test-rig runs: a read held open until the
// test lets it go, so that what test-rig does waits on it.
//
//   HeldSession hold("rig_test", sandbox_dir);
//   hold.send("BEGIN; SELECT 1 FROM sbtest1 LIMIT 1;");   // DROP sbtest1 waits
//   ... sessions_waiting_for_lock("DROP TABLE ...", "rig_test", sandbox_dir)
//   hold.send("COMMIT;");
#ifndef TEST_RIG_TESTS_INTEGRATION_HELD_SESSION_H_
#define TEST_RIG_TESTS_INTEGRATION_HELD_SESSION_H_

#include <cstdint>
#include <cstdio>
#include <future>
#include <string>
#include <vector>

#include "tests/integration/rig_process.h"

namespace rig::testing {

class HeldSession {
 public:
  // As root, over the socket of the sandbox in `directory`, in `database`.
  explicit HeldSession(const std::string& database, const std::string& directory = SANDBOX_DIR);
  ~HeldSession();  // ends the session: what it holds is let go
  HeldSession(const HeldSession&) = delete;
  HeldSession& operator=(const HeldSession&) = delete;

  // Sends `statements` (each ending in ';'), without waiting for them to run.
  void send(const std::string& statements);

 private:
  FILE* client_;
};

// The ids of the sessions in `database` whose statement is exactly
// `statement` and waits for a metadata lock, on the sandbox in `directory`,
// oldest first.
std::vector<int64_t> sessions_waiting_for_lock(const std::string& statement,
                                               const std::string& database,
                                               const std::string& directory = SANDBOX_DIR);

// Holds a read on `table` of `database` until the run's cleanup has sent
// its `DROP TABLE IF EXISTS` of it from two sessions: the first waited on
// the read past the run's --read-timeout, lost its connection, and the
// cleanup came again on a new one. Then lets go, and that DROP runs.
// Whether it got so far before the run ended.
bool hold_until_the_drop_is_retried(const std::string& table, const std::string& database,
                                    std::future<RigRun>& run,
                                    const std::string& directory = SANDBOX_DIR);

}  // namespace rig::testing

#endif  // TEST_RIG_TESTS_INTEGRATION_HELD_SESSION_H_
