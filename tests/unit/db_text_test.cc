// Pure parsing of connection targets and server version strings.
#include <gtest/gtest.h>

#include "core/db/endpoint.h"
#include "core/db/server_version.h"

namespace rig {
namespace {

TEST(Endpoint, ParsesHostPortAndIpv6) {
  std::string error;
  EXPECT_EQ(parse_endpoint("db", &error)->port, kDefaultPort);
  auto v4 = parse_endpoint("127.0.0.1:3306", &error);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 3306);
  auto v6 = parse_endpoint("[::1]:4001", &error);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 4001);
  EXPECT_EQ(v6->to_string(), "[::1]:4001");
  EXPECT_EQ(parse_endpoint("fe80::1", &error)->host, "fe80::1");
}

TEST(Endpoint, RejectsBadInputWithAReason) {
  std::string error;
  EXPECT_FALSE(parse_endpoint("", &error));
  EXPECT_FALSE(parse_endpoint("h:99999", &error));
  EXPECT_EQ(error, "invalid host 'h:99999': port must be a number from 1 to 65535");
  EXPECT_FALSE(parse_endpoint("[::1", &error));
  EXPECT_FALSE(parse_endpoint("h:", &error));
}

TEST(ServerVersion, DetectsFlavors) {
  auto tidb = detect_server("8.0.11-TiDB-v8.5.0");
  EXPECT_EQ(tidb.flavor, RIG_FLAVOR_TIDB);
  EXPECT_EQ(tidb.version, "8.5.0");
  auto maria = detect_server("5.5.5-10.6.12-MariaDB-log");
  EXPECT_EQ(maria.flavor, RIG_FLAVOR_MARIADB);
  EXPECT_EQ(maria.version, "10.6.12");
  EXPECT_EQ(maria.minor, 6u);
  auto mysql = detect_server("8.0.36");
  EXPECT_EQ(mysql.flavor, RIG_FLAVOR_MYSQL);
  EXPECT_EQ(mysql.major, 8u);
}

}  // namespace
}  // namespace rig
