// core/db/connect_params.h -- connection settings from the effective
// configuration.
#ifndef TEST_RIG_CORE_DB_CONNECT_PARAMS_H_
#define TEST_RIG_CORE_DB_CONNECT_PARAMS_H_

#include <optional>
#include <string>

#include "core/config/configuration.h"
#include "core/db/session.h"

namespace rig {

// Throws ConfigError for an unparsable --host.
ConnectParams connect_params(const Configuration& config, std::optional<std::string> password);

}  // namespace rig

#endif  // TEST_RIG_CORE_DB_CONNECT_PARAMS_H_
