// plugins/consistency/history_text.h -- transactions and values as a person
// reads them in explanations: "T12 (process 3, ok): append 4 7, r 4 [1 2 7]".
//
// A transaction is named T<n>, n being the index of its invoke line in the
// history file, so that `grep '"index":12,' history.jsonl` finds it.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_HISTORY_TEXT_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_HISTORY_TEXT_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "history.h"

namespace consistency {

std::string transaction_name(const History& history, uint32_t txn);  // "T12"
// "T1", "T1 and T4", "T1, T4 and T9".
std::string names_text(const History& history, const std::vector<uint32_t>& txns);
// The name, process, outcome and every operation.
std::string describe_transaction(const History& history, uint32_t txn);
// "[1 2 3]"; a long list keeps its first and last few elements.
std::string list_text(std::span<const int64_t> elements);
// One operation: "append 4 7", "r 4 [1 2 7]", "w 4 9", "r 4 nil", "add 2 -5".
std::string mop_text(const History& history, const Mop& mop);

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_HISTORY_TEXT_H_
