// test_rig/sdk/plugin.h -- declaring a plugin, its options and tests, and
// exporting it with one macro.
//
//   test_rig::PluginDefinition define() {
//     using namespace test_rig;
//     TestDefinition test("roundtrip", "writes a row and reads it back");
//     test.initial(State::kInitial, std::make_unique<Setup>())
//         .state(DynamicState("verify", "Verify"), std::make_unique<Verify>())
//         .terminal(State::kCompleted)
//         .transition(State::kInitial, DynamicState("verify", "Verify"))
//         .transition(DynamicState("verify", "Verify"), State::kCompleted);
//     PluginDefinition plugin("sample", "1.0.0", "a sample plugin");
//     plugin.option(Option::integer("rows", 100, "rows to insert").bounds(1, 1e6))
//           .test(std::move(test));
//     return plugin;
//   }
//   TEST_RIG_PLUGIN(define)
//
// The definition is built once, when the host calls the entry function, and
// lives until the process exits (the host never unloads plugins). Every
// handler call goes through a trampoline that catches all exceptions.
#ifndef TEST_RIG_SDK_PLUGIN_H_
#define TEST_RIG_SDK_PLUGIN_H_

#include <charconv>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "test_rig/plugin_api.h"
#include "test_rig/sdk/abi_layout.h"
#include "test_rig/sdk/context.h"
#include "test_rig/sdk/errors.h"
#include "test_rig/sdk/handler.h"
#include "test_rig/sdk/host.h"
#include "test_rig/sdk/state.h"

namespace test_rig {

// An option a plugin declares; the host parses, validates and documents it.
class Option {
 public:
  static Option boolean(std::string name, bool value, std::string help) {
    return Option(std::move(name), RIG_OPTION_BOOL, value ? "true" : "false", std::move(help));
  }
  static Option integer(std::string name, int64_t value, std::string help) {
    return Option(std::move(name), RIG_OPTION_INT, std::to_string(value), std::move(help));
  }
  static Option floating(std::string name, double value, std::string help) {
    // Shortest text that reads back as `value`: "10", "0.01", "1e-07".
    char text[32];
    const auto written = std::to_chars(text, text + sizeof(text), value);
    return Option(std::move(name), RIG_OPTION_FLOAT, std::string(text, written.ptr),
                  std::move(help));
  }
  static Option string(std::string name, std::string value, std::string help) {
    return Option(std::move(name), RIG_OPTION_STRING, std::move(value), std::move(help));
  }
  static Option choice(std::string name, std::string value, std::vector<std::string> choices,
                       std::string help) {
    Option option(std::move(name), RIG_OPTION_ENUM, std::move(value), std::move(help));
    option.choices_ = std::move(choices);
    return option;
  }
  // `value` is comma-separated, e.g. "a,b".
  static Option list(std::string name, std::string value, std::string help) {
    return Option(std::move(name), RIG_OPTION_LIST, std::move(value), std::move(help));
  }

  Option& bounds(double min_value, double max_value) {
    flags_ |= RIG_OPTION_HAS_BOUNDS;
    min_ = min_value;
    max_ = max_value;
    return *this;
  }
  // The user must supply a value; the default is dropped.
  Option& required() {
    flags_ |= RIG_OPTION_REQUIRED;
    default_.reset();
    return *this;
  }
  Option& secret() {
    flags_ |= RIG_OPTION_SECRET;
    return *this;
  }
  // Names a file or directory this process writes (ABI 1.3): the shards of
  // one run may differ in it, and report merge does not compare it.
  Option& output() {
    flags_ |= RIG_OPTION_OUTPUT;
    return *this;
  }
  // A second command-line name, `--<name>` (ABI 1.2; older hosts know only
  // --<plugin>.<option>).
  Option& alias(std::string name) {
    alias_ = std::move(name);
    return *this;
  }

 private:
  friend class PluginDefinition;
  Option(std::string name, rig_option_type type, std::string value, std::string help)
      : name_(std::move(name)), type_(type), default_(std::move(value)), help_(std::move(help)) {}

