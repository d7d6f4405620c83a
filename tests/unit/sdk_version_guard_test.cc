// The SDK's one version guard (test_rig/sdk/host.h): a plugin built against
// newer headers, on a host whose function table is older, gets a clear
// refusal from a call that needs a newer function, a documented fallback
// where there is one, and never a call through a missing slot.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "test_rig/sdk.h"

namespace {

// A host table that ends where ABI 1.1's did; every slot is null, so a
// call the guard lets through crashes the test.
const rig_host_api& old_host() {
  static const rig_host_api table = [] {
    rig_host_api t{};
    t.struct_size = offsetof(rig_host_api, run_expect_state_duration);
    t.abi_major = 1;
    t.abi_minor = 1;
    return t;
  }();
  return table;
}

// The SDK meets the old host as a plugin does: through its entry function.
class OldHost : public ::testing::Test {
 protected:
  void SetUp() override {
    char reason[256] = "";
    rig_entry_error error{reason, sizeof(reason)};
    ASSERT_NE(test_rig::enter_plugin(
                  &old_host(), &error,
                  [] { return test_rig::PluginDefinition("guarded", "1.0", "meets an old host"); }),
              nullptr)
        << reason;
    ASSERT_EQ(&test_rig::host(), &old_host());
  }
};

std::string refusal(const std::function<void()>& call) {
  try {
    call();
  } catch (const test_rig::HostTooOld& e) {
    return e.what();
  }
  return "no refusal";
}

TEST_F(OldHost, ACallThatNeedsANewerHostIsRefusedNamingBothVersions) {
  test_rig::Context ctx(nullptr);
  EXPECT_EQ(refusal([&] { ctx.connection_to("a", 1); }),
            "ctx.connection_to needs a test-rig that speaks plugin ABI 1.2 or later; this one "
            "speaks 1.1: upgrade test-rig");
  EXPECT_EQ(refusal([&] { ctx.server_count(); }),
            "ctx.server_count needs a test-rig that speaks plugin ABI 1.2 or later; this one "
            "speaks 1.1: upgrade test-rig");
  EXPECT_EQ(refusal([&] { ctx.option_type("rows"); }),
            "Context::option_type needs a test-rig that speaks plugin ABI 1.2 or later; this one "
            "speaks 1.1: upgrade test-rig");
}

// A host table that ends where ABI 1.0's did.
const rig_host_api& first_host() {
  static const rig_host_api table = [] {
    rig_host_api t{};
    t.struct_size = offsetof(rig_host_api, result_column_type);
    t.abi_major = 1;
    return t;
  }();
  return table;
}

TEST(FirstHost, TheCallsOfAbi11AreRefusedToo) {
  char reason[256] = "";
  rig_entry_error error{reason, sizeof(reason)};
  ASSERT_NE(test_rig::enter_plugin(&first_host(), &error,
                                   [] { return test_rig::PluginDefinition("guarded", "1.0", ""); }),
            nullptr)
      << reason;
  const std::string speaks =
      " needs a test-rig that speaks plugin ABI 1.1 or later; this one "
      "speaks 1.0: upgrade test-rig";
  test_rig::Connection db(nullptr);
  EXPECT_EQ(refusal([&] { db.prepare("SELECT 1"); }), "Connection::prepare" + speaks);
  test_rig::Context ctx(nullptr);
  EXPECT_EQ(refusal([&] { ctx.connection_settings(); }), "Context::connection_settings" + speaks);
  EXPECT_EQ(refusal([&] { test_rig::bind_state("p", "t", "s", nullptr, "here"); }),
            "bind_state" + speaks);
  EXPECT_FALSE(ctx.bound_hook("event"));
}

TEST_F(OldHost, ACallWithAFallbackKeepsTheOldBehaviour) {
  test_rig::Context ctx(nullptr);
  ctx.expect_state_duration(30);          // the timeout stays as it was
  EXPECT_FALSE(ctx.bound_hook("event"));  // an old host has no hooks
}

TEST(HostHas, CountsAFunctionOnlyWhenTheTableHoldsItWhole) {
  rig_host_api table{};
  const std::size_t offset = offsetof(rig_host_api, db_connect_to);
  table.struct_size = static_cast<uint32_t>(offset + sizeof(void*));
  EXPECT_TRUE(test_rig::host_has(table, offset));
  table.struct_size = static_cast<uint32_t>(offset + sizeof(void*) - 1);
  EXPECT_FALSE(test_rig::host_has(table, offset));
  table.struct_size = static_cast<uint32_t>(offset);
  EXPECT_FALSE(test_rig::host_has(table, offset));
}

}  // namespace
