#include "core/db/connect_params.h"

#include <sstream>

#include "core/config/core_options.h"

namespace rig {

ConnectParams connect_params(const Configuration& config, std::optional<std::string> password) {
  ConnectParams params;
  std::stringstream hosts(config.string(keys::kHost).value_or(""));
  for (std::string host; std::getline(hosts, host, ',');) {
    std::string error;
    auto endpoint = parse_endpoint(host, &error);
    if (!endpoint) throw ConfigError(config.find(keys::kHost)->origin + ": " + error);
    params.servers.push_back(*endpoint);
  }
  if (params.servers.empty()) {
    throw ConfigError(config.find(keys::kHost)->origin + ": --host is empty");
  }
  params.endpoint = params.servers.front();
  params.socket = config.string(keys::kSocket).value_or("");
  params.user = config.string(keys::kUser).value_or("");
  params.password = std::move(password);
  params.database = config.string(keys::kDatabase).value_or("");
  params.connect_timeout_s = static_cast<unsigned>(config.integer(keys::kConnectTimeout));
  params.read_timeout_s = static_cast<unsigned>(config.integer(keys::kReadTimeout));
  params.write_timeout_s = static_cast<unsigned>(config.integer(keys::kWriteTimeout));
  const std::string mode = config.string(keys::kSslMode).value_or("preferred");
  params.tls_mode = mode == "disabled"          ? TlsMode::kDisabled
                    : mode == "required"        ? TlsMode::kRequired
                    : mode == "verify-ca"       ? TlsMode::kVerifyCa
                    : mode == "verify-identity" ? TlsMode::kVerifyIdentity
                                                : TlsMode::kPreferred;
  params.ssl_ca = config.string(keys::kSslCa).value_or("");
  params.ssl_cert = config.string(keys::kSslCert).value_or("");
  params.ssl_key = config.string(keys::kSslKey).value_or("");
  if (const ResolvedOption* sync_wait = config.find(keys::kWsrepSyncWait); sync_wait->value) {
    params.wsrep_sync_wait = static_cast<int>(std::get<int64_t>(*sync_wait->value));
  }
  return params;
}

}  // namespace rig
