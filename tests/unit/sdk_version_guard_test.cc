// The SDK's one version guard (test_rig/sdk/host.h): a plugin built against
// newer headers, on a host whose function table is older, gets a clear
// refusal from a call that needs a newer function, a documented fallback
// where there is one, and never a call through a missing slot.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "test_rig/sdk.h"

namespace {

// Installs a host table that ends where ABI 1.1's did; every slot is null,
// so a call the guard lets through crashes the test.
class OldHost : public ::testing::Test {
 protected:
  void SetUp() override {
    table_.struct_size = offsetof(rig_host_api, run_expect_state_duration);
    table_.abi_major = 1;
    table_.abi_minor = 1;
    saved_ = test_rig::internal::host_slot();
    test_rig::internal::host_slot() = &table_;
  }
  void TearDown() override { test_rig::internal::host_slot() = saved_; }

 private:
  rig_host_api table_{};
  const rig_host_api* saved_ = nullptr;
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
}

TEST_F(OldHost, ACallWithAFallbackKeepsTheOldBehaviour) {
  test_rig::Context ctx(nullptr);
  ctx.expect_state_duration(30);  // the timeout stays as it was
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
