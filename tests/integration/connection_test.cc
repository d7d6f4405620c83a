// The connection plugin against the sandbox server: the happy path, the
// reports, and the three ways a connection goes wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

TEST(Connection, StandardWorkflowPassesAndIsReported) {
  std::string json = temp_path("report.json"), junit = temp_path("junit.xml");
  RigRun r = run_rig(
      {"--config", sandbox_config(), "run", "connection", "--report-json", json, "--junit", junit});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS  connection/standard"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("summary: 2 passed, 0 failed"), std::string::npos) << r.out;

  auto report = read_json(json);
  EXPECT_EQ(report["summary"]["passed"], 2);
  EXPECT_EQ(report["summary"]["failed"], 0);
  EXPECT_EQ(report["server"]["flavor"], "mariadb");
  auto test = report["tests"][0];
  EXPECT_EQ(test["name"], "connection/standard");
  EXPECT_EQ(test["status"], "passed");
  EXPECT_EQ(test["states"],
            nlohmann::json({"initial", "parsing_config", "connecting", "testing_connection",
                            "verifying_database", "getting_version", "completed"}));
  EXPECT_EQ(test["records"]["server_flavor"], "mariadb");
  EXPECT_EQ(test["records"]["database"], "rig_test");
  EXPECT_FALSE(test["records"]["server_version"].get<std::string>().empty());
  EXPECT_GE(test["duration_s"].get<double>(), 0.0);

  std::string xml = read_file(junit);
  EXPECT_NE(xml.find("<testcase classname=\"connection\" name=\"standard\""), std::string::npos);
  EXPECT_NE(xml.find("tests=\"2\" failures=\"0\" errors=\"0\""), std::string::npos);
}

TEST(Connection, FlavorExpectationCanFail) {
  std::string json = temp_path("report.json");
  RigRun r = run_rig({"--config", sandbox_config(), "run", "connection/standard",
                      "--connection.expect-flavor", "tidb", "--report-json", json});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto test = read_json(json)["tests"][0];
  EXPECT_EQ(test["status"], "failed");
  EXPECT_EQ(test["message"],
            "state 'getting_version' execute: server flavor: expected tidb, "
            "got mariadb");
  EXPECT_EQ(test["states"].back(), "error");
}

TEST(Connection, WrongPasswordSaysAuthenticationFailedForUserAtHost) {
  std::string json = temp_path("report.json");
  RigRun r =
      run_rig({"--config", sandbox_config(), "run", "connection/standard", "--report-json", json},
              {{{"TIDB_PASSWORD", "definitely-wrong"}}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("authentication failed for rig@127.0.0.1:"), std::string::npos) << r.out;
  auto test = read_json(json)["tests"][0];
  EXPECT_EQ(test["status"], "error");
  // Error context: where the run ended and the failed operation, classified.
  auto context = test["error_context"];
  EXPECT_EQ(context["state"], "connecting");
  EXPECT_EQ(context["plugin"], "connection");
  EXPECT_EQ(context["last_db_error"]["operation"], "connect");
  EXPECT_EQ(context["last_db_error"]["code"], 1045);
  EXPECT_EQ(context["last_db_error"]["kind"], "authentication");
  EXPECT_EQ(context["last_db_error"]["retry"], "permanent");
}

TEST(Connection, ClosedPortIsRefusedWithExitThree) {
  std::string json = temp_path("report.json");
  RigRun r = run_rig({"-H", "127.0.0.1:1", "-u", "nobody", "--no-password-prompt", "run",
                      "connection/standard", "--report-json", json});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("cannot connect to 127.0.0.1:1: connection refused"), std::string::npos)
      << r.out;
  EXPECT_EQ(read_json(json)["summary"]["error"], 1);
}

