#include "order_edges.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <unordered_map>
#include <vector>

#include "history_text.h"

namespace consistency {

void add_order_edges(const History& history, DependencyGraph::Builder& builder) {
  constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  const auto& txns = history.transactions();
  const auto n = static_cast<uint32_t>(txns.size());

  // Process order: each committed transaction after its process's previous
  // one. Processes are numbered densely by a recorded run (a new number
  // after each info); a file may number them any way, so sparse numbers
  // go through a map.
  std::vector<uint32_t> process_previous(n, kNone);
  uint32_t highest = 0;
  for (const Transaction& txn : txns) highest = std::max(highest, txn.process);
  std::vector<uint32_t> dense_last(highest <= 4 * n + 1024 ? highest + 1 : 0, kNone);
  std::unordered_map<uint32_t, uint32_t> sparse_last;
  for (uint32_t t = 0; t < n; ++t) {
    if (txns[t].outcome != Outcome::kOk) continue;
    uint32_t& last = dense_last.empty()
                         ? sparse_last.try_emplace(txns[t].process, kNone).first->second
                         : dense_last[txns[t].process];
    if (last != kNone) {
      builder.add(last, t, kProcessOrder);
      process_previous[t] = last;
    }
    last = t;
  }

  // Real time: invokes in order (the transactions are), completions of
  // committed transactions merged in; an invoke goes before a completion
  // of the same instant, so that neither is said to precede the other.
  std::vector<uint32_t> completions;
  for (uint32_t t = 0; t < n; ++t) {
    if (txns[t].outcome == Outcome::kOk) completions.push_back(t);
  }
  std::stable_sort(completions.begin(), completions.end(), [&](uint32_t a, uint32_t b) {
    return txns[a].complete_ns < txns[b].complete_ns;
  });
  std::vector<uint32_t> frontier;  // completed, and followed by no later completion
  std::size_t next = 0;
  for (uint32_t t = 0; t < n; ++t) {
    while (next < completions.size() && txns[completions[next]].complete_ns < txns[t].invoke_ns) {
      const uint32_t done = completions[next++];
      const int64_t began = txns[done].invoke_ns;
      std::erase_if(frontier, [&](uint32_t f) { return txns[f].complete_ns < began; });
      frontier.push_back(done);
    }
    if (txns[t].outcome == Outcome::kFail) continue;
    for (uint32_t f : frontier) {
      if (process_previous[t] != f) builder.add(f, t, kRealtimeOrder);
    }
  }
}

std::string explain_order(const History& history, uint32_t from, uint32_t to, EdgeKind kind) {
  const Transaction& a = history.transactions()[from];
  const Transaction& b = history.transactions()[to];
  if (kind == kProcessOrder) {
    return transaction_name(history, to) + " ran after " + transaction_name(history, from) +
           " on process " + std::to_string(a.process) + ", one transaction at a time";
  }
  char text[160];
  std::snprintf(text, sizeof(text), "%s completed at %.6f s, before %s began at %.6f s",
                transaction_name(history, from).c_str(), static_cast<double>(a.complete_ns) / 1e9,
                transaction_name(history, to).c_str(), static_cast<double>(b.invoke_ns) / 1e9);
  return text;
}

}  // namespace consistency
