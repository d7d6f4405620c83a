#include "python_handler.h"

#include <unistd.h>

#include <string>
#include <utility>

#include "plugin_identity.h"
#include "py_context.h"

namespace py = pybind11;

namespace rig_python {
namespace {

// Holds the GIL for one handler call. The first call on a thread keeps that
// thread's Python thread state for good: per-thread Python state
// (threading.local) then survives from one call to the next, and later
// calls need not create a thread state again.
class HandlerGil {
 public:
  HandlerGil() {
    thread_local bool kept = false;
    if (!kept) {
      acquire_.inc_ref();
      kept = true;
    }
  }

 private:
  py::gil_scoped_acquire acquire_;
};

// In a test's process whose host collects crash traces (host list
// "run.crash_fd"), Python's faulthandler writes every thread's Python
// traceback there on a fatal signal, before the host adds the native stack.
// Once per process: a forked child enables it again.
void trace_python_on_crash() {
  static pid_t enabled_in = 0;
  if (enabled_in == ::getpid()) return;
  enabled_in = ::getpid();
  const std::vector<std::string> fd = host_list(test_rig::host(), "run.crash_fd");
  if (fd.size() != 1) return;
  py::module_::import("faulthandler")
      .attr("enable")(py::arg("file") = std::stoi(fd[0]), py::arg("all_threads") = true);
}

}  // namespace

std::string format_python_error(py::error_already_set& error) {
  py::object lines = py::module_::import("traceback")
                         .attr("format_exception")(error.type(), error.value(), error.trace());
  std::string text = py::str("").attr("join")(lines).cast<std::string>();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

PythonHandler::PythonHandler(py::object handler)
    : handler_(std::move(handler)),
      enter_(handler_.attr("enter")),
      execute_(handler_.attr("execute")),
      exit_(handler_.attr("exit")) {}

py::object PythonHandler::call(const py::object& method, test_rig::Context& ctx) {
  trace_python_on_crash();
  try {
    return method(PyStateContext(ctx.handle()));
  } catch (py::error_already_set& e) {
    py::module_ api = py::module_::import("test_rig_python");
    if (e.matches(api.attr("Skip"))) throw test_rig::Skip(py::str(e.value()).cast<std::string>());
    if (e.matches(api.attr("TestError"))) {
      throw std::runtime_error(py::str(e.value()).cast<std::string>());
    }
    if (e.matches(api.attr("ConnectError"))) {
      throw test_rig::Context::ConnectError(e.value().attr("status").cast<rig_status>());
    }
    if (e.matches(PyExc_AssertionError)) throw test_rig::Failure(format_python_error(e));
    throw std::runtime_error(format_python_error(e));
  }
}

// Each caller holds the GIL for as long as the returned object lives.
void PythonHandler::enter(test_rig::Context& ctx) {
  HandlerGil locked;
  call(enter_, ctx);
}

test_rig::StateId PythonHandler::execute(test_rig::Context& ctx) {
  HandlerGil locked;
  py::object next = call(execute_, ctx);
  if (!py::isinstance<py::str>(next)) {
    throw std::runtime_error(py::str(handler_.get_type().attr("__name__")).cast<std::string>() +
                             ".execute returned " + py::repr(next).cast<std::string>() +
                             " instead of the next state's id (e.g. PyState.completed())");
  }
  return next.cast<std::string>();
}

void PythonHandler::exit(test_rig::Context& ctx) {
  HandlerGil locked;
  call(exit_, ctx);
}

}  // namespace rig_python
