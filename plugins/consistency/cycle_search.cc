#include "cycle_search.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace consistency {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr uint8_t kOrderEdges = kProcessOrder | kRealtimeOrder;

// The strongly connected components of two or more vertices of the
// subgraph whose edges have a kind in `mask` (Tarjan's algorithm, with an
// explicit stack: components can be as deep as the history is long).
struct Components {
  std::vector<uint32_t> id;  // per vertex; kNone outside every component
  std::vector<std::vector<uint32_t>> members;
};

Components strongly_connected(const DependencyGraph& graph, uint8_t mask) {
  const uint32_t n = graph.vertex_count();
  Components out;
  out.id.assign(n, kNone);
  std::vector<uint32_t> index(n, kNone), low(n, 0);
  std::vector<uint8_t> on_stack(n, 0);
  std::vector<uint32_t> stack;
  struct Frame {
    uint32_t vertex;
    uint32_t next_edge;
  };
  std::vector<Frame> calls;
  uint32_t counter = 0;
  auto visit = [&](uint32_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = 1;
    calls.push_back({v, 0});
  };
  for (uint32_t root = 0; root < n; ++root) {
    if (index[root] != kNone) continue;
    visit(root);
    while (!calls.empty()) {
      const uint32_t v = calls.back().vertex;
      std::span<const DependencyGraph::Edge> edges = graph.out(v);
      bool descended = false;
      while (calls.back().next_edge < edges.size()) {
        const DependencyGraph::Edge& edge = edges[calls.back().next_edge++];
        if (!(edge.kinds & mask)) continue;
        if (index[edge.to] == kNone) {
          visit(edge.to);
          descended = true;
          break;
        }
        if (on_stack[edge.to]) low[v] = std::min(low[v], index[edge.to]);
      }
      if (descended) continue;
      if (low[v] == index[v] && stack.back() == v) {
        // A component of one (nearly every vertex of a valid history).
        stack.pop_back();
        on_stack[v] = 0;
      } else if (low[v] == index[v]) {
        std::vector<uint32_t> members;
        uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          members.push_back(w);
        } while (w != v);
        for (uint32_t m : members) out.id[m] = static_cast<uint32_t>(out.members.size());
        std::sort(members.begin(), members.end());
        out.members.push_back(std::move(members));
      }
      calls.pop_back();
      if (!calls.empty()) {
        const uint32_t parent = calls.back().vertex;
        low[parent] = std::min(low[parent], low[v]);
      }
    }
  }
  return out;
}

// What a search looks for: a class, the edges it may use, the order edge
// (none, process, or real time) it must use, and the kinds of edge every
// such cycle contains, to start from.
struct Pattern {
  AnomalyClass data_class;  // kG0 .. kG2Item
  uint8_t allowed;
  uint8_t order;
  uint8_t start;
};

Pattern make_pattern(AnomalyClass data_class, CycleOrder order) {
  Pattern p{data_class, kDataEdges, 0, kRW};
  if (data_class == AnomalyClass::kG0) p.allowed = kWW, p.start = kWW;
  if (data_class == AnomalyClass::kG1c) p.allowed = kWW | kWR, p.start = kWR;
  if (order == CycleOrder::kProcess) p.order = kProcessOrder;
  if (order == CycleOrder::kRealtime) p.order = kRealtimeOrder;
  if (p.order) {
    p.allowed |= kProcessOrder | p.order;
    p.start = p.order;
  }
  return p;
}

// What a path has used so far, in six bits: whether its last edge was rw,
// how many rw edges (0, 1, 2 or more), whether two rw edges were adjacent,
// whether it used a wr edge and the pattern's order edge.
struct PathState {
  bool last_rw = false;
  int rw = 0;
  bool adjacent = false, wr = false, order = false;

