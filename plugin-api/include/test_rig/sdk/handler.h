// test_rig/sdk/handler.h -- the interface a C++ state handler implements.
//
//   class CreateTable : public StateHandler {
//    public:
//     void enter(Context& ctx) override { ... }        // optional
//     StateId execute(Context& ctx) override {
//       ctx.connection().execute("CREATE TABLE ...");
//       return DynamicState("insert_rows", "Insert rows");
//     }
//     void exit(Context& ctx) override { ... }         // optional, cleanup
//   };
//
// Report outcomes by throwing (see errors.h); `exit` still runs once `enter`
// succeeded. For one-liners, `LambdaHandler` wraps a function.
#ifndef TEST_RIG_SDK_HANDLER_H_
#define TEST_RIG_SDK_HANDLER_H_

#include <functional>
#include <utility>

#include "test_rig/sdk/context.h"
#include "test_rig/sdk/state.h"

namespace test_rig {

class StateHandler {
 public:
  virtual ~StateHandler() = default;
  virtual void enter(Context&) {}
  virtual StateId execute(Context& ctx) = 0;
  virtual void exit(Context&) {}
};

// A handler whose execute is a function; enter and exit do nothing.
class LambdaHandler : public StateHandler {
 public:
  explicit LambdaHandler(std::function<StateId(Context&)> execute) : execute_(std::move(execute)) {}
  StateId execute(Context& ctx) override { return execute_(ctx); }

 private:
  std::function<StateId(Context&)> execute_;
};

}  // namespace test_rig

#endif  // TEST_RIG_SDK_HANDLER_H_
