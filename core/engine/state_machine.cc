#include "core/engine/state_machine.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace rig {
namespace {

std::string quote_list(const std::vector<std::string>& ids) {
  std::string text;
  for (const auto& id : ids) text += (text.empty() ? "'" : ", '") + id + "'";
  return text;
}

// The states reachable from `start` following `edges`.
std::set<std::string> reachable(const std::string& start,
                                const std::map<std::string, std::vector<std::string>>& edges) {
  std::set<std::string> seen{start};
  std::vector<std::string> pending{start};
  while (!pending.empty()) {
    std::string id = pending.back();
    pending.pop_back();
    auto it = edges.find(id);
    if (it == edges.end()) continue;
    for (const auto& next : it->second) {
      if (seen.insert(next).second) pending.push_back(next);
    }
  }
  return seen;
}

std::string escape_dot(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

}  // namespace

const StateDefinition* TestMachine::find(const std::string& id) const {
  for (const auto& state : states) {
    if (state.id == id) return &state;
  }
  return nullptr;
}

const StateDefinition* TestMachine::find_state_or_hook(const std::string& name) const {
  if (const StateDefinition* state = find(name)) return state;
  for (const auto& hook : hooks) {
    if (hook.id == name) return &hook;
  }
  return nullptr;
}

const StateDefinition* TestMachine::initial_state() const {
  for (const auto& state : states) {
    if (state.initial) return &state;
  }
  return nullptr;
}

bool TestMachine::allows(const std::string& from, const std::string& to) const {
  return std::find(transitions.begin(), transitions.end(), std::make_pair(from, to)) !=
         transitions.end();
}

std::vector<std::string> validate(const TestMachine& machine) {
  std::vector<std::string> problems;
  std::set<std::string> ids;
  std::vector<std::string> initials;
  for (const auto& state : machine.states) {
    if (state.id.empty()) problems.push_back("a state has an empty id");
    if (!ids.insert(state.id).second) {
      problems.push_back("state '" + state.id + "' is declared twice");
    }
    if (state.initial) initials.push_back(state.id);
  }
  for (const auto& hook : machine.hooks) {
    if (hook.id.empty()) problems.push_back("a hook has an empty name");
    if (!ids.insert(hook.id).second) {
      problems.push_back("hook '" + hook.id + "' has the name of another state or hook");
    }
  }
  if (initials.empty()) problems.push_back("no initial state is declared");
  if (initials.size() > 1) {
    problems.push_back("more than one initial state: " + quote_list(initials));
  }

  std::map<std::string, std::vector<std::string>> forward, backward;
  for (const auto& [from, to] : machine.transitions) {
    const StateDefinition* source = machine.find(from);
    if (source == nullptr) {
      problems.push_back("transition '" + from + "' -> '" + to + "' starts at an undeclared state");
      continue;
    }
    if (machine.find(to) == nullptr) {
      problems.push_back("transition '" + from + "' -> '" + to + "' targets an undeclared state");
      continue;
    }
    if (source->terminal) {
      problems.push_back("terminal state '" + from + "' has an outgoing transition to '" + to +
                         "'");
    }
    forward[from].push_back(to);
    backward[to].push_back(from);
  }
  if (initials.size() != 1) return problems;

  std::set<std::string> live = reachable(initials.front(), forward);
  std::set<std::string> can_finish;
  for (const auto& state : machine.states) {
    if (!state.terminal) continue;
    auto into = reachable(state.id, backward);
    can_finish.insert(into.begin(), into.end());
  }
  std::vector<std::string> no_handler, stuck;
  for (const auto& state : machine.states) {
    if (!live.count(state.id)) continue;
    if (!state.terminal && state.execute == nullptr) no_handler.push_back(state.id);
    if (!can_finish.count(state.id)) stuck.push_back(state.id);
  }
  if (!no_handler.empty()) {
    problems.push_back("reachable states without an execute handler: " + quote_list(no_handler));
  }
  if (!stuck.empty()) {
    problems.push_back("no terminal state is reachable from: " + quote_list(stuck) +
                       " (the run could never end)");
  }
  return problems;
}

std::string to_dot(const TestMachine& machine) {
  std::ostringstream dot;
  dot << "digraph \"" << escape_dot(machine.name) << "\" {\n  rankdir=LR;\n";
  for (const auto& state : machine.states) {
    dot << "  \"" << escape_dot(state.id) << "\" [shape="
        << (state.terminal  ? "doublecircle"
            : state.initial ? "box"
                            : "ellipse");
    if (!state.doc.empty()) dot << ", tooltip=\"" << escape_dot(state.doc) << "\"";
    dot << "];\n";
  }
  for (const auto& [from, to] : machine.transitions) {
    dot << "  \"" << escape_dot(from) << "\" -> \"" << escape_dot(to) << "\";\n";
  }
  dot << "}\n";
  return dot.str();
}

}  // namespace rig
