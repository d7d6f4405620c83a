#include "simulated_database.h"

#include <algorithm>
#include <map>
#include <random>
#include <unordered_map>
#include <vector>

namespace simulation {
namespace {

using consistency::History;
using consistency::Outcome;

struct Op {
  bool append;
  int64_t key;
  int64_t value = 0;          // append
  std::vector<int64_t> list;  // read: what it returned
};

struct Txn {
  uint32_t process;
  int64_t invoke, commit, complete;
  Outcome outcome;
  bool applied;  // its appends took effect (ok, or an info that committed)
  std::vector<Op> ops;
};

struct KeyPicker {
  std::vector<int64_t> active;
  std::vector<int> writes;
  int64_t next_key = 0;
  int max_writes;

  KeyPicker(int64_t keys, int max) : max_writes(max) {
    for (int64_t k = 0; k < keys; ++k) {
      active.push_back(next_key++);
      writes.push_back(0);
    }
  }
  // A key for an append, retired (replaced by a fresh one) after max_writes.
  int64_t for_append(std::mt19937_64& rng) {
    const std::size_t i = rng() % active.size();
    const int64_t key = active[i];
    if (++writes[i] >= max_writes) {
      active[i] = next_key++;
      writes[i] = 0;
    }
    return key;
  }
  int64_t for_read(std::mt19937_64& rng) { return active[rng() % active.size()]; }
};

std::vector<Txn> plan(const SimulationSettings& s, std::mt19937_64& rng) {
  std::uniform_int_distribution<int64_t> gap(1, 10), run(1, 50);
  std::uniform_int_distribution<int> length(s.min_length, s.max_length);
  std::uniform_real_distribution<double> chance(0, 1);
  KeyPicker keys(s.keys, s.max_writes_per_key);
  std::unordered_map<int64_t, int64_t> next_value;
  std::vector<int64_t> free_at(static_cast<std::size_t>(s.processes), 0);
  std::vector<uint32_t> process_id(static_cast<std::size_t>(s.processes));
  for (int p = 0; p < s.processes; ++p) process_id[p] = static_cast<uint32_t>(p);
  std::vector<Txn> txns;
  txns.reserve(static_cast<std::size_t>(s.transactions));
  for (int64_t n = 0; n < s.transactions; ++n) {
    // The process free first invokes next.
    const auto p = static_cast<std::size_t>(std::min_element(free_at.begin(), free_at.end()) -
                                            free_at.begin());
    Txn txn;
    txn.process = process_id[p];
    txn.invoke = free_at[p] + gap(rng);
    txn.commit = txn.invoke + run(rng);
    txn.complete = txn.commit + run(rng);
    free_at[p] = txn.complete;
    const double fate = chance(rng);
    txn.outcome = fate < s.fail_rate                 ? Outcome::kFail
                  : fate < s.fail_rate + s.info_rate ? Outcome::kInfo
                                                     : Outcome::kOk;
    txn.applied = txn.outcome == Outcome::kOk || (txn.outcome == Outcome::kInfo && rng() % 2);
    // After an unknown outcome, the process continues as a new one.
    if (txn.outcome == Outcome::kInfo) process_id[p] += static_cast<uint32_t>(s.processes);
    for (int i = length(rng); i > 0; --i) {
      if (rng() % 2) {
        const int64_t key = keys.for_append(rng);
        txn.ops.push_back({true, key, ++next_value[key], {}});
      } else {
        txn.ops.push_back({false, keys.for_read(rng), 0, {}});
      }
    }
    txns.push_back(std::move(txn));
  }
  return txns;
}

// Runs every transaction atomically at its commit point, in time order.
void execute(std::vector<Txn>& txns) {
  std::vector<std::size_t> order(txns.size());
  for (std::size_t t = 0; t < txns.size(); ++t) order[t] = t;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return txns[a].commit < txns[b].commit; });
  std::unordered_map<int64_t, std::vector<int64_t>> state;
  for (std::size_t t : order) {
    Txn& txn = txns[t];
    std::unordered_map<int64_t, std::vector<int64_t>> own;  // the state as this transaction sees it
    for (Op& op : txn.ops) {
      auto it = own.find(op.key);
      if (it == own.end()) it = own.emplace(op.key, state[op.key]).first;
      if (op.append) {
        it->second.push_back(op.value);
      } else {
        op.list = it->second;
      }
    }
    if (!txn.applied) continue;
    for (const Op& op : txn.ops) {
      if (op.append) state[op.key].push_back(op.value);
    }
  }
}

// The read of a committed transaction that is the first operation on its
// key and is followed by an append to it, if there is one.
Op* read_then_append(Txn& txn) {
  if (txn.outcome != Outcome::kOk) return nullptr;
  for (std::size_t i = 0; i < txn.ops.size(); ++i) {
    Op& op = txn.ops[i];
    bool first = true, appends = false;
    for (std::size_t j = 0; j < txn.ops.size(); ++j) {
      if (txn.ops[j].key != op.key) continue;
      first = first && j >= i;
      appends = appends || (j > i && txn.ops[j].append);
    }
    if (!op.append && first && appends) return &op;
  }
  return nullptr;
}

// Applies a bug that edits the recorded history after the fact.
void edit(std::vector<Txn>& txns, Bug bug) {
  if (bug == Bug::kLostUpdate) {
    std::map<int64_t, const Op*> earlier;  // by key
    for (Txn& txn : txns) {
      Op* read = read_then_append(txn);
      if (!read) continue;
      auto [it, fresh] = earlier.try_emplace(read->key, read);
      if (!fresh && it->second->list.size() < read->list.size()) {
        read->list = it->second->list;
        return;
      }
    }
    return;
  }
  std::map<std::pair<int64_t, int64_t>, std::size_t> writer;
  for (std::size_t t = 0; t < txns.size(); ++t) {
    for (const Op& op : txns[t].ops) {
      if (op.append) writer[{op.key, op.value}] = t;
    }
  }
  for (std::size_t t = 0; t < txns.size(); ++t) {
    Txn& txn = txns[t];
    if (txn.outcome != Outcome::kOk) continue;
    for (std::size_t i = 0; i < txn.ops.size(); ++i) {
      Op& op = txn.ops[i];
      if (op.append || op.list.empty()) continue;
      const std::size_t w = writer[{op.key, op.list.back()}];
      if (w == t) continue;
      if (bug == Bug::kAbortedRead && txns[w].outcome == Outcome::kOk) {
        txns[w].outcome = Outcome::kFail;
        return;
      }
      if (bug == Bug::kSwappedOrder && op.list.size() >= 2) {
        std::swap(op.list[op.list.size() - 1], op.list[op.list.size() - 2]);
        return;
      }
      if (bug == Bug::kStaleRead && txns[w].outcome == Outcome::kOk &&
          txns[w].complete < txn.invoke) {
        op.list.pop_back();
        return;
      }
    }
  }
}

}  // namespace

History simulate(const SimulationSettings& settings) {
  std::mt19937_64 rng(settings.seed);
  std::vector<Txn> txns = plan(settings, rng);
  execute(txns);
  edit(txns, settings.bug);
  History history;
  for (const Txn& txn : txns) {
    const uint32_t t =
        history.begin_transaction(consistency::Function::kTxn, txn.process, txn.invoke);
    for (const Op& op : txn.ops) {
      if (op.append) {
        history.add_append(t, op.key, op.value);
      } else {
        history.add_list_read(t, op.key, op.list);
      }
    }
    history.complete(t, txn.outcome, txn.complete);
  }
  history.finish();
  return history;
}

}  // namespace simulation
