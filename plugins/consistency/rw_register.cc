// The rw-register inference rules, weaker than list-append's (as in Elle).
// Every key holds one integer; writes put values unique per key and reads
// return one value or nil. A read names its writer exactly (wr), but a read
// says nothing about the versions before it, so the version order of a key
// is only partly known, from two facts:
//   - nil, the initial state, precedes every written value;
//   - a committed transaction that read x from a key and then wrote y to it
//     installed y after x (writes follow reads).
// Each such pair x < y gives ww (the writer of x -> the writer of y) and rw
// (every reader of x -> the writer of y). Nil precedes only the values that
// no other fact places after something, which keeps the edges linear; the
// rest follow through ww. Anomalies that need another order (real time,
// sessions) to place two writes are not found: list-append finds them.
#include <algorithm>
#include <limits>

#include "analysis.h"
#include "flat_map.h"
#include "history_text.h"

namespace consistency {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

class RwRegisterAnalysis : public Analysis {
 public:
  explicit RwRegisterAnalysis(const History& history) : history_(history) {
    index_writes();
    check_transactions();
    order_versions();
  }

  void add_edges(DependencyGraph::Builder& builder) const override;
  std::string explain(uint32_t from, uint32_t to, EdgeKind kind) const override;

 private:
  struct Write {
    uint32_t txn;
    bool intermediate = false;
    bool has_predecessor = false;  // some fact places it after another value
  };
  // A committed transaction's first read of a key, and the value it then
  // installed there, if it wrote the key afterwards.
  struct ReadThenWrite {
    uint32_t txn;
    int64_t key;
    ReadResult read;
    int64_t read_value;
    int64_t written;
  };
  // Who read a version: (key, value) -> transactions; nil is kNilValue.
  static constexpr int64_t kNilValue = std::numeric_limits<int64_t>::min();

  const Transaction& txn(uint32_t t) const { return history_.transactions()[t]; }
  bool failed(uint32_t t) const { return txn(t).outcome == Outcome::kFail; }
  std::string name(uint32_t t) const { return transaction_name(history_, t); }
  const Write* write_of(int64_t key, int64_t value) const {
    const uint32_t* index = writes_index_.find(key, value);
    return index ? &writes_[*index] : nullptr;
  }
  static int64_t version(const Mop& read) {
    return read.result == ReadResult::kNil ? kNilValue : read.value;
  }
  std::string version_text(int64_t value) const {
    return value == kNilValue ? "nil" : std::to_string(value);
  }
  // Whether a read is evidence: known, and of a committed transaction.
  bool known(const Transaction& t, const Mop& mop) const {
    return t.outcome == Outcome::kOk && mop.kind == MopKind::kRead &&
           mop.result != ReadResult::kUnknown;
  }

  void report(AnomalyClass cls, std::vector<uint32_t> txns, std::string why) {
    anomalies_.push_back({cls, std::move(txns), {}, std::move(why)});
  }

  void index_writes();
  void check_transactions();
  void order_versions();

