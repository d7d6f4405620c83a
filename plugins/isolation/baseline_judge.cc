#include "baseline_judge.h"

#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "expectations.h"

namespace isolation {
namespace {

// The ids the table's `scenarios:` lines name; nullopt when it has none.
std::optional<std::set<std::string>> scenario_columns(const std::string& table) {
  std::optional<std::set<std::string>> ids;
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string word;
    if (!(words >> word) || word != "scenarios:") continue;
    if (!ids) ids.emplace();
    while (words >> word) ids->insert(word);
  }
  return ids;
}

}  // namespace

std::optional<std::vector<BaselineCase>> judge_matrix(const std::string& baseline,
                                                      const nlohmann::json& entry) {
  std::optional<std::set<std::string>> scenarios = scenario_columns(baseline);
  if (!scenarios) return std::nullopt;
  // What each cell of the report observed; absent: undecided.
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::optional<Outcome>> observed;
  const nlohmann::json details = entry.value("details", nlohmann::json::object());
  const nlohmann::json matrix = details.is_object()
                                    ? details.value("isolation", nlohmann::json::object())
                                    : nlohmann::json::object();
  for (const nlohmann::json& cell : matrix.value("cells", nlohmann::json::array())) {
    const Key key{cell.value("profile", ""), cell.value("level", ""), cell.value("scenario", "")};
    const nlohmann::json& seen = cell.contains("observed") ? cell["observed"] : nlohmann::json();
    observed[key] = seen.is_string() ? parse_outcome(seen.get<std::string>()) : std::nullopt;
    scenarios->insert(std::get<2>(key));
  }
  const Expectations table = Expectations::parse("the baseline", baseline, *scenarios);
  std::vector<BaselineCase> cases;
  for (const auto& [key, expected] : table.cells()) {
    if (expected == Expected::kUnknown) continue;
    const auto& [profile, level, scenario] = key;
    BaselineCase c{profile + "/" + level + "/" + scenario, false,
                   std::string("recorded ") + expected_name(expected) + ", "};
    auto it = observed.find(key);
    if (it == observed.end()) {
      c.message += "not in the report after";
    } else {
      const Outcome outcome = it->second.value_or(Outcome::kUndecided);
      c.kept = satisfies(outcome, expected);
      c.message += std::string("observed ") + outcome_name(outcome);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace isolation
