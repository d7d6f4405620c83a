// TPC-C's random values and transaction mix against the specification's
// definitions (clauses 2.1.6, 4.3.2, 4.3.3.1 and 5.2.3).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <stdexcept>

#include "plugins/load/tpcc_mix.h"
#include "plugins/load/tpcc_random.h"

namespace rig_load::tpcc {
namespace {

TEST(TpccRandom, LastNamesAreTheSyllablesOfTheNumbersDigits) {
  // 4.3.2.3's own example: 371 is PRI, CALLY, OUGHT.
  EXPECT_EQ(last_name(371), "PRICALLYOUGHT");
  EXPECT_EQ(last_name(0), "BARBARBAR");
  EXPECT_EQ(last_name(999), "EINGEINGEING");
  EXPECT_EQ(last_name(40), "BARPRESBAR");
}

TEST(TpccRandom, NurandStaysInItsRangeAndFavoursSomeValues) {
  TpccRandom random(7, NurandConstants{123, 259, 7911});
  std::map<int64_t, int> seen;
  constexpr int kDraws = 200000;
  for (int i = 0; i < kDraws; ++i) {
    const int64_t id = random.customer_id();
    ASSERT_GE(id, 1);
    ASSERT_LE(id, 3000);
    ++seen[id];
  }
  // Uniform draws would give each of 3000 ids about 67 (and at most about
  // 110); NURand's OR makes some ids several times likelier than others.
  int most = 0, least = kDraws;
  for (const auto& [id, count] : seen) {
    most = std::max(most, count);
    least = std::min(least, count);
  }
  EXPECT_GT(most, 4 * least) << most << " / " << least;
  for (int i = 0; i < 10000; ++i) {
    const int64_t item = random.item_id();
    ASSERT_GE(item, 1);
    ASSERT_LE(item, kItems);
    const int64_t name = random.nurand(255, 0, 999);
    ASSERT_GE(name, 0);
    ASSERT_LE(name, 999);
  }
}

TEST(TpccRandom, NurandAddsItsConstantBeforeTheModulo) {
  // With A = 0 the OR is the uniform draw itself: a constant C shifts the
  // values by C modulo the range, so C = 0 and C = 1 give x and x+1 for
  // the same engine state.
  TpccRandom zero(3, NurandConstants{0, 0, 0}), one(3, NurandConstants{0, 1, 0});
  for (int i = 0; i < 1000; ++i) {
    const int64_t a = zero.nurand(1023, 1, 3000), b = one.nurand(1023, 1, 3000);
    EXPECT_EQ(b, a == 3000 ? 1 : a + 1);
  }
}

TEST(TpccRandom, TheRunsCLastKeepsItsDistanceFromTheLoads) {
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    const NurandConstants load = NurandConstants::for_load(seed);
    const NurandConstants run = load.for_run(seed + 1);
    EXPECT_TRUE(load.allows_run(run)) << load.c_last << " " << run.c_last;
    EXPECT_LE(run.c_last, 255u);
    EXPECT_EQ(run.c_id, load.c_id);
    EXPECT_EQ(run.ol_i_id, load.ol_i_id);
  }
  const NurandConstants load{100, 5, 6};
  EXPECT_FALSE(load.allows_run({196, 5, 6}));  // 96 apart
  EXPECT_FALSE(load.allows_run({212, 5, 6}));  // 112 apart
  EXPECT_FALSE(load.allows_run({164, 5, 6}));  // 64 apart
  EXPECT_FALSE(load.allows_run({220, 5, 6}));  // 120 apart
  EXPECT_TRUE(load.allows_run({35, 5, 6}));    // 65 apart
  EXPECT_TRUE(load.allows_run({219, 5, 6}));   // 119 apart
  EXPECT_FALSE(load.allows_run({165, 6, 6}));  // C_ID must stay
}

TEST(TpccRandom, StringsZipsAndOriginalData) {
  TpccRandom random(11, NurandConstants::for_load(11));
  int original = 0;
  constexpr int kRows = 20000;
  for (int i = 0; i < kRows; ++i) {
    const std::string a = random.a_string(8, 16);
    ASSERT_GE(a.size(), 8u);
    ASSERT_LE(a.size(), 16u);
    ASSERT_TRUE(std::all_of(a.begin(), a.end(), [](unsigned char c) { return std::isalnum(c); }));
    const std::string n = random.n_string(16, 16);
    ASSERT_EQ(n.size(), 16u);
    ASSERT_TRUE(std::all_of(n.begin(), n.end(), [](unsigned char c) { return std::isdigit(c); }));
    const std::string zip = random.zip();
    ASSERT_EQ(zip.size(), 9u);
    ASSERT_EQ(zip.substr(4), "11111");
    const std::string data = random.data_maybe_original(26, 50);
    ASSERT_GE(data.size(), 26u);
    ASSERT_LE(data.size(), 50u);
    original += data.find("ORIGINAL") != std::string::npos;
  }
  // 10 % of rows (a fixed seed: the count is the same every run).
  EXPECT_GT(original, kRows * 8 / 100);
  EXPECT_LT(original, kRows * 12 / 100);
}

TEST(TpccRandom, FixedPointValuesKeepTheirScaleAndRange) {
  TpccRandom random(5, NurandConstants::for_load(5));
  bool low = false, high = false;
  for (int i = 0; i < 100000; ++i) {
    const std::string price = random.fixed(100, 10000, 2);  // I_PRICE 1.00 .. 100.00
    ASSERT_EQ(price[price.size() - 3], '.') << price;
    const double value = std::stod(price);
    ASSERT_GE(value, 1.0);
    ASSERT_LE(value, 100.0);
    low = low || price == "1.00";
    high = high || price == "100.00";
  }
  EXPECT_TRUE(low && high);
  EXPECT_EQ(TpccRandom(1, {}).fixed(5, 5, 4), "0.0005");
  EXPECT_EQ(TpccRandom(1, {}).fixed(7, 7, 0), "7");
}

TEST(TpccMix, EveryDeckHoldsTheWeightsExactly) {
  TransactionDeck deck(parse_weights("45,43,4,4,4"));
  Xoshiro256 engine(9);
  for (int round = 0; round < 2; ++round) {
    std::array<int, kTransactionTypes> counts{};
    for (int i = 0; i < 100; ++i) ++counts[static_cast<std::size_t>(deck.deal(engine))];
    EXPECT_EQ(counts, (std::array<int, kTransactionTypes>{45, 43, 4, 4, 4}));
  }
  // Shuffled: a deck is not dealt in its weights' order every time.
  TransactionDeck again(parse_weights("45,43,4,4,4"));
  int new_orders_first = 0;
  for (int i = 0; i < 45; ++i) new_orders_first += again.deal(engine) == TpccTransaction::kNewOrder;
  EXPECT_LT(new_orders_first, 45);
  EXPECT_STREQ(transaction_name(TpccTransaction::kStockLevel), "stock_level");
}

TEST(TpccMix, WeightsThatAreNotFiveWholeNumbersAreRefused) {
  EXPECT_EQ(parse_weights("0,1,0,0,0"), (Weights{0, 1, 0, 0, 0}));
  for (const char* bad : {"45,43,4,4", "45,43,4,4,4,1", "a,43,4,4,4", "-1,43,4,4,4", "0,0,0,0,0",
                          "45,43,4,4,4x", "", "45,,4,4,4"}) {
    EXPECT_THROW(parse_weights(bad), std::invalid_argument) << bad;
  }
  try {
    parse_weights("1,2");
    ADD_FAILURE() << "1,2 was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--load.tpcc-weights '1,2': ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("such as 45,43,4,4,4"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rig_load::tpcc
