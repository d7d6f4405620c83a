#include "models.h"

#include <algorithm>

namespace consistency {
namespace {

using enum AnomalyClass;

std::vector<AnomalyClass> plus(std::vector<AnomalyClass> base, std::vector<AnomalyClass> more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

std::vector<Model> build_models() {
  const std::vector<AnomalyClass> read_uncommitted = {kG0, kDuplicateElements, kGarbageRead};
  const std::vector<AnomalyClass> read_committed =
      plus(read_uncommitted, {kG1a, kG1b, kG1c, kDirtyUpdate, kIncompatibleOrder});
  const std::vector<AnomalyClass> repeatable_read =
      plus(read_committed, {kGSingle, kGNonadjacent, kG2Item, kLostUpdate, kWrongTotal});
  // A snapshot is read whole: a transaction sees its own writes on top of
  // it and nothing else (Cerone's INT axiom), which the models below
  // read committed and repeatable read do not promise.
  const std::vector<AnomalyClass> snapshot_isolation =
      plus(read_committed, {kGSingle, kGNonadjacent, kLostUpdate, kWrongTotal, kInternal});
  const std::vector<AnomalyClass> serializable = plus(snapshot_isolation, {kG2Item});
  std::vector<AnomalyClass> strict = serializable;
  for (CycleOrder order : {CycleOrder::kProcess, CycleOrder::kRealtime}) {
    for (AnomalyClass data : {kG0, kG1c, kGSingle, kGNonadjacent, kG2Item}) {
      strict.push_back(cycle_class(data, order));
    }
  }
  return {
      {"read-uncommitted", "PL-1: no write cycles (G0)", read_uncommitted},
      {"read-committed", "PL-2: no G0, and no read of uncommitted or intermediate data (G1)",
       read_committed},
      {"repeatable-read",
       "PL-2.99: no G1, no item anti-dependency cycles (G2-item, G-single, lost update)",
       repeatable_read},
      {"snapshot-isolation",
       "PL-SI: no G1, no cycle whose anti-dependencies are all apart (G-single, "
       "G-nonadjacent), no lost update; write skew (G2-item) allowed",
       snapshot_isolation},
      {"serializable", "PL-3: no G1, no cycle at all", serializable},
      {"strict-serializable",
       "PL-SS: serializable in an order that keeps real time (no -process or -realtime cycle)",
       strict},
  };
}

}  // namespace

bool Model::forbids(AnomalyClass cls) const {
  return std::find(forbidden.begin(), forbidden.end(), cls) != forbidden.end();
}

const std::vector<Model>& models() {
  static const std::vector<Model> table = build_models();
  return table;
}

const Model* find_model(std::string_view name) {
  for (const Model& model : models()) {
    if (model.name == name) return &model;
  }
  return nullptr;
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const Model& model : models()) names.push_back(model.name);
  return names;
}

}  // namespace consistency
