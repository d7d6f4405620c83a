// plugins/consistency/history_json.h -- histories as files: one operation
// per line, JSON objects with Jepsen's field names, so that a history from
// a Jepsen test can be checked here and one recorded here read by Jepsen's
// tools:
//
//   {"index":0,"type":"invoke","f":"txn","value":[["append",3,7],["r",4,null]],"process":0,"time":1200}
//   {"index":1,"type":"ok","f":"txn","value":[["append",3,7],["r",4,[1,2]]],"process":0,"time":9800}
//
// `type` is invoke, ok, fail or info; `time` is in nanoseconds; `process`
// runs one operation at a time. Micro-operations: ["append", k, v] and
// ["r", k, [...]] (list-append), ["w", k, v] and ["r", k, v] (rw-register);
// in an invoke, and in a fail or info completion, a read's value of null is
// unknown; in an ok one, null is a register holding nothing (or an empty
// list). The bank workload's operations are Jepsen's: f "transfer" with
// {"from": a, "to": b, "amount": n}, f "read" with {"<account>": balance}.
// Keys are integers or strings. An invoke without a completion is info.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_HISTORY_JSON_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_HISTORY_JSON_H_

#include <ostream>
#include <stdexcept>
#include <string>

#include "history.h"

namespace consistency {

class HistoryFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes a finish()ed history, line by line in index order.
void write_history(const History& history, std::ostream& out);

// Reads a history file; throws HistoryFileError naming the file and line.
History read_history(const std::string& path);
History parse_history(const std::string& path, std::istream& in);

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_HISTORY_JSON_H_
