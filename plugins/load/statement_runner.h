// plugins/load/statement_runner.h -- how one worker's statements reach the
// server: as text, as prepared statements (--load.prepared), or nowhere
// (--load.dry-run, to measure the rig's own cost per event).
#ifndef TEST_RIG_PLUGINS_LOAD_STATEMENT_RUNNER_H_
#define TEST_RIG_PLUGINS_LOAD_STATEMENT_RUNNER_H_

#include <memory>
#include <string>

#include "test_rig/sdk.h"
#include "workload.h"

namespace rig_load {

struct LoadSettings;

class StatementRunner {
 public:
  virtual ~StatementRunner() = default;
  // Runs one statement; throws test_rig::DbError.
  virtual void run(const Statement& statement) = 0;
  // Ends the current transaction after an error (never throws).
  virtual void rollback() = 0;
  // Opens the session again after a lost connection; throws DbError.
  virtual void reconnect() = 0;
};

// A placeholder's value for a prepared statement; text stays borrowed from
// `param`, which must outlive the execution.
rig_value param_value(const Param& param);

// The runner `settings` ask for, with a session named `session` (none in a
// dry run). Throws when the session cannot be opened.
std::unique_ptr<StatementRunner> make_runner(test_rig::Context& ctx, const std::string& session,
                                             const LoadSettings& settings);

}  // namespace rig_load

#endif  // TEST_RIG_PLUGINS_LOAD_STATEMENT_RUNNER_H_
