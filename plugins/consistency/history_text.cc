#include "history_text.h"

namespace consistency {

std::string transaction_name(const History& history, uint32_t txn) {
  return "T" + std::to_string(history.transactions()[txn].invoke_index);
}

std::string names_text(const History& history, const std::vector<uint32_t>& txns) {
  std::string text;
  for (std::size_t i = 0; i < txns.size(); ++i) {
    text += (i == 0                 ? ""
             : i + 1 == txns.size() ? " and "
                                    : ", ") +
            transaction_name(history, txns[i]);
  }
  return text;
}

std::string list_text(std::span<const int64_t> elements) {
  constexpr std::size_t kEnds = 4;  // elements kept at each end of a long list
  std::string text = "[";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (elements.size() > 3 * kEnds && i == kEnds) {
      text += " ...";
      i = elements.size() - kEnds - 1;
      continue;
    }
    text += (i ? " " : "") + std::to_string(elements[i]);
  }
  return text + "]";
}

std::string mop_text(const History& history, const Mop& mop) {
  const std::string key = history.key_text(mop.key);
  switch (mop.kind) {
    case MopKind::kAppend: return "append " + key + " " + std::to_string(mop.value);
    case MopKind::kWrite: return "w " + key + " " + std::to_string(mop.value);
    case MopKind::kAdd: return "add " + key + " " + std::to_string(mop.value);
    case MopKind::kRead: break;
  }
  switch (mop.result) {
    case ReadResult::kUnknown: return "r " + key + " ?";
    case ReadResult::kNil: return "r " + key + " nil";
    case ReadResult::kValue: break;
  }
  return "r " + key + " " + (mop.list ? list_text(history.list(mop)) : std::to_string(mop.value));
}

std::string describe_transaction(const History& history, uint32_t txn) {
  const Transaction& t = history.transactions()[txn];
  std::string text = transaction_name(history, txn) + " (process " + std::to_string(t.process) +
                     ", " + outcome_name(t.outcome) + "):";
  bool first = true;
  for (const Mop& mop : history.mops(t)) {
    text += (first ? " " : ", ") + mop_text(history, mop);
    first = false;
  }
  return text;
}

}  // namespace consistency
