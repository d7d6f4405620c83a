#include "core/plugin/run_context.h"

#include "core/config/core_options.h"

namespace rig {

std::unique_ptr<rig_run> make_run_context(const std::string& plugin, const std::string& name,
                                          const TestMachine* test, const ConnectParams& connect,
                                          const Configuration& config) {
  auto run = std::make_unique<rig_run>();
  run->plugin = plugin;
  run->test = name;
  run->machine = test;
  run->connect = connect;
  run->retry_policy.struct_size = sizeof(rig_retry_policy);
  run->retry_policy.max_attempts = static_cast<uint32_t>(config.integer(keys::kRetryMaxAttempts));
  run->retry_policy.base_delay_ms = static_cast<uint32_t>(config.integer(keys::kRetryBaseDelay));
  run->retry_policy.max_delay_ms = static_cast<uint32_t>(config.integer(keys::kRetryMaxDelay));
  run->retry_policy.multiplier = config.floating(keys::kRetryMultiplier);
  BreakerOptions breaker;
  breaker.failure_threshold = static_cast<uint32_t>(config.integer(keys::kBreakerFailureThreshold));
  breaker.window =
      std::chrono::milliseconds(static_cast<int64_t>(config.floating(keys::kBreakerWindow) * 1000));
  breaker.recovery_timeout =
      std::chrono::milliseconds(config.integer(keys::kBreakerRecoveryTimeout));
  breaker.success_threshold = static_cast<uint32_t>(config.integer(keys::kBreakerSuccessThreshold));
  breaker.give_up_after =
      std::chrono::milliseconds(static_cast<int64_t>(config.floating(keys::kBreakerGiveUp) * 1000));
  for (const Endpoint& server : servers_of(connect)) {
    const std::string key = connect.socket.empty() ? server.to_string() : connect.socket;
    run->breakers.push_back(CircuitBreaker::for_server(key, breaker));
    run->breaker_events_before.push_back(run->breakers.back()->events().size());
  }
  for (const ResolvedOption* option : config.plugin_options(plugin)) {
    run->options[option->spec.name] = option;
  }
  return run;
}

}  // namespace rig
