// plugins/isolation/scenario.h -- a Hermitage-style scenario, parsed from its
// text file.
//
// Format (one directive per line, '#' starts a comment line):
//
//   id: p4                         short id, used in the matrix and options
//   title: lost update
//   sessions: T1 T2                2 or 3 session names
//   setup: <sql>                   optional, repeatable; replaces the default
//                                  table test(id int primary key, value int)
//                                  seeded with (1,10),(2,20)
//   T1: begin                      a step: session, optional [label], SQL
//   T2 [c2]: commit
//   after [final]: select ...      runs on a fresh session once all are idle
//   anomaly: c1 ok and c2 ok       the anomaly rule; several lines are OR-ed
//
// `{t}` in SQL is replaced by the run's own table name. Conditions:
//   LABEL ok | LABEL failed | LABEL == (1,10),(2,20) | LABEL == empty
//   LABEL has (1,10) | LABEL before OTHER (LABEL finished before OTHER started)
#ifndef TEST_RIG_PLUGINS_ISOLATION_SCENARIO_H_
#define TEST_RIG_PLUGINS_ISOLATION_SCENARIO_H_

#include <stdexcept>
#include <string>
#include <vector>

namespace isolation {

// A row as text cells, e.g. {"1", "10"}; SQL NULL is "null".
using Row = std::vector<std::string>;
using Rows = std::vector<Row>;  // kept sorted: results compare as sets

struct Step {
  std::string session;  // "T1"...; "after" for post-run checks
  std::string label;    // optional
  std::string sql;
  int line = 0;
};

struct Condition {
  enum class Kind { kOk, kFailed, kEquals, kHas, kBefore };
  Kind kind = Kind::kOk;
  std::string label;
  std::string other;  // kBefore: the label that must finish later
  Rows rows;          // kEquals: the whole result; kHas: rows that must all appear
};

// All conditions of a clause must hold; any clause makes the anomaly.
using Clause = std::vector<Condition>;

struct Scenario {
  std::string id;
  std::string title;
  std::string path;
  std::vector<std::string> sessions;
  std::vector<std::string> setup;
  std::vector<Step> steps;  // the interleaving, then the `after` steps
  std::vector<Clause> anomaly;
};

class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws ScenarioError naming file and line.
Scenario parse_scenario(const std::string& path, const std::string& text);
Scenario load_scenario(const std::string& path);

// Parses "(1,10),(2,20)" or "empty"; sorted. Throws ScenarioError.
Rows parse_rows(const std::string& text);

// "(1,10),(2,20)" or "empty".
std::string format_rows(const Rows& rows);

}  // namespace isolation

#endif  // TEST_RIG_PLUGINS_ISOLATION_SCENARIO_H_
