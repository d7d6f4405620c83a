#include "core/db/socket_wait.h"

#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace rig {
namespace {

using Clock = std::chrono::steady_clock;

// One thread's wait, as the watchdog sees it. `state` holds the wait's
// generation (one per wait) and its phase; the watchdog changes it only
// from the exact value it read, so it never takes one wait for another.
//
//   waiter:   idle -> waiting ............................ -> idle
//   watchdog:                 waiting -> expiring -> expired
//
// The waiter does not return while its wait is expiring, so the socket the
// watchdog shuts down is still the waiter's, never a reused descriptor.
// The waiter reads no clock: the watchdog times a wait from the scan that
// first sees it, so a wait ends between its timeout and its timeout plus
// two watchdog periods.
struct WaitSlot {
  enum Phase : uint64_t { kIdle = 0, kWaiting = 1, kExpiring = 2, kExpired = 3 };
  static uint64_t state_of(uint64_t generation, Phase phase) { return generation << 2 | phase; }
  static Phase phase_of(uint64_t state) { return static_cast<Phase>(state & 3); }

  std::atomic<uint64_t> state{0};
  // Written before `state` turns to waiting; read by the watchdog after.
  std::atomic<int> socket{-1};
  std::atomic<int> timeout_ms{0};
  uint64_t generation = 0;  // the waiter's own count
  // The watchdog's own: the waiting state it saw last, and since when.
  uint64_t watched_state = 0;
  Clock::time_point watched_since{};
};

// Whether this process has a watchdog thread (a forked child has none).
std::atomic<bool> watchdog_running{false};

// Every thread's slot, and the watchdog thread that scans them.
class Watchdog {
 public:
  static Watchdog& instance() {
    static Watchdog* watchdog = new Watchdog;  // never destroyed: threads may wait at exit
    return *watchdog;
  }

  void add(WaitSlot* slot) {
    std::lock_guard lock(mutex_);
    slots_.push_back(slot);
  }

  void remove(WaitSlot* slot) {
    std::lock_guard lock(mutex_);
    slots_.erase(std::remove(slots_.begin(), slots_.end(), slot), slots_.end());
  }

  void start() {
    std::lock_guard lock(mutex_);
    if (watchdog_running.load()) return;
    watchdog_running = true;
    std::thread([this] { watch(); }).detach();
  }

  // The forking thread's slot (null if it never waited); the child keeps
  // only that one.
  static thread_local WaitSlot* this_thread_slot;

 private:
  Watchdog() {
    pthread_atfork([] { instance().mutex_.lock(); }, [] { instance().mutex_.unlock(); },
                   [] { instance().after_fork_in_child(); });
  }

  // A forked child has the memory of every slot but only the forking thread.
  void after_fork_in_child() {
    slots_.clear();
    if (this_thread_slot) slots_.push_back(this_thread_slot);
    watchdog_running = false;
    mutex_.unlock();
  }

  void watch() {
    while (true) {
      std::this_thread::sleep_for(kWatchdogPeriod);
      const Clock::time_point now = Clock::now();
      std::lock_guard lock(mutex_);
      for (WaitSlot* slot : slots_) expire_if_late(*slot, now);
    }
  }

  static void expire_if_late(WaitSlot& slot, Clock::time_point now) {
    uint64_t seen = slot.state.load(std::memory_order_acquire);
    if (WaitSlot::phase_of(seen) != WaitSlot::kWaiting) return;
    if (seen != slot.watched_state) {  // a wait this watchdog has not seen yet
      slot.watched_state = seen;
      slot.watched_since = now;
      return;
    }
    const int socket = slot.socket.load(std::memory_order_relaxed);
    const std::chrono::milliseconds timeout(slot.timeout_ms.load(std::memory_order_relaxed));
    if (now - slot.watched_since < timeout) return;
    const uint64_t generation = seen >> 2;
    if (!slot.state.compare_exchange_strong(
            seen, WaitSlot::state_of(generation, WaitSlot::kExpiring), std::memory_order_acq_rel)) {
      return;  // the wait ended meanwhile
    }
    ::shutdown(socket, SHUT_RDWR);  // wakes the poll; the socket now reads as closed
    slot.state.store(WaitSlot::state_of(generation, WaitSlot::kExpired), std::memory_order_release);
  }

  std::mutex mutex_;
  std::vector<WaitSlot*> slots_;
};

thread_local WaitSlot* Watchdog::this_thread_slot = nullptr;

// The calling thread's slot: registered on its first timed wait,
// unregistered when the thread ends.
WaitSlot& slot_of_this_thread() {
  if (Watchdog::this_thread_slot) return *Watchdog::this_thread_slot;
  struct Registration {
    Registration() { Watchdog::instance().add(&slot); }
    ~Registration() {
      Watchdog::instance().remove(&slot);
      Watchdog::this_thread_slot = nullptr;
    }
    WaitSlot slot;
  };
  thread_local Registration registration;
  Watchdog::this_thread_slot = &registration.slot;
  return registration.slot;
}

int poll_once(int socket, bool is_read, int timeout_ms) {
  pollfd fd{socket, static_cast<short>(is_read ? POLLIN : POLLOUT), 0};
  int ready;
  do {
    ready = ::poll(&fd, 1, timeout_ms);
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) errno = ETIMEDOUT;
  return ready;
}

}  // namespace

int wait_for_socket(my_socket socket, my_bool is_read, int timeout_ms) {
  if (timeout_ms <= 0) return poll_once(socket, is_read, timeout_ms < 0 ? -1 : 0);
  WaitSlot& slot = slot_of_this_thread();
  if (!watchdog_running.load(std::memory_order_relaxed)) Watchdog::instance().start();

  const uint64_t generation = ++slot.generation;
  slot.socket.store(socket, std::memory_order_relaxed);
  slot.timeout_ms.store(timeout_ms, std::memory_order_relaxed);
  slot.state.store(WaitSlot::state_of(generation, WaitSlot::kWaiting), std::memory_order_release);

  const int ready = poll_once(socket, is_read, -1);

  // Nothing below sets errno before the waiter returns a poll's result.
  uint64_t waiting = WaitSlot::state_of(generation, WaitSlot::kWaiting);
  if (slot.state.compare_exchange_strong(waiting, WaitSlot::state_of(generation, WaitSlot::kIdle),
                                         std::memory_order_acq_rel)) {
    return ready;
  }
  // The watchdog is expiring this wait: let it finish with the socket.
  while (WaitSlot::phase_of(slot.state.load(std::memory_order_acquire)) != WaitSlot::kExpired) {
    std::this_thread::yield();
  }
  slot.state.store(WaitSlot::state_of(generation, WaitSlot::kIdle), std::memory_order_relaxed);
  errno = ETIMEDOUT;
  return 0;
}

}  // namespace rig
