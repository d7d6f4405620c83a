// The list-append inference rules. Every key holds a list; a transaction
// appends values unique per key and reads whole lists. The longest committed
// read of a key gives the key's version order: every other committed read
// must be a prefix of it, and every committed append missing from it came
// after its last element. From that order:
//   wr  the writer of a read's last element -> the reader
//   ww  the writer of an element -> the writer of the next element
//   rw  a reader of a version -> the writer of the element after it
// Only ok and info transactions take part (a failed one never happened).
// The reads of an info transaction are unknown, so an info transaction has
// edges out only when a committed read saw its append.
#include <algorithm>
#include <deque>
#include <limits>
#include <span>

#include "analysis.h"
#include "flat_map.h"
#include "history_text.h"

namespace consistency {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
// The version a read of an empty list saw, in (key, version) maps.
constexpr int64_t kInitialVersion = std::numeric_limits<int64_t>::min();

// A read whose list is known: a list, or nil (no row yet: the empty list,
// as Jepsen's clients report a missing key).
bool known_list(const Mop& mop) {
  return mop.kind == MopKind::kRead &&
         (mop.result == ReadResult::kNil || (mop.result == ReadResult::kValue && mop.list));
}

bool has_repeats(std::span<const int64_t> list) {
  if (list.size() < 2) return false;
  std::vector<int64_t> sorted(list.begin(), list.end());
  std::sort(sorted.begin(), sorted.end());
  return std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
}

class ListAppendAnalysis : public Analysis {
 public:
  explicit ListAppendAnalysis(const History& history) : history_(history) {
    index_writes();
    order_versions();
    check_reads();
    check_internal();
    check_dirty_updates();
    check_lost_updates();
  }

  void add_edges(DependencyGraph::Builder& builder) const override;
  std::string explain(uint32_t from, uint32_t to, EdgeKind kind) const override;

 private:
  struct Write {
    uint32_t txn;
    uint32_t key;  // index into keys_
    int64_t value;
    int32_t position = -1;  // in the key's version order; -1: no committed read saw it
    bool intermediate = false;
  };
  // Per key, spans into flat storage (a history of a million
  // transactions has tens of thousands of keys).
  struct Key {
    int64_t key = 0;
    uint32_t longest_txn = kNone;  // the read that gives the order
    const Mop* longest = nullptr;
    std::span<const int64_t> order;        // the version order, each element once
    std::span<uint32_t> writers;           // per element; kNone: nobody appended it
    std::span<const uint32_t> unobserved;  // ok and info appends missing from `order`
    uint32_t first_failed = kNone;         // position of the first failed append
  };

  const Transaction& txn(uint32_t t) const { return history_.transactions()[t]; }
  bool failed(uint32_t t) const { return t == kNone || txn(t).outcome == Outcome::kFail; }
  std::string name(uint32_t t) const { return transaction_name(history_, t); }
  std::string key_text(const Key& key) const { return history_.key_text(key.key); }

  uint32_t key_id(int64_t key) {
    uint32_t existing = 0;
    const auto next = static_cast<uint32_t>(keys_.size());
    if (!key_ids_.insert(key, 0, next, &existing)) return existing;
    keys_.emplace_back().key = key;
    return next;
  }
  const Key& key_of(const Mop& mop) const { return keys_[*key_ids_.find(mop.key, 0)]; }
  const Write* write_of(int64_t key, int64_t value) const {
    const uint32_t* index = writes_index_.find(key, value);
    return index ? &writes_[*index] : nullptr;
  }

  // A known list read of a committed transaction that fits its key's order
  // (a prefix of it, no element twice): the reads that give edges.
  bool usable(const Transaction& t, const Mop& mop) const {
    return t.outcome == Outcome::kOk && known_list(mop) &&
           !std::binary_search(unusable_.begin(), unusable_.end(), &mop);
  }

  // The transaction that appended the element after position `position`
  // of `key`'s order (-1: after the initial empty list), or the unobserved
  // appends when that is the last element.
  template <typename Each>
  void writers_after(const Key& key, int64_t position, Each&& each) const {
    if (position + 1 < static_cast<int64_t>(key.order.size())) {
      each(key.writers[static_cast<std::size_t>(position + 1)]);
    } else {
      for (uint32_t w : key.unobserved) each(w);
    }
  }