  const History& history_;
  FlatPairMap writes_index_;  // (key, value) -> index into writes_
  std::vector<Write> writes_;
  std::vector<ReadThenWrite> read_then_writes_;
  FlatPairMap readers_index_;  // (key, version) -> index into readers_
  std::vector<std::vector<uint32_t>> readers_;
  // Per key (by first appearance), the values with no known predecessor.
  FlatPairMap keys_index_;  // (key, 0) -> index into first_values_
  std::vector<std::pair<int64_t, std::vector<uint32_t>>> first_writers_;
};

void RwRegisterAnalysis::index_writes() {
  std::vector<std::pair<int64_t, uint32_t>> writes;  // (key, write) of one transaction
  const auto& txns = history_.transactions();
  for (uint32_t t = 0; t < txns.size(); ++t) {
    writes.clear();
    for (const Mop& mop : history_.mops(txns[t])) {
      if (mop.kind == MopKind::kAppend || mop.kind == MopKind::kAdd || mop.list) {
        throw HistoryError(describe_transaction(history_, t) +
                           ": not a register operation (w, and r of one value)");
      }
      if (mop.kind != MopKind::kWrite) continue;
      const auto index = static_cast<uint32_t>(writes_.size());
      uint32_t earlier = 0;
      if (!writes_index_.insert(mop.key, mop.value, index, &earlier)) {
        throw HistoryError("value " + std::to_string(mop.value) + " is written to key " +
                           history_.key_text(mop.key) + " twice, by " + name(writes_[earlier].txn) +
                           " and " + name(t) + ": rw-register needs values unique per key");
      }
      writes_.push_back({t});
      writes.emplace_back(mop.key, index);
    }
    mark_intermediate(writes, [&](uint32_t w) { writes_[w].intermediate = true; });
  }
}

void RwRegisterAnalysis::check_transactions() {
  struct Seen {
    int64_t key;
    int64_t value;  // kNilValue for nil
    bool wrote;
    std::size_t read_then_write = kNone;  // its entry in read_then_writes_
  };
  std::vector<Seen> seen;
  const auto& txns = history_.transactions();
  for (uint32_t t = 0; t < txns.size(); ++t) {
    if (txns[t].outcome != Outcome::kOk) continue;
    seen.clear();
    for (const Mop& mop : history_.mops(txns[t])) {
      auto state =
          std::find_if(seen.begin(), seen.end(), [&](const Seen& s) { return s.key == mop.key; });
      if (mop.kind == MopKind::kWrite) {
        if (state == seen.end()) {
          seen.push_back({mop.key, mop.value, true, kNone});
        } else {
          // The first read, then this write: the value it installs comes
          // after the one it read (the last write of the key wins below).
          if (!state->wrote) {
            state->read_then_write = read_then_writes_.size();
            read_then_writes_.push_back(
                {t, mop.key, state->value == kNilValue ? ReadResult::kNil : ReadResult::kValue,
                 state->value, mop.value});
          } else if (state->read_then_write != kNone) {
            read_then_writes_[state->read_then_write].written = mop.value;
          }
          state->value = mop.value;
          state->wrote = true;
        }
        continue;
      }
      if (mop.result == ReadResult::kUnknown) continue;
      const int64_t got = version(mop);
      auto read = [&] {
        return name(t) + " read key " + history_.key_text(mop.key) + " = " + version_text(got);
      };
      if (state != seen.end() && state->value != got) {
        report(AnomalyClass::kInternal, {t},
               name(t) + "'s read of key " + history_.key_text(mop.key) + " should have been " +
                   version_text(state->value) + ", after its own earlier operations on that key");
        break;
      }
      if (state == seen.end()) seen.push_back({mop.key, got, false, kNone});
      uint32_t index = static_cast<uint32_t>(readers_.size()), existing = 0;
      if (readers_index_.insert(mop.key, got, index, &existing)) {
        readers_.push_back({t});
      } else if (readers_[existing].back() != t) {
        readers_[existing].push_back(t);
      }
      if (got == kNilValue) continue;
      const Write* writer = write_of(mop.key, got);
      if (!writer) {
        report(AnomalyClass::kGarbageRead, {t}, read() + ", which no transaction wrote");
      } else if (writer->txn != t && failed(writer->txn)) {
        report(AnomalyClass::kG1a, {writer->txn, t},
               read() + ", written by " + name(writer->txn) + ", which failed (was rolled back)");
      } else if (writer->txn != t && writer->intermediate) {
        report(AnomalyClass::kG1b, {writer->txn, t},
               read() + ", which " + name(writer->txn) +
                   " wrote and then overwrote before it committed: an intermediate state");
      }
    }
  }
  // Lost updates: committed transactions that read the same version of a
  // key first and then wrote it.
  FlatPairMap groups_index;
  std::vector<std::vector<uint32_t>> groups;
  std::vector<const ReadThenWrite*> firsts;
  for (const ReadThenWrite& rw : read_then_writes_) {
    const auto next = static_cast<uint32_t>(groups.size());
    uint32_t existing = 0;
    if (groups_index.insert(rw.key, rw.read_value, next, &existing)) {
      groups.push_back({rw.txn});
      firsts.push_back(&rw);
    } else {
      groups[existing].push_back(rw.txn);
    }
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].size() < 2) continue;
    report(AnomalyClass::kLostUpdate, groups[g],
           names_text(history_, groups[g]) + " all read key " + history_.key_text(firsts[g]->key) +
               " = " + version_text(firsts[g]->read_value) +
               " and then wrote it, and all committed: each update was made without seeing "
               "the others");
  }
}

