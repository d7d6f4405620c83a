#include "checker.h"

#include "order_edges.h"

namespace consistency {

CheckResult check(const History& history, const CheckSettings& settings) {
  CheckResult result;
  for (const Transaction& t : history.transactions()) {
    ++result.transactions;
    result.ok += t.outcome == Outcome::kOk;
    result.failed += t.outcome == Outcome::kFail;
    result.indeterminate += t.outcome == Outcome::kInfo;
  }
  std::unique_ptr<Analysis> analysis = analyze(history, settings.workload, settings.bank);
  DependencyGraph::Builder builder(static_cast<uint32_t>(history.transactions().size()));
  // Data edges are about one per operation; order edges a few per transaction.
  builder.reserve(history.mop_total() * 2 + history.transactions().size() * 8);
  analysis->add_edges(builder);
  add_order_edges(history, builder);
  const DependencyGraph graph = std::move(builder).build();
  result.edges = graph.edge_count();

  CycleSearch search = find_cycles(graph, settings.limits);
  result.components = search.components;
  result.largest_component = search.largest_component;
  result.undecided = search.undecided;
  result.anomalies = analysis->anomalies();
  for (FoundCycle& cycle : search.cycles) {
    Anomaly anomaly{cycle.cls, cycle.vertices, {}, {}};
    for (std::size_t i = 0; i < cycle.vertices.size(); ++i) {
      const uint32_t from = cycle.vertices[i];
      const uint32_t to = cycle.vertices[(i + 1) % cycle.vertices.size()];
      const EdgeKind kind = cycle.kinds[i];
      anomaly.steps.push_back({from, to, kind,
                               (kind & kDataEdges) ? analysis->explain(from, to, kind)
                                                   : explain_order(history, from, to, kind)});
    }
    result.anomalies.push_back(std::move(anomaly));
  }
  for (const Anomaly& anomaly : result.anomalies) ++result.counts[static_cast<int>(anomaly.cls)];
  return result;
}

Verdict judge(const CheckResult& result, const Model& model) {
  Verdict verdict;
  for (const AnomalyInfo& info : kAnomalyInfo) {
    if (!model.forbids(info.cls)) continue;
    const int i = static_cast<int>(info.cls);
    if (result.counts[i] > 0) {
      verdict.found.push_back(info.cls);
    } else if (result.undecided[i] > 0) {
      verdict.undecided.push_back(info.cls);
    }
  }
  return verdict;
}

}  // namespace consistency
