#include "model_expectations.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "models.h"
#include "server_profile.h"
#include "test_rig/sdk/small_file.h"

namespace consistency {
namespace {

// The words of a line of the table, its comment cut off.
std::vector<std::string> row_of(const std::string& line) {
  std::istringstream words(line.substr(0, line.find('#')));
  std::vector<std::string> row;
  for (std::string word; words >> word;) row.push_back(word);
  return row;
}

}  // namespace

ModelExpectations ModelExpectations::load(const std::string& path) {
  std::string text, why;
  if (!test_rig::read_small_file(path, 1 << 20, &text, &why)) {
    throw ExpectationsError(path + ": cannot read the expectations table: " + why);
  }
  return parse(path, text);
}

ModelExpectations ModelExpectations::parse(const std::string& path, const std::string& text) {
  using rig_plugins::joined;
  ModelExpectations table;
  table.path_ = path;
  std::istringstream lines(text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    auto fail = [&](const std::string& what) {
      throw ExpectationsError(path + ":" + std::to_string(number) + ": " + what);
    };
    const std::vector<std::string> row = row_of(line);
    if (row.empty()) continue;
    if (row.size() != 3) fail("a row is: profile level model");
    auto known = [](const std::vector<std::string>& names, const std::string& name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    if (!known(rig_plugins::server_profiles(), row[0])) {
      fail("unknown profile '" + row[0] + "'; use one of " +
           joined(rig_plugins::server_profiles()));
    }
    if (!known(rig_plugins::isolation_levels(), row[1])) {
      fail("unknown level '" + row[1] + "'; use one of " + joined(rig_plugins::isolation_levels()));
    }
    if (!find_model(row[2])) {
      fail("unknown model '" + row[2] + "'; use one of " + joined(model_names()));
    }
    if (!table.rows_.emplace(std::make_pair(row[0], row[1]), row[2]).second) {
      fail(row[0] + " " + row[1] + " is given twice");
    }
  }
  return table;
}

bool ModelExpectations::looks_like(const std::string& text) {
  std::istringstream lines(text);
  bool rows = false;
  for (std::string line; std::getline(lines, line);) {
    const std::size_t words = row_of(line).size();
    if (words != 0 && words != 3) return false;
    rows = rows || words == 3;
  }
  return rows;
}

const std::string* ModelExpectations::find(const std::string& profile,
                                           const std::string& level) const {
  auto found = rows_.find({profile, level});
  return found == rows_.end() ? nullptr : &found->second;
}

const std::string& ModelExpectations::model_for(const std::string& profile,
                                                const std::string& level) const {
  const std::string* model = find(profile, level);
  if (model == nullptr) {
    throw ExpectationsError(path_ + " has no row for " + profile + " at " + level +
                            ": add one, or name the model with --consistency.model");
  }
  return *model;
}

std::string with_row(const std::string& table_text, const std::string& profile,
                     const std::string& level, const std::string& model) {
  const std::string row = profile + " " + level + " " + model;
  std::istringstream lines(table_text);
  std::string out;
  bool replaced = false;
  for (std::string line; std::getline(lines, line);) {
    const std::vector<std::string> words = row_of(line);
    if (words.size() >= 2 && words[0] == profile && words[1] == level && !replaced) {
      out += row + "\n";
      replaced = true;
      continue;
    }
    out += line + "\n";
  }
  if (!replaced) out += row + "\n";
  return out;
}

}  // namespace consistency
