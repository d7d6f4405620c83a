// plugins/common/server_profile.h -- the server configurations that rows of
// an expectations table name (the isolation plugin's matrix, the
// consistency plugin's models), and the isolation levels they are run at.
//
//   ServerProfile profile = server_profile(db, "server", "server", Placement::kOneServer);
//   for (const auto& sql : profile.session_setup) session.execute(sql);
//   expectations.find(profile.name, "repeatable-read", ...);
//
// Header-only, over the SDK, as plugin_support.h.
#ifndef TEST_RIG_PLUGINS_COMMON_SERVER_PROFILE_H_
#define TEST_RIG_PLUGINS_COMMON_SERVER_PROFILE_H_

#include <string>
#include <vector>

#include "test_rig/sdk.h"

namespace rig_plugins {

// Every profile a plugin can detect.
inline const std::vector<std::string>& server_profiles() {
  static const std::vector<std::string> names = {
      "mysql",          "mariadb-si-off",   "mariadb-si-on",
      "mariadb-galera", "tidb-pessimistic", "tidb-optimistic"};
  return names;
}

inline const std::vector<std::string>& isolation_levels() {
  static const std::vector<std::string> names = {"read-uncommitted", "read-committed",
                                                 "repeatable-read", "serializable"};
  return names;
}

// "a, b, c": how lists of names read in messages.
inline std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// A server configuration with rows of its own in expectations tables, and
// the statements that select it on each session.
struct ServerProfile {
  std::string name;  // one of server_profiles()
  std::vector<std::string> session_setup;
};

// Whether the server behind `db` is a node of a Galera cluster (a MariaDB
// server with wsrep_on).
inline bool is_galera_node(test_rig::Connection& db) {
  if (!db.server().is_mariadb() || !db.try_execute("SELECT @@wsrep_on").ok()) return false;
  return db.scalar("SELECT @@wsrep_on") == "1";
}

// Where a test's sessions are: on one server, or spread over the servers of
// the --host list (the nodes of a cluster).
enum class Placement { kOneServer, kAcrossServers };

// The profile of the server behind `db`. A MariaDB node with wsrep_on is
// mariadb-galera when the sessions are across its nodes; sessions that share
// one node meet that node's InnoDB locks first, as on one MariaDB server, so
// they take the profile of one. `snapshot_isolation` (MariaDB, one node):
// "server" reads the server's innodb_snapshot_isolation, "on" or "off" sets
// it per session. `tidb_txn_mode` (TiDB): "server" reads tidb_txn_mode,
// "pessimistic" or "optimistic" sets it per session.
inline ServerProfile server_profile(test_rig::Connection& db, const std::string& snapshot_isolation,
                                    const std::string& tidb_txn_mode, Placement placement) {
  const test_rig::ServerInfo server = db.server();
  if (server.is_tidb()) {
    if (tidb_txn_mode != "server") {
      return {"tidb-" + tidb_txn_mode, {"SET SESSION tidb_txn_mode = '" + tidb_txn_mode + "'"}};
    }
    // An empty tidb_txn_mode is TiDB's default, pessimistic (since 3.0.8).
    const auto mode = db.scalar("SELECT @@tidb_txn_mode");
    return {mode && *mode == "optimistic" ? "tidb-optimistic" : "tidb-pessimistic", {}};
  }
  if (server.is_mariadb()) {
    // A Galera node: certification across nodes, not one server's locks,
    // decides what its transactions may do.
    if (placement == Placement::kAcrossServers && is_galera_node(db)) {
      return {"mariadb-galera", {}};
    }
    if (snapshot_isolation != "server") {
      return {"mariadb-si-" + snapshot_isolation,
              {"SET SESSION innodb_snapshot_isolation = " +
               std::string(snapshot_isolation == "on" ? "ON" : "OFF")}};
    }
    // Servers older than 10.6.18 have no such variable: off.
    const auto value = db.try_execute("SELECT @@innodb_snapshot_isolation").ok()
                           ? db.scalar("SELECT @@innodb_snapshot_isolation")
                           : std::nullopt;
    return {value && *value == "1" ? "mariadb-si-on" : "mariadb-si-off", {}};
  }
  return {"mysql", {}};
}

}  // namespace rig_plugins

#endif  // TEST_RIG_PLUGINS_COMMON_SERVER_PROFILE_H_
