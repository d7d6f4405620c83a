// core/config/core_options.h -- the options every run has, whatever plugins
// are loaded, and their config keys.
//
// Keys are "section.name" as in the config file, e.g. kHost is
// "database.host" ([database] host = "..."). The database options keep the
// earlier tool's environment names (TIDB_HOST, TIDB_USER, TIDB_PASSWORD,
// TIDB_DATABASE); the rest use TEST_RIG_<SECTION>_<NAME>.
#ifndef TEST_RIG_CORE_CONFIG_CORE_OPTIONS_H_
#define TEST_RIG_CORE_CONFIG_CORE_OPTIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "core/config/option_spec.h"

namespace rig::keys {

inline constexpr const char* kHost = "database.host";
inline constexpr const char* kUser = "database.user";
inline constexpr const char* kPassword = "database.password";
inline constexpr const char* kPasswordFile = "database.password_file";
inline constexpr const char* kNoPasswordPrompt = "database.no_password_prompt";
inline constexpr const char* kDatabase = "database.database";
inline constexpr const char* kSocket = "database.socket";
inline constexpr const char* kConnectTimeout = "database.connect_timeout";
inline constexpr const char* kReadTimeout = "database.read_timeout";
inline constexpr const char* kWriteTimeout = "database.write_timeout";
inline constexpr const char* kSslMode = "database.ssl_mode";
inline constexpr const char* kSslCa = "database.ssl_ca";
inline constexpr const char* kSslCert = "database.ssl_cert";
inline constexpr const char* kSslKey = "database.ssl_key";
inline constexpr const char* kRetryMaxAttempts = "retry.max_attempts";
inline constexpr const char* kRetryBaseDelay = "retry.base_delay_ms";
inline constexpr const char* kRetryMaxDelay = "retry.max_delay_ms";
inline constexpr const char* kRetryMultiplier = "retry.multiplier";
inline constexpr const char* kBreakerFailureThreshold = "circuit_breaker.failure_threshold";
inline constexpr const char* kBreakerWindow = "circuit_breaker.window_s";
inline constexpr const char* kBreakerRecoveryTimeout = "circuit_breaker.recovery_timeout_ms";
inline constexpr const char* kBreakerSuccessThreshold = "circuit_breaker.success_threshold";
inline constexpr const char* kBreakerGiveUp = "circuit_breaker.give_up_s";
inline constexpr const char* kLogLevel = "logging.level";
inline constexpr const char* kVerbose = "logging.verbose";
inline constexpr const char* kLogFile = "logging.file";
inline constexpr const char* kLogFormat = "logging.format";
inline constexpr const char* kPluginDirs = "run.plugin_dirs";
inline constexpr const char* kStrict = "run.strict";
inline constexpr const char* kPluginLoadTimeout = "run.plugin_load_timeout";
inline constexpr const char* kIsolation = "run.isolation";
inline constexpr const char* kStateTimeout = "run.state_timeout";
inline constexpr const char* kMaxSteps = "run.max_steps";
inline constexpr const char* kShard = "run.shard";
inline constexpr const char* kRunId = "run.run_id";
inline constexpr const char* kStopGrace = "run.stop_grace";
inline constexpr const char* kSandbox = "run.sandbox";
inline constexpr const char* kSandboxKeep = "run.sandbox_keep";
inline constexpr const char* kSandboxTls = "run.sandbox_tls";
inline constexpr const char* kSandboxNodes = "run.sandbox_nodes";
inline constexpr const char* kWsrepSyncWait = "database.wsrep_sync_wait";
inline constexpr const char* kNemesisFaults = "nemesis.faults";
inline constexpr const char* kNemesisInterval = "nemesis.interval";
inline constexpr const char* kNemesisDuration = "nemesis.duration";
inline constexpr const char* kNemesisTargets = "nemesis.targets";
inline constexpr const char* kNemesisSeed = "nemesis.seed";
inline constexpr const char* kNemesisCommand = "nemesis.command";
inline constexpr const char* kNemesisSandbox = "nemesis.sandbox";

}  // namespace rig::keys

namespace rig {

// The specs of all core options, in --help order, but for the report
// files' (report/report_formats.h).
std::vector<OptionSpec> core_option_specs();

// A core option in `[section] name`, given on the command line as
// --cli_name (or -cli_short) and in the environment as `env_name`, by
// default TEST_RIG_<SECTION>_<NAME>.
OptionSpec core_option(std::string section, std::string name, OptionType type,
                       std::optional<std::string> default_value, std::string help,
                       std::string cli_name, char cli_short = 0, std::string env_name = "");

}  // namespace rig

#endif  // TEST_RIG_CORE_CONFIG_CORE_OPTIONS_H_
