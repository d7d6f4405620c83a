// plugins/consistency/dependency_graph.h -- the graph of transactions and
// the dependencies between them, in compressed sparse rows: each vertex's
// successors in one run, each edge with its kinds (EdgeKind bits). A pair
// may appear more than once (with different kinds, or from several reads);
// the searches take each as it comes.
//
//   DependencyGraph::Builder builder(transaction_count);
//   builder.add(t1, t2, kWR);          // t2 read what t1 wrote
//   DependencyGraph graph = std::move(builder).build();
//   for (auto [to, kinds] : graph.out(t1)) ...
//
// Building sorts by counting (linear in the edges), so a history of a
// million transactions and tens of millions of edges builds in well under
// a second. Thread safety: none while building; a built graph is immutable.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_DEPENDENCY_GRAPH_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_DEPENDENCY_GRAPH_H_

#include <cstdint>
#include <span>
#include <vector>

#include "anomaly.h"

namespace consistency {

class DependencyGraph {
 public:
  struct Edge {
    uint32_t to;
    uint8_t kinds;
  };

  class Builder {
   public:
    explicit Builder(uint32_t vertices) : vertices_(vertices) {}
    void reserve(std::size_t edges) { pending_.reserve(edges); }
    // Self-edges are ignored: a transaction does not depend on itself.
    void add(uint32_t from, uint32_t to, EdgeKind kind) {
      if (from != to) pending_.push_back({from, to, kind});
    }
    DependencyGraph build() &&;

   private:
    struct Pending {
      uint32_t from, to;
      uint8_t kind;
    };
    uint32_t vertices_;
    std::vector<Pending> pending_;
  };

  uint32_t vertex_count() const { return static_cast<uint32_t>(offsets_.size()) - 1; }
  std::size_t edge_count() const { return edges_.size(); }
  std::span<const Edge> out(uint32_t vertex) const {
    return {edges_.data() + offsets_[vertex], offsets_[vertex + 1] - offsets_[vertex]};
  }

 private:
  std::vector<uint32_t> offsets_{0};
  std::vector<Edge> edges_;
};

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_DEPENDENCY_GRAPH_H_
