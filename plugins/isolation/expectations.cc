#include "expectations.h"

#include <fstream>
#include <sstream>

#include "scenario.h"

namespace isolation {

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAvoid: return "avoid";
    case Outcome::kRollback: return "rollback";
    case Outcome::kAnomaly: return "anomaly";
  }
  return "anomaly";
}

const char* expected_name(Expected expected) {
  switch (expected) {
    case Expected::kAvoid: return "avoid";
    case Expected::kRollback: return "rollback";
    case Expected::kAnomaly: return "anomaly";
    case Expected::kPrevented: return "prevented";
    case Expected::kUnknown: return "?";
  }
  return "?";
}

bool satisfies(Outcome observed, Expected expected) {
  switch (expected) {
    case Expected::kAvoid: return observed == Outcome::kAvoid;
    case Expected::kRollback: return observed == Outcome::kRollback;
    case Expected::kAnomaly: return observed == Outcome::kAnomaly;
    case Expected::kPrevented: return observed != Outcome::kAnomaly;
    case Expected::kUnknown: return false;
  }
  return false;
}

Expectations Expectations::parse(const std::string& path, const std::string& text) {
  Expectations table;
  std::vector<std::string> columns;
  std::istringstream in(text);
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    auto fail = [&](const std::string& why) {
      throw ScenarioError(path + ":" + std::to_string(line_number) + ": " + why);
    };
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string word; words >> word;) fields.push_back(word);
    if (fields.empty() || fields[0][0] == '#') continue;
    if (fields[0] == "scenarios:") {
      columns.assign(fields.begin() + 1, fields.end());
      continue;
    }
    if (columns.empty()) fail("a 'scenarios:' line must come before the rows");
    if (fields.size() != columns.size() + 2) {
      fail("expected a profile, a level and " + std::to_string(columns.size()) + " outcomes, got " +
           std::to_string(fields.size()) + " fields");
    }
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string& value = fields[i + 2];
      Expected expected;
      if (value == "avoid")
        expected = Expected::kAvoid;
      else if (value == "rollback")
        expected = Expected::kRollback;
      else if (value == "anomaly")
        expected = Expected::kAnomaly;
      else if (value == "prevented")
        expected = Expected::kPrevented;
      else if (value == "?")
        expected = Expected::kUnknown;
      else
        fail("unknown outcome '" + value + "'; use avoid, rollback, anomaly, prevented or ?");
      table.cells_[{fields[0], fields[1], columns[i]}] = expected;
    }
  }
  return table;
}

Expectations Expectations::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ScenarioError(path + ": cannot read the expectations file");
  std::stringstream text;
  text << in.rdbuf();
  return parse(path, text.str());
}

Expected Expectations::find(const std::string& profile, const std::string& level,
                            const std::string& scenario) const {
  auto it = cells_.find({profile, level, scenario});
  return it == cells_.end() ? Expected::kUnknown : it->second;
}

}  // namespace isolation
