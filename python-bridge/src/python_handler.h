// python-bridge/src/python_handler.h -- a Python PyStateHandler behind the
// C++ SDK's StateHandler, and so behind the plugin ABI.
//
// Each call takes the GIL, builds a PyStateContext for the run and calls
// the Python method. Outcomes map to the ABI's: a Skip is skipped, an
// AssertionError failed, anything else an error -- each with the Python
// traceback as the message. ConnectError keeps the status the host chose.
#ifndef TEST_RIG_PYTHON_BRIDGE_PYTHON_HANDLER_H_
#define TEST_RIG_PYTHON_BRIDGE_PYTHON_HANDLER_H_

#include <pybind11/pybind11.h>

#include "test_rig/sdk.h"

namespace rig_python {

class PythonHandler : public test_rig::StateHandler {
 public:
  // `handler` is a PyStateHandler instance. The GIL must be held.
  explicit PythonHandler(pybind11::object handler);

  void enter(test_rig::Context& ctx) override;
  test_rig::StateId execute(test_rig::Context& ctx) override;
  void exit(test_rig::Context& ctx) override;

 private:
  // Calls `method` with a context for the run. The GIL must be held.
  pybind11::object call(const pybind11::object& method, test_rig::Context& ctx);

  pybind11::object handler_;
  pybind11::object enter_, execute_, exit_;  // bound once, called per run
};

// A handler that raises `message` as an error on every run: stands in for
// the tests of a file that could not be imported.
class BrokenFileHandler : public test_rig::StateHandler {
 public:
  explicit BrokenFileHandler(std::string message) : message_(std::move(message)) {}
  test_rig::StateId execute(test_rig::Context&) override { throw std::runtime_error(message_); }

 private:
  std::string message_;
};

// The text of the Python exception being handled: type, message and
// traceback. The GIL must be held.
std::string format_python_error(pybind11::error_already_set& error);

}  // namespace rig_python

#endif  // TEST_RIG_PYTHON_BRIDGE_PYTHON_HANDLER_H_