  std::string name_;
  rig_option_type type_;
  std::optional<std::string> default_;
  std::string help_;
  uint32_t flags_ = 0;
  double min_ = 0, max_ = 0;
  std::vector<std::string> choices_;
  std::string alias_;
};

// One test: its states, handlers and allowed transitions.
class TestDefinition {
 public:
  TestDefinition(std::string name, std::string doc)
      : name_(std::move(name)), doc_(std::move(doc)) {}

  // Adds the initial state.
  TestDefinition& initial(StateId id, std::unique_ptr<StateHandler> handler, std::string doc = "") {
    return add(std::move(id), std::move(doc), std::move(handler), RIG_STATE_INITIAL);
  }
  // Adds an intermediate state.
  TestDefinition& state(StateId id, std::unique_ptr<StateHandler> handler, std::string doc = "") {
    return add(std::move(id), std::move(doc), std::move(handler), 0);
  }
  // Adds a terminal state; its handler (optional) runs enter and exit only.
  TestDefinition& terminal(StateId id, std::unique_ptr<StateHandler> handler = nullptr,
                           std::string doc = "") {
    return add(std::move(id), std::move(doc), std::move(handler), RIG_STATE_TERMINAL);
  }
  TestDefinition& transition(StateId from, StateId to) {
    transitions_.emplace_back(from.str(), to.str());
    return *this;
  }
  // Overrides the host's --state-timeout for the state added last.
  TestDefinition& timeout_ms(uint32_t ms) {
    states_.back().timeout_ms = ms;
    return *this;
  }
  TestDefinition& max_steps(uint32_t steps) {
    max_steps_ = steps;
    return *this;
  }
  // Declares a hook (ABI 1.2): a slot another plugin binds handlers to and
  // this test calls itself (Context::bound_hook), e.g. once per event on
  // each worker. `doc` says when it is called.
  TestDefinition& hook(std::string name, std::string doc) {
    hooks_.emplace_back(std::move(name), std::move(doc));
    return *this;
  }
  // The test runs in every shard of a run split with --shard I/N, and
  // does its shard's share of the work (Context::shard) instead of being
  // dealt to one shard (ABI 1.3; an older host runs it once, whole).
  TestDefinition& divides_its_work() {
    flags_ |= RIG_TEST_DIVIDES_ITS_WORK;
    return *this;
  }
  // Judges a report of this test against a baseline the test recorded
  // (ABI 1.4), for `test-rig report compare BASELINE AFTER.json`. `judge`
  // gets the baseline's text and the test's report entry (a JSON object),
  // returns false when the baseline is none this test records, and else
  // adds one case per item of the baseline (ctx.add_case: RIG_OK when the
  // report keeps it, RIG_FAILED saying what changed) and returns true. An
  // exception is an error, its message printed.
  using BaselineJudge = std::function<bool(Context& ctx, const std::string& baseline,
                                           const std::string& report_entry)>;
  TestDefinition& judges_baseline(BaselineJudge judge) {
    judge_ = std::move(judge);
    return *this;
  }
  // Checks the run's options before any test of the run starts (ABI 1.5),
  // where a declaration cannot: a value's format, options that exclude
  // each other. `check` reads them from ctx (no database session) and
  // throws, naming the option and what to give, when the test cannot run
  // with them; the host then runs nothing and exits 2. An older host does
  // not call it, so the handlers still check what they read.
  using OptionCheck = std::function<void(Context& ctx)>;
  TestDefinition& checks_options(OptionCheck check) {
    option_check_ = std::move(check);
    return *this;
  }

 private:
  friend class PluginDefinition;
  struct StateEntry {
    std::string id, doc;
    std::unique_ptr<StateHandler> handler;
    uint32_t flags = 0;
    uint32_t timeout_ms = 0;
  };

  // A state without a doc of its own is described by its DynamicState name.
  TestDefinition& add(StateId id, std::string doc, std::unique_ptr<StateHandler> handler,
                      uint32_t flags) {
    if (doc.empty()) doc = id.name();
    states_.push_back({id.str(), std::move(doc), std::move(handler), flags, 0});
    return *this;
  }

