#include "core/config/configuration.h"

#include <gtest/gtest.h>

#include "core/config/core_options.h"

namespace rig {
namespace {

std::vector<OptionSpec> specs() {
  std::vector<OptionSpec> all = core_option_specs();
  OptionSpec rows;
  rows.owner = "load";
  rows.section = "plugins.load";
  rows.name = "rows";
  rows.type = OptionType::kInt;
  rows.default_value = "100";
  rows.bounds = {{1, 1000}};
  rows.cli_name = "load.rows";
  rows.env_name = "TEST_RIG_LOAD_ROWS";
  all.push_back(rows);
  return all;
}

EnvLookup env(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

const char* kToml = R"(# test config
[database]
host = "file-host:3306"
user = "file-user"

[plugins.load]
rows = 7
)";

TEST(Configuration, PrecedenceIsCliThenEnvThenFileThenDefault) {
  ConfigFile file = ConfigFile::parse("rig.toml", kToml);
  Configuration config =
      Configuration::resolve(specs(), {{"host", {"cli-host"}}},
                             env({{"TIDB_HOST", "env-host"}, {"TIDB_USER", "env-user"}}), &file);
  EXPECT_EQ(config.string(keys::kHost), "cli-host");
  EXPECT_EQ(config.find(keys::kHost)->origin, "--host");
  EXPECT_EQ(config.string(keys::kUser), "env-user");
  EXPECT_EQ(config.find(keys::kUser)->origin, "environment variable TIDB_USER");
  EXPECT_EQ(config.integer("plugins.load.rows"), 7);
  EXPECT_EQ(config.find("plugins.load.rows")->origin, "rig.toml:7: key 'plugins.load.rows'");
  EXPECT_EQ(config.string(keys::kDatabase), "test");
  EXPECT_EQ(config.find(keys::kDatabase)->source, ValueSource::kDefault);
}

TEST(Configuration, PluginOptionsFollowTheSamePrecedence) {
  ConfigFile file = ConfigFile::parse("rig.toml", kToml);
  auto from_env = Configuration::resolve(specs(), {}, env({{"TEST_RIG_LOAD_ROWS", "9"}}), &file);
  EXPECT_EQ(from_env.integer("plugins.load.rows"), 9);
  auto from_cli = Configuration::resolve(specs(), {{"load.rows", {"11"}}},
                                         env({{"TEST_RIG_LOAD_ROWS", "9"}}), &file);
  EXPECT_EQ(from_cli.integer("plugins.load.rows"), 11);
  auto defaulted = Configuration::resolve(specs(), {}, env({}), nullptr);
  EXPECT_EQ(defaulted.integer("plugins.load.rows"), 100);
}

TEST(Configuration, UnknownKeyNamesFileLineAndSuggestion) {
  ConfigFile file = ConfigFile::parse("rig.toml", "[database]\nhots = \"x\"\n");
  try {
    Configuration::resolve(specs(), {}, env({}), &file);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "rig.toml:2: unknown key 'database.hots'; did you mean 'database.host'?");
  }
}

TEST(Configuration, WrongTypeNamesFileLineAndKey) {
  ConfigFile file = ConfigFile::parse("rig.toml", "[plugins.load]\n\nrows = \"many\"\n");
  try {
    Configuration::resolve(specs(), {}, env({}), &file);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "rig.toml:3: key 'plugins.load.rows': expected an integer");
  }
}

TEST(Configuration, OutOfBoundsValuesFromEveryOriginAreErrors) {
  ConfigFile file =
      ConfigFile::parse("rig.json", "{\n  \"plugins\": {\"load\": {\n  \"rows\": 5000}}}");
  EXPECT_THROW(Configuration::resolve(specs(), {}, env({}), &file), ConfigError);
  try {
    Configuration::resolve(specs(), {}, env({{"TEST_RIG_LOAD_ROWS", "0"}}), nullptr);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "environment variable TEST_RIG_LOAD_ROWS: must be between 1 and 1000, got 0");
  }
  EXPECT_THROW(Configuration::resolve(specs(), {{"load.rows", {"x"}}}, env({}), nullptr),
               ConfigError);
}

TEST(Configuration, UnknownPluginSectionIsNamed) {
  ConfigFile file = ConfigFile::parse("rig.toml", "[plugins.nosuch]\nx = 1\n");
  try {
    Configuration::resolve(specs(), {}, env({}), &file);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "rig.toml:2: key 'plugins.nosuch.x': no loaded plugin is named 'nosuch'");
  }
}

TEST(Configuration, RequiredOptionWithoutValueSaysHowToSetIt) {
  std::vector<OptionSpec> all = specs();
  all.back().default_value.reset();
  all.back().required = true;
  try {
    Configuration::resolve(all, {}, env({}), nullptr);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "option --load.rows is required; set it with --load.rows, key "
                 "'plugins.load.rows' or TEST_RIG_LOAD_ROWS");
  }
}

TEST(Configuration, ListsAccumulateRepeatedFlags) {
  auto config = Configuration::resolve(specs(), {{"plugin-dir", {"a", "b,c"}}}, env({}), nullptr);
  EXPECT_EQ(config.list(keys::kPluginDirs), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(ConfigFile, MalformedTomlAndJsonNameTheLine) {
  try {
    ConfigFile::parse("bad.toml", "[database]\nhost = \n");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.toml:2: invalid TOML", 0), 0u) << e.what();
  }
  try {
    ConfigFile::parse("bad.json", "{\n \"database\": {\n  \"host\": ,\n}}");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.json:3: invalid JSON", 0), 0u) << e.what();
  }
}

// Found by scripts/fuzz-config.sh: nlohmann/json reports a number too large
// with out_of_range, not parse_error; it must still be a ConfigError.
TEST(ConfigFile, OverflowingJsonNumberIsAConfigError) {
  try {
    ConfigFile::parse("big.json", "{\"run\": {\"max_steps\": 333e11326434445538011818}}");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("big.json: invalid JSON: number overflow", 0), 0u)
        << e.what();
  }
}

TEST(ConfigFile, JsonKeysCarryTheirLines) {
  ConfigFile file = ConfigFile::parse(
      "c.json", "{\n  \"database\": {\n    \"user\": \"u\",\n    \"host\": \"h\"\n  }\n}\n");
  ASSERT_EQ(file.entries().size(), 2u);
  for (const auto& entry : file.entries()) {
    EXPECT_EQ(entry.line, entry.key == "database.user" ? 3 : 4) << entry.key;
  }
}

}  // namespace
}  // namespace rig
