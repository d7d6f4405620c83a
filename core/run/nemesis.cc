#include "core/run/nemesis.h"

#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "core/base/utc_time.h"

namespace rig {
namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

std::string nodes_text(const std::vector<std::size_t>& nodes) {
  std::string text;
  for (std::size_t node : nodes) text += (text.empty() ? "" : " ") + std::to_string(node);
  return text;
}

}  // namespace

const char* fault_name(Fault fault) {
  switch (fault) {
    case Fault::kKill: return "kill";
    case Fault::kPause: return "pause";
    case Fault::kPartition: return "partition";
    case Fault::kRestart: return "restart";
  }
  return "?";
}

std::optional<Fault> fault_from_name(const std::string& name) {
  for (Fault fault : {Fault::kKill, Fault::kPause, Fault::kPartition, Fault::kRestart}) {
    if (name == fault_name(fault)) return fault;
  }
  return std::nullopt;
}

std::optional<Targets> targets_from_name(const std::string& name) {
  if (name == "one") return Targets::kOne;
  if (name == "minority") return Targets::kMinority;
  if (name == "majority") return Targets::kMajority;
  if (name == "all") return Targets::kAll;
  return std::nullopt;
}

// ---- CommandFaults

void CommandFaults::start(Fault fault, const std::vector<std::size_t>& nodes) {
  run("start", fault_name(fault), nodes);
}
void CommandFaults::heal(Fault fault, const std::vector<std::size_t>& nodes) {
  run("heal", fault_name(fault), nodes);
}
void CommandFaults::make_whole() { run("whole", "", {}); }

