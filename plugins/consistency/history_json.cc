#include "history_json.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace consistency {
namespace {

using nlohmann::json;

// ---- Writing: text built by hand, one line per operation (a recorded
// history has millions of them).

class LineWriter {
 public:
  LineWriter(const History& history, std::ostream& out) : history_(history), out_(out) {}

  void operation(uint32_t txn, bool invoke) {
    const Transaction& t = history_.transactions()[txn];
    line_.clear();
    line_ += "{\"index\":";
    line_ += std::to_string(invoke ? t.invoke_index : t.complete_index);
    line_ += ",\"type\":\"";
    line_ += invoke ? "invoke" : outcome_name(t.outcome);
    line_ += "\",\"f\":\"";
    line_ += t.f == Function::kTxn ? "txn" : t.f == Function::kTransfer ? "transfer" : "read";
    line_ += "\",\"value\":";
    value(t, invoke || t.outcome == Outcome::kInfo);
    line_ += ",\"process\":";
    line_ += std::to_string(t.process);
    line_ += ",\"time\":";
    line_ += std::to_string(invoke ? t.invoke_ns : t.complete_ns);
    line_ += "}\n";
    out_ << line_;
  }

 private:
  void key(int64_t k) {
    if (history_.key_names().empty()) {
      line_ += std::to_string(k);
    } else {
      line_ += json(history_.key_text(k)).dump();
    }
  }

  void value(const Transaction& t, bool reads_unknown) {
    std::span<const Mop> mops = history_.mops(t);
    if (t.f == Function::kTransfer) {
      line_ += "{\"from\":" + std::to_string(mops[0].key) +
               ",\"to\":" + std::to_string(mops[1].key) +
               ",\"amount\":" + std::to_string(mops[1].value) + "}";
      return;
    }
    if (t.f == Function::kRead) {
      if (reads_unknown) {
        line_ += "null";
        return;
      }
      line_ += "{";
      bool first = true;
      for (const Mop& mop : mops) {
        line_ += first ? "\"" : ",\"";
        line_ += std::to_string(mop.key) + "\":" + std::to_string(mop.value);
        first = false;
      }
      line_ += "}";
      return;
    }
    line_ += "[";
    for (std::size_t i = 0; i < mops.size(); ++i) {
      const Mop& mop = mops[i];
      line_ += i ? ",[\"" : "[\"";
      line_ += mop.kind == MopKind::kAppend ? "append" : mop.kind == MopKind::kWrite ? "w" : "r";
      line_ += "\",";
      key(mop.key);
      line_ += ",";
      if (mop.kind != MopKind::kRead) {
        line_ += std::to_string(mop.value);
      } else if (reads_unknown || mop.result != ReadResult::kValue) {
        line_ += "null";
      } else if (!mop.list) {
        line_ += std::to_string(mop.value);
      } else {
        line_ += "[";
        std::span<const int64_t> list = history_.list(mop);
        for (std::size_t e = 0; e < list.size(); ++e) {
          if (e) line_ += ",";
          line_ += std::to_string(list[e]);
        }
        line_ += "]";
      }
      line_ += "]";
    }
    line_ += "]";
  }

  const History& history_;
  std::ostream& out_;
  std::string line_;
};

// ---- Reading.

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  History read(std::istream& in) {
    // An operation is a line of at most kMaxLine bytes: a file that is no
    // history (a binary, one huge line) is refused before it fills memory.
    constexpr std::streamsize kMaxLine = 1 << 20;
    auto buffer = std::make_unique<char[]>(kMaxLine);
    uint64_t index = 0;
    while (in.getline(buffer.get(), kMaxLine) || in.gcount() > 0) {
      ++line_;
      if (in.fail() && !in.eof()) fail("a line longer than 1 MiB: not a history of operations");
      const std::string_view text(buffer.get(), std::strlen(buffer.get()));
      if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      json op;
      try {
        op = json::parse(text);
      } catch (const json::exception& e) {
        fail(std::string("not JSON: ") + e.what());
      }
      if (!op.is_object()) fail("an operation is a JSON object");
      operation(op, index++);
    }
    // An invoke that never completed: its outcome is unknown.
    for (auto& [process, pending] : pending_) build(pending, nullptr, Outcome::kInfo, pending.time);
    history_.finish(/*number_lines=*/false);
    return std::move(history_);
  }

