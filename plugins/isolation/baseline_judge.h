// plugins/isolation/baseline_judge.h -- a report's matrix against a
// baseline table, for `test-rig report compare BASELINE AFTER.json`: the
// table --isolation.record wrote before an upgrade, or any expectations
// table (expectations.h's format).
//
//   auto cases = judge_matrix(baseline_text, entry);  // entry: the test's report entry
//   if (!cases) return false;                         // no expectations table
//   for (const BaselineCase& c : *cases) ctx.add_case(c.name, c.kept ? RIG_OK : RIG_FAILED, ...);
//
// Thread safety: none needed (functions of their arguments).
#ifndef TEST_RIG_PLUGINS_ISOLATION_BASELINE_JUDGE_H_
#define TEST_RIG_PLUGINS_ISOLATION_BASELINE_JUDGE_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace isolation {

struct BaselineCase {
  std::string name;  // profile/level/scenario, as a run names its cells
  bool kept = false;
  std::string message;  // "recorded avoid, observed anomaly"
};

// Nullopt when `baseline` has no `scenarios:` line, so is no expectations
// table. Otherwise one case per cell the baseline decides (not "?"), kept
// when the report's cell satisfies it; a cell the report does not hold
// (a run that ended early, a profile or scenario not run) is not kept.
// Throws ScenarioError ("the baseline:LINE: ...") for a table that does not
// parse.
std::optional<std::vector<BaselineCase>> judge_matrix(const std::string& baseline,
                                                      const nlohmann::json& entry);

}  // namespace isolation

#endif  // TEST_RIG_PLUGINS_ISOLATION_BASELINE_JUDGE_H_
