#include "expectations.h"

#include <algorithm>

#include "scenario.h"
#include "server_profile.h"
#include "text_file.h"

namespace isolation {
namespace {

using rig_plugins::joined;

bool known(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAvoid: return "avoid";
    case Outcome::kRollback: return "rollback";
    case Outcome::kAnomaly: return "anomaly";
    case Outcome::kUndecided: return "undecided";
  }
  return "undecided";
}

std::optional<Outcome> parse_outcome(const std::string& name) {
  for (Outcome outcome :
       {Outcome::kAvoid, Outcome::kRollback, Outcome::kAnomaly, Outcome::kUndecided}) {
    if (name == outcome_name(outcome)) return outcome;
  }
  return std::nullopt;
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
  if (observed == Outcome::kUndecided) return false;
  switch (expected) {
    case Expected::kAvoid: return observed == Outcome::kAvoid;
    case Expected::kRollback: return observed == Outcome::kRollback;
    case Expected::kAnomaly: return observed == Outcome::kAnomaly;
    case Expected::kPrevented: return observed != Outcome::kAnomaly;
    case Expected::kUnknown: return false;
  }
  return false;
}

Expectations Expectations::parse(const std::string& path, const std::string& text,
                                 const std::set<std::string>& scenarios) {
  static const std::map<std::string, Expected> kValues = {{"avoid", Expected::kAvoid},
                                                          {"rollback", Expected::kRollback},
                                                          {"anomaly", Expected::kAnomaly},
                                                          {"prevented", Expected::kPrevented},
                                                          {"?", Expected::kUnknown}};
  Expectations table;
  std::vector<std::string> columns;
  std::map<std::tuple<std::string, std::string, std::string>, int> given_at;
  int line_number = 0;
  for (const std::string& line : split_lines(text)) {
    ++line_number;
    auto fail = [&](const std::string& why) {
      throw ScenarioError(path + ":" + std::to_string(line_number) + ": " + why);
    };
    std::vector<std::string> fields = split_words(line);
    if (fields.empty() || fields[0][0] == '#') continue;
    if (fields[0] == "scenarios:") {
      columns.assign(fields.begin() + 1, fields.end());
      if (columns.empty()) fail("'scenarios:' names no scenario");
      for (std::size_t i = 0; i < columns.size(); ++i) {
        const std::string& id = columns[i];
        if (!scenarios.count(id)) fail("unknown scenario '" + id + "'");
        if (std::count(columns.begin(), columns.begin() + static_cast<long>(i), id)) {
          fail("scenario '" + id + "' named twice");
        }
        if (!known(table.order_, id)) table.order_.push_back(id);
      }
      continue;
    }
    if (columns.empty()) fail("a 'scenarios:' line must come before the rows");
    if (fields.size() != columns.size() + 2) {
      fail("expected a profile, a level and " + std::to_string(columns.size()) + " outcomes, got " +
           std::to_string(fields.size()) + " fields");
    }
    const std::string& profile = fields[0];
    const std::string& level = fields[1];
    if (!known(rig_plugins::server_profiles(), profile)) {
      fail("unknown profile '" + profile + "'; use one of " +
           joined(rig_plugins::server_profiles()));
    }
    if (!known(rig_plugins::isolation_levels(), level))
      fail("unknown level '" + level + "'; use one of " + joined(rig_plugins::isolation_levels()));
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string& value = fields[i + 2];
      auto expected = kValues.find(value);
      if (expected == kValues.end()) {
        fail("unknown outcome '" + value + "' for " + columns[i] +
             "; use avoid, rollback, anomaly, prevented or ?");
      }
      auto cell = std::make_tuple(profile, level, columns[i]);
      auto [earlier, fresh] = given_at.emplace(cell, line_number);
      if (!fresh) {
        fail(profile + " " + level + " " + columns[i] + " is already given on line " +
             std::to_string(earlier->second));
      }
      table.cells_[cell] = expected->second;
    }
  }
  return table;
}

Expectations Expectations::load(const std::string& path, const std::set<std::string>& scenarios) {
  return parse(path, read_text_file(path, "expectations file"), scenarios);
}

Expected Expectations::find(const std::string& profile, const std::string& level,
                            const std::string& scenario) const {
  auto it = cells_.find({profile, level, scenario});
  return it == cells_.end() ? Expected::kUnknown : it->second;
}

}  // namespace isolation
