// plugins/consistency/anomaly.h -- the anomaly classes the checker finds,
// and one found anomaly with what explains it.
//
// Cycle classes (Adya's, as Elle names them) are found in the dependency
// graph of write-write (ww), write-read (wr) and read-write (rw) edges:
//   G0             a cycle of ww edges only (dirty write)
//   G1c            ww and wr edges, at least one wr (cyclic information flow)
//   G-single       exactly one rw edge (read skew)
//   G-nonadjacent  two or more rw edges, no two of them adjacent
//   G2-item        two or more rw edges, some adjacent (write skew)
// Each has a -process variant (the cycle needs a session-order edge: one
// session's transactions out of order) and a -realtime variant (it needs a
// real-time edge: a transaction ordered before one that had completed
// before it began). The rest need no cycle; see kAnomalyInfo.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_ANOMALY_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_ANOMALY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consistency {

enum class AnomalyClass : uint8_t {
  kG0,
  kG1c,
  kGSingle,
  kGNonadjacent,
  kG2Item,
  kG0Process,
  kG1cProcess,
  kGSingleProcess,
  kGNonadjacentProcess,
  kG2ItemProcess,
  kG0Realtime,
  kG1cRealtime,
  kGSingleRealtime,
  kGNonadjacentRealtime,
  kG2ItemRealtime,
  kG1a,
  kG1b,
  kDirtyUpdate,
  kLostUpdate,
  kInternal,
  kDuplicateElements,
  kIncompatibleOrder,
  kGarbageRead,
  kWrongTotal,
};

constexpr std::size_t kAnomalyClassCount = 24;

struct AnomalyInfo {
  AnomalyClass cls;
  const char* name;
  const char* meaning;  // one line, for --help, docs and the summary
};

// Every class, in the order reports list them.
extern const std::array<AnomalyInfo, kAnomalyClassCount> kAnomalyInfo;

const char* anomaly_name(AnomalyClass cls);
std::optional<AnomalyClass> anomaly_from_name(std::string_view name);

// Which of a cycle class's variants: the order edges the cycle needs.
enum class CycleOrder : uint8_t { kData, kProcess, kRealtime };
// The data class (kG0 .. kG2Item) with the variant of `order`.
AnomalyClass cycle_class(AnomalyClass data_class, CycleOrder order);
// The variant of a cycle class; nullopt for the classes that need no cycle.
std::optional<CycleOrder> cycle_order(AnomalyClass cls);

// Dependency kinds, as bits: an edge between two transactions may have
// several.
enum EdgeKind : uint8_t {
  kWW = 1,
  kWR = 2,
  kRW = 4,
  kProcessOrder = 8,
  kRealtimeOrder = 16,
};
constexpr uint8_t kDataEdges = kWW | kWR | kRW;
const char* edge_name(EdgeKind kind);  // "ww", "wr", "rw", "process", "realtime"

// One edge of an explained cycle: `from` precedes `to`, and why.
struct Step {
  uint32_t from = 0, to = 0;  // transaction ids
  EdgeKind kind = kWW;
  std::string why;
};

struct Anomaly {
  AnomalyClass cls;
  std::vector<uint32_t> transactions;  // the ones involved, in the order told
  std::vector<Step> steps;             // cycle classes: the cycle, edge by edge
  std::string why;                     // the other classes: what went wrong
};

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_ANOMALY_H_
