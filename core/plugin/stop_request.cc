#include "core/plugin/stop_request.h"

#include <atomic>
#include <mutex>

namespace rig {
namespace {

enum Reason : int { kNone = 0, kInterrupted = 1, kTimedOut = 2 };

std::atomic<int> g_reason{kNone};  // lock-free, for the signal handler
std::mutex g_message_mutex;
std::string g_timeout_message;  // set before g_reason becomes kTimedOut

}  // namespace

void request_stop_interrupted() noexcept {
  int none = kNone;
  g_reason.compare_exchange_strong(none, kInterrupted);
}

void request_stop_timed_out(const std::string& message) {
  {
    std::lock_guard lock(g_message_mutex);
    g_timeout_message = message;
  }
  int none = kNone;
  g_reason.compare_exchange_strong(none, kTimedOut);
}

std::optional<std::string> stop_reason() {
  switch (g_reason.load()) {
    case kInterrupted: return "interrupted by a signal";
    case kTimedOut: {
      std::lock_guard lock(g_message_mutex);
      return g_timeout_message;
    }
    default: return std::nullopt;
  }
}

void clear_stop_request() { g_reason = kNone; }

}  // namespace rig
