#include "python_plugin.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <set>

#include "test_rig/sdk/isolated_call.h"

#include "plugin_identity.h"
#include "python_handler.h"

namespace py = pybind11;
namespace fs = std::filesystem;

namespace rig_python {
namespace {

// `path` itself when it is a file, else the test_*.py files in it.
std::vector<std::string> test_files(const std::string& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return {path};
  const std::string& directory = path;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.rfind("test_", 0) == 0 &&
        entry.path().extension() == ".py") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A test id for a file that failed to import: its stem, made a valid name.
std::string broken_file_test_name(const std::string& path) {
  std::string stem = fs::path(path).stem().string();
  if (stem.rfind("test_", 0) == 0) stem = stem.substr(5);
  for (char& c : stem) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  }
  return stem.empty() ? "unnamed" : stem;
}

// A test named after `path` that errors with `message` on every run.
void add_broken_file(test_rig::PluginDefinition& plugin, const std::string& path,
                     const std::string& message) {
  test_rig::TestDefinition broken(broken_file_test_name(path), "could not be loaded");
  broken.initial("load", std::make_unique<BrokenFileHandler>(message))
      .terminal(test_rig::State::kCompleted)
      .transition("load", test_rig::State::kCompleted);
  plugin.test(std::move(broken));
}

test_rig::TestDefinition test_from(const py::handle& test) {
  test_rig::TestDefinition definition(test.attr("name").cast<std::string>(),
                                      test.attr("doc").cast<std::string>());
  const std::string initial = test.attr("initial").cast<std::string>();
  py::dict states = test.attr("states");
  auto transitions =
      test.attr("transitions").cast<std::vector<std::pair<std::string, std::string>>>();
  py::object timeout_s = test.attr("timeout_s");
  std::set<std::string> declared;
  auto add = [&](const std::string& id, std::unique_ptr<test_rig::StateHandler> handler,
                 bool terminal) {
    if (id == initial) {
      definition.initial(id, std::move(handler));
    } else if (terminal) {
      definition.terminal(id, std::move(handler));
    } else {
      definition.state(id, std::move(handler));
    }
    if (!timeout_s.is_none()) {
      definition.timeout_ms(static_cast<uint32_t>(timeout_s.cast<double>() * 1000));
    }
    declared.insert(id);
  };
  for (auto [id, handler] : states) {
    add(id.cast<std::string>(),
        std::make_unique<PythonHandler>(py::reinterpret_borrow<py::object>(handler)), false);
  }
  for (const auto& [from, to] : transitions) {
    for (const std::string& id : {from, to}) {
      if (!declared.count(id)) add(id, nullptr, true);
    }
    definition.transition(from, to);
  }
  return definition;
}

void bind_handler(const py::handle& binding, const std::string& origin) {
  auto [plugin, test, state, handler] =
      binding.cast<std::tuple<std::string, std::string, std::string, py::object>>();
  // Lives until the process exits, as bound handlers must.
  test_rig::bind_state(plugin, test, state, new PythonHandler(handler), origin);
}

}  // namespace

test_rig::PluginDefinition define_python_plugin(const std::vector<std::string>& paths) {
  test_rig::PluginDefinition plugin = python_plugin_declaration();
  if (paths.empty()) return plugin;
  py::module_ api = py::module_::import("test_rig_python");
  const std::chrono::milliseconds load_limit = python_load_limit(test_rig::host());
  for (const std::string& given : paths) {
    std::error_code ec;
    if (!fs::exists(given, ec)) {
      // Reported as a test of its own, like a file that does not import.
      add_broken_file(plugin, given, "--python-tests " + given + ": no such file or directory");
      continue;
    }
    for (const std::string& path : test_files(given)) {
      // A file whose top level ends the process (os._exit(0)), crashes it
      // or loops would end test-rig with it -- an exit 0 a false green --
      // so each file is imported in a child process first.
      PyOS_BeforeFork();
      const test_rig::IsolatedCall trial = test_rig::call_isolated(
          [&] { api.attr("_collect")(path); }, load_limit, [] { PyOS_AfterFork_Child(); });
      PyOS_AfterFork_Parent();
      if (!trial.returned()) {
        add_broken_file(plugin, path,
                        "cannot load " + path + ": importing it (tried first in a child process) " +
                            trial.describe());
        continue;
      }
      try {
        py::tuple collected = api.attr("_collect")(path);
        py::list tests(collected[0]);
        py::list bindings(collected[1]);
        if (tests.empty() && bindings.empty()) {
          add_broken_file(plugin, path,
                          path + " defines no test: give it a `tests` list, a class Test...(" +
                              "PyStateHandler) with an execute method, or a " +
                              "register_python_handler call (README: Writing tests in Python)");
          continue;
        }
        for (const py::handle& test : tests) plugin.test(test_from(test));
        for (const py::handle& binding : bindings) bind_handler(binding, path);
      } catch (py::error_already_set& e) {
        add_broken_file(plugin, path, "cannot load " + path + ":\n" + format_python_error(e));
      }
    }
  }
  return plugin;
}

}  // namespace rig_python