  std::string name_, doc_;
  std::vector<StateEntry> states_;
  std::vector<std::pair<std::string, std::string>> transitions_;
  uint32_t max_steps_ = 0;
  std::vector<std::pair<std::string, std::string>> hooks_;  // name, doc
  uint32_t flags_ = 0;                                      // RIG_TEST_* bits
  BaselineJudge judge_;                                     // empty: records no baseline
  OptionCheck option_check_;                                // empty: checks as it runs
};

// A command the plugin adds to test-rig (ABI 1.2): `test-rig NAME ARGS...`.
// The body gets the words after NAME and returns the exit code; Failure
// makes it 1, UsageError 2, any other exception 3, with the message on
// stderr.
//
//   plugin.command(Command("check", "HISTORY", "check a recorded history",
//       [](Context& ctx, const std::vector<std::string>& args) { ...; return 0; }));
class Command {
 public:
  using Body = std::function<int(Context&, const std::vector<std::string>&)>;
  Command(std::string name, std::string usage, std::string doc, Body body)
      : name_(std::move(name)),
        usage_(std::move(usage)),
        doc_(std::move(doc)),
        body_(std::move(body)) {}

 private:
  friend class PluginDefinition;
  std::string name_, usage_, doc_;
  Body body_;
};

// The configure phase of a plugin (ABI 1.2): given the plugin's resolved
// options, returns the plugin as configured -- keep(PluginDefinition(...))
// -- or nullptr to stay as declared. See PluginDefinition::configure.
using Configure = std::function<const rig_plugin_descriptor*(Context&)>;

namespace internal {

// Runs `body`, turning every exception into a status and message.
template <typename Body>
rig_status guarded(rig_run* run, Body&& body) {
  auto fail = [run](rig_status status, const char* message) {
    host().set_message(run, message);
    return status;
  };
  try {
    body();
    return RIG_OK;
  } catch (const Failure& e) {
    return fail(RIG_FAILED, e.what());
  } catch (const Skip& e) {
    return fail(RIG_SKIPPED, e.what());
  } catch (const ReportedError& e) {
    return e.status();  // the host holds the message (e.g. of a failed connect)
  } catch (const std::exception& e) {
    return fail(RIG_ERROR, e.what());
  } catch (...) {
    return fail(RIG_ERROR, "handler threw an exception of unknown type");
  }
}

inline rig_status enter_trampoline(void* user, rig_run* run) {
  return guarded(run, [&] {
    Context ctx(run);
    static_cast<StateHandler*>(user)->enter(ctx);
  });
}

inline rig_status execute_trampoline(void* user, rig_run* run, const char** next) {
  // The next state's id must outlive this call; a thread-local string does,
  // since the host copies it before calling into the plugin again.
  thread_local std::string next_id;
  return guarded(run, [&] {
    Context ctx(run);
    next_id = static_cast<StateHandler*>(user)->execute(ctx).str();
    *next = next_id.c_str();
  });
}

inline int32_t command_trampoline(void* user, rig_run* run, const char* const* args,
                                  uint32_t count) {
  auto fail = [run](int32_t code, const char* message) {
    host().set_message(run, message);
    return code;
  };
  try {
    Context ctx(run);
    return (*static_cast<Command::Body*>(user))(ctx, std::vector<std::string>(args, args + count));
  } catch (const Failure& e) {
    return fail(1, e.what());
  } catch (const UsageError& e) {
    return fail(2, e.what());
  } catch (const std::exception& e) {
    return fail(3, e.what());
  } catch (...) {
    return fail(3, "command threw an exception of unknown type");
  }
}

inline rig_status judge_baseline_trampoline(void* user, rig_run* run, const char* baseline,
                                            size_t baseline_size, const char* entry,
                                            size_t entry_size) {
  bool judged = false;
  const rig_status status = guarded(run, [&] {
    Context ctx(run);
    judged = (*static_cast<TestDefinition::BaselineJudge*>(user))(
        ctx, std::string(baseline, baseline_size), std::string(entry, entry_size));
  });
  return status == RIG_OK && !judged ? RIG_SKIPPED : status;
}

// Every way a check refuses the options is a usage error.
inline rig_status check_options_trampoline(void* user, rig_run* run) {
  const rig_status status = guarded(run, [&] {
    Context ctx(run);
    (*static_cast<TestDefinition::OptionCheck*>(user))(ctx);
  });
  return status == RIG_OK ? RIG_OK : RIG_ERROR;
}

inline rig_status exit_trampoline(void* user, rig_run* run) {
  return guarded(run, [&] {
    Context ctx(run);
    static_cast<StateHandler*>(user)->exit(ctx);
  });
}

// Points `state` at `handler` through the trampolines; a terminal state
// gets no execute.
inline void attach_handler(rig_state_descriptor& state, StateHandler* handler, bool terminal) {
  state.user = handler;
  state.enter = &enter_trampoline;
  state.execute = terminal ? nullptr : &execute_trampoline;
  state.exit = &exit_trampoline;
}

inline const rig_plugin_descriptor* configure_trampoline(void* user, rig_run* run) {
  const rig_plugin_descriptor* configured = nullptr;
  guarded(run, [&] {
    Context ctx(run);
    configured = (*static_cast<Configure*>(user))(ctx);
  });
  return configured;
}

}  // namespace internal

// A plugin: name, version, options and tests. Builds the C descriptor.
class PluginDefinition {
 public:
  PluginDefinition(std::string name, std::string version, std::string doc)
      : name_(std::move(name)), version_(std::move(version)), doc_(std::move(doc)) {}

