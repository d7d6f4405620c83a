#include "dependency_graph.h"

namespace consistency {

DependencyGraph DependencyGraph::Builder::build() && {
  DependencyGraph graph;
  graph.offsets_.assign(static_cast<std::size_t>(vertices_) + 1, 0);
  for (const Pending& edge : pending_) ++graph.offsets_[edge.from + 1];
  for (uint32_t v = 0; v < vertices_; ++v) graph.offsets_[v + 1] += graph.offsets_[v];
  graph.edges_.resize(pending_.size());
  std::vector<uint32_t> fill(graph.offsets_.begin(), graph.offsets_.end() - 1);
  for (const Pending& edge : pending_) graph.edges_[fill[edge.from]++] = {edge.to, edge.kind};
  pending_ = {};
  return graph;
}

}  // namespace consistency
