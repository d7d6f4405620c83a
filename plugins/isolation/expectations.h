// plugins/isolation/expectations.h -- outcomes, and the table of what each
// server profile is documented to do at each isolation level.
//
// Table format (expectations.txt):
//   scenarios: g0 g1a ...                  column order for the rows below
//   mariadb read-committed rollback avoid ...   profile, level, one per scenario
// Values: avoid, rollback, anomaly, prevented (avoid or rollback), ? (unknown).
#ifndef TEST_RIG_PLUGINS_ISOLATION_EXPECTATIONS_H_
#define TEST_RIG_PLUGINS_ISOLATION_EXPECTATIONS_H_

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace isolation {

// What a cell observed: the anomaly was prevented without any session
// waiting or aborting (avoid), prevented by a lock wait or an abort
// (rollback), or it happened (anomaly).
enum class Outcome { kAvoid, kRollback, kAnomaly };

enum class Expected { kAvoid, kRollback, kAnomaly, kPrevented, kUnknown };

const char* outcome_name(Outcome outcome);
const char* expected_name(Expected expected);
bool satisfies(Outcome observed, Expected expected);

class Expectations {
 public:
  // Throws ScenarioError naming file and line.
  static Expectations load(const std::string& path);
  static Expectations parse(const std::string& path, const std::string& text);

  // kUnknown when the table has no row or column for the cell.
  Expected find(const std::string& profile, const std::string& level,
                const std::string& scenario) const;

 private:
  std::map<std::tuple<std::string, std::string, std::string>, Expected> cells_;
};

}  // namespace isolation

#endif  // TEST_RIG_PLUGINS_ISOLATION_EXPECTATIONS_H_