TEST(Connection, MissingDatabaseIsAFailureNamingIt) {
  RigRun r =
      run_rig({"--config", sandbox_config(), "-d", "no_such_db", "run", "connection/standard"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("database 'no_such_db' does not exist"), std::string::npos) << r.out;
}

TEST(Connection, PasswordAppearsInNoOutputLogOrReport) {
  const std::string password = sandbox_password();
  ASSERT_FALSE(password.empty());
  std::string json = temp_path("r.json"), junit = temp_path("j.xml"), log = temp_path("log");
  // Tests that connect many sessions, a load workload, and Python handlers
  // (which can read the password). Not isolation: its tables are checked
  // by a test that may run in parallel.
  RigRun run = run_rig({"--config", sandbox_config(), "--python-tests",
                        std::string(SOURCE_DIR) + "/samples/python", "run", "connection", "txn",
                        "load/point_select", "python", "-v", "--log-file", log, "--report-json",
                        json, "--junit", junit, "--load.time", "0.5"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  RigRun show = run_rig({"--config", sandbox_config(), "config", "show"});
  EXPECT_NE(show.out.find("password               = ********"), std::string::npos) << show.out;
  for (const std::string& text :
       {run.out, run.err, read_file(json), read_file(junit), read_file(log), show.out, show.err}) {
    EXPECT_EQ(text.find(password), std::string::npos) << text;
  }
}

TEST(Connection, UnixSocketConnects) {
  std::string json = temp_path("r.json");
  RigRun r =
      run_rig({"--config", sandbox_config(), "--socket", std::string(SANDBOX_DIR) + "/mysqld.sock",
               "-H", "localhost", "run", "connection/standard", "--report-json", json});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("mysqld.sock"), std::string::npos) << r.out;  // the target line
  EXPECT_EQ(read_json(json)["tests"][0]["status"], "passed");
}

TEST(Connection, JsonLogsAreOneObjectPerLine) {
  std::string log = temp_path("log.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--log-format", "json", "--log-file", log, "-v",
                      "run", "connection/standard"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::istringstream lines(read_file(log));
  int parsed = 0;
  for (std::string line; std::getline(lines, line);) {
    auto entry = nlohmann::json::parse(line);  // throws, failing the test, if not JSON
    EXPECT_TRUE(entry.contains("level") && entry.contains("message")) << line;
    ++parsed;
  }
  EXPECT_GT(parsed, 2);
  EXPECT_NE(read_file(log).find("[connection/standard] connected to mariadb"), std::string::npos);
}

TEST(Connection, TlsSessionIsEncryptedAndVerified) {
  std::string json = temp_path("r.json");
  RigRun r = run_rig({"run", "--sandbox", "--sandbox-tls", "--ssl-mode", "verify-identity",
                      "connection/standard", "--connection.expect-tls", "--report-json", json});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto records = read_json(json)["tests"][0]["records"];
  EXPECT_NE(records["tls_cipher"], "none") << records.dump();
}

TEST(Connection, RequiredTlsAgainstAPlainServerFailsClearly) {
  std::string json = temp_path("r.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--ssl-mode", "required", "run",
                      "connection/standard", "--report-json", json});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("failed: the server does not offer TLS"), std::string::npos) << r.out;
  // The default, preferred, falls back to a plain session and says so.
  std::string plain = temp_path("p.json");
  RigRun p =
      run_rig({"--config", sandbox_config(), "run", "connection/standard", "--report-json", plain});
  EXPECT_EQ(p.exit_code, 0) << p.out;
  EXPECT_EQ(read_json(plain)["tests"][0]["records"]["tls_cipher"], "none");
  RigRun expect_tls = run_rig(
      {"--config", sandbox_config(), "run", "connection/standard", "--connection.expect-tls"});
  EXPECT_EQ(expect_tls.exit_code, 1) << expect_tls.out;
}

TEST(Connection, SandboxRunStartsAndRemovesItsOwnServer) {
  std::string tmp = temp_path("tmp");
  std::filesystem::create_directories(tmp);
  RigRun r = run_rig({"run", "--sandbox", "connection/standard"}, {{{"TMPDIR", tmp}}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("(sandbox)"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(tmp)) << "sandbox directory left behind";
}

}  // namespace
}  // namespace rig::testing
