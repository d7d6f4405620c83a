// test_rig/sdk/errors.h -- the exceptions a handler throws to end its run.
//
// Handlers written with the SDK report outcomes by throwing; the SDK's
// trampolines catch everything and turn it into a rig_status plus message,
// so no exception ever crosses the C ABI:
//
//   Failure   -> RIG_FAILED   an assertion about the database did not hold
//   Skip      -> RIG_SKIPPED  the test does not apply to this server
//   DbError   -> RIG_ERROR    a statement failed unexpectedly
//   any other -> RIG_ERROR    a bug in the plugin, with what() as message
// A plugin command (see Command in plugin.h) turns them into exit codes
// instead, and UsageError into exit code 2.
//
// `expect` and `expect_eq` throw Failure with expected-versus-actual text.
#ifndef TEST_RIG_SDK_ERRORS_H_
#define TEST_RIG_SDK_ERRORS_H_

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "test_rig/plugin_api.h"

namespace test_rig {

class Failure : public std::runtime_error {
 public:
  explicit Failure(const std::string& message) : std::runtime_error(message) {}
};

class Skip : public std::runtime_error {
 public:
  explicit Skip(const std::string& reason) : std::runtime_error(reason) {}
};

// A plugin command was given words or options it cannot use: exit code 2.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

// A failure whose message the host already holds -- set by the host itself
// or by a handler the plugin called -- with the status to return. The
// trampoline returns the status and leaves the message alone.
class ReportedError : public std::exception {
 public:
  explicit ReportedError(rig_status status) : status_(status) {}
  rig_status status() const { return status_; }
  const char* what() const noexcept override { return "reported through the host"; }

 private:
  rig_status status_;
};

// A statement that failed: the server's (or client's) error number, SQLSTATE
// and message, plus the statement that caused it.
class DbError : public std::runtime_error {
 public:
  DbError(uint32_t code, std::string sqlstate, const std::string& message, std::string_view sql)
      : std::runtime_error(describe(code, sqlstate, message, sql)),
        code_(code),
        sqlstate_(std::move(sqlstate)),
        message_(message) {}

  uint32_t code() const { return code_; }
  const std::string& sqlstate() const { return sqlstate_; }
  // The server's (or client's) own message, without code and SQL.
  const std::string& message() const { return message_; }

 private:
  static std::string describe(uint32_t code, const std::string& sqlstate,
                              const std::string& message, std::string_view sql) {
    std::string text = "error " + std::to_string(code) + " (" + sqlstate + "): " + message;
    if (!sql.empty()) {
      constexpr std::size_t kMaxSql = 200;
      text += " [in: ";
      text += sql.substr(0, kMaxSql);
      if (sql.size() > kMaxSql) text += "...";
      text += "]";
    }
    return text;
  }

  uint32_t code_;
  std::string sqlstate_;
  std::string message_;
};

// Fails the run with `message` unless `condition` holds.
inline void expect(bool condition, const std::string& message) {
  if (!condition) throw Failure(message);
}

// Fails the run unless actual == expected, saying what was compared.
template <typename A, typename E>
void expect_eq(const A& actual, const E& expected, std::string_view what) {
  if (actual == expected) return;
  std::ostringstream text;
  text << what << ": expected " << expected << ", got " << actual;
  throw Failure(text.str());
}

}  // namespace test_rig

#endif  // TEST_RIG_SDK_ERRORS_H_
