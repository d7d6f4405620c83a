#include "history.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace consistency {

uint32_t History::begin_transaction(Function f, uint32_t process, int64_t invoke_ns) {
  Transaction& txn = transactions_.emplace_back();
  txn.f = f;
  txn.process = process;
  txn.invoke_ns = invoke_ns;
  txn.mop_begin = static_cast<uint32_t>(mops_.size());
  return static_cast<uint32_t>(transactions_.size() - 1);
}

Mop& History::push_mop(uint32_t txn, MopKind kind, int64_t key) {
  // Micro-operations are stored contiguously per transaction: only the
  // transaction begun last may grow.
  assert(txn + 1 == transactions_.size());
  ++transactions_[txn].mop_count;
  Mop& mop = mops_.emplace_back();
  mop.kind = kind;
  mop.key = key;
  return mop;
}

void History::add_append(uint32_t txn, int64_t key, int64_t value) {
  push_mop(txn, MopKind::kAppend, key).value = value;
}

void History::add_write(uint32_t txn, int64_t key, int64_t value) {
  push_mop(txn, MopKind::kWrite, key).value = value;
}

void History::add_add(uint32_t txn, int64_t key, int64_t amount) {
  push_mop(txn, MopKind::kAdd, key).value = amount;
}

void History::add_unknown_read(uint32_t txn, int64_t key, bool list) {
  push_mop(txn, MopKind::kRead, key).list = list;
}

void History::add_list_read(uint32_t txn, int64_t key, std::span<const int64_t> elements) {
  Mop& mop = push_mop(txn, MopKind::kRead, key);
  mop.list = true;
  mop.result = ReadResult::kValue;
  mop.list_begin = static_cast<uint32_t>(elements_.size());
  mop.list_size = static_cast<uint32_t>(elements.size());
  elements_.insert(elements_.end(), elements.begin(), elements.end());
}

void History::add_value_read(uint32_t txn, int64_t key, int64_t value) {
  Mop& mop = push_mop(txn, MopKind::kRead, key);
  mop.result = ReadResult::kValue;
  mop.value = value;
}

void History::add_nil_read(uint32_t txn, int64_t key) {
  push_mop(txn, MopKind::kRead, key).result = ReadResult::kNil;
}

void History::complete(uint32_t txn, Outcome outcome, int64_t complete_ns) {
  Transaction& t = transactions_[txn];
  t.outcome = outcome;
  t.complete_ns = complete_ns;
  if (outcome != Outcome::kInfo) return;
  for (uint32_t i = t.mop_begin; i < t.mop_begin + t.mop_count; ++i) {
    if (mops_[i].kind == MopKind::kRead) {
      mops_[i].result = ReadResult::kUnknown;
      mops_[i].list_size = 0;
    }
  }
}

void History::drop_last() {
  const Transaction& last = transactions_.back();
  mops_.resize(last.mop_begin);
  transactions_.pop_back();
}

void History::absorb(History&& other) {
  const auto mop_offset = static_cast<uint32_t>(mops_.size());
  const auto element_offset = static_cast<uint32_t>(elements_.size());
  for (Mop mop : other.mops_) {
    if (mop.list) mop.list_begin += element_offset;
    mops_.push_back(mop);
  }
  elements_.insert(elements_.end(), other.elements_.begin(), other.elements_.end());
  for (Transaction txn : other.transactions_) {
    txn.mop_begin += mop_offset;
    transactions_.push_back(txn);
  }
  other = History();
}

void History::shift_and_widen(int64_t shift_ns, int64_t margin_ns) {
  for (Transaction& txn : transactions_) {
    txn.invoke_ns += shift_ns - margin_ns;
    txn.complete_ns += shift_ns + margin_ns;
  }
  for (NemesisRecord& record : nemesis_) record.time_ns += shift_ns;
}

void History::finish(bool number_lines) {
  std::stable_sort(transactions_.begin(), transactions_.end(),
                   [](const Transaction& a, const Transaction& b) {
                     // Lines already numbered (a file's) order ties.
                     return a.invoke_ns != b.invoke_ns ? a.invoke_ns < b.invoke_ns
                                                       : a.invoke_index < b.invoke_index;
                   });
  std::stable_sort(nemesis_.begin(), nemesis_.end(),
                   [](const NemesisRecord& a, const NemesisRecord& b) {
                     return a.time_ns != b.time_ns ? a.time_ns < b.time_ns : a.index < b.index;
                   });
  if (!number_lines) return;
  // Every line, by time; at one instant an invoke first (neither it nor a
  // completion then precedes the other), then a fault, then a completion.
  enum Kind : uint8_t { kInvoke, kNemesis, kCompletion };
  struct Line {
    int64_t time;
    Kind kind;
    uint32_t id;
  };
  std::vector<Line> lines;
  lines.reserve(2 * transactions_.size() + nemesis_.size());
  for (uint32_t t = 0; t < transactions_.size(); ++t) {
    lines.push_back({transactions_[t].invoke_ns, kInvoke, t});
    lines.push_back({transactions_[t].complete_ns, kCompletion, t});
  }
  for (uint32_t n = 0; n < nemesis_.size(); ++n)
    lines.push_back({nemesis_[n].time_ns, kNemesis, n});
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return a.time != b.time ? a.time < b.time : a.kind < b.kind;
  });
  for (uint64_t i = 0; i < lines.size(); ++i) {
    switch (lines[i].kind) {
      case kInvoke: transactions_[lines[i].id].invoke_index = i; break;
      case kCompletion: transactions_[lines[i].id].complete_index = i; break;
      case kNemesis: nemesis_[lines[i].id].index = i; break;
    }
  }
}

std::string History::key_text(int64_t key) const {
  if (key >= 0 && static_cast<std::size_t>(key) < key_names_.size()) return key_names_[key];
  return std::to_string(key);
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk: return "ok";
    case Outcome::kFail: return "fail";
    case Outcome::kInfo: return "info";
  }
  return "?";
}

}  // namespace consistency
