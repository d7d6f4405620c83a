// Malformed configs and command lines: each is exit 2 with one line on
// stderr that names what is wrong (file:line and key for config files).
#include <gtest/gtest.h>

#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

struct BadInput {
  const char* name;
  const char* file_name;  // "" = no config file
  const char* config;
  std::vector<std::string> args;
  const char* expected;  // a fragment of the one stderr line
};

const BadInput kCases[] = {
    {"toml syntax", "c.toml", "[database\nhost = 1\n", {"list"}, "c.toml:1: invalid TOML"},
    {"toml missing value", "c.toml", "[database]\nhost =\n", {"list"}, "c.toml:2: invalid TOML"},
    {"toml duplicate key",
     "c.toml",
     "[database]\nuser = \"a\"\nuser = \"b\"\n",
     {"list"},
     "c.toml:3: invalid TOML"},
    {"toml unknown section",
     "c.toml",
     "[databse]\nhost = \"h\"\n",
     {"list"},
     "c.toml:2: unknown key 'databse.host'; did you mean 'database.host'?"},
    {"toml unknown key",
     "c.toml",
     "[database]\nhots = \"h\"\n",
     {"list"},
     "c.toml:2: unknown key 'database.hots'"},
    {"toml top-level key", "c.toml", "host = \"h\"\n", {"list"}, "c.toml:1: unknown key 'host'"},
    {"toml wrong type string",
     "c.toml",
     "[database]\nconnect_timeout = \"ten\"\n",
     {"list"},
     "c.toml:2: key 'database.connect_timeout': expected an integer"},
    {"toml wrong type bool",
     "c.toml",
     "[run]\nstrict = \"yes\"\n",
     {"list"},
     "c.toml:2: key 'run.strict': expected true or false"},
    {"toml out of range",
     "c.toml",
     "[database]\nconnect_timeout = 0\n",
     {"list"},
     "c.toml:2: key 'database.connect_timeout': must be between 1 and 3600, got 0"},
    {"toml bad enum",
     "c.toml",
     "[logging]\nlevel = \"loud\"\n",
     {"list"},
     "c.toml:2: key 'logging.level': must be one of: trace, debug, info, warn, error"},
    {"toml list of ints",
     "c.toml",
     "[run]\nplugin_dirs = [1, 2]\n",
     {"list"},
     "c.toml:2: key 'run.plugin_dirs': list items must be strings"},
    {"toml date",
     "c.toml",
     "[database]\nhost = 1979-05-27\n",
     {"list"},
     "c.toml:2: key 'database.host': dates and times are not supported"},
    {"toml unknown plugin",
     "c.toml",
     "[plugins.nosuch]\nx = 1\n",
     {"list"},
     "c.toml:2: key 'plugins.nosuch.x': no loaded plugin is named 'nosuch'"},
    {"toml plugin option type",
     "c.toml",
     "[plugins.connection]\nsessions = \"four\"\n",
     {"list"},
     "c.toml:2: key 'plugins.connection.sessions': expected an integer"},
    {"toml plugin option range",
     "c.toml",
     "[plugins.connection]\nsessions = 9999\n",
     {"list"},
     "key 'plugins.connection.sessions': must be between 1 and 512, got 9999"},
    {"toml plugin unknown option",
     "c.toml",
     "[plugins.connection]\nsesions = 3\n",
     {"list"},
     "c.toml:2: unknown key 'plugins.connection.sesions'; did you mean"},
    {"toml float for int",
     "c.toml",
     "[run]\nmax_steps = 1.5\n",
     {"list"},
     "c.toml:2: key 'run.max_steps': expected an integer"},
    {"json syntax",
     "c.json",
     "{\n  \"database\": {\n    \"host\": ,\n  }\n}\n",
     {"list"},
     "c.json:3: invalid JSON"},
    {"json not an object", "c.json", "[1, 2]\n", {"list"}, "the top level must be an object"},
    {"json null",
     "c.json",
     "{\"database\": {\n\"user\": null}}\n",
     {"list"},
     "c.json:2: key 'database.user': null is not a valid value"},
    {"json unknown key",
     "c.json",
     "{\"database\": {\n\"hots\": \"x\"}}\n",
     {"list"},
     "c.json:2: unknown key 'database.hots'"},
    {"json wrong type",
     "c.json",
     "{\"logging\": {\n\"verbose\": 3}}\n",
     {"list"},
     "c.json:2: key 'logging.verbose': expected true or false"},
    {"missing config file",
     "",
     "",
     {"--config", "/nonexistent/c.toml", "list"},
     "/nonexistent/c.toml: cannot read the config file"},
    {"unknown option", "", "", {"--frobnicate", "list"}, "unknown option '--frobnicate'"},
    {"unknown plugin option",
     "",
     "",
     {"--connection.nope", "1", "run"},
     "unknown option '--connection.nope'"},
    {"option missing value", "", "", {"list", "--host"}, "the required argument for option"},
    {"bad int on cli",
     "",
     "",
     {"--max-steps", "many", "list"},
     "--max-steps: expected an integer, got 'many'"},
    {"bad float on cli",
     "",
     "",
     {"--state-timeout", "soon", "list"},
     "--state-timeout: expected a number, got 'soon'"},
    {"bad enum on cli",
     "",
     "",
     {"--isolation", "threads", "list"},
     "--isolation: must be one of: process, none; got 'threads'"},
    {"bad bool on cli",
     "",
     "",
     {"--strict=maybe", "list"},
     "--strict: expected true or false, got 'maybe'"},
    {"cli out of range",
     "",
     "",
     {"--connection.sessions", "0", "run"},
     "--connection.sessions: must be between 1 and 512, got 0"},
    {"unknown command", "", "", {"frobnicate"}, "unknown command 'frobnicate'"},
    {"no matching test", "", "", {"run", "nosuch/*"}, "no test matches 'nosuch/*'"},
    {"describe unknown", "", "", {"describe", "nosuch"}, "no plugin named 'nosuch'"},
    {"config show extra", "", "", {"config", "show", "extra"}, "unknown command 'config'"},
    {"bad host",
     "",
     "",
     {"-H", "db:99999", "run", "connection/standard"},
     "--host: invalid host 'db:99999': port must be a number from 1 to 65535"},
};

TEST(BadInput, EachIsExitTwoWithOneClearLine) {
  ASSERT_GE(std::size(kCases), 30u);
  for (const BadInput& c : kCases) {
    std::vector<std::string> args;
    if (*c.file_name) {
      std::string path = temp_path(c.file_name);
      write_file(path, c.config);
      args = {"--config", path};
    }
    args.insert(args.end(), c.args.begin(), c.args.end());
    RigRun r = run_rig(args);
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.out << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.name << ": " << r.err;
    EXPECT_EQ(r.err.rfind("test-rig: ", 0), 0u) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos)
        << c.name << ": expected to contain \"" << c.expected << "\", got " << r.err;
  }
}

}  // namespace
}  // namespace rig::testing
