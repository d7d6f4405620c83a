// plugins/consistency/baseline_judge.h -- a report's check against a
// baseline model table, for `test-rig report compare BASELINE AFTER.json`:
// the table --consistency.record-model wrote before an upgrade, or any
// expectations table (model_expectations.h's format).
//
//   auto judged = judge_model(baseline_text, entry);  // entry: the test's report entry
//   if (!judged) return false;                        // no model table
//   ctx.add_case(judged->name, judged->kept ? RIG_OK : RIG_FAILED, judged->message, 0);
//
// Thread safety: none needed (functions of their arguments).
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_BASELINE_JUDGE_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_BASELINE_JUDGE_H_

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace consistency {

struct BaselineCase {
  std::string name;  // profile/level of the run
  bool kept = false;
  std::string message;  // "recorded snapshot-isolation; found G-single 3 time(s)"
};

// Nullopt when `baseline` does not read as a model table. Otherwise the
// run's history judged by the model the baseline records for the run's
// profile and level: kept when it found, and gave up on, no class that
// model forbids. Not kept when the baseline has no row for them or the
// report holds no check (a run that ended before it). Throws
// ExpectationsError ("the baseline:LINE: ...") for a table that does not
// parse.
std::optional<BaselineCase> judge_model(const std::string& baseline, const nlohmann::json& entry);

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_BASELINE_JUDGE_H_