  PluginDefinition& option(Option option) {
    options_.push_back(std::move(option));
    return *this;
  }
  PluginDefinition& test(TestDefinition test) {
    tests_.push_back(std::move(test));
    return *this;
  }
  PluginDefinition& command(Command command) {
    commands_.push_back(std::move(command));
    return *this;
  }
  // The configure phase (ABI 1.2): once every option is resolved, before any
  // test is listed, `body` decides the tests from the plugin's options (read
  // through its Context). What it returns replaces these tests (its
  // options and commands are not read again); nullptr keeps them; an exception makes its message a
  // load problem. Older hosts never call it: the plugin then has the tests declared here.
  PluginDefinition& configure(Configure body) {
    configure_ = std::move(body);
    return *this;
  }

  // Builds the descriptor. Everything it points to is owned by this object,
  // which must therefore outlive every use of the descriptor.
  const rig_plugin_descriptor* descriptor() {
    for (Option& option : options_) option_ptrs_.push_back(build_option(option));
    for (TestDefinition& test : tests_) test_ptrs_.push_back(build_test(test));
    for (Command& command : commands_) {
      rig_command_descriptor& built = command_descriptors_.emplace_back();
      built.struct_size = sizeof(rig_command_descriptor);
      built.name = command.name_.c_str();
      built.usage = command.usage_.c_str();
      built.doc = command.doc_.c_str();
      built.run = &internal::command_trampoline;
      built.user = &command.body_;
      command_ptrs_.push_back(&built);
    }
    descriptor_ = {};
    descriptor_.struct_size = sizeof(rig_plugin_descriptor);
    descriptor_.abi_major = RIG_ABI_VERSION_MAJOR;
    descriptor_.abi_minor = RIG_ABI_VERSION_MINOR;
    descriptor_.name = name_.c_str();
    descriptor_.version = version_.c_str();
    descriptor_.doc = doc_.c_str();
    descriptor_.options = option_ptrs_.data();
    descriptor_.option_count = static_cast<uint32_t>(option_ptrs_.size());
    descriptor_.tests = test_ptrs_.data();
    descriptor_.test_count = static_cast<uint32_t>(test_ptrs_.size());
    descriptor_.commands = command_ptrs_.data();
    descriptor_.command_count = static_cast<uint32_t>(command_ptrs_.size());
    if (configure_) {
      descriptor_.configure = &internal::configure_trampoline;
      descriptor_.configure_user = &configure_;
    }
    return &descriptor_;
  }

