// plugins/consistency/cycle_search.h -- the cycles of a dependency graph,
// one shortest example per anomaly class per strongly connected component.
//
//   CycleSearch search = find_cycles(graph, {.budget = 5'000'000});
//   for (const FoundCycle& c : search.cycles) explain(c.cls, c.vertices, c.kinds);
//
// Three passes, each over the strongly connected components (Tarjan) of a
// larger graph: the data edges (ww, wr, rw) give G0 .. G2-item; adding each
// session's order gives the -process variants, cycles that need such an
// edge; adding real-time order gives the -realtime ones. In each component
// and for each class, a breadth-first search over (transaction, what the
// path has used so far) from every edge a cycle of that class must contain
// finds the shortest such cycle through it; the shortest over the edges
// tried is kept. A search gives up after `budget` visited states: the class
// is then `undecided` in that component, which a verdict must not read as
// absent.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_CYCLE_SEARCH_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_CYCLE_SEARCH_H_

#include <array>
#include <cstdint>
#include <vector>

#include "anomaly.h"
#include "dependency_graph.h"

namespace consistency {

struct CycleSearchLimits {
  uint64_t budget = 5'000'000;  // visited states per component and class
};

// vertices[i] precedes vertices[(i + 1) % n] by an edge of kinds[i].
struct FoundCycle {
  AnomalyClass cls;
  std::vector<uint32_t> vertices;
  std::vector<EdgeKind> kinds;
};

struct CycleSearch {
  std::vector<FoundCycle> cycles;
  // Components in which a class's search ran out of budget, by class.
  std::array<uint32_t, kAnomalyClassCount> undecided{};
  uint32_t components = 0;  // strongly connected components of two or more
  uint32_t largest_component = 0;
};

CycleSearch find_cycles(const DependencyGraph& graph, const CycleSearchLimits& limits);

// The class of a cycle whose edges were taken as `kinds`.
AnomalyClass classify_cycle(const std::vector<EdgeKind>& kinds);

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_CYCLE_SEARCH_H_
