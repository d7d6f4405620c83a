#include "tpcc_mix.h"

#include <sstream>
#include <stdexcept>
#include <utility>

namespace rig_load::tpcc {

const char* transaction_name(TpccTransaction transaction) {
  switch (transaction) {
    case TpccTransaction::kNewOrder: return "new_order";
    case TpccTransaction::kPayment: return "payment";
    case TpccTransaction::kOrderStatus: return "order_status";
    case TpccTransaction::kDelivery: return "delivery";
    case TpccTransaction::kStockLevel: return "stock_level";
  }
  return "?";
}

Weights parse_weights(const std::string& text) {
  const std::string usage =
      "--load.tpcc-weights '" + text +
      "': give five whole weights, new-order,payment,order-status,delivery,stock-level, such as "
      "45,43,4,4,4";
  Weights weights{};
  std::istringstream items(text);
  std::string item;
  std::size_t count = 0;
  int sum = 0;
  while (std::getline(items, item, ',')) {
    std::size_t used = 0;
    int value = -1;
    try {
      value = std::stoi(item, &used);
    } catch (const std::exception&) {
      throw std::invalid_argument(usage);
    }
    if (used != item.size() || value < 0 || value > 1000 || count == kTransactionTypes) {
      throw std::invalid_argument(usage);
    }
    weights[count++] = value;
    sum += value;
  }
  if (count != kTransactionTypes || sum == 0) throw std::invalid_argument(usage);
  return weights;
}

TransactionDeck::TransactionDeck(const Weights& weights) {
  for (std::size_t type = 0; type < kTransactionTypes; ++type) {
    cards_.insert(cards_.end(), static_cast<std::size_t>(weights[type]),
                  static_cast<TpccTransaction>(type));
  }
  next_ = cards_.size();
}

TpccTransaction TransactionDeck::deal(Xoshiro256& engine) {
  if (next_ == cards_.size()) {
    for (std::size_t i = cards_.size() - 1; i > 0; --i) {
      std::swap(cards_[i], cards_[engine.below(i + 1)]);
    }
    next_ = 0;
  }
  return cards_[next_++];
}

}  // namespace rig_load::tpcc