  static PathState decode(uint8_t bits) {
    return {(bits & 1) != 0, (bits >> 1) & 3, (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0};
  }
  uint8_t encode() const {
    return static_cast<uint8_t>(last_rw | rw << 1 | adjacent << 3 | wr << 4 | order << 5);
  }
};

// The state after taking an edge as `kind`, or nullopt when the pattern
// cannot continue that way.
std::optional<PathState> step(PathState s, EdgeKind kind, const Pattern& p) {
  if (kind == kRW) {
    if (p.data_class == AnomalyClass::kGSingle && s.rw >= 1) return std::nullopt;
    if (p.data_class == AnomalyClass::kGNonadjacent && s.last_rw) return std::nullopt;
    s.adjacent = s.adjacent || s.last_rw;
    s.rw = std::min(s.rw + 1, 2);
    s.last_rw = true;
    return s;
  }
  s.last_rw = false;
  s.wr = s.wr || kind == kWR;
  s.order = s.order || kind == p.order;
  return s;
}

// Whether a path back to the start edge's tail closes a cycle of the class;
// `start` is the kind the start edge was taken as (it follows the path).
bool closes(const PathState& s, EdgeKind start, const Pattern& p) {
  if (p.order && !s.order) return false;
  const bool adjacent = s.adjacent || (start == kRW && s.last_rw);
  switch (p.data_class) {
    case AnomalyClass::kG0: return s.rw == 0;
    case AnomalyClass::kG1c: return s.rw == 0 && s.wr;
    case AnomalyClass::kGSingle: return s.rw == 1;
    case AnomalyClass::kGNonadjacent: return s.rw == 2 && !adjacent;
    case AnomalyClass::kG2Item: return s.rw == 2 && adjacent;
    default: return false;
  }
}

// The ways an edge of `kinds` may be taken: as wr (or else ww), as rw, and
// as an order edge (the pattern's own kind first).
template <typename Take>
void for_each_kind(uint8_t kinds, const Pattern& p, Take&& take) {
  kinds &= p.allowed;
  if (kinds & kWR) {
    take(kWR);
  } else if (kinds & kWW) {
    take(kWW);
  }
  if (kinds & kRW) take(kRW);
  if (kinds & kOrderEdges) {
    take(p.order && (kinds & p.order) ? static_cast<EdgeKind>(p.order)
         : (kinds & kProcessOrder)    ? kProcessOrder
                                      : kRealtimeOrder);
  }
}

// A closed walk split into simple cycles (a vertex met twice cuts it).
std::vector<FoundCycle> simple_cycles(FoundCycle walk) {
  std::vector<FoundCycle> cycles;
  for (std::size_t end = 1; end < walk.vertices.size(); ++end) {
    auto first = std::find(walk.vertices.begin(), walk.vertices.begin() + end, walk.vertices[end]);
    if (first == walk.vertices.begin() + end) continue;
    const auto begin = static_cast<std::size_t>(first - walk.vertices.begin());
    FoundCycle inner;
    inner.vertices.assign(walk.vertices.begin() + begin, walk.vertices.begin() + end);
    inner.kinds.assign(walk.kinds.begin() + begin, walk.kinds.begin() + end);
    inner.cls = classify_cycle(inner.kinds);
    walk.vertices.erase(walk.vertices.begin() + begin, walk.vertices.begin() + end);
    walk.kinds.erase(walk.kinds.begin() + begin, walk.kinds.begin() + end);
    cycles.push_back(std::move(inner));
    end = begin;
  }
  walk.cls = classify_cycle(walk.kinds);
  cycles.push_back(std::move(walk));
  return cycles;
}

class Searcher {
 public:
  Searcher(const DependencyGraph& graph, const Components& components, uint64_t budget)
      : graph_(graph), components_(components), budget_(budget), visited_(graph.vertex_count()) {}

  // The shortest cycles found in component `c`, by class: the pattern's
  // own and any other that a closed walk split into. `undecided` is set
  // when the budget ran out before any cycle of the pattern's class.
  void search(uint32_t c, const Pattern& pattern, std::vector<FoundCycle>* best, bool* undecided) {
    uint64_t spent = 0;
    const AnomalyClass wanted =
        cycle_class(pattern.data_class, pattern.order == kProcessOrder    ? CycleOrder::kProcess
                                        : pattern.order == kRealtimeOrder ? CycleOrder::kRealtime
                                                                          : CycleOrder::kData);
    auto best_length = [&]() -> std::size_t {
      for (const FoundCycle& cycle : *best) {
        if (cycle.cls == wanted) return cycle.vertices.size();
      }
      return std::numeric_limits<std::size_t>::max();
    };
    for (uint32_t a : components_.members[c]) {
      for (const DependencyGraph::Edge& edge : graph_.out(a)) {
        if (components_.id[edge.to] != c || !(edge.kinds & pattern.start)) continue;
        if (best_length() <= 2) return;
        if (spent > budget_) {
          *undecided = best_length() == std::numeric_limits<std::size_t>::max();
          return;
        }
        const auto start = static_cast<EdgeKind>(pattern.start);
        if (auto walk = shortest_through(a, edge.to, start, c, pattern, best_length(), &spent)) {
          for (FoundCycle& cycle : simple_cycles(std::move(*walk))) offer(std::move(cycle), best);
        }
      }
    }
  }

 private:
  struct Entry {
    uint32_t vertex;
    uint32_t parent;  // index into queue_, kNone for the first
    uint32_t depth;   // edges from the start edge's head
    uint8_t state;
    EdgeKind kind;  // how the edge into `vertex` was taken
  };

  static void offer(FoundCycle cycle, std::vector<FoundCycle>* best) {
    for (FoundCycle& kept : *best) {
      if (kept.cls != cycle.cls) continue;
      if (cycle.vertices.size() < kept.vertices.size()) kept = std::move(cycle);
      return;
    }
    best->push_back(std::move(cycle));
  }