void RwRegisterAnalysis::order_versions() {
  for (const ReadThenWrite& rw : read_then_writes_) {
    const uint32_t* index = writes_index_.find(rw.key, rw.written);
    if (index && rw.read == ReadResult::kValue) writes_[*index].has_predecessor = true;
  }
  const auto& txns = history_.transactions();
  for (uint32_t t = 0; t < txns.size(); ++t) {
    if (failed(t)) continue;
    for (const Mop& mop : history_.mops(txns[t])) {
      if (mop.kind != MopKind::kWrite) continue;
      const Write& write = *write_of(mop.key, mop.value);
      if (write.intermediate || write.has_predecessor) continue;
      const auto next = static_cast<uint32_t>(first_writers_.size());
      uint32_t existing = 0;
      if (keys_index_.insert(mop.key, 0, next, &existing)) {
        first_writers_.push_back({mop.key, {t}});
      } else {
        first_writers_[existing].second.push_back(t);
      }
    }
  }
}

void RwRegisterAnalysis::add_edges(DependencyGraph::Builder& builder) const {
  auto readers = [&](int64_t key, int64_t value) -> const std::vector<uint32_t>* {
    const uint32_t* index = readers_index_.find(key, value);
    return index ? &readers_[*index] : nullptr;
  };
  // wr: the writer of each value read.
  const auto& txns = history_.transactions();
  for (uint32_t t = 0; t < txns.size(); ++t) {
    for (const Mop& mop : history_.mops(txns[t])) {
      if (!known(txns[t], mop) || mop.result != ReadResult::kValue) continue;
      const Write* writer = write_of(mop.key, mop.value);
      if (writer && !failed(writer->txn)) builder.add(writer->txn, t, kWR);
    }
  }
  // Writes follow reads: x < y.
  for (const ReadThenWrite& rw : read_then_writes_) {
    if (rw.read == ReadResult::kValue) {
      const Write* before = write_of(rw.key, rw.read_value);
      if (before && !failed(before->txn)) builder.add(before->txn, rw.txn, kWW);
    }
    if (const auto* list =
            readers(rw.key, rw.read == ReadResult::kNil ? kNilValue : rw.read_value)) {
      for (uint32_t reader : *list) builder.add(reader, rw.txn, kRW);
    }
  }
  // nil < every value without a known predecessor.
  for (const auto& [key, writers] : first_writers_) {
    const auto* nil_readers = readers(key, kNilValue);
    if (!nil_readers) continue;
    for (uint32_t writer : writers) {
      for (uint32_t reader : *nil_readers) builder.add(reader, writer, kRW);
    }
  }
}

std::string RwRegisterAnalysis::explain(uint32_t from, uint32_t to, EdgeKind kind) const {
  for (const Mop& mop : history_.mops(txn(to))) {
    if (kind == kWR && known(txn(to), mop) && mop.result == ReadResult::kValue) {
      const Write* writer = write_of(mop.key, mop.value);
      if (writer && writer->txn == from) {
        return name(to) + " read key " + history_.key_text(mop.key) + " = " +
               std::to_string(mop.value) + ", which " + name(from) + " wrote";
      }
    }
  }
  for (const ReadThenWrite& rw : read_then_writes_) {
    if (rw.txn != to) continue;
    const std::string key = history_.key_text(rw.key);
    const std::string read_value =
        rw.read == ReadResult::kNil ? "nil" : std::to_string(rw.read_value);
    if (kind == kWW) {
      return name(from) + " wrote key " + key + " = " + read_value + ", and " + name(to) +
             " read that value and then wrote " + std::to_string(rw.written) + " over it";
    }
    for (const Mop& mop : history_.mops(txn(from))) {
      if (mop.kind == MopKind::kRead && mop.key == rw.key && known(txn(from), mop) &&
          version(mop) == (rw.read == ReadResult::kNil ? kNilValue : rw.read_value)) {
        return name(from) + " read key " + key + " = " + read_value + ", and did not see " +
               name(to) + "'s write of " + std::to_string(rw.written) + ", which " + name(to) +
               " made after reading " + read_value;
      }
    }
  }
  for (const Mop& mop : history_.mops(txn(to))) {
    if (kind == kRW && mop.kind == MopKind::kWrite) {
      return name(from) + " read key " + history_.key_text(mop.key) + " = nil, the initial " +
             "state, and did not see " + name(to) + "'s write of " + std::to_string(mop.value);
    }
  }
  return name(from) + " precedes " + name(to) + " (" + edge_name(kind) + ")";
}

}  // namespace

std::unique_ptr<Analysis> analyze_rw_register(const History& history) {
  return std::make_unique<RwRegisterAnalysis>(history);
}

}  // namespace consistency
