// test_rig/sdk/state.h -- names of states: the core `State` enum for the
// standard workflow, `DynamicState` for a plugin's own phases, and
// `StateId`, which accepts either wherever the SDK wants a state.
//
//   using namespace test_rig;
//   StateId next = State::Connecting;                  // core state
//   DynamicState load("load_rows", "Load rows");       // plugin's own state
//   StateId also = load;
//   StateId done = common_states::completed();
//
// Core and dynamic states share one namespace of string ids and run on one
// engine; the enum only spares typos for the standard workflow.
#ifndef TEST_RIG_SDK_STATE_H_
#define TEST_RIG_SDK_STATE_H_

#include <string>
#include <string_view>
#include <utility>

namespace test_rig {

// The standard workflow of a connection test.
enum class State {
  kInitial,
  kParsingConfig,
  kConnecting,
  kTestingConnection,
  kVerifyingDatabase,
  kGettingVersion,
  kCompleted,
  kError,
};

// Every State, for a binding that offers them all (Python's PyState).
inline constexpr State kStates[] = {
    State::kInitial,           State::kParsingConfig,
    State::kConnecting,        State::kTestingConnection,
    State::kVerifyingDatabase, State::kGettingVersion,
    State::kCompleted,         State::kError,
};

// The id a core state has in descriptors, reports and DOT output.
constexpr std::string_view state_id(State state) {
  switch (state) {
    case State::kInitial: return "initial";
    case State::kParsingConfig: return "parsing_config";
    case State::kConnecting: return "connecting";
    case State::kTestingConnection: return "testing_connection";
    case State::kVerifyingDatabase: return "verifying_database";
    case State::kGettingVersion: return "getting_version";
    case State::kCompleted: return "completed";
    case State::kError: return "error";
  }
  return "error";
}

// A state a plugin defines for its own phase: a stable id and a readable name.
class DynamicState {
 public:
  DynamicState(std::string id, std::string name) : id_(std::move(id)), name_(std::move(name)) {}

  const std::string& id() const { return id_; }
  const std::string& name() const { return name_; }

  friend bool operator==(const DynamicState& a, const DynamicState& b) { return a.id_ == b.id_; }

 private:
  std::string id_;
  std::string name_;
};

// Either kind of state, reduced to its id.
class StateId {
 public:
  StateId(State state) : id_(state_id(state)) {}  // NOLINT: implicit by design
  StateId(const DynamicState& state) : id_(state.id()), name_(state.name()) {}  // NOLINT
  StateId(std::string id) : id_(std::move(id)) {}                               // NOLINT
  StateId(const char* id) : id_(id) {}                                          // NOLINT

  const std::string& str() const { return id_; }
  // A DynamicState's readable name ("Run matrix"); "" for the other kinds.
  const std::string& name() const { return name_; }
  friend bool operator==(const StateId& a, const StateId& b) { return a.id_ == b.id_; }

 private:
  std::string id_;
  std::string name_;
};

// The core states as DynamicStates, for machines that mix both kinds.
namespace common_states {
inline DynamicState initial() { return {"initial", "Initial"}; }
inline DynamicState parsing_config() { return {"parsing_config", "Parsing config"}; }
inline DynamicState connecting() { return {"connecting", "Connecting"}; }
inline DynamicState testing_connection() { return {"testing_connection", "Testing connection"}; }
inline DynamicState verifying_database() { return {"verifying_database", "Verifying database"}; }
inline DynamicState getting_version() { return {"getting_version", "Getting version"}; }
inline DynamicState completed() { return {"completed", "Completed"}; }
inline DynamicState error() { return {"error", "Error"}; }
}  // namespace common_states

}  // namespace test_rig

#endif  // TEST_RIG_SDK_STATE_H_
