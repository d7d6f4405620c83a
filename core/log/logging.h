// core/log/logging.h -- the host's logger: spdlog to stderr, optionally also
// to a file, as text or as one JSON object per line.
//
//   configure_logging({"debug", "/tmp/rig.log", LogFormat::kJson});
//   spdlog::info("loaded {} plugins", n);
//
// Plugins log only through the host service (plugin_api.h), which lands
// here tagged with plugin and test.
#ifndef TEST_RIG_CORE_LOG_LOGGING_H_
#define TEST_RIG_CORE_LOG_LOGGING_H_

#include <string>

namespace rig {

enum class LogFormat { kText, kJson };

struct LogSettings {
  std::string level = "info";  // trace, debug, info, warn, error
  std::string file;            // empty: stderr only
  LogFormat format = LogFormat::kText;
};

// Replaces the default logger. Throws std::runtime_error when the log file
// cannot be opened.
void configure_logging(const LogSettings& settings);

}  // namespace rig

#endif  // TEST_RIG_CORE_LOG_LOGGING_H_
