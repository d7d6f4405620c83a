// plugins/isolation/expectations.h -- outcomes, and the table of what each
// server profile is documented to do at each isolation level.
//
// Table format (expectations.txt):
//   scenarios: g0 g1a ...                  column order for the rows below
//   mariadb read-committed rollback avoid ...   profile, level, one per scenario
// Values: avoid, rollback, anomaly, prevented (avoid or rollback), ? (unknown).
//
// Every name in the table is checked against what can occur (the profiles
// this plugin detects, the levels it runs, the scenarios it loaded), so a
// typo is an error naming its line instead of a row that silently never
// matches.
#ifndef TEST_RIG_PLUGINS_ISOLATION_EXPECTATIONS_H_
#define TEST_RIG_PLUGINS_ISOLATION_EXPECTATIONS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace isolation {

// What a cell observed: the anomaly was prevented without any session
// waiting or aborting (avoid), prevented by a lock wait or an abort
// (rollback), or it happened (anomaly). Undecided: the scenario could not
// run to its end by itself -- a step was still waiting when the script
// ended, or its wait ended by a lock-wait timeout -- so neither prevention
// nor anomaly was observed.
enum class Outcome { kAvoid, kRollback, kAnomaly, kUndecided };

enum class Expected { kAvoid, kRollback, kAnomaly, kPrevented, kUnknown };

const char* outcome_name(Outcome outcome);
// The outcome outcome_name gives `name`; nullopt for any other text.
std::optional<Outcome> parse_outcome(const std::string& name);
const char* expected_name(Expected expected);
// An undecided cell satisfies no expectation.
bool satisfies(Outcome observed, Expected expected);

class Expectations {
 public:
  // Throws ScenarioError naming file and line for an unknown profile, level,
  // scenario (not in `scenarios`) or outcome, a malformed row, or a cell
  // given twice.
  static Expectations load(const std::string& path, const std::set<std::string>& scenarios);
  static Expectations parse(const std::string& path, const std::string& text,
                            const std::set<std::string>& scenarios);

  // kUnknown when the table has no row or column for the cell.
  Expected find(const std::string& profile, const std::string& level,
                const std::string& scenario) const;

  // Scenario ids in the order the table's `scenarios:` lines first name them.
  const std::vector<std::string>& scenario_order() const { return order_; }

  // Every cell the table gives, "?" included, by (profile, level, scenario).
  const std::map<std::tuple<std::string, std::string, std::string>, Expected>& cells() const {
    return cells_;
  }

 private:
  std::map<std::tuple<std::string, std::string, std::string>, Expected> cells_;
  std::vector<std::string> order_;
};

}  // namespace isolation

#endif  // TEST_RIG_PLUGINS_ISOLATION_EXPECTATIONS_H_
