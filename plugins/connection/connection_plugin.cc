// plugins/connection -- can we reach the server, and is it what we think?
//
// connection/standard walks the standard workflow on the core states:
//   initial -> parsing_config -> connecting -> testing_connection
//           -> verifying_database -> getting_version -> completed
// asserting that SELECT 1 returns 1, that the session's database exists,
// and (optionally) the server's flavor, minimum version and TLS. The version,
// flavor and TLS cipher are recorded in the report.
//
// connection/sessions opens several named sessions and checks that each is
// a distinct server session that answers on its own.
#include <cstdio>
#include <set>
#include <string>
#include <utility>

#include "test_rig/sdk.h"

namespace {

using test_rig::Context;
using test_rig::expect;
using test_rig::expect_eq;
using test_rig::State;
using test_rig::StateHandler;
using test_rig::StateId;

// "8.5.0" as a comparable triple; missing parts are 0.
struct Version {
  unsigned major = 0, minor = 0, patch = 0;
  static Version parse(const std::string& text) {
    Version v;
    std::sscanf(text.c_str(), "%u.%u.%u", &v.major, &v.minor, &v.patch);
    return v;
  }
  bool operator<(const Version& o) const {
    if (major != o.major) return major < o.major;
    if (minor != o.minor) return minor < o.minor;
    return patch < o.patch;
  }
};

class Start : public StateHandler {
 public:
  StateId execute(Context&) override { return State::kParsingConfig; }
};

class ParseConfig : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    std::string min_version = ctx.option_string("min-version");
    if (!min_version.empty()) {
      Version parsed = Version::parse(min_version);
      expect(parsed.major > 0,
             "--connection.min-version '" + min_version + "' is not a version like 8.5.0");
    }
    ctx.set_custom_data("expect_flavor", ctx.option_string("expect-flavor"));
    ctx.set_custom_data("min_version", min_version);
    return State::kConnecting;
  }
};

class Connect : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    auto db = ctx.connection();
    ctx.record("connection_id", std::to_string(db.connection_id()));
    return State::kTestingConnection;
  }
};

class TestConnection : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    auto db = ctx.connection();
    expect_eq(db.scalar("SELECT 1").value_or("NULL"), std::string("1"), "SELECT 1");
    auto echoed = db.scalar("SELECT CONCAT('rig-', 'ping', CHAR(0x21))");
    expect_eq(echoed.value_or("NULL"), std::string("rig-ping!"), "string round trip");
    auto status = db.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    std::string cipher = status.next() ? std::string(status.get(1).value_or("")) : "";
    ctx.record("tls_cipher", cipher.empty() ? "none" : cipher);
    expect(!ctx.option_bool("expect-tls") || !cipher.empty(),
           "--connection.expect-tls: the session is not encrypted (Ssl_cipher is empty)");
    return State::kVerifyingDatabase;
  }
};

class VerifyDatabase : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    auto db = ctx.connection();
    auto name = db.scalar("SELECT DATABASE()");
    expect(name.has_value(), "the session has no default database; pass one with --database");
    auto found = db.scalar(
        "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()");
    expect_eq(found.value_or("0"), std::string("1"),
              "schemata named '" + *name + "' in information_schema");
    ctx.record("database", *name);
    return State::kGettingVersion;
  }
};

class GetVersion : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    auto db = ctx.connection();
    test_rig::ServerInfo server = db.server();
    ctx.record("server_flavor", server.flavor_name());
    ctx.record("server_version", server.version);
    auto version = db.scalar("SELECT VERSION()");
    expect_eq(version.value_or("NULL"), server.raw_version,
              "SELECT VERSION() against the version the server announced");
    if (server.is_tidb()) {
      ctx.record("tidb_version", db.scalar("SELECT tidb_version()").value_or(""));
    }
    std::string expected_flavor = ctx.get_custom_data("expect_flavor").value_or("any");
    if (expected_flavor != "any") {
      expect_eq(server.flavor_name(), expected_flavor, "server flavor");
    }
    std::string min_version = ctx.get_custom_data("min_version").value_or("");
    if (!min_version.empty()) {
      expect(!(Version::parse(server.version) < Version::parse(min_version)),
             "server version " + server.version + " is older than --connection.min-version " +
                 min_version);
    }
    ctx.info("connected to " + server.flavor_name() + " " + server.version);
    return State::kCompleted;
  }
};

class OpenSessions : public StateHandler {
 public:
  StateId execute(Context& ctx) override {
    const int64_t count = ctx.option_int("sessions");
    // A session is its server and its id there: with several hosts (a
    // cluster's nodes) each numbers its sessions on its own.
    std::set<std::pair<std::string, uint64_t>> ids;
    for (int64_t i = 0; i < count; ++i) {
      auto db = ctx.connection("session-" + std::to_string(i));
      uint64_t id = db.connection_id();
      auto row = db.query("SELECT CONNECTION_ID(), CONCAT(@@hostname, ':', @@port)");
      expect(row.next(), "no row from SELECT CONNECTION_ID()");
      expect_eq(std::string(row.get(0).value_or("NULL")), std::to_string(id),
                "CONNECTION_ID() of session " + std::to_string(i));
      ids.emplace(std::string(row.get(1).value_or("")), id);
    }
    expect_eq(ids.size(), static_cast<std::size_t>(count), "distinct server sessions");
    ctx.record("sessions", std::to_string(count));
    return State::kCompleted;
  }
};

test_rig::PluginDefinition define() {
  using test_rig::Option;
  using test_rig::TestDefinition;

  TestDefinition standard("standard",
                          "connect, SELECT 1, check the database and detect the server");
  standard.initial(State::kInitial, std::make_unique<Start>(), "start")
      .state(State::kParsingConfig, std::make_unique<ParseConfig>(), "read the options")
      .state(State::kConnecting, std::make_unique<Connect>(), "open the main session")
      .state(State::kTestingConnection, std::make_unique<TestConnection>(),
             "SELECT 1 and a string round trip")
      .state(State::kVerifyingDatabase, std::make_unique<VerifyDatabase>(),
             "the session's database exists")
      .state(State::kGettingVersion, std::make_unique<GetVersion>(), "detect flavor and version")
      .terminal(State::kCompleted)
      .transition(State::kInitial, State::kParsingConfig)
      .transition(State::kParsingConfig, State::kConnecting)
      .transition(State::kConnecting, State::kTestingConnection)
      .transition(State::kTestingConnection, State::kVerifyingDatabase)
      .transition(State::kVerifyingDatabase, State::kGettingVersion)
      .transition(State::kGettingVersion, State::kCompleted);

  TestDefinition sessions("sessions", "open several sessions; each is distinct and answers");
  sessions.initial(State::kConnecting, std::make_unique<OpenSessions>(), "open sessions")
      .terminal(State::kCompleted)
      .transition(State::kConnecting, State::kCompleted);

  test_rig::PluginDefinition plugin("connection", "1.0.0",
                                    "connectivity and server identity checks");
  plugin
      .option(Option::choice("expect-flavor", "any", {"any", "mysql", "mariadb", "tidb"},
                             "fail unless the server is of this flavor"))
      .option(Option::boolean("expect-tls", false, "fail unless the session is encrypted"))
      .option(
          Option::string("min-version", "", "fail if the server's version is older, e.g. 8.5.0"))
      .option(
          Option::integer("sessions", 4, "sessions opened by connection/sessions").bounds(1, 512))
      .test(std::move(standard))
      .test(std::move(sessions));
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
