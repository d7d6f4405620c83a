#include "explanation.h"

#include <algorithm>

#include "history_text.h"

namespace consistency {
namespace {

std::vector<uint32_t> distinct(const std::vector<uint32_t>& txns) {
  std::vector<uint32_t> out;
  for (uint32_t t : txns) {
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

std::string dot_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string explain_anomaly(const History& history, const Anomaly& anomaly, int number) {
  std::string text = std::string(anomaly_name(anomaly.cls)) + " #" + std::to_string(number) + "\n";
  for (uint32_t t : distinct(anomaly.transactions)) {
    text += "  " + describe_transaction(history, t) + "\n";
  }
  if (anomaly.steps.empty()) return text + "  " + anomaly.why + "\n";
  for (const Step& step : anomaly.steps) {
    text += "  " + transaction_name(history, step.from) + " precedes " +
            transaction_name(history, step.to) + " (" + edge_name(step.kind) + "): " + step.why +
            "\n";
  }
  const std::string first = transaction_name(history, anomaly.steps.front().from);
  return text + "  So " + first + " precedes itself: no order of the transactions explains " +
         "what they saw.\n";
}

std::string anomaly_dot(const History& history, const Anomaly& anomaly, int number) {
  std::string dot =
      "digraph " +
      dot_quoted(std::string(anomaly_name(anomaly.cls)) + " #" + std::to_string(number)) +
      " {\n  node [shape=box, fontname=\"monospace\"];\n";
  for (uint32_t t : distinct(anomaly.transactions)) {
    dot += "  " + transaction_name(history, t) +
           " [label=" + dot_quoted(describe_transaction(history, t)) + "];\n";
  }
  for (const Step& step : anomaly.steps) {
    dot += "  " + transaction_name(history, step.from) + " -> " +
           transaction_name(history, step.to) + " [label=" + dot_quoted(edge_name(step.kind)) +
           ", tooltip=" + dot_quoted(step.why) + "];\n";
  }
  if (anomaly.steps.empty()) {
    dot += "  label=" + dot_quoted(anomaly.why) + ";\n";
  }
  return dot + "}\n";
}

}  // namespace consistency
