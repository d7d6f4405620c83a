// plugins/consistency/analysis.h -- what a workload's inference rules give
// the checker: the anomalies found without a cycle, the dependency edges
// between transactions, and the words for each edge.
//
//   std::unique_ptr<Analysis> analysis = analyze(history, Workload::kListAppend);
//   analysis->add_edges(builder);              // ww, wr, rw
//   std::string why = analysis->explain(t1, t2, kRW);
//
// Transactions are named by their position in History::transactions().
// Thread safety: none; an analysis reads its history, which must outlive it.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_ANALYSIS_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_ANALYSIS_H_

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "anomaly.h"
#include "dependency_graph.h"
#include "history.h"

namespace consistency {

// A history the workload's rules cannot check: a value appended or written
// twice to one key, an operation of another workload.
class HistoryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Workload { kListAppend, kRwRegister, kBank };
const char* workload_name(Workload workload);  // "list-append", "rw-register", "bank"

// The classes the workload's rules can find, in report order.
std::vector<AnomalyClass> checked_classes(Workload workload);

class Analysis {
 public:
  virtual ~Analysis() = default;
  const std::vector<Anomaly>& anomalies() const { return anomalies_; }
  virtual void add_edges(DependencyGraph::Builder& builder) const = 0;
  // Why `from` precedes `to` by an edge of `kind` that add_edges added.
  virtual std::string explain(uint32_t from, uint32_t to, EdgeKind kind) const = 0;

 protected:
  std::vector<Anomaly> anomalies_;
};

struct BankSettings {
  int64_t accounts = 0;
  int64_t total = 0;  // what every complete read adds up to
};

// Of the (key, write) pairs of one transaction, in the order it wrote them,
// calls intermediate(write) for every write that was not its last to that
// key: a state no other transaction should ever see. Reorders `writes`.
template <typename Mark>
void mark_intermediate(std::vector<std::pair<int64_t, uint32_t>>& writes, Mark&& intermediate) {
  if (writes.size() < 2) return;
  std::stable_sort(writes.begin(), writes.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i + 1 < writes.size(); ++i) {
    if (writes[i].first == writes[i + 1].first) intermediate(writes[i].second);
  }
}

// Throws HistoryError.
std::unique_ptr<Analysis> analyze(const History& history, Workload workload,
                                  const BankSettings& bank = {});

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_ANALYSIS_H_
