// plugins/consistency/explanation.h -- an anomaly as a person reads it, and
// as a Graphviz graph.
//
//   G-single #1
//     T12 (process 3, ok): r 4 [1 2], append 5 9
//     T15 (process 1, ok): append 4 3, r 5 [9]
//     T12 precedes T15 (rw): T12 read key 4 = [1 2], the version ending in 2,
//       and did not see T15's append of 3, which came right after it
//     T15 precedes T12 (wr): T15 read key 5 = [9], whose last element 9 was
//       appended by T12
//     So T12 precedes itself: no order of the transactions explains what they saw.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_EXPLANATION_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_EXPLANATION_H_

#include <string>

#include "anomaly.h"
#include "history.h"

namespace consistency {

// `number` counts the anomalies of the class from 1.
std::string explain_anomaly(const History& history, const Anomaly& anomaly, int number);

// A digraph of the anomaly's transactions (labelled with their operations)
// and its edges (labelled with their kind and why).
std::string anomaly_dot(const History& history, const Anomaly& anomaly, int number);

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_EXPLANATION_H_
