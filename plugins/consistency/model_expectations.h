// plugins/consistency/model_expectations.h -- which consistency model each
// server profile is expected to keep at each isolation level: the table a
// run's verdict comes from, unless --consistency.model names one.
//
// Table format (expectations.txt), one row per line, '#' starts a comment:
//   mariadb-si-off  repeatable-read  read-committed
// Every profile, level and model in it is checked when it is read, so that
// a typo is an error naming its line instead of a row that never matches.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_MODEL_EXPECTATIONS_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_MODEL_EXPECTATIONS_H_

#include <map>
#include <stdexcept>
#include <string>
#include <utility>

namespace consistency {

class ExpectationsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ModelExpectations {
 public:
  // Throw ExpectationsError ("PATH:LINE: ...").
  static ModelExpectations load(const std::string& path);
  static ModelExpectations parse(const std::string& path, const std::string& text);

  // Whether `text` reads as such a table: one row at least, and every row
  // of three words (no row checked further).
  static bool looks_like(const std::string& text);

  // The model expected of `profile` at `level`; throws ExpectationsError
  // naming the file when it has no row for them.
  const std::string& model_for(const std::string& profile, const std::string& level) const;
  // Likewise; null when the table has no row for them.
  const std::string* find(const std::string& profile, const std::string& level) const;

 private:
  std::string path_;
  std::map<std::pair<std::string, std::string>, std::string> rows_;
};

// `table_text` with the row `profile level model`: in place of the row
// for that profile and level, or else at the end. Comments and other rows
// are kept as they were.
std::string with_row(const std::string& table_text, const std::string& profile,
                     const std::string& level, const std::string& model);

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_MODEL_EXPECTATIONS_H_
