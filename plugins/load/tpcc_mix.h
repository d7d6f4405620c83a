// plugins/load/tpcc_mix.h -- TPC-C's five transactions and their mix: a
// deck of cards in the weights' proportion (45 New-Order, 43 Payment, 4
// each Order-Status, Delivery and Stock-Level by default, clause 5.2.3),
// dealt in a random order and shuffled again when it is used up, so that
// every run of a deck's length holds the weights exactly.
//
//   TransactionDeck deck(parse_weights("45,43,4,4,4"));
//   TpccTransaction next = deck.deal(engine);
//
// Thread safety: none; one deck per thread.
#ifndef TEST_RIG_PLUGINS_LOAD_TPCC_MIX_H_
#define TEST_RIG_PLUGINS_LOAD_TPCC_MIX_H_

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "xoshiro256.h"

namespace rig_load::tpcc {

enum class TpccTransaction { kNewOrder, kPayment, kOrderStatus, kDelivery, kStockLevel };
inline constexpr std::size_t kTransactionTypes = 5;

// "new_order", "payment", "order_status", "delivery", "stock_level".
const char* transaction_name(TpccTransaction transaction);

using Weights = std::array<int, kTransactionTypes>;  // in TpccTransaction's order

// Five non-negative integers, comma-separated, of a positive sum, in
// TpccTransaction's order. Throws std::invalid_argument saying what is wrong.
Weights parse_weights(const std::string& text);

class TransactionDeck {
 public:
  explicit TransactionDeck(const Weights& weights);
  TpccTransaction deal(Xoshiro256& engine);

 private:
  std::vector<TpccTransaction> cards_;
  std::size_t next_ = 0;  // cards_.size(): shuffle first
};

}  // namespace rig_load::tpcc

#endif  // TEST_RIG_PLUGINS_LOAD_TPCC_MIX_H_
