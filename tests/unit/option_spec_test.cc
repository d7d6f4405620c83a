#include "core/config/option_spec.h"

#include <gtest/gtest.h>

namespace rig {
namespace {

OptionSpec spec(OptionType type) {
  OptionSpec s;
  s.name = "x";
  s.type = type;
  return s;
}

TEST(OptionSpec, ParsesEachType) {
  EXPECT_EQ(std::get<bool>(*parse_option_text(spec(OptionType::kBool), "on").value), true);
  EXPECT_EQ(std::get<bool>(*parse_option_text(spec(OptionType::kBool), "False").value), false);
  EXPECT_EQ(std::get<int64_t>(*parse_option_text(spec(OptionType::kInt), " -42 ").value), -42);
  EXPECT_DOUBLE_EQ(std::get<double>(*parse_option_text(spec(OptionType::kFloat), "2.5").value),
                   2.5);
  auto list = parse_option_text(spec(OptionType::kList), "a, b,,c").value;
  EXPECT_EQ(std::get<std::vector<std::string>>(*list), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(OptionSpec, RejectsMalformedText) {
  EXPECT_FALSE(parse_option_text(spec(OptionType::kBool), "maybe").value);
  EXPECT_FALSE(parse_option_text(spec(OptionType::kInt), "12abc").value);
  EXPECT_FALSE(parse_option_text(spec(OptionType::kInt), "").value);
  EXPECT_FALSE(parse_option_text(spec(OptionType::kFloat), "nan").value);
  EXPECT_EQ(parse_option_text(spec(OptionType::kInt), "1.5").error,
            "expected an integer, got '1.5'");
}

TEST(OptionSpec, EnforcesBoundsAndChoices) {
  OptionSpec bounded = spec(OptionType::kInt);
  bounded.bounds = {{1, 10}};
  EXPECT_TRUE(parse_option_text(bounded, "10").value);
  EXPECT_EQ(parse_option_text(bounded, "11").error, "must be between 1 and 10, got 11");
  OptionSpec choice = spec(OptionType::kEnum);
  choice.choices = {"text", "json"};
  EXPECT_TRUE(parse_option_text(choice, "json").value);
  EXPECT_EQ(parse_option_text(choice, "xml").error, "must be one of: text, json; got 'xml'");
}

TEST(OptionSpec, ChecksTypedFileValues) {
  EXPECT_TRUE(check_option_value(spec(OptionType::kFloat), OptionValue(int64_t{3})).value);
  EXPECT_FALSE(check_option_value(spec(OptionType::kInt), OptionValue(std::string("3"))).value);
  EXPECT_FALSE(check_option_value(spec(OptionType::kString), OptionValue(true)).value);
  auto one = check_option_value(spec(OptionType::kList), OptionValue(std::string("a")));
  EXPECT_EQ(std::get<std::vector<std::string>>(*one.value), std::vector<std::string>{"a"});
}

TEST(OptionSpec, FormatsAndNamesEnvironmentTokens) {
  EXPECT_EQ(format_option_value(OptionValue(std::vector<std::string>{"a", "b"})), "a,b");
  EXPECT_EQ(env_token("my-plugin.rows"), "MY_PLUGIN_ROWS");
}

}  // namespace
}  // namespace rig
