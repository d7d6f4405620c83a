#include "check_report.h"

#include <array>
#include <filesystem>
#include <utility>
#include <vector>

#include "explanation.h"
#include "history_json.h"
#include "history_text.h"
#include "write_file.h"

namespace consistency {
namespace {

namespace fs = std::filesystem;
using rig_plugins::write_file;

// The anomalies numbered within their class, in the order found.
template <typename Each>
void numbered(const CheckResult& result, Each&& each) {
  std::array<int, kAnomalyClassCount> numbers{};
  for (const Anomaly& anomaly : result.anomalies) {
    each(anomaly, ++numbers[static_cast<int>(anomaly.cls)]);
  }
}

}  // namespace

std::string fresh_directory(const std::string& parent, const std::string& name) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw std::runtime_error("cannot make the directory " + parent + ": " + ec.message());
  for (int n = 1;; ++n) {
    const std::string path =
        (fs::path(parent) / (n == 1 ? name : name + "-" + std::to_string(n))).string();
    if (fs::create_directory(path, ec)) return path;
    if (ec) throw std::runtime_error("cannot make the directory " + path + ": " + ec.message());
  }
}

CheckFiles write_check_files(const std::string& directory, const History& history,
                             const CheckResult& result, bool with_history) {
  CheckFiles files;
  files.directory = directory;
  if (with_history) {
    files.history = (fs::path(directory) / "history.jsonl").string();
    write_file(files.history, [&](std::ostream& out) { write_history(history, out); });
  }
  files.explanations = (fs::path(directory) / "anomalies.txt").string();
  write_file(files.explanations, [&](std::ostream& out) {
    if (result.anomalies.empty()) out << "No anomaly found.\n";
    numbered(result, [&](const Anomaly& anomaly, int n) {
      out << explain_anomaly(history, anomaly, n) << "\n";
    });
  });
  if (result.anomalies.empty()) return files;
  const fs::path graphs = fs::path(directory) / "graphs";
  fs::create_directory(graphs);
  numbered(result, [&](const Anomaly& anomaly, int n) {
    const std::string path =
        (graphs / (std::string(anomaly_name(anomaly.cls)) + "-" + std::to_string(n) + ".dot"))
            .string();
    write_file(path, [&](std::ostream& out) { out << anomaly_dot(history, anomaly, n); });
    files.graphs.push_back(path);
  });
  return files;
}

std::string CheckReport::summary(int explain) const {
  std::string text = std::to_string(result.transactions) + " transactions (" +
                     std::to_string(result.ok) + " ok, " + std::to_string(result.failed) +
                     " fail, " + std::to_string(result.indeterminate) + " info) checked as " +
                     workload_name(workload) + " against " + model.name + " (" + model_source +
                     ")\n";
  std::string found;
  for (AnomalyClass cls : checked_classes(workload)) {
    const uint64_t count = result.counts[static_cast<int>(cls)];
    if (count == 0) continue;
    found += std::string(found.empty() ? "" : ", ") + anomaly_name(cls) + " " +
             std::to_string(count) + (model.forbids(cls) ? " FORBIDDEN" : " (allowed)");
  }
  text += found.empty()
              ? "no anomaly found in the " + std::to_string(checked_classes(workload).size()) +
                    " classes checked\n"
              : "found: " + found + "\n";
  for (AnomalyClass cls : verdict.undecided) {
    text += std::string("undecided: ") + anomaly_name(cls) +
            ": the search for such cycles ran out of budget (--consistency.search-budget)\n";
  }
  int shown = 0;
  // Forbidden anomalies first: they are the verdict.
  for (bool forbidden : {true, false}) {
    numbered(result, [&](const Anomaly& anomaly, int n) {
      if (shown >= explain || model.forbids(anomaly.cls) != forbidden) return;
      ++shown;
      text += explain_anomaly(history, anomaly, n);
    });
  }
  if (shown < static_cast<int>(result.anomalies.size())) {
    text += std::to_string(result.anomalies.size() - static_cast<std::size_t>(shown)) +
            " more explained in " + files.explanations + "\n";
  }
  if (!files.history.empty()) text += "history: " + files.history + "\n";
  if (!files.graphs.empty()) {
    text += "graphs: " + std::to_string(files.graphs.size()) + " in " + files.directory +
            "/graphs (dot -Tsvg FILE > FILE.svg)\n";
  }
  return text;
}

nlohmann::json CheckReport::details(int explain) const {
  nlohmann::json anomalies = nlohmann::json::object(), forbidden = nlohmann::json::array();
  nlohmann::json gave_up = nlohmann::json::object();
  for (AnomalyClass cls : checked_classes(workload)) {
    anomalies[anomaly_name(cls)] = result.counts[static_cast<int>(cls)];
    gave_up[anomaly_name(cls)] = result.undecided[static_cast<int>(cls)];
    if (model.forbids(cls)) forbidden.push_back(anomaly_name(cls));
  }
  auto names = [](const std::vector<AnomalyClass>& classes) {
    nlohmann::json list = nlohmann::json::array();
    for (AnomalyClass cls : classes) list.push_back(anomaly_name(cls));
    return list;
  };
  // `explain` anomalies in all, taken from each class in turn: a class
  // found a thousand times does not hide the others.
  std::array<std::vector<std::pair<const Anomaly*, int>>, kAnomalyClassCount> by_class;
  numbered(result, [&](const Anomaly& anomaly, int n) {
    by_class[static_cast<int>(anomaly.cls)].emplace_back(&anomaly, n);
  });
  nlohmann::json explained = nlohmann::json::array();
  for (std::size_t round = 0, taken = 1; taken > 0; ++round) {
    taken = 0;
    for (const auto& list : by_class) {
      if (round >= list.size() || static_cast<int>(explained.size()) >= explain) continue;
      const auto& [anomaly, n] = list[round];
      ++taken;
      nlohmann::json txns = nlohmann::json::array();
      for (uint32_t t : anomaly->transactions) txns.push_back(transaction_name(history, t));
      nlohmann::json steps = nlohmann::json::array();
      for (const Step& step : anomaly->steps) {
        steps.push_back({{"from", transaction_name(history, step.from)},
                         {"to", transaction_name(history, step.to)},
                         {"kind", edge_name(step.kind)}});
      }
      explained.push_back({{"class", anomaly_name(anomaly->cls)},
                           {"transactions", txns},
                           {"steps", steps},
                           {"text", explain_anomaly(history, *anomaly, n)}});
    }
  }
  return {{"workload", workload_name(workload)},
          {"model", model.name},
          {"model_source", model_source},
          {"valid", verdict.valid()},
          {"transactions",
           {{"total", result.transactions},
            {"ok", result.ok},
            {"fail", result.failed},
            {"info", result.indeterminate}}},
          {"anomalies", anomalies},
          {"gave_up", gave_up},  // per class: components the search gave up on
          {"forbidden", forbidden},
          {"found_forbidden", names(verdict.found)},
          {"undecided", names(verdict.undecided)},
          {"graph",
           {{"edges", result.edges},
            {"components", result.components},
            {"largest_component", result.largest_component}}},
          {"explanations", explained},
          {"files",
           {{"directory", files.directory},
            {"history", files.history},
            {"explanations", files.explanations},
            // The folder and a count: a long run draws thousands of graphs.
            {"graphs", files.graphs.empty() ? std::string() : files.directory + "/graphs"},
            {"graph_count", files.graphs.size()}}}};
}

}  // namespace consistency
