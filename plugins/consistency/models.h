// plugins/consistency/models.h -- consistency models as data: which anomaly
// classes each one forbids. A history satisfies a model when the checker
// found none of them.
//
//   const Model* model = find_model("snapshot-isolation");
//   if (model->forbids(AnomalyClass::kGSingle)) ...
//
// The table follows Adya's generalized isolation levels (PL-1, PL-2,
// PL-2.99, PL-SI, PL-3, PL-SS) as Elle reads them, for histories of single
// keys (these workloads have no predicates, so repeatable read forbids the
// cycles serializable does). Values nobody wrote, and values listed twice,
// are wrong under every model; a transaction not seeing its own writes on
// one snapshot (internal) only from snapshot isolation on, as in Elle:
// below it a read after a write may see other transactions' commits.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_MODELS_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_MODELS_H_

#include <string>
#include <string_view>
#include <vector>

#include "anomaly.h"

namespace consistency {

struct Model {
  std::string name;
  std::string meaning;
  std::vector<AnomalyClass> forbidden;

  bool forbids(AnomalyClass cls) const;
};

// Weakest first.
const std::vector<Model>& models();
const Model* find_model(std::string_view name);
std::vector<std::string> model_names();

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_MODELS_H_