 private:
  struct Pending {
    json invoke;
    std::string f;
    uint64_t process = 0, index = 0;
    int64_t time = 0;
    std::size_t line = 0;
  };

  [[noreturn]] void fail(const std::string& what) const {
    throw HistoryFileError(path_ + ":" + std::to_string(line_) + ": " + what);
  }

  const json& field(const json& op, const char* name) const {
    auto found = op.find(name);
    if (found == op.end()) fail(std::string("no \"") + name + "\" field");
    return *found;
  }

  int64_t integer(const json& value, const char* what) const {
    if (!value.is_number_integer()) fail(std::string(what) + " must be an integer");
    return value.get<int64_t>();
  }

  int64_t key(const json& value) {
    if (value.is_number_integer()) {
      if (!key_ids_.empty()) fail("keys mix integers and strings");
      numeric_keys_ = true;
      return value.get<int64_t>();
    }
    if (!value.is_string()) fail("a key is an integer or a string");
    if (numeric_keys_) fail("keys mix integers and strings");
    auto [it, fresh] = key_ids_.try_emplace(value.get<std::string>(), key_ids_.size());
    if (fresh) history_.key_names().push_back(it->first);
    return static_cast<int64_t>(it->second);
  }

  void operation(const json& op, uint64_t position) {
    const auto process_field = op.find("process");
    if (process_field != op.end() && process_field->is_string()) {
      // Jepsen's nemesis (process "nemesis"): faults, kept beside the
      // transactions.
      NemesisRecord fault;
      fault.index = op.contains("index") ? static_cast<uint64_t>(integer(op["index"], "\"index\""))
                                         : position;
      fault.time_ns =
          op.contains("time") ? integer(op["time"], "\"time\"") : static_cast<int64_t>(position);
      fault.fault = op.value("f", json()).is_string() ? op["f"].get<std::string>() : "";
      const json value = op.value("value", json());
      if (value.is_object()) {
        fault.phase =
            value.value("phase", json()).is_string() ? value["phase"].get<std::string>() : "";
        for (const json& node : value.value("nodes", json::array())) {
          if (node.is_number_integer()) fault.nodes.push_back(node.get<uint32_t>());
        }
      }
      history_.add_nemesis(std::move(fault));
      return;
    }
    const json& type_field = field(op, "type");
    if (!type_field.is_string()) fail("\"type\" must be a string");
    const std::string type = type_field.get<std::string>();
    const uint64_t process = static_cast<uint64_t>(integer(field(op, "process"), "\"process\""));
    const uint64_t index =
        op.contains("index") ? static_cast<uint64_t>(integer(op["index"], "\"index\"")) : position;
    // Without times, the order of the lines is the order of events.
    const int64_t time =
        op.contains("time") ? integer(op["time"], "\"time\"") : static_cast<int64_t>(position);
    const json& f = field(op, "f");
    if (!f.is_string()) fail("\"f\" must be a string");
    if (type == "invoke") {
      if (pending_.count(process)) {
        fail("process " + std::to_string(process) + " invokes again before it completed");
      }
      pending_[process] = {
          op.value("value", json()), f.get<std::string>(), process, index, time, line_};
      return;
    }
    Outcome outcome =
        type == "ok"     ? Outcome::kOk
        : type == "fail" ? Outcome::kFail
        : type == "info"
            ? Outcome::kInfo
            : (fail("\"type\" must be invoke, ok, fail or info, not " + type), Outcome::kInfo);
    auto pending = pending_.find(process);
    if (pending == pending_.end()) {
      fail("a completion of process " + std::to_string(process) + " with no invoke");
    }
    const json& value = op.contains("value") ? op["value"] : pending->second.invoke;
    build(pending->second, &value, outcome, time, index);
    pending_.erase(pending);
  }

