// core/db/server_version.h -- telling TiDB, MariaDB and MySQL apart from the
// version string a server announces.
//
//   detect_server("8.0.11-TiDB-v8.5.0")           -> tidb 8.5.0
//   detect_server("10.11.19-MariaDB-0+deb12u1")   -> mariadb 10.11.19
//   detect_server("5.5.5-10.6.12-MariaDB-log")    -> mariadb 10.6.12
//   detect_server("8.0.36")                       -> mysql 8.0.36
#ifndef TEST_RIG_CORE_DB_SERVER_VERSION_H_
#define TEST_RIG_CORE_DB_SERVER_VERSION_H_

#include <cstdint>
#include <string>

#include "test_rig/plugin_api.h"

namespace rig {

struct ServerVersion {
  rig_server_flavor flavor = RIG_FLAVOR_UNKNOWN;
  std::string version;  // "major.minor.patch" of the product
  std::string raw;      // the string as announced
  uint32_t major = 0, minor = 0, patch = 0;
};

ServerVersion detect_server(const std::string& announced);

const char* flavor_name(rig_server_flavor flavor);

}  // namespace rig

#endif  // TEST_RIG_CORE_DB_SERVER_VERSION_H_
