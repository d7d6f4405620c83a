// core/db/endpoint.h -- parsing the --host value.
//
//   parse_endpoint("db.example.com")       -> {"db.example.com", 4000}
//   parse_endpoint("127.0.0.1:3306")       -> {"127.0.0.1", 3306}
//   parse_endpoint("[::1]:4000")           -> {"::1", 4000}
//   parse_endpoint("::1")                  -> {"::1", 4000}   (bare IPv6)
#ifndef TEST_RIG_CORE_DB_ENDPOINT_H_
#define TEST_RIG_CORE_DB_ENDPOINT_H_

#include <cstdint>
#include <optional>
#include <string>

namespace rig {

inline constexpr uint16_t kDefaultPort = 4000;  // TiDB's

struct Endpoint {
  std::string host;
  uint16_t port = kDefaultPort;

  // "host:port", with brackets around IPv6 addresses.
  std::string to_string() const;
};

// Nullopt (with `error` set) for an empty host or a bad port.
std::optional<Endpoint> parse_endpoint(const std::string& text, std::string* error);

}  // namespace rig

#endif  // TEST_RIG_CORE_DB_ENDPOINT_H_
