// The append-only struct rule from both sides (core/plugin/abi_struct.h): a
// struct read from a plugin is cut at its struct_size and zero beyond it; a
// struct written for a plugin stops at its struct_size, whatever the host's
// own struct holds.
#include "core/plugin/abi_struct.h"

#include <gtest/gtest.h>

#include <cstring>

namespace rig {
namespace {

constexpr unsigned char kGuard = 0xA5;

// A rig_db_error as a plugin built against a struct that ended before
// `message` would own it: bytes past that end belong to someone else.
struct ShortError {
  unsigned char bytes[sizeof(rig_db_error)];
  rig_db_error* as_struct() { return reinterpret_cast<rig_db_error*>(bytes); }
};

TEST(AbiStruct, AWriteFillsTheCallersWholeStructAndKeepsItsSize) {
  rig_db_error out{};
  out.struct_size = sizeof(out);
  rig_db_error value{};
  value.struct_size = 9999;  // never the caller's
  value.code = 1146;
  value.sqlstate = "42S02";
  value.message = "no such table";
  write_struct(&out, value);
  EXPECT_EQ(out.struct_size, sizeof(out));
  EXPECT_EQ(out.code, 1146u);
  EXPECT_STREQ(out.sqlstate, "42S02");
  EXPECT_STREQ(out.message, "no such table");
}

TEST(AbiStruct, AWriteStopsAtAnOlderCallersStructSize) {
  ShortError shorter;
  std::memset(shorter.bytes, kGuard, sizeof(shorter.bytes));
  const uint32_t size = offsetof(rig_db_error, message);
  std::memcpy(shorter.bytes, &size, sizeof(size));
  rig_db_error value{};
  value.code = 1213;
  value.sqlstate = "40001";
  value.message = "deadlock";
  write_struct(shorter.as_struct(), value);
  EXPECT_EQ(shorter.as_struct()->struct_size, size);
  EXPECT_EQ(shorter.as_struct()->code, 1213u);
  EXPECT_STREQ(shorter.as_struct()->sqlstate, "40001");
  for (std::size_t i = size; i < sizeof(shorter.bytes); ++i) {
    EXPECT_EQ(shorter.bytes[i], kGuard) << "byte " << i << " past the caller's struct";
  }
}

TEST(AbiStruct, AWriteToNoStructIsIgnored) { write_struct<rig_db_error>(nullptr, rig_db_error{}); }

TEST(AbiStruct, AReadStopsAtTheWritersSizeAndZeroesTheRest) {
  rig_state_descriptor source{};
  source.struct_size = v1_size<rig_state_descriptor>();
  source.id = "run";
  source.timeout_ms = 7;
  rig_state_descriptor copy = read_struct(&source, "state descriptor");
  EXPECT_STREQ(copy.id, "run");
  EXPECT_EQ(copy.timeout_ms, 7u);

  // A plugin descriptor from before ABI 1.2's commands: copied up to its
  // struct_size, the newer fields zero, whatever the bytes beyond hold.
  rig_plugin_descriptor old;
  std::memset(&old, kGuard, sizeof(old));
  old.struct_size = v1_size<rig_plugin_descriptor>();
  old.test_count = 3;
  const rig_plugin_descriptor plugin = read_struct(&old, "plugin descriptor");
  EXPECT_EQ(plugin.test_count, 3u);
  EXPECT_EQ(plugin.commands, nullptr);
  EXPECT_EQ(plugin.command_count, 0u);
}

TEST(AbiStruct, AReadRefusesANullOrTooSmallStructNamingIt) {
  EXPECT_THROW(read_struct<rig_option_spec>(nullptr, "option spec"), BadStruct);
  rig_option_spec spec{};
  spec.struct_size = v1_size<rig_option_spec>() - 1;
  try {
    read_struct(&spec, "option spec");
    FAIL() << "a struct smaller than v1 was read";
  } catch (const BadStruct& e) {
    EXPECT_NE(std::string(e.what()).find("option spec has struct_size"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace rig