 private:
  const rig_option_spec* build_option(Option& option) {
    auto& choices = choice_arrays_.emplace_back();
    for (const std::string& choice : option.choices_) choices.push_back(choice.c_str());
    rig_option_spec& spec = option_specs_.emplace_back();
    spec.struct_size = sizeof(rig_option_spec);
    spec.name = option.name_.c_str();
    spec.type = option.type_;
    spec.default_value = option.default_ ? option.default_->c_str() : nullptr;
    spec.help = option.help_.c_str();
    spec.flags = option.flags_;
    spec.min_value = option.min_;
    spec.max_value = option.max_;
    spec.choices = choices.data();
    spec.choice_count = static_cast<uint32_t>(choices.size());
    spec.alias = option.alias_.empty() ? nullptr : option.alias_.c_str();
    return &spec;
  }

  const rig_test_descriptor* build_test(TestDefinition& test) {
    auto& states = state_arrays_.emplace_back();
    for (auto& entry : test.states_) {
      rig_state_descriptor& state = state_descriptors_.emplace_back();
      state.struct_size = sizeof(rig_state_descriptor);
      state.id = entry.id.c_str();
      state.doc = entry.doc.c_str();
      state.flags = entry.flags;
      state.timeout_ms = entry.timeout_ms;
      if (entry.handler) {
        internal::attach_handler(state, entry.handler.get(), entry.flags & RIG_STATE_TERMINAL);
      }
      states.push_back(&state);
    }
    auto& transitions = transition_arrays_.emplace_back();
    for (auto& [from, to] : test.transitions_) {
      rig_transition_descriptor& transition = transition_descriptors_.emplace_back();
      transition.struct_size = sizeof(rig_transition_descriptor);
      transition.from = from.c_str();
      transition.to = to.c_str();
      transitions.push_back(&transition);
    }
    rig_test_descriptor& descriptor = test_descriptors_.emplace_back();
    descriptor.struct_size = sizeof(rig_test_descriptor);
    descriptor.name = test.name_.c_str();
    descriptor.doc = test.doc_.c_str();
    descriptor.states = states.data();
    descriptor.state_count = static_cast<uint32_t>(states.size());
    descriptor.transitions = transitions.data();
    descriptor.transition_count = static_cast<uint32_t>(transitions.size());
    descriptor.max_steps = test.max_steps_;
    descriptor.flags = test.flags_;
    if (test.judge_) {
      descriptor.judge_baseline = &internal::judge_baseline_trampoline;
      descriptor.judge_baseline_user = &test.judge_;
    }
    if (test.option_check_) {
      descriptor.check_options = &internal::check_options_trampoline;
      descriptor.check_options_user = &test.option_check_;
    }
    auto& hooks = hook_arrays_.emplace_back();
    for (auto& [name, doc] : test.hooks_) {
      rig_hook_descriptor& hook = hook_descriptors_.emplace_back();
      hook.struct_size = sizeof(rig_hook_descriptor);
      hook.name = name.c_str();
      hook.doc = doc.c_str();
      hooks.push_back(&hook);
    }
    descriptor.hooks = hooks.data();
    descriptor.hook_count = static_cast<uint32_t>(hooks.size());
    return &descriptor;
  }

