// plugins/consistency/history.h -- what a randomized workload did: every
// transaction with its micro-operations, the values its reads returned, when
// it was invoked and completed, on which logical process, and how it ended.
//
//   History h;
//   uint32_t t = h.begin_transaction(Function::kTxn, /*process=*/0, invoke_ns);
//   h.add_append(t, /*key=*/3, /*value=*/7);
//   h.add_list_read(t, 3, {1, 2, 7});
//   h.complete(t, Outcome::kOk, complete_ns);
//   h.finish();   // orders by invoke time and numbers the history's lines
//
// Outcomes follow Jepsen: ok (committed), fail (the server said it did not
// commit, or it never reached COMMIT), info (unknown: the connection was lost
// around COMMIT). The reads of an info transaction are unknown: it may never
// have committed, so nothing it read is evidence.
//
// Storage is flat (one vector of transactions, one of micro-operations, one
// of list elements) so that a history of a million transactions costs tens
// of bytes per operation. Thread safety: none; each session records into a
// History of its own and the run merges them with `absorb`.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_HISTORY_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_HISTORY_H_

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

namespace consistency {

enum class Outcome : uint8_t { kOk, kFail, kInfo };

// Jepsen's `f`: a transaction of micro-operations (list-append, rw-register),
// or the bank workload's transfer and whole-table read.
enum class Function : uint8_t { kTxn, kTransfer, kRead };

enum class MopKind : uint8_t {
  kAppend,  // list-append: append `value` to the list at `key`
  kWrite,   // rw-register: set `key` to `value`
  kAdd,     // bank: add `value` (negative: take) to the balance of account `key`
  kRead,    // list: the elements; register/bank: one value
};

// What a read returned.
enum class ReadResult : uint8_t {
  kUnknown,  // no answer (the transaction is info, or was only invoked)
  kNil,      // a register that holds no value
  kValue,    // `value` (register, balance) or the list's elements
};

struct Mop {
  int64_t key = 0;
  int64_t value = 0;        // append/write/add: the argument; scalar read: the value read
  uint32_t list_begin = 0;  // list read: History::elements()[list_begin, +list_size)
  uint32_t list_size = 0;
  MopKind kind = MopKind::kRead;
  ReadResult result = ReadResult::kUnknown;
  bool list = false;  // a read of a whole list (list-append)
};

struct Transaction {
  int64_t invoke_ns = 0;    // monotonic, from the run's start
  int64_t complete_ns = 0;  // info: when the client gave up waiting
  uint64_t invoke_index = 0;
  uint64_t complete_index = 0;  // the lines of the history file, see finish()
  uint32_t process = 0;
  uint32_t mop_begin = 0;
  uint32_t mop_count = 0;
  Outcome outcome = Outcome::kInfo;
  Function f = Function::kTxn;
};

// A fault of the run's nemesis (or its healing), lined up with the
// transactions: written among them as Jepsen writes its nemesis, an info
// operation of process "nemesis". The checker does not read them.
struct NemesisRecord {
  int64_t time_ns = 0;          // from the run's start, as the transactions' times
  uint64_t index = 0;           // its line, see finish()
  std::string phase;            // start, heal, or whole
  std::string fault;            // kill, pause, partition, restart ("" for whole)
  std::vector<uint32_t> nodes;  // 1-based
};

class History {
 public:
  // Starts a transaction; returns its id (its position until finish()).
  uint32_t begin_transaction(Function f, uint32_t process, int64_t invoke_ns);
  void add_append(uint32_t txn, int64_t key, int64_t value);
  void add_write(uint32_t txn, int64_t key, int64_t value);
  void add_add(uint32_t txn, int64_t key, int64_t amount);
  // A read whose answer is not (yet) known.
  void add_unknown_read(uint32_t txn, int64_t key, bool list);
  void add_list_read(uint32_t txn, int64_t key, std::span<const int64_t> elements);
  void add_list_read(uint32_t txn, int64_t key, std::initializer_list<int64_t> elements) {
    add_list_read(txn, key, std::span<const int64_t>(elements.begin(), elements.size()));
  }
  void add_value_read(uint32_t txn, int64_t key, int64_t value);
  void add_nil_read(uint32_t txn, int64_t key);
  // Sets the outcome; for info, every read of the transaction becomes unknown.
  void complete(uint32_t txn, Outcome outcome, int64_t complete_ns);
  // Drops the last transaction, begun but never sent (the run stopped).
  void drop_last();
  // The lines of a transaction in a history file it was read from.
  void set_lines(uint32_t txn, uint64_t invoke_index, uint64_t complete_index) {
    transactions_[txn].invoke_index = invoke_index;
    transactions_[txn].complete_index = complete_index;
  }

  // Moves every transaction of `other` into this history.
  void absorb(History&& other);
  // Moves every transaction `shift_ns` later and widens it by `margin_ns`
  // on both sides: another shard's history onto this one's clock, with
  // room for the clocks' disagreement (a wider transaction is ordered in
  // real time after fewer others, never after one it did not follow).
  void shift_and_widen(int64_t shift_ns, int64_t margin_ns);

  void add_nemesis(NemesisRecord record) { nemesis_.push_back(std::move(record)); }
  const std::vector<NemesisRecord>& nemesis() const { return nemesis_; }

  // Orders the transactions by invoke time and, with `number_lines`, numbers
  // the history's lines: each transaction is an invoke line and a completion
  // line, each nemesis record a line, all of them in time order (at one
  // instant invokes first, then faults, then completions). A history read
  // from a file keeps the file's numbers.
  void finish(bool number_lines = true);

  const std::vector<Transaction>& transactions() const { return transactions_; }
  std::span<const Mop> mops(const Transaction& txn) const {
    return {mops_.data() + txn.mop_begin, txn.mop_count};
  }
  std::span<const int64_t> list(const Mop& mop) const {
    return {elements_.data() + mop.list_begin, mop.list_size};
  }
  std::size_t mop_total() const { return mops_.size(); }
  std::size_t element_total() const { return elements_.size(); }

  // Text keys of a history read from a file ("x"), by key number; empty when
  // the keys are numbers.
  std::vector<std::string>& key_names() { return key_names_; }
  const std::vector<std::string>& key_names() const { return key_names_; }
  std::string key_text(int64_t key) const;

 private:
  Mop& push_mop(uint32_t txn, MopKind kind, int64_t key);

  std::vector<Transaction> transactions_;
  std::vector<Mop> mops_;
  std::vector<int64_t> elements_;
  std::vector<std::string> key_names_;
  std::vector<NemesisRecord> nemesis_;
};

const char* outcome_name(Outcome outcome);  // "ok", "fail", "info"

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_HISTORY_H_