  void report(AnomalyClass cls, std::vector<uint32_t> txns, std::string why) {
    anomalies_.push_back({cls, std::move(txns), {}, std::move(why)});
  }

  void index_writes();
  void order_versions();
  void check_reads();
  void check_internal();
  void check_dirty_updates();
  void check_lost_updates();

  const History& history_;
  FlatPairMap key_ids_;       // (key, 0) -> index into keys_
  FlatPairMap writes_index_;  // (key, value) -> index into writes_
  std::vector<Write> writes_;
  std::vector<Key> keys_;
  std::vector<uint32_t> writer_slots_;             // behind every Key::writers
  std::vector<uint32_t> unobserved_slots_;         // behind every Key::unobserved
  std::deque<std::vector<int64_t>> deduplicated_;  // orders of longest reads with repeats
  std::vector<const Mop*> unusable_;               // sorted: committed reads left out of the edges
};

void ListAppendAnalysis::index_writes() {
  std::vector<std::pair<int64_t, uint32_t>> appends;  // (key, write) of one transaction
  const auto& txns = history_.transactions();
  // About half the operations are appends; each key takes several.
  writes_index_.reserve(history_.mop_total() / 2);
  key_ids_.reserve(history_.mop_total() / 8);
  for (uint32_t t = 0; t < txns.size(); ++t) {
    appends.clear();
    for (const Mop& mop : history_.mops(txns[t])) {
      const bool scalar_read =
          mop.kind == MopKind::kRead && !mop.list && mop.result == ReadResult::kValue;
      if (mop.kind == MopKind::kWrite || mop.kind == MopKind::kAdd || scalar_read) {
        throw HistoryError(describe_transaction(history_, t) +
                           ": not a list-append operation (append, and r of a list)");
      }
      const uint32_t key = key_id(mop.key);
      if (mop.kind != MopKind::kAppend) continue;
      const auto index = static_cast<uint32_t>(writes_.size());
      uint32_t earlier = 0;
      if (!writes_index_.insert(mop.key, mop.value, index, &earlier)) {
        throw HistoryError("value " + std::to_string(mop.value) + " is appended to key " +
                           history_.key_text(mop.key) + " twice, by " + name(writes_[earlier].txn) +
                           " and " + name(t) + ": list-append needs values unique per key");
      }
      writes_.push_back({t, key, mop.value});
      appends.emplace_back(mop.key, index);
    }
    mark_intermediate(appends, [&](uint32_t w) { writes_[w].intermediate = true; });
  }
}

void ListAppendAnalysis::order_versions() {
  const auto& txns = history_.transactions();
  for (uint32_t t = 0; t < txns.size(); ++t) {
    if (txns[t].outcome != Outcome::kOk) continue;
    for (const Mop& mop : history_.mops(txns[t])) {
      if (!known_list(mop)) continue;
      Key& key = keys_[*key_ids_.find(mop.key, 0)];
      if (!key.longest || mop.list_size > key.longest->list_size) {
        key.longest = &mop;
        key.longest_txn = t;
      }
    }
  }
  std::size_t slots = 0;
  for (Key& key : keys_) {
    if (!key.longest) continue;
    std::span<const int64_t> list = history_.list(*key.longest);
    if (has_repeats(list)) {
      std::vector<int64_t>& order = deduplicated_.emplace_back();
      for (int64_t element : list) {
        if (std::find(order.begin(), order.end(), element) == order.end()) order.push_back(element);
      }
      list = order;
    }
    key.order = list;
    slots += list.size();
  }
  writer_slots_.assign(slots, kNone);
  slots = 0;
  for (Key& key : keys_) {
    key.writers = std::span<uint32_t>(writer_slots_.data() + slots, key.order.size());
    slots += key.order.size();
    for (std::size_t i = 0; i < key.order.size(); ++i) {
      const uint32_t* index = writes_index_.find(key.key, key.order[i]);
      if (!index) {
        report(AnomalyClass::kGarbageRead, {key.longest_txn},
               name(key.longest_txn) + " read key " + key_text(key) + " = " +
                   list_text(history_.list(*key.longest)) + ", holding " +
                   std::to_string(key.order[i]) + ", which no transaction appended");
        continue;
      }
      Write& write = writes_[*index];
      write.position = static_cast<int32_t>(i);
      key.writers[i] = write.txn;
      if (key.first_failed == kNone && failed(write.txn)) {
        key.first_failed = static_cast<uint32_t>(i);
      }
    }
  }
  // The unobserved appends, grouped by key (in order of appearance).
  std::vector<std::pair<uint32_t, uint32_t>> unobserved;  // (key, writer)
  for (const Write& write : writes_) {
    if (write.position < 0 && !failed(write.txn)) unobserved.emplace_back(write.key, write.txn);
  }
  std::stable_sort(unobserved.begin(), unobserved.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  unobserved_slots_.reserve(unobserved.size());
  for (const auto& [key, writer] : unobserved) unobserved_slots_.push_back(writer);
  for (std::size_t i = 0; i < unobserved.size();) {
    std::size_t end = i;
    while (end < unobserved.size() && unobserved[end].first == unobserved[i].first) ++end;
    keys_[unobserved[i].first].unobserved =
        std::span<const uint32_t>(unobserved_slots_.data() + i, end - i);
    i = end;
  }
}

void ListAppendAnalysis::check_reads() {
  const auto& txns = history_.transactions();
  for (uint32_t t = 0; t < txns.size(); ++t) {
    if (txns[t].outcome != Outcome::kOk) continue;
    for (const Mop& mop : history_.mops(txns[t])) {
      if (!known_list(mop)) continue;
      const Key& key = key_of(mop);
      std::span<const int64_t> list = history_.list(mop);
      auto read = [&] { return name(t) + " read key " + key_text(key) + " = " + list_text(list); };
      // A prefix of the order holds no element twice, as the order does not.
      const bool prefix = list.size() <= key.order.size() &&
                          std::equal(list.begin(), list.end(), key.order.begin());
      if (!prefix && has_repeats(list)) {
        report(AnomalyClass::kDuplicateElements, {t}, read() + ", which holds an element twice");
        unusable_.push_back(&mop);
        continue;
      }
      if (!prefix) {
        report(AnomalyClass::kIncompatibleOrder, {t, key.longest_txn},
               read() + ", but " + name(key.longest_txn) + " read it as " +
                   list_text(history_.list(*key.longest)) +
                   ": neither is a prefix of the other, so no single order of appends explains "
                   "both");
        unusable_.push_back(&mop);
        continue;
      }
      if (key.first_failed < list.size()) {
        const uint32_t writer = key.writers[key.first_failed];
        report(AnomalyClass::kG1a, {writer, t},
               read() + ", which holds " + std::to_string(key.order[key.first_failed]) +
                   ", appended by " + name(writer) + ", which failed (was rolled back)");
      }
      if (list.empty()) continue;
      const uint32_t last_writer = key.writers[list.size() - 1];
      if (last_writer == kNone || last_writer == t || failed(last_writer)) continue;
      const Write* last = write_of(key.key, list.back());
      if (last->intermediate) {
        report(AnomalyClass::kG1b, {last->txn, t},
               read() + ", whose last element " + std::to_string(list.back()) +
                   " was appended by " + name(last->txn) + ", which appended to key " +
                   key_text(key) + " again before it committed: an intermediate state");
      }
    }
  }
  std::sort(unusable_.begin(), unusable_.end());
}

void ListAppendAnalysis::check_internal() {
  // Per key, what the transaction must see next: the whole list, or (before
  // it read the key) only the tail it appended itself.
  struct Expected {
    int64_t key;
    bool whole;
    std::vector<int64_t> elements;
  };
  std::vector<Expected> expected;
  const auto& txns = history_.transactions();
  for (uint32_t t = 0; t < txns.size(); ++t) {
    if (txns[t].outcome != Outcome::kOk || txns[t].mop_count < 2) continue;
    std::span<const Mop> mops = history_.mops(txns[t]);
    bool repeats_key = false;
    for (std::size_t i = 1; i < mops.size() && !repeats_key; ++i) {
      for (std::size_t j = 0; j < i && !repeats_key; ++j) repeats_key = mops[i].key == mops[j].key;
    }
    if (!repeats_key) continue;
    expected.clear();
    for (const Mop& mop : history_.mops(txns[t])) {
      auto state = std::find_if(expected.begin(), expected.end(),
                                [&](const Expected& e) { return e.key == mop.key; });
      if (mop.kind == MopKind::kAppend) {
        if (state == expected.end()) {
          expected.push_back({mop.key, false, {mop.value}});
        } else {
          state->elements.push_back(mop.value);
        }
        continue;
      }
      if (!known_list(mop)) continue;
      std::span<const int64_t> list = history_.list(mop);
      if (state != expected.end()) {
        const std::vector<int64_t>& want = state->elements;
        const bool fits =
            state->whole ? std::equal(list.begin(), list.end(), want.begin(), want.end())
                         : list.size() >= want.size() &&
                               std::equal(want.begin(), want.end(),
                                          list.end() - static_cast<std::ptrdiff_t>(want.size()));
        if (!fits) {
          report(AnomalyClass::kInternal, {t},
                 name(t) + "'s read of key " + history_.key_text(mop.key) + " should have been " +
                     (state->whole ? "" : "[... ") +
                     (state->whole ? list_text(want) : list_text(want).substr(1)) +
                     ", after its own earlier operations on that key");
          break;
        }
        state->whole = true;
        state->elements.assign(list.begin(), list.end());
      } else {
        expected.push_back({mop.key, true, {list.begin(), list.end()}});
      }
    }
  }
}

void ListAppendAnalysis::check_dirty_updates() {
  for (const Key& key : keys_) {
    if (key.first_failed == kNone) continue;
    uint32_t aborted = kNone;  // the last failed append since a committed one
    for (uint32_t writer : key.writers) {
      if (writer == kNone) continue;
      const Outcome outcome = txn(writer).outcome;
      if (outcome == Outcome::kFail) {
        aborted = writer;
      } else if (outcome == Outcome::kOk && aborted != kNone) {
        report(AnomalyClass::kDirtyUpdate, {aborted, writer},
               name(writer) + " appended to key " + key_text(key) + " after " + name(aborted) +
                   "'s append in the version order " + list_text(key.order) + ", but " +
                   name(aborted) + " failed: a committed write built on a rolled-back one");
        aborted = kNone;
      }
    }
  }
}

void ListAppendAnalysis::check_lost_updates() {
  // (key, version read) -> the committed transactions that read that
  // version of the key first and then appended to it.
  struct Group {
    const Mop* read;  // the first member's
    std::vector<uint32_t> txns;
  };
  FlatPairMap groups_index;
  std::vector<Group> groups;
  const auto& txns = history_.transactions();
  std::vector<int64_t> touched;  // keys this transaction used already
  for (uint32_t t = 0; t < txns.size(); ++t) {
    if (txns[t].outcome != Outcome::kOk) continue;
    touched.clear();
    std::span<const Mop> mops = history_.mops(txns[t]);
    for (std::size_t i = 0; i < mops.size(); ++i) {
      const Mop& read = mops[i];
      const bool first_touch = std::find(touched.begin(), touched.end(), read.key) == touched.end();
      if (first_touch) touched.push_back(read.key);
      if (!first_touch || read.kind != MopKind::kRead || !usable(txns[t], read)) continue;
      const bool appends_later = std::any_of(
          mops.begin() + static_cast<std::ptrdiff_t>(i) + 1, mops.end(),
          [&](const Mop& m) { return m.kind == MopKind::kAppend && m.key == read.key; });
      if (!appends_later) continue;
      std::span<const int64_t> list = history_.list(read);
      const int64_t version = list.empty() ? kInitialVersion : list.back();
      const auto next = static_cast<uint32_t>(groups.size());
      uint32_t existing = 0;
      if (groups_index.insert(read.key, version, next, &existing)) {
        groups.push_back({&read, {t}});
      } else {
        groups[existing].txns.push_back(t);
      }
    }
  }
  for (const Group& group : groups) {
    if (group.txns.size() < 2) continue;
    report(AnomalyClass::kLostUpdate, group.txns,
           names_text(history_, group.txns) + " all read key " +
               history_.key_text(group.read->key) + " = " + list_text(history_.list(*group.read)) +
               " and then appended to it, and all committed: each update was made without "
               "seeing the others");
  }
}

void ListAppendAnalysis::add_edges(DependencyGraph::Builder& builder) const {
  const auto& txns = history_.transactions();
  for (uint32_t t = 0; t < txns.size(); ++t) {
    for (const Mop& mop : history_.mops(txns[t])) {
      if (!usable(txns[t], mop)) continue;
      const Key& key = key_of(mop);
      const auto last = static_cast<int64_t>(mop.list_size) - 1;
      if (last >= 0) {
        const uint32_t writer = key.writers[static_cast<std::size_t>(last)];
        if (!failed(writer)) builder.add(writer, t, kWR);
      }
      writers_after(key, last, [&](uint32_t next) {
        if (!failed(next)) builder.add(t, next, kRW);
      });
    }
  }
  for (const Key& key : keys_) {
    for (std::size_t i = 0; i < key.order.size(); ++i) {
      const uint32_t writer = key.writers[i];
      if (failed(writer)) continue;
      writers_after(key, static_cast<int64_t>(i), [&](uint32_t next) {
        if (!failed(next)) builder.add(writer, next, kWW);
      });
    }
  }
}

std::string ListAppendAnalysis::explain(uint32_t from, uint32_t to, EdgeKind kind) const {
  // The position before `write` in its key's order: its predecessor's.
  auto previous = [&](const Write& write) -> int64_t {
    const Key& key = keys_[write.key];
    return write.position >= 0 ? write.position - 1 : static_cast<int64_t>(key.order.size()) - 1;
  };
  auto version_text = [&](const Key& key, int64_t position) {
    return position < 0 ? std::string("the empty list")
                        : "the version ending in " + std::to_string(key.order[position]);
  };
  if (kind == kWR) {
    for (const Mop& mop : history_.mops(txn(to))) {
      if (!usable(txn(to), mop) || mop.list_size == 0) continue;
      const Key& key = key_of(mop);
      if (key.writers[mop.list_size - 1] != from) continue;
      return name(to) + " read key " + key_text(key) + " = " + list_text(history_.list(mop)) +
             ", whose last element " + std::to_string(key.order[mop.list_size - 1]) +
             " was appended by " + name(from);
    }
  }
  for (const Mop& mop : history_.mops(txn(to))) {
    if (mop.kind != MopKind::kAppend) continue;
    const Write& write = *write_of(mop.key, mop.value);
    const Key& key = keys_[write.key];
    const int64_t before = previous(write);
    const std::string place =
        write.position >= 0
            ? "right after it"
            : "after it (no committed read saw it, so it follows every element read)";
    if (kind == kWW && before >= 0 && key.writers[before] == from) {
      return name(from) + " appended " + std::to_string(key.order[before]) + " to key " +
             key_text(key) + ", and " + name(to) + " appended " + std::to_string(mop.value) + " " +
             place + "; the order of key " + key_text(key) + " is " + list_text(key.order) +
             (key.longest ? " (read by " + name(key.longest_txn) + ")" : "");
    }
    if (kind != kRW) continue;
    for (const Mop& read : history_.mops(txn(from))) {
      if (!usable(txn(from), read) || read.key != mop.key) continue;
      if (static_cast<int64_t>(read.list_size) - 1 != before) continue;
      return name(from) + " read key " + key_text(key) + " = " + list_text(history_.list(read)) +
             ", " + version_text(key, before) + ", and did not see " + name(to) + "'s append of " +
             std::to_string(mop.value) + ", which came " + place;
    }
  }
  return name(from) + " precedes " + name(to) + " (" + edge_name(kind) + ")";
}

}  // namespace

std::unique_ptr<Analysis> analyze_list_append(const History& history) {
  return std::make_unique<ListAppendAnalysis>(history);
}

}  // namespace consistency