  std::string name_, version_, doc_;
  std::vector<Option> options_;
  std::vector<TestDefinition> tests_;
  std::deque<Command> commands_;  // a deque: descriptors point at the bodies
  Configure configure_;
  // Deques keep element addresses stable while they grow.
  std::deque<rig_option_spec> option_specs_;
  std::deque<std::vector<const char*>> choice_arrays_;
  std::deque<rig_state_descriptor> state_descriptors_;
  std::deque<std::vector<const rig_state_descriptor*>> state_arrays_;
  std::deque<rig_transition_descriptor> transition_descriptors_;
  std::deque<std::vector<const rig_transition_descriptor*>> transition_arrays_;
  std::deque<rig_test_descriptor> test_descriptors_;
  std::deque<rig_hook_descriptor> hook_descriptors_;
  std::deque<std::vector<const rig_hook_descriptor*>> hook_arrays_;
  std::deque<rig_command_descriptor> command_descriptors_;
  std::vector<const rig_command_descriptor*> command_ptrs_;
  std::vector<const rig_option_spec*> option_ptrs_;
  std::vector<const rig_test_descriptor*> test_ptrs_;
  rig_plugin_descriptor descriptor_{};
};

// Makes `handler` run state `state` of test `plugin`/`test`, a test of any
// plugin: a Python handler in a C++ test (ABI 1.1). Applies once every
// plugin has loaded; a missing test or state becomes a load problem naming
// `origin` (where the binding was made, e.g. a file). `handler` must live
// until the process exits. [main-thread: in the entry function or configure]
inline void bind_state(const std::string& plugin, const std::string& test, const std::string& state,
                       StateHandler* handler, const std::string& origin) {
  internal::require_host(offsetof(rig_host_api, bind_state_handler), "bind_state", 1);
  rig_state_descriptor descriptor{};
  descriptor.struct_size = sizeof(descriptor);
  internal::attach_handler(descriptor, handler, /*terminal=*/false);
  host().bind_state_handler(plugin.c_str(), test.c_str(), state.c_str(), &descriptor,
                            origin.c_str());
}

// `definition` built into its descriptor, which stays valid until the
// process exits: what an entry function or a configure body returns.
inline const rig_plugin_descriptor* keep(PluginDefinition definition) {
  // Intentionally never freed: the host never unloads plugins.
  return (new PluginDefinition(std::move(definition)))->descriptor();
}

// What an entry function returns when it fails: null, with `message` (cut
// to fit) in the host's buffer. For entry functions written by hand.
inline const rig_plugin_descriptor* refuse_entry(rig_entry_error* error, const char* message) {
  if (error && error->buffer && error->buffer_size > 0) {
    std::strncpy(error->buffer, message, error->buffer_size - 1);
    error->buffer[error->buffer_size - 1] = '\0';
  }
  return nullptr;
}

// The body of an entry function: checks the host's ABI, keeps `host_api`
// for the SDK, and returns keep(define()) -- once per library, however
// often it is called. TEST_RIG_PLUGIN writes the usual entry function
// with it; a plugin that picks its body while it loads calls it from an
// entry function of its own. [main-thread]
template <typename Define>
const rig_plugin_descriptor* enter_plugin(const rig_host_api* host_api, rig_entry_error* error,
                                          Define define) {
  auto report = [error](const char* message) { return refuse_entry(error, message); };
  if (host_api == nullptr || host_api->abi_major != RIG_ABI_VERSION_MAJOR) {
    return report("host ABI major version differs from the plugin's");
  }
  internal::host_slot() = host_api;
  if (host_has(*host_api, offsetof(rig_host_api, entry_plugin_path))) {
    const char* path = host_api->entry_plugin_path();
    internal::plugin_path_slot() = path ? path : "";
  }
  try {
    static const rig_plugin_descriptor* descriptor = keep(define());
    return descriptor;
  } catch (const std::exception& e) {
    return report(e.what());
  } catch (...) {
    return report("plugin definition threw an exception of unknown type");
  }
}
}  // namespace test_rig

// Defines the exported entry function from `define`, a function returning a
// test_rig::PluginDefinition. Use once per plugin library.
#define TEST_RIG_PLUGIN(define)                                                  \
  extern "C" RIG_PLUGIN_EXPORT const rig_plugin_descriptor* rig_plugin_entry_v1( \
      const rig_host_api* host, rig_entry_error* error) {                        \
    return ::test_rig::enter_plugin(host, error, define);                        \
  }

#endif  // TEST_RIG_SDK_PLUGIN_H_
