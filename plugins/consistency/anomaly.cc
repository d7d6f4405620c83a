#include "anomaly.h"

namespace consistency {

const std::array<AnomalyInfo, kAnomalyClassCount> kAnomalyInfo = {{
    {AnomalyClass::kG0, "G0", "write cycle: transactions overwrote each other in a cycle"},
    {AnomalyClass::kG1c, "G1c", "cyclic information flow: transactions read each other's writes"},
    {AnomalyClass::kGSingle, "G-single", "read skew: a cycle with one anti-dependency"},
    {AnomalyClass::kGNonadjacent, "G-nonadjacent",
     "a cycle with several anti-dependencies, none adjacent"},
    {AnomalyClass::kG2Item, "G2-item", "write skew: a cycle with adjacent anti-dependencies"},
    {AnomalyClass::kG0Process, "G0-process", "G0 once each session's order is added"},
    {AnomalyClass::kG1cProcess, "G1c-process", "G1c once each session's order is added"},
    {AnomalyClass::kGSingleProcess, "G-single-process",
     "G-single once each session's order is added"},
    {AnomalyClass::kGNonadjacentProcess, "G-nonadjacent-process",
     "G-nonadjacent once each session's order is added"},
    {AnomalyClass::kG2ItemProcess, "G2-item-process", "G2-item once each session's order is added"},
    {AnomalyClass::kG0Realtime, "G0-realtime", "G0 once real-time order is added"},
    {AnomalyClass::kG1cRealtime, "G1c-realtime", "G1c once real-time order is added"},
    {AnomalyClass::kGSingleRealtime, "G-single-realtime",
     "G-single once real-time order is added (a stale read)"},
    {AnomalyClass::kGNonadjacentRealtime, "G-nonadjacent-realtime",
     "G-nonadjacent once real-time order is added"},
    {AnomalyClass::kG2ItemRealtime, "G2-item-realtime", "G2-item once real-time order is added"},
    {AnomalyClass::kG1a, "G1a", "aborted read: a committed read saw a write that was rolled back"},
    {AnomalyClass::kG1b, "G1b",
     "intermediate read: a committed read saw a value its writer overwrote before committing"},
    {AnomalyClass::kDirtyUpdate, "dirty-update",
     "a committed write built on a write that was rolled back"},
    {AnomalyClass::kLostUpdate, "lost-update",
     "two committed transactions read the same version of a key and both wrote it"},
    {AnomalyClass::kInternal, "internal",
     "a transaction did not see its own earlier reads and writes"},
    {AnomalyClass::kDuplicateElements, "duplicate-elements",
     "a read returned a list holding one appended value twice"},
    {AnomalyClass::kIncompatibleOrder, "incompatible-order",
     "two reads of a list that are not prefixes of one another"},
    {AnomalyClass::kGarbageRead, "garbage-read", "a read returned a value no transaction wrote"},
    {AnomalyClass::kWrongTotal, "wrong-total",
     "a committed read of every account did not add up to the total"},
}};

const char* anomaly_name(AnomalyClass cls) { return kAnomalyInfo[static_cast<int>(cls)].name; }

std::optional<AnomalyClass> anomaly_from_name(std::string_view name) {
  for (const AnomalyInfo& info : kAnomalyInfo) {
    if (name == info.name) return info.cls;
  }
  return std::nullopt;
}

namespace {
constexpr int kCycleClasses = 5;  // G0, G1c, G-single, G-nonadjacent, G2-item
}  // namespace

AnomalyClass cycle_class(AnomalyClass data_class, CycleOrder order) {
  return static_cast<AnomalyClass>(static_cast<int>(data_class) +
                                   kCycleClasses * static_cast<int>(order));
}

std::optional<CycleOrder> cycle_order(AnomalyClass cls) {
  const int n = static_cast<int>(cls);
  if (n >= 3 * kCycleClasses) return std::nullopt;
  return static_cast<CycleOrder>(n / kCycleClasses);
}

const char* edge_name(EdgeKind kind) {
  switch (kind) {
    case kWW: return "ww";
    case kWR: return "wr";
    case kRW: return "rw";
    case kProcessOrder: return "process";
    case kRealtimeOrder: return "realtime";
  }
  return "?";
}

}  // namespace consistency
