// Loads the deliberately bad plugins built in tests/plugins and checks that
// each is refused with its file named and a reason, while good ones load.
#include "core/plugin/plugin_registry.h"

#include "core/plugin/host_api.h"
#include "core/plugin/host_settings.h"

#include <gtest/gtest.h>

namespace rig {
namespace {

std::string only_problem(const PluginRegistry& registry) {
  EXPECT_EQ(registry.problems().size(), 1u);
  return registry.problems().empty() ? "" : registry.problems().front().message;
}

TEST(PluginRegistry, LoadsAGoodPlugin) {
  PluginRegistry registry;
  registry.load_file(CONNECTION_PLUGIN);
  ASSERT_TRUE(registry.problems().empty());
  const LoadedPlugin* plugin = registry.find("connection");
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->path, CONNECTION_PLUGIN);
  EXPECT_EQ(plugin->tests.size(), 2u);
  ASSERT_FALSE(plugin->options.empty());
  EXPECT_EQ(plugin->options[0].cli_name, "connection.expect-flavor");
  EXPECT_EQ(plugin->options[0].env_name, "TEST_RIG_CONNECTION_EXPECT_FLAVOR");
  EXPECT_EQ(plugin->options[0].config_key(), "plugins.connection.expect-flavor");
}

TEST(PluginRegistry, ABindingWithAnUnreadableDescriptorIsAProblemOfWhereItWasMade) {
  PluginRegistry registry;
  registry.load_file(CONNECTION_PLUGIN);
  rig_state_descriptor too_small{};
  too_small.struct_size = 4;
  host_api()->bind_state_handler("connection", "standard", "connecting", &too_small, "a.py");
  host_api()->bind_state_handler("connection", "standard", "connecting", nullptr, "b.py");
  for (const StateBinding& binding : take_state_bindings()) registry.bind_state(binding);
  ASSERT_EQ(registry.problems().size(), 2u);
  EXPECT_EQ(registry.problems()[0].path, "a.py");
  EXPECT_EQ(registry.problems()[0].message,
            "cannot bind a handler to connection/standard state 'connecting': the handler's "
            "state descriptor has struct_size 4, smaller than the 68 bytes of ABI v1");
  EXPECT_EQ(registry.problems()[1].path, "b.py");
  EXPECT_EQ(registry.problems()[1].message,
            "cannot bind a handler to connection/standard state 'connecting': the handler's "
            "state descriptor pointer is null");
}

TEST(PluginRegistry, RejectsWrongAbiMajor) {
  PluginRegistry registry;
  registry.load_file(WRONG_ABI_MAJOR_PLUGIN);
  EXPECT_EQ(only_problem(registry),
            "descriptor declares plugin ABI v2, but this test-rig speaks v1");
  EXPECT_EQ(registry.problems()[0].path, WRONG_ABI_MAJOR_PLUGIN);
  EXPECT_TRUE(registry.plugins().empty());
}

TEST(PluginRegistry, NamesTheAbiOfAPluginBuiltForAnother) {
  PluginRegistry registry;
  registry.load_file(OTHER_ABI_SYMBOL_PLUGIN);
  EXPECT_EQ(only_problem(registry).rfind("built for plugin ABI v2", 0), 0u);
}

TEST(PluginRegistry, RejectsALibraryWithoutEntry) {
  PluginRegistry registry;
  registry.load_file(NO_ENTRY_PLUGIN);
  EXPECT_EQ(only_problem(registry),
            "no rig_plugin_entry_v1 symbol; not a test-rig plugin (define it with "
            "TEST_RIG_PLUGIN)");
}

TEST(PluginRegistry, ReportsTheReasonAnInitFailed) {
  PluginRegistry registry;
  registry.load_file(FAILING_INIT_PLUGIN);
  EXPECT_EQ(only_problem(registry),
            "initialisation failed: required licence file /nonexistent/licence not found");
}

TEST(PluginRegistry, RefusesATruncatedDescriptor) {
  PluginRegistry registry;
  registry.load_file(TRUNCATED_PLUGIN);
  EXPECT_EQ(only_problem(registry).rfind("plugin descriptor has struct_size 16", 0), 0u);
}

TEST(PluginRegistry, RefusesADuplicateName) {
  PluginRegistry registry;
  registry.load_file(CONNECTION_PLUGIN);
  registry.load_file(INVALID_MACHINE_PLUGIN);
  std::size_t before = registry.problems().size();
  registry.load_file(DUPLICATE_PLUGIN);
  ASSERT_EQ(registry.problems().size(), before + 1);
  EXPECT_EQ(registry.problems().back().message,
            std::string("duplicate plugin name 'invalid_machine' (already loaded from ") +
                INVALID_MACHINE_PLUGIN + ")");
  EXPECT_EQ(registry.plugins().size(), 2u);
}

TEST(PluginRegistry, ReportsAMissingFile) {
  PluginRegistry registry;
  registry.load_file("/nonexistent/plugin.so");
  EXPECT_EQ(only_problem(registry).rfind("cannot load: /nonexistent/plugin.so", 0), 0u);
}

TEST(PluginRegistry, KeepsValidTestsAndNamesInvalidMachines) {
  PluginRegistry registry;
  registry.load_file(INVALID_MACHINE_PLUGIN);
  const LoadedPlugin* plugin = registry.find("invalid_machine");
  ASSERT_NE(plugin, nullptr);
  ASSERT_EQ(plugin->tests.size(), 1u);
  EXPECT_EQ(plugin->tests[0].name, "valid");
  ASSERT_EQ(registry.problems().size(), 3u);
  EXPECT_NE(registry.problems()[0].message.find(
                "'invalid_machine/dangling' has an invalid state machine: transition 'start' "
                "-> 'nowhere' targets an undeclared state"),
            std::string::npos);
  EXPECT_NE(
      registry.problems()[1].message.find("reachable states without an execute handler: 'middle'"),
      std::string::npos);
  EXPECT_NE(
      registry.problems()[2].message.find("no terminal state is reachable from: 'ping', 'pong'"),
      std::string::npos);
}

TEST(PluginRegistry, SelectsByNamePluginAndGlob) {
  PluginRegistry registry;
  registry.load_file(CONNECTION_PLUGIN);
  registry.load_file(MISBEHAVING_PLUGIN);
  std::vector<std::string> unmatched;
  auto names = [&](const std::vector<std::string>& patterns) {
    std::vector<std::string> out;
    for (const auto& t : registry.select(patterns, &unmatched)) {
      out.push_back(t.plugin->name + "/" + t.test->name);
    }
    return out;
  };
  EXPECT_EQ(names({"connection/standard"}), std::vector<std::string>{"connection/standard"});
  EXPECT_EQ(names({"connection"}).size(), 2u);
  EXPECT_EQ(names({"misbehaving/throw*"}),
            (std::vector<std::string>{"misbehaving/throws", "misbehaving/throws_int"}));
  EXPECT_EQ(names({"*/sessions", "connection"}).size(), 2u);  // each test once
  EXPECT_TRUE(unmatched.empty());
  EXPECT_TRUE(names({"nosuch/*"}).empty());
  EXPECT_EQ(unmatched, std::vector<std::string>{"nosuch/*"});
}

}  // namespace
}  // namespace rig