  // One transaction from its invoke and completion (`completed` null: none).
  void build(const Pending& invoke, const json* completed, Outcome outcome, int64_t time,
             uint64_t complete_index = std::numeric_limits<uint64_t>::max()) {
    line_ = invoke.line;
    const bool known = outcome == Outcome::kOk || outcome == Outcome::kFail;
    const json& value = completed && known ? *completed : invoke.invoke;
    const Function f = invoke.f == "transfer" ? Function::kTransfer
                       : invoke.f == "read"   ? Function::kRead
                                              : Function::kTxn;
    const uint32_t t =
        history_.begin_transaction(f, static_cast<uint32_t>(invoke.process), invoke.time);
    if (f == Function::kTransfer) {
      if (!value.is_object()) fail("a transfer's value is {\"from\", \"to\", \"amount\"}");
      const int64_t amount = integer(field(value, "amount"), "\"amount\"");
      history_.add_add(t, integer(field(value, "from"), "\"from\""), -amount);
      history_.add_add(t, integer(field(value, "to"), "\"to\""), amount);
    } else if (f == Function::kRead) {
      if (value.is_object()) {
        for (const auto& [account, balance] : value.items()) {
          int64_t number = 0;
          try {
            number = std::stoll(account);
          } catch (const std::exception&) {
            fail("a read's accounts are numbers, not \"" + account + "\"");
          }
          history_.add_value_read(t, number, integer(balance, "a balance"));
        }
      } else if (!value.is_null()) {
        fail("a read's value is {\"<account>\": balance} or null");
      }
    } else {
      if (!value.is_array()) fail("a txn's value is a list of [f, key, value]");
      // A failed transaction's reads are no evidence: only an ok one's null
      // is a value (nothing there).
      for (const json& mop : value) mop_of(t, mop, outcome == Outcome::kOk);
    }
    history_.complete(t, outcome, time);
    history_.set_lines(
        t, invoke.index,
        complete_index == std::numeric_limits<uint64_t>::max() ? invoke.index : complete_index);
  }

  void mop_of(uint32_t t, const json& mop, bool null_is_nil) {
    if (!mop.is_array() || mop.size() != 3 || !mop[0].is_string()) {
      fail("a micro-operation is [f, key, value], such as [\"append\", 1, 2]");
    }
    const std::string f = mop[0].get<std::string>();
    const int64_t k = key(mop[1]);
    const json& v = mop[2];
    if (f == "append") return history_.add_append(t, k, integer(v, "an appended value"));
    if (f == "w") return history_.add_write(t, k, integer(v, "a written value"));
    if (f != "r") fail("a micro-operation is append, w or r, not " + f);
    if (v.is_array()) {
      scratch_.clear();
      for (const json& element : v) scratch_.push_back(integer(element, "a list element"));
      return history_.add_list_read(t, k, scratch_);
    }
    if (v.is_number_integer()) return history_.add_value_read(t, k, v.get<int64_t>());
    if (!v.is_null()) fail("a read returns a list, an integer or null");
    if (null_is_nil) return history_.add_nil_read(t, k);
    history_.add_unknown_read(t, k, false);
  }

  std::string path_;
  std::size_t line_ = 0;
  History history_;
  std::map<uint64_t, Pending> pending_;
  std::unordered_map<std::string, std::size_t> key_ids_;
  bool numeric_keys_ = false;
  std::vector<int64_t> scratch_;
};

}  // namespace

void write_history(const History& history, std::ostream& out) {
  // What each line is: a transaction's invoke or completion, or a fault.
  struct Line {
    uint32_t id;
    uint8_t kind;  // 0 invoke, 1 completion, 2 nemesis
  };
  const auto& txns = history.transactions();
  const auto& faults = history.nemesis();
  std::vector<Line> lines(txns.size() * 2 + faults.size());
  for (uint32_t t = 0; t < txns.size(); ++t) {
    lines[txns[t].invoke_index] = {t, 0};
    lines[txns[t].complete_index] = {t, 1};
  }
  for (uint32_t n = 0; n < faults.size(); ++n) lines[faults[n].index] = {n, 2};
  LineWriter writer(history, out);
  for (const Line& line : lines) {
    if (line.kind < 2) {
      writer.operation(line.id, line.kind == 0);
      continue;
    }
    const NemesisRecord& fault = faults[line.id];
    out << json{{"index", fault.index},
                {"type", "info"},
                {"f", fault.fault.empty() ? fault.phase : fault.fault},
                {"value", {{"phase", fault.phase}, {"nodes", fault.nodes}}},
                {"process", "nemesis"},
                {"time", fault.time_ns}}
               .dump()
        << "\n";
  }
}

History parse_history(const std::string& path, std::istream& in) { return Reader(path).read(in); }

History read_history(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw HistoryFileError(path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) throw HistoryFileError(path + ": not a regular file");
  std::ifstream in(path);
  if (!in) throw HistoryFileError(path + ": cannot open it");
  return parse_history(path, in);
}

}  // namespace consistency
