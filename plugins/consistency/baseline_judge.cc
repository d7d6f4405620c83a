#include "baseline_judge.h"

#include "checker.h"
#include "model_expectations.h"
#include "models.h"

namespace consistency {
namespace {

// Per class, from one of the check's {class: count} records.
void read_counts(const nlohmann::json& record, std::array<uint64_t, kAnomalyClassCount>* counts) {
  if (!record.is_object()) return;
  for (const auto& [name, count] : record.items()) {
    const auto cls = anomaly_from_name(name);
    if (cls && count.is_number_unsigned())
      (*counts)[static_cast<int>(*cls)] = count.get<uint64_t>();
  }
}

}  // namespace

std::optional<BaselineCase> judge_model(const std::string& baseline, const nlohmann::json& entry) {
  if (!ModelExpectations::looks_like(baseline)) return std::nullopt;
  const ModelExpectations table = ModelExpectations::parse("the baseline", baseline);
  const nlohmann::json records = entry.value("records", nlohmann::json::object());
  const std::string profile = records.value("profile", "?");
  const std::string level = records.value("isolation", "?");
  BaselineCase judged{profile + "/" + level, false, ""};
  const std::string* model_name = table.find(profile, level);
  if (model_name == nullptr) {
    judged.message = "the baseline records no model for " + profile + " at " + level;
    return judged;
  }
  judged.message = "recorded " + *model_name;
  const nlohmann::json details = entry.value("details", nlohmann::json::object());
  const nlohmann::json check =
      details.is_object() ? details.value("consistency", nlohmann::json()) : nlohmann::json();
  if (!check.is_object()) {
    judged.message += "; the report after holds no check of the history (the run ended first)";
    return judged;
  }
  CheckResult result;
  read_counts(check.value("anomalies", nlohmann::json()), &result.counts);
  std::array<uint64_t, kAnomalyClassCount> gave_up{};
  read_counts(check.value("gave_up", nlohmann::json()), &gave_up);
  for (std::size_t i = 0; i < gave_up.size(); ++i) {
    result.undecided[i] = static_cast<uint32_t>(gave_up[i]);
  }
  const Verdict verdict = judge(result, *find_model(*model_name));
  judged.kept = verdict.valid();
  auto list = [&](const char* what, const std::vector<AnomalyClass>& classes, bool counted) {
    for (std::size_t i = 0; i < classes.size(); ++i) {
      const int k = static_cast<int>(classes[i]);
      judged.message += (i == 0 ? std::string("; ") + what + " " : std::string(", ")) +
                        anomaly_name(classes[i]) +
                        (counted ? " (" + std::to_string(result.counts[k]) + ")" : "");
    }
  };
  list("found", verdict.found, true);
  list("could not rule out", verdict.undecided, false);
  if (judged.kept) judged.message += ", kept";
  return judged;
}

}  // namespace consistency
