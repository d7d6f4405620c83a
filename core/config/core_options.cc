#include "core/config/core_options.h"

#include <utility>

namespace rig {
namespace {

OptionSpec bounded(OptionSpec spec, double min_value, double max_value) {
  spec.bounds = {{min_value, max_value}};
  return spec;
}

OptionSpec one_of(OptionSpec spec, std::vector<std::string> choices) {
  spec.choices = std::move(choices);
  return spec;
}

}  // namespace

OptionSpec core_option(std::string section, std::string name, OptionType type,
                       std::optional<std::string> default_value, std::string help,
                       std::string cli_name, char cli_short, std::string env_name) {
  OptionSpec spec;
  spec.section = std::move(section);
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(default_value);
  spec.help = std::move(help);
  spec.cli_name = std::move(cli_name);
  spec.cli_short = cli_short;
  spec.env_name = env_name.empty() ? "TEST_RIG_" + env_token(spec.section + "_" + spec.name)
                                   : std::move(env_name);
  if (type == OptionType::kBool) spec.implicit_value = "true";
  return spec;
}

std::vector<OptionSpec> core_option_specs() {
  using T = OptionType;
  std::vector<OptionSpec> specs;
  specs.push_back(
      core_option("database", "host", T::kString, "127.0.0.1:4000",
                  "server as host, host:port or [ipv6]:port; several, comma-separated, are "
                  "used round-robin by new sessions",
                  "host", 'H', "TIDB_HOST"));
  specs.push_back(
      core_option("database", "user", T::kString, "root", "user name", "user", 'u', "TIDB_USER"));
  OptionSpec password = core_option("database", "password", T::kString, std::nullopt,
                                    "password (visible in ps; prefer TIDB_PASSWORD or "
                                    "--password-file)",
                                    "password", 0, "TIDB_PASSWORD");
  password.secret = true;
  specs.push_back(std::move(password));
  specs.push_back(core_option("database", "password_file", T::kString, std::nullopt,
                              "read the password from the first line of this file",
                              "password-file"));
  specs.push_back(core_option("database", "no_password_prompt", T::kBool, "false",
                              "never prompt for a password on a terminal", "no-password-prompt"));
  specs.push_back(core_option("database", "database", T::kString, "test",
                              "database the tests use (must exist)", "database", 'd',
                              "TIDB_DATABASE"));
  specs.push_back(core_option("database", "socket", T::kString, std::nullopt,
                              "unix socket path (instead of TCP)", "socket"));
  specs.push_back(bounded(core_option("database", "connect_timeout", T::kInt, "10",
                                      "connect timeout in seconds", "connect-timeout"),
                          1, 3600));
  specs.push_back(bounded(core_option("database", "read_timeout", T::kInt, "60",
                                      "read timeout in seconds", "read-timeout"),
                          1, 86400));
  specs.push_back(bounded(core_option("database", "write_timeout", T::kInt, "60",
                                      "write timeout in seconds", "write-timeout"),
                          1, 86400));

  specs.push_back(
      bounded(core_option("database", "wsrep_sync_wait", T::kInt, std::nullopt,
                          "Galera: every session sets wsrep_sync_wait to this (1: a read "
                          "waits for what the cluster committed before it, a causal read)",
                          "wsrep-sync-wait"),
              0, 15));

  specs.push_back(one_of(core_option("database", "ssl_mode", T::kEnum, "preferred",
                                     "TLS: disabled, preferred (TLS when offered), required, "
                                     "verify-ca, verify-identity",
                                     "ssl-mode"),
                         {"disabled", "preferred", "required", "verify-ca", "verify-identity"}));
  specs.push_back(core_option("database", "ssl_ca", T::kString, std::nullopt,
                              "CA certificate (PEM) to verify the server with", "ssl-ca"));
  specs.push_back(core_option("database", "ssl_cert", T::kString, std::nullopt,
                              "client certificate (PEM)", "ssl-cert"));
  specs.push_back(core_option("database", "ssl_key", T::kString, std::nullopt,
                              "client private key (PEM)", "ssl-key"));

  specs.push_back(
      bounded(core_option("retry", "max_attempts", T::kInt, "5",
                          "attempts in all for a transaction retried on transient errors",
                          "retry-max-attempts"),
              1, 1000));
  specs.push_back(
      bounded(core_option("retry", "base_delay_ms", T::kInt, "20",
                          "backoff before the second attempt, ms", "retry-base-delay-ms"),
              0, 600000));
  specs.push_back(bounded(core_option("retry", "max_delay_ms", T::kInt, "2000",
                                      "longest backoff between attempts, ms", "retry-max-delay-ms"),
                          0, 3600000));
  specs.push_back(bounded(core_option("retry", "multiplier", T::kFloat, "2",
                                      "backoff growth per attempt", "retry-multiplier"),
                          1, 100));

  specs.push_back(bounded(core_option("circuit_breaker", "failure_threshold", T::kInt, "5",
                                      "connection failures within the window that open the "
                                      "circuit to a server (0: no breaker)",
                                      "breaker-failure-threshold"),
                          0, 100000));
  specs.push_back(
      bounded(core_option("circuit_breaker", "window_s", T::kFloat, "10",
                          "seconds in which those failures must happen", "breaker-window-s"),
              0.001, 86400));
  specs.push_back(bounded(core_option("circuit_breaker", "recovery_timeout_ms", T::kInt, "1000",
                                      "ms an open circuit fails calls fast before letting probes "
                                      "through",
                                      "breaker-recovery-timeout-ms"),
                          0, 3600000));
  specs.push_back(bounded(
      core_option("circuit_breaker", "success_threshold", T::kInt, "2",
                  "successful probes that close a half-open circuit", "breaker-success-threshold"),
      1, 100000));

  specs.push_back(
      bounded(core_option("circuit_breaker", "give_up_s", T::kFloat, "60",
                          "seconds a circuit may stay open before the server is given up "
                          "on and the test ends as an error (0: never)",
                          "breaker-give-up-s"),
              0, 86400));

  specs.push_back(one_of(core_option("logging", "level", T::kEnum, "info",
                                     "log level: trace, debug, info, warn, error", "log-level"),
                         {"trace", "debug", "info", "warn", "error"}));
  specs.push_back(core_option("logging", "verbose", T::kBool, "false",
                              "shorthand for --log-level debug", "verbose", 'v'));
  specs.push_back(core_option("logging", "file", T::kString, std::nullopt,
                              "also write logs to this file", "log-file"));
  specs.push_back(one_of(
      core_option("logging", "format", T::kEnum, "text", "log format: text or json", "log-format"),
      {"text", "json"}));

  specs.push_back(core_option("run", "plugin_dirs", T::kList, std::nullopt,
                              "directory to load plugins from (repeatable)", "plugin-dir"));
  specs.push_back(bounded(
      core_option("run", "plugin_load_timeout", T::kFloat, "30",
                  "seconds a plugin (or a Python test file) may take to load before it is skipped",
                  "plugin-load-timeout"),
      0.1, 3600));
  specs.push_back(core_option("run", "strict", T::kBool, "false",
                              "treat a plugin that fails to load as a fatal error", "strict"));
  specs.push_back(one_of(core_option("run", "isolation", T::kEnum, "process",
                                     "run each test in a child process (crash and timeout "
                                     "safe) or in this one",
                                     "isolation"),
                         {"process", "none"}));
  specs.push_back(
      bounded(core_option("run", "state_timeout", T::kFloat, "300",
                          "seconds one state may take before the run is stopped", "state-timeout"),
              0.001, 86400));
  specs.push_back(bounded(
      core_option("run", "stop_grace", T::kFloat, "10",
                  "seconds a test told to stop (interrupted, or a state over its timeout) has to "
                  "report what it gathered before its process is killed",
                  "stop-grace"),
      0.001, 3600));
  specs.push_back(
      bounded(core_option("run", "max_steps", T::kInt, "10000",
                          "transitions one run may take before it is stopped", "max-steps"),
              1, 1e9));
  specs.push_back(core_option("run", "shard", T::kString, std::nullopt,
                              "run only shard I of N of the selected tests, as I/N (0 <= I < "
                              "N); merge the shards' reports with report merge",
                              "shard"));
  specs.push_back(core_option("run", "run_id", T::kString, std::nullopt,
                              "names the run its shards belong to: every shard of one run gets "
                              "the same --run-id, which --shard requires (tests that divide "
                              "their work meet under it, and report merge checks it)",
                              "run-id"));
  OptionSpec sandbox = core_option("run", "sandbox", T::kEnum, "off",
                                   "start a throw-away server for this run: mariadb (the "
                                   "default when given bare) or tidb",
                                   "sandbox");
  sandbox.choices = {"off", "mariadb", "tidb"};
  sandbox.implicit_value = "mariadb";
  specs.push_back(std::move(sandbox));
  specs.push_back(core_option("run", "sandbox_keep", T::kBool, "false",
                              "keep the sandbox's data directory after the run (debugging)",
                              "sandbox-keep"));
  specs.push_back(core_option("run", "sandbox_tls", T::kBool, "false",
                              "give the sandbox a TLS certificate made with openssl",
                              "sandbox-tls"));
  specs.push_back(
      core_option("nemesis", "faults", T::kList, "",
                  "faults to inject during the run: kill, pause, partition (a cluster), "
                  "restart; none by default",
                  "nemesis"));
  specs.push_back(
      bounded(core_option("nemesis", "interval", T::kFloat, "10",
                          "seconds without a fault between one fault's heal and the next "
                          "fault",
                          "nemesis-interval"),
              0.1, 86400));
  specs.push_back(
      bounded(core_option("nemesis", "duration", T::kFloat, "3",
                          "seconds each fault lasts before it is healed", "nemesis-duration"),
              0.1, 86400));
  specs.push_back(one_of(
      core_option("nemesis", "targets", T::kEnum, "one",
                  "servers each fault takes: one, minority, majority, all", "nemesis-targets"),
      {"one", "minority", "majority", "all"}));
  specs.push_back(bounded(core_option("nemesis", "seed", T::kInt, "1",
                                      "seed of the faults' and targets' draws", "nemesis-seed"),
                          0, 1e15));
  specs.push_back(
      core_option("nemesis", "command", T::kString, std::nullopt,
                  "for servers test-rig did not start: run this (sh -c) to start and heal "
                  "each fault, with TEST_RIG_NEMESIS_PHASE, _FAULT, _TARGETS, _HOSTS set",
                  "nemesis-command"));
  specs.push_back(
      core_option("nemesis", "sandbox", T::kString, std::nullopt,
                  "a sandbox started earlier (`test-rig sandbox start DIR`) for the faults "
                  "to act on; run against it with --config DIR/tidb_config.toml",
                  "nemesis-sandbox"));
  specs.push_back(
      bounded(core_option("run", "sandbox_nodes", T::kInt, "1",
                          "nodes of the sandbox: 2 or more start a Galera cluster of MariaDB "
                          "nodes, its host list the sessions' --host",
                          "sandbox-nodes"),
              1, 9));
  return specs;
}

}  // namespace rig