  // The shortest closed walk of the pattern that takes a -> b as `start`,
  // if one is shorter than `limit` edges.
  std::optional<FoundCycle> shortest_through(uint32_t a, uint32_t b, EdgeKind start, uint32_t c,
                                             const Pattern& pattern, std::size_t limit,
                                             uint64_t* spent) {
    std::optional<PathState> first = step(PathState{}, start, pattern);
    if (!first) return std::nullopt;
    queue_.clear();
    queue_.push_back({b, kNone, 0, first->encode(), start});
    visited_[b] |= uint64_t{1} << first->encode();
    std::optional<FoundCycle> found;
    for (std::size_t head = 0; head < queue_.size() && !found; ++head) {
      const Entry entry = queue_[head];
      if (entry.depth + 2 >= limit) break;  // no shorter cycle from here on
      const PathState state = PathState::decode(entry.state);
      for (const DependencyGraph::Edge& edge : graph_.out(entry.vertex)) {
        if (components_.id[edge.to] != c) continue;
        for_each_kind(edge.kinds, pattern, [&](EdgeKind kind) {
          if (found) return;
          std::optional<PathState> next = step(state, kind, pattern);
          if (!next) return;
          if (edge.to == a) {
            if (closes(*next, start, pattern))
              found = walk_to(static_cast<uint32_t>(head), a, kind);
            return;
          }
          const uint64_t bit = uint64_t{1} << next->encode();
          if (visited_[edge.to] & bit) return;
          visited_[edge.to] |= bit;
          queue_.push_back(
              {edge.to, static_cast<uint32_t>(head), entry.depth + 1, next->encode(), kind});
        });
        if (found) break;
      }
    }
    *spent += queue_.size();
    for (const Entry& entry : queue_) visited_[entry.vertex] = 0;
    return found;
  }

  // The walk a -> (entries up to `last`) -> a, the last edge taken as `closing`.
  FoundCycle walk_to(uint32_t last, uint32_t a, EdgeKind closing) const {
    FoundCycle walk;
    for (uint32_t i = last; i != kNone; i = queue_[i].parent) {
      walk.vertices.push_back(queue_[i].vertex);
      walk.kinds.push_back(queue_[i].kind);
    }
    walk.vertices.push_back(a);
    std::reverse(walk.vertices.begin(), walk.vertices.end());
    std::reverse(walk.kinds.begin(), walk.kinds.end());
    walk.kinds.push_back(closing);
    return walk;
  }

  const DependencyGraph& graph_;
  const Components& components_;
  uint64_t budget_;
  std::vector<uint64_t> visited_;  // per vertex, a bit per PathState
  std::vector<Entry> queue_;
};

constexpr AnomalyClass kDataClasses[] = {AnomalyClass::kG0, AnomalyClass::kG1c,
                                         AnomalyClass::kGSingle, AnomalyClass::kGNonadjacent,
                                         AnomalyClass::kG2Item};

}  // namespace

AnomalyClass classify_cycle(const std::vector<EdgeKind>& kinds) {
  const std::size_t n = kinds.size();
  int rw = 0;
  bool wr = false, process = false, realtime = false, adjacent = false;
  for (std::size_t i = 0; i < n; ++i) {
    rw += kinds[i] == kRW;
    wr = wr || kinds[i] == kWR;
    process = process || kinds[i] == kProcessOrder;
    realtime = realtime || kinds[i] == kRealtimeOrder;
    adjacent = adjacent || (n > 1 && kinds[i] == kRW && kinds[(i + 1) % n] == kRW);
  }
  AnomalyClass data = rw == 0    ? (wr ? AnomalyClass::kG1c : AnomalyClass::kG0)
                      : rw == 1  ? AnomalyClass::kGSingle
                      : adjacent ? AnomalyClass::kG2Item
                                 : AnomalyClass::kGNonadjacent;
  return cycle_class(data, realtime  ? CycleOrder::kRealtime
                           : process ? CycleOrder::kProcess
                                     : CycleOrder::kData);
}

CycleSearch find_cycles(const DependencyGraph& graph, const CycleSearchLimits& limits) {
  CycleSearch result;
  for (CycleOrder order : {CycleOrder::kData, CycleOrder::kProcess, CycleOrder::kRealtime}) {
    uint8_t mask = kDataEdges;
    if (order != CycleOrder::kData) mask |= kProcessOrder;
    if (order == CycleOrder::kRealtime) mask |= kRealtimeOrder;
    const Components components = strongly_connected(graph, mask);
    if (order == CycleOrder::kData) result.components = components.members.size();
    Searcher searcher(graph, components, limits.budget);
    for (uint32_t c = 0; c < components.members.size(); ++c) {
      result.largest_component =
          std::max(result.largest_component, static_cast<uint32_t>(components.members[c].size()));
      std::vector<FoundCycle> best;
      for (AnomalyClass data_class : kDataClasses) {
        bool undecided = false;
        searcher.search(c, make_pattern(data_class, order), &best, &undecided);
        if (undecided) ++result.undecided[static_cast<int>(cycle_class(data_class, order))];
      }
      // Walks split into cycles of an earlier pass are that pass's to report.
      for (FoundCycle& cycle : best) {
        if (cycle_order(cycle.cls) == order) {
          result.cycles.push_back(std::move(cycle));
        }
      }
    }
  }
  return result;
}

}  // namespace consistency
