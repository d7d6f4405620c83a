#include "scenario.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "text_file.h"

namespace isolation {
namespace {

// Splits "a and b and c" on the word "and".
std::vector<std::string> split_and(const std::string& text) {
  std::vector<std::string> parts;
  std::string rest = text;
  for (auto at = rest.find(" and "); at != std::string::npos; at = rest.find(" and ")) {
    parts.push_back(trim(rest.substr(0, at)));
    rest = rest.substr(at + 5);
  }
  parts.push_back(trim(rest));
  return parts;
}

class Parser {
 public:
  Parser(const std::string& path) : path_(path) {}

  Scenario parse(const std::string& text) {
    scenario_.path = path_;
    for (const std::string& raw : split_lines(text)) {
      ++line_;
      std::string line = trim(raw);
      if (line.empty() || line[0] == '#') continue;
      auto colon = line.find(':');
      if (colon == std::string::npos) fail("expected 'key: value' or 'SESSION: sql'");
      directive(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    check_complete();
    return scenario_;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw ScenarioError(path_ + ":" + std::to_string(line_) + ": " + why);
  }

  void directive(const std::string& head, const std::string& value) {
    if (head == "id") return void(scenario_.id = value);
    if (head == "title") return void(scenario_.title = value);
    if (head == "setup") return scenario_.setup.push_back(value);
    if (head == "sessions") {
      scenario_.sessions = split_words(value);
      if (scenario_.sessions.size() < 2 || scenario_.sessions.size() > 3) {
        fail("a scenario has 2 or 3 sessions");
      }
      return;
    }
    if (head == "anomaly") return scenario_.anomaly.push_back(clause(value));
    step(head, value);
  }

  void step(const std::string& head, const std::string& sql) {
    Step step;
    step.line = line_;
    step.sql = sql;
    auto bracket = head.find('[');
    step.session = trim(head.substr(0, bracket));
    if (bracket != std::string::npos) {
      auto close = head.find(']', bracket);
      if (close == std::string::npos) fail("missing ']' after the step label");
      step.label = trim(head.substr(bracket + 1, close - bracket - 1));
      if (!labels_.insert(step.label).second) fail("label '" + step.label + "' used twice");
    }
    bool known = step.session == "after" ||
                 std::find(scenario_.sessions.begin(), scenario_.sessions.end(), step.session) !=
                     scenario_.sessions.end();
    if (!known) fail("unknown directive or session '" + step.session + "'");
    if (sql.empty()) fail("the step has no SQL");
    scenario_.steps.push_back(step);
  }

  Clause clause(const std::string& text) {
    Clause conditions;
    for (const std::string& part : split_and(text)) {
      Condition condition;
      auto words = split_words(part);
      if (words.size() < 2) fail("condition '" + part + "' is incomplete");
      condition.label = words[0];
      const std::string& op = words[1];
      std::string rest = trim(part.substr(part.find(op) + op.size()));
      if (op == "ok" || op == "failed") {
        condition.kind = op == "ok" ? Condition::Kind::kOk : Condition::Kind::kFailed;
      } else if (op == "==" || op == "has") {
        condition.kind = op == "==" ? Condition::Kind::kEquals : Condition::Kind::kHas;
        try {
          condition.rows = parse_rows(rest);
        } catch (const ScenarioError& e) {
          fail(e.what());
        }
      } else if (op == "before") {
        condition.kind = Condition::Kind::kBefore;
        condition.other = rest;
        if (rest.empty()) fail("'before' needs a second label");
      } else {
        fail("unknown condition '" + op + "'; use ok, failed, ==, has or before");
      }
      conditions.push_back(condition);
    }
    return conditions;
  }

  void check_complete() {
    if (scenario_.id.empty()) fail("missing 'id:'");
    if (scenario_.sessions.empty()) fail("missing 'sessions:'");
    if (scenario_.steps.empty()) fail("no steps");
    if (scenario_.anomaly.empty()) fail("missing 'anomaly:' rule");
    for (const auto& clause : scenario_.anomaly) {
      for (const auto& condition : clause) {
        for (const std::string* label : {&condition.label, &condition.other}) {
          if (label->empty() || labels_.count(*label)) continue;
          fail("the anomaly rule names label '" + *label + "', which no step has");
        }
      }
    }
  }

  std::string path_;
  int line_ = 0;
  Scenario scenario_;
  std::set<std::string> labels_;
};

}  // namespace

Rows parse_rows(const std::string& raw) {
  std::string text = trim(raw);
  Rows rows;
  if (text == "empty") return rows;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] == ',' || text[at] == ' ') {
      ++at;
      continue;
    }
    if (text[at] != '(') throw ScenarioError("rows must look like (1,10),(2,20) or 'empty'");
    auto close = text.find(')', at);
    if (close == std::string::npos) throw ScenarioError("missing ')' in rows");
    Row row;
    std::stringstream cells(text.substr(at + 1, close - at - 1));
    for (std::string cell; std::getline(cells, cell, ',');) row.push_back(trim(cell));
    rows.push_back(row);
    at = close + 1;
  }
  if (rows.empty()) throw ScenarioError("rows must look like (1,10),(2,20) or 'empty'");
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::string format_rows(const Rows& rows) {
  if (rows.empty()) return "empty";
  std::string text;
  for (const auto& row : rows) {
    text += text.empty() ? "(" : ",(";
    for (std::size_t i = 0; i < row.size(); ++i) text += (i ? "," : "") + row[i];
    text += ")";
  }
  return text;
}

Scenario parse_scenario(const std::string& path, const std::string& text) {
  return Parser(path).parse(text);
}

Scenario load_scenario(const std::string& path) {
  return parse_scenario(path, read_text_file(path, "scenario file"));
}

}  // namespace isolation
