#include "core/db/server_version.h"

#include <cstdio>

namespace rig {
namespace {

// Reads "M.m.p" at the start of `text`; missing parts stay 0.
void read_triplet(const std::string& text, ServerVersion& out) {
  unsigned major = 0, minor = 0, patch = 0;
  std::sscanf(text.c_str(), "%u.%u.%u", &major, &minor, &patch);
  out.major = major;
  out.minor = minor;
  out.patch = patch;
  out.version = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

}  // namespace

ServerVersion detect_server(const std::string& announced) {
  ServerVersion server;
  server.raw = announced;
  if (auto tidb = announced.find("-TiDB-v"); tidb != std::string::npos) {
    server.flavor = RIG_FLAVOR_TIDB;
    read_triplet(announced.substr(tidb + 7), server);
    return server;
  }
  std::string text = announced;
  // MariaDB before 11 may announce itself behind a fake "5.5.5-" prefix for
  // old replication clients.
  if (text.rfind("5.5.5-", 0) == 0) text = text.substr(6);
  server.flavor = text.find("MariaDB") != std::string::npos ? RIG_FLAVOR_MARIADB : RIG_FLAVOR_MYSQL;
  read_triplet(text, server);
  return server;
}

const char* flavor_name(rig_server_flavor flavor) {
  switch (flavor) {
    case RIG_FLAVOR_MYSQL: return "mysql";
    case RIG_FLAVOR_MARIADB: return "mariadb";
    case RIG_FLAVOR_TIDB: return "tidb";
    default: return "unknown";
  }
}

}  // namespace rig
