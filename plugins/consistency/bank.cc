// The bank rules: transfers move money between accounts, so every committed
// read of every account must add up to the total the accounts began with.
// A read that does not is a wrong total; there are no dependency edges.
#include <algorithm>

#include "analysis.h"
#include "history_text.h"

namespace consistency {
namespace {

class BankAnalysis : public Analysis {
 public:
  BankAnalysis(const History& history, const BankSettings& bank) {
    const auto& txns = history.transactions();
    for (uint32_t t = 0; t < txns.size(); ++t) {
      for (const Mop& mop : history.mops(txns[t])) {
        if (mop.kind == MopKind::kAppend || mop.kind == MopKind::kWrite || mop.list) {
          throw HistoryError(describe_transaction(history, t) +
                             ": not a bank operation (transfer, and read of balances)");
        }
      }
      if (txns[t].f != Function::kRead || txns[t].outcome != Outcome::kOk) continue;
      int64_t sum = 0, accounts = 0;
      for (const Mop& mop : history.mops(txns[t])) {
        if (mop.result != ReadResult::kValue) continue;
        sum += mop.value;
        ++accounts;
      }
      if (sum == bank.total && accounts == bank.accounts) continue;
      std::string why = describe_transaction(history, t) + ": the balances add up to " +
                        std::to_string(sum) + ", not " + std::to_string(bank.total);
      if (accounts != bank.accounts) {
        why += ", over " + std::to_string(accounts) + " of " + std::to_string(bank.accounts) +
               " accounts";
      }
      anomalies_.push_back({AnomalyClass::kWrongTotal, {t}, {}, why});
    }
  }

  void add_edges(DependencyGraph::Builder&) const override {}
  std::string explain(uint32_t, uint32_t, EdgeKind) const override { return ""; }
};

}  // namespace

std::unique_ptr<Analysis> analyze_bank(const History& history, const BankSettings& bank) {
  return std::make_unique<BankAnalysis>(history, bank);
}

}  // namespace consistency
