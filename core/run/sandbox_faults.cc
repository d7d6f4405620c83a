#include "core/run/sandbox_faults.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace rig {

void SandboxFaults::start(Fault fault, const std::vector<std::size_t>& nodes) {
  for (std::size_t k : nodes) {
    switch (fault) {
      case Fault::kKill: sandbox_.kill_node(k); break;
      case Fault::kPause: sandbox_.pause_node(k, true); break;
      case Fault::kPartition: sandbox_.isolate_node(k, true); break;
      case Fault::kRestart: sandbox_.stop_node(k); break;
    }
  }
}

void SandboxFaults::heal(Fault fault, const std::vector<std::size_t>& nodes) {
  switch (fault) {
    case Fault::kPause:
      for (std::size_t k : nodes) sandbox_.pause_node(k, false);
      break;
    case Fault::kPartition:
      for (std::size_t k : nodes) sandbox_.isolate_node(k, false);
      break;
    case Fault::kKill:
    case Fault::kRestart: {
      // Survivors that lost their majority form the primary component
      // again before the others rejoin them.
      std::vector<std::size_t> survivors;
      for (std::size_t k = 0; k < sandbox_.node_count(); ++k) {
        if (std::find(nodes.begin(), nodes.end(), k) == nodes.end()) survivors.push_back(k);
      }
      if (!survivors.empty() && 2 * survivors.size() <= sandbox_.node_count()) {
        restore_primary(survivors);
      }
      for (std::size_t k : nodes) sandbox_.start_node(k);
      break;
    }
  }
  await_whole(120);
}

void SandboxFaults::make_whole() {
  for (std::size_t k = 0; k < sandbox_.node_count(); ++k) sandbox_.pause_node(k, false);
  if (sandbox_.node_count() > 1) {
    for (std::size_t k = 0; k < sandbox_.node_count(); ++k) {
      try {
        sandbox_.isolate_node(k, false);
      } catch (const SandboxError&) {
        // A node that is down joins as it starts below.
      }
    }
  }
  for (std::size_t k = 0; k < sandbox_.node_count(); ++k) {
    if (!sandbox_.node_whole(k)) sandbox_.start_node(k);
  }
  await_whole(120);
}

bool SandboxFaults::has_primary() const {
  for (std::size_t k = 0; k < sandbox_.node_count(); ++k) {
    if (sandbox_.primary_size(k) > 0) return true;
  }
  return false;
}

void SandboxFaults::restore_primary(const std::vector<std::size_t>& survivors) {
  using Clock = std::chrono::steady_clock;
  // Galera takes several seconds to see that the others are gone; until
  // then a survivor still reports the old primary component, and
  // pc.bootstrap on it does nothing.
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    bool old_view = false, reformed = false;
    for (std::size_t k : survivors) {
      const std::size_t size = sandbox_.primary_size(k);
      old_view = old_view || size > survivors.size();
      reformed = reformed || size == survivors.size();
    }
    if (reformed && !old_view) return;
    if (!old_view) {
      sandbox_.bootstrap_primary(survivors.front());
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  throw std::runtime_error("the surviving nodes did not see the others gone within 60 s");
}

void SandboxFaults::await_whole(double seconds) {
  using Clock = std::chrono::steady_clock;
  const auto began = Clock::now();
  const auto deadline = began + std::chrono::duration<double>(seconds);
  bool bootstrapped = false;
  while (true) {
    bool whole = true;
    for (std::size_t k = 0; k < sandbox_.node_count() && whole; ++k) whole = sandbox_.node_whole(k);
    if (whole) return;
    if (Clock::now() > deadline) {
      throw std::runtime_error("the servers were not whole again within " +
                               std::to_string(static_cast<int>(seconds)) + " s");
    }
    // A primary component lost to a partition of a majority does not always
    // come back by itself: after 20 s, make one.
    if (!bootstrapped && Clock::now() - began > std::chrono::seconds(20) && !has_primary()) {
      sandbox_.bootstrap_primary(0);
      bootstrapped = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace rig