void CommandFaults::run(const std::string& phase, const std::string& fault,
                        const std::vector<std::size_t>& nodes) {
  std::vector<std::size_t> numbers;
  for (std::size_t node : nodes) numbers.push_back(node + 1);
  std::string hosts;
  for (const std::string& host : hosts_) hosts += (hosts.empty() ? "" : ",") + host;
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("cannot fork for --nemesis-command");
  if (pid == 0) {
    ::setenv("TEST_RIG_NEMESIS_PHASE", phase.c_str(), 1);
    ::setenv("TEST_RIG_NEMESIS_FAULT", fault.c_str(), 1);
    ::setenv("TEST_RIG_NEMESIS_TARGETS", nodes_text(numbers).c_str(), 1);
    ::setenv("TEST_RIG_NEMESIS_HOSTS", hosts.c_str(), 1);
    ::execl("/bin/sh", "sh", "-c", command_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("--nemesis-command failed (" + phase + " " + fault + ") with " +
                             (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                                : "signal " + std::to_string(WTERMSIG(status))));
  }
}

// ---- Nemesis

Nemesis::Nemesis(NemesisSettings settings, std::unique_ptr<FaultActions> actions,
                 std::string timeline_path)
    : settings_(std::move(settings)),
      actions_(std::move(actions)),
      timeline_path_(std::move(timeline_path)),
      random_(settings_.seed) {}

Nemesis::~Nemesis() {
  stop();
  {
    std::lock_guard lock(mutex_);
    released_ = true;
  }
  stopping_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Nemesis::start() {
  started_ = std::chrono::steady_clock::now();
  std::string faults;
  for (Fault fault : settings_.faults) {
    faults += (faults.empty() ? "" : ",") + std::string(fault_name(fault));
  }
  spdlog::info("[nemesis] {} every {} s for {} s at a time", faults, settings_.interval_s,
               settings_.duration_s);
  thread_ = std::thread([this] { live(); });
}

void Nemesis::stop() {
  std::unique_lock lock(mutex_);
  if (!thread_.joinable()) return;
  stop_requested_ = true;
  stopping_.notify_all();
  stopping_.wait(lock, [this] { return whole_; });
}

void Nemesis::live() {
  schedule();
  std::string note;
  try {
    actions_->make_whole();
  } catch (const std::exception& e) {
    note = e.what();
  }
  record("whole", "", {}, note);
  std::unique_lock lock(mutex_);
  whole_ = true;
  stopping_.notify_all();
  stopping_.wait(lock, [this] { return released_; });
}

bool Nemesis::wait(double seconds) {
  std::unique_lock lock(mutex_);
  return !stopping_.wait_for(lock, std::chrono::duration<double>(seconds),
                             [this] { return stop_requested_; });
}

std::vector<std::size_t> Nemesis::draw_targets() {
  const std::size_t n = actions_->server_count();
  std::size_t count = 1;
  switch (settings_.targets) {
    case Targets::kOne: count = 1; break;
    case Targets::kMinority: count = std::max<std::size_t>(1, (n - 1) / 2); break;
    case Targets::kMajority: count = n / 2 + 1; break;
    case Targets::kAll: count = n; break;
  }
  std::vector<std::size_t> nodes(n);
  for (std::size_t i = 0; i < n; ++i) nodes[i] = i;
  for (std::size_t i = n; i > 1; --i) std::swap(nodes[i - 1], nodes[splitmix64(random_) % i]);
  nodes.resize(std::min(count, n));
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

void Nemesis::schedule() {
  while (wait(settings_.interval_s)) {
    const Fault fault = settings_.faults[splitmix64(random_) % settings_.faults.size()];
    const std::vector<std::size_t> nodes = draw_targets();
    std::string note;
    try {
      actions_->start(fault, nodes);
    } catch (const std::exception& e) {
      note = e.what();
    }
    record("start", fault_name(fault), nodes, note);
    const bool held = wait(settings_.duration_s);
    note.clear();
    try {
      actions_->heal(fault, nodes);
    } catch (const std::exception& e) {
      note = e.what();
    }
    record("heal", fault_name(fault), nodes, note);
    if (!held) return;
  }
}

void Nemesis::record(std::string phase, std::string fault, const std::vector<std::size_t>& nodes,
                     std::string note) {
  NemesisEvent event;
  const auto now = std::chrono::steady_clock::now();
  event.at_s = std::chrono::duration<double>(now - started_).count();
  event.monotonic_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  const auto wall = std::chrono::system_clock::now();
  event.utc = format_utc(wall);
  event.unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count();
  event.phase = std::move(phase);
  event.fault = std::move(fault);
  for (std::size_t node : nodes) event.nodes.push_back(node + 1);
  event.note = std::move(note);
  const std::string what = event.phase == "whole"
                               ? std::string("every server whole")
                               : event.phase + " " + event.fault + " of node" +
                                     (nodes.size() > 1 ? "s " : " ") + nodes_text(event.nodes);
  if (event.note.empty()) {
    spdlog::info("[nemesis] {:.1f} s: {}", event.at_s, what);
  } else {
    spdlog::warn("[nemesis] {:.1f} s: {}: {}", event.at_s, what, event.note);
  }
  nlohmann::json line = {{"monotonic_ns", event.monotonic_ns},
                         {"phase", event.phase},
                         {"fault", event.fault},
                         {"nodes", event.nodes}};
  std::lock_guard lock(mutex_);
  if (!timeline_path_.empty()) std::ofstream(timeline_path_, std::ios::app) << line.dump() << "\n";
  events_.push_back(std::move(event));
}

nlohmann::json Nemesis::report() const {
  nlohmann::json faults = nlohmann::json::array(), events = nlohmann::json::array();
  for (Fault fault : settings_.faults) faults.push_back(fault_name(fault));
  for (const NemesisEvent& e : events_) {
    events.push_back({{"at_s", e.at_s},
                      {"utc", e.utc},
                      {"unix_ms", e.unix_ms},
                      {"phase", e.phase},
                      {"fault", e.fault},
                      {"nodes", e.nodes},
                      {"note", e.note}});
  }
  const char* targets[] = {"one", "minority", "majority", "all"};
  return {{"faults", faults},
          {"interval_s", settings_.interval_s},
          {"duration_s", settings_.duration_s},
          {"targets", targets[static_cast<int>(settings_.targets)]},
          {"seed", settings_.seed},
          {"events", events}};
}

}  // namespace rig
