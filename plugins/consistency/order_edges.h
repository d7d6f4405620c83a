// plugins/consistency/order_edges.h -- the orders every workload shares:
// each logical process runs one transaction at a time (process order), and
// a transaction that completed before another was invoked precedes it
// (real-time order). Only committed transactions are ordered after others;
// an info transaction may be ordered after those that completed before it
// began (were it to have committed, it did so later), never before any.
//
// Real-time edges are the frontier reduction of the order: each invoked
// transaction is linked from the completed transactions no later
// completion has since followed, at most one per concurrent process, so the
// edges stay linear in the history. A pair already in process order gets
// no real-time edge.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_ORDER_EDGES_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_ORDER_EDGES_H_

#include <cstdint>
#include <string>

#include "dependency_graph.h"
#include "history.h"

namespace consistency {

// The history must be finish()ed (ordered by invoke time).
void add_order_edges(const History& history, DependencyGraph::Builder& builder);

std::string explain_order(const History& history, uint32_t from, uint32_t to, EdgeKind kind);

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_ORDER_EDGES_H_
