#include "analysis.h"

namespace consistency {

// Each workload's rules, in a file of its own.
std::unique_ptr<Analysis> analyze_list_append(const History& history);
std::unique_ptr<Analysis> analyze_rw_register(const History& history);
std::unique_ptr<Analysis> analyze_bank(const History& history, const BankSettings& bank);

const char* workload_name(Workload workload) {
  switch (workload) {
    case Workload::kListAppend: return "list-append";
    case Workload::kRwRegister: return "rw-register";
    case Workload::kBank: return "bank";
  }
  return "?";
}

std::vector<AnomalyClass> checked_classes(Workload workload) {
  std::vector<AnomalyClass> classes;
  for (const AnomalyInfo& info : kAnomalyInfo) {
    const AnomalyClass cls = info.cls;
    const bool bank_only = cls == AnomalyClass::kWrongTotal;
    const bool lists_only = cls == AnomalyClass::kDuplicateElements ||
                            cls == AnomalyClass::kIncompatibleOrder ||
                            cls == AnomalyClass::kDirtyUpdate;
    if (workload == Workload::kBank
            ? bank_only
            : !bank_only && (workload == Workload::kListAppend || !lists_only)) {
      classes.push_back(cls);
    }
  }
  return classes;
}

std::unique_ptr<Analysis> analyze(const History& history, Workload workload,
                                  const BankSettings& bank) {
  switch (workload) {
    case Workload::kListAppend: return analyze_list_append(history);
    case Workload::kRwRegister: return analyze_rw_register(history);
    case Workload::kBank: return analyze_bank(history, bank);
  }
  throw HistoryError("unknown workload");
}

}  // namespace consistency
