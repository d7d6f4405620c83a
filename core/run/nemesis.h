// core/run/nemesis.h -- faults on a schedule, during a whole run: kill,
// pause, partition or restart some of the servers, hold the fault, heal
// it, wait, again; and at the end, every server whole again.
//
//   Nemesis nemesis(settings, std::make_unique<SandboxFaults>(sandbox), timeline_path);
//   nemesis.start();     // a thread of its own
//   ... run the tests ...
//   nemesis.stop();      // heals the fault under way and makes the servers whole
//   for (const NemesisEvent& e : nemesis.events()) ...
//
// The schedule: wait `interval_s`, start one fault (drawn from `faults` by
// the seed) on its targets (drawn by the seed too), hold it `duration_s`,
// heal it; repeat until stop(). Every start and heal is an event: logged as
// it happens, appended to a timeline file that test processes can read
// (TEST_RIG_NEMESIS_TIMELINE: the consistency plugin lines its history up
// with it), and kept for the JSON report.
//
// Thread safety: start() and stop() [main-thread]; the schedule, and every
// action, runs on the nemesis's thread -- which lives until the Nemesis is
// destroyed: a server it restarted has it as its parent, and
// PR_SET_PDEATHSIG kills a child when its parent *thread* ends. Destroy the
// Nemesis only once the servers may die (after the sandbox stopped).
// events() and report() after stop().
#ifndef TEST_RIG_CORE_RUN_NEMESIS_H_
#define TEST_RIG_CORE_RUN_NEMESIS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace rig {

enum class Fault { kKill, kPause, kPartition, kRestart };
const char* fault_name(Fault fault);  // "kill", "pause", ...
std::optional<Fault> fault_from_name(const std::string& name);

// How many servers a fault takes: one, a minority (fewer than half, at
// least one), a majority (more than half), or all.
enum class Targets { kOne, kMinority, kMajority, kAll };
std::optional<Targets> targets_from_name(const std::string& name);

struct NemesisSettings {
  std::vector<Fault> faults;
  double interval_s = 10;
  double duration_s = 3;
  Targets targets = Targets::kOne;
  uint64_t seed = 1;
};

struct NemesisEvent {
  double at_s = 0;           // since the nemesis started
  int64_t monotonic_ns = 0;  // CLOCK_MONOTONIC, as test processes read it
  std::string utc;
  int64_t unix_ms = 0;             // the same instant, as metrics' intervals count time
  std::string phase;               // "start", "heal", or "whole" (the end of the run)
  std::string fault;               // "" for "whole"
  std::vector<std::size_t> nodes;  // 1-based
  std::string note;                // what went wrong, if something did
};

// What a fault does to the servers. Thread: [nemesis-thread], then the
// main thread's stop().
class FaultActions {
 public:
  virtual ~FaultActions() = default;
  virtual std::size_t server_count() const = 0;
  // `nodes` are 0-based. Throw std::runtime_error to report a failure
  // (noted in the event; the schedule goes on).
  virtual void start(Fault fault, const std::vector<std::size_t>& nodes) = 0;
  virtual void heal(Fault fault, const std::vector<std::size_t>& nodes) = 0;
  // Every server running, answering, joined: the run ends with them so.
  virtual void make_whole() = 0;
};

// The user's own fault and heal command for servers test-rig did not
// start, run by /bin/sh -c with TEST_RIG_NEMESIS_PHASE (start, heal,
// whole), TEST_RIG_NEMESIS_FAULT, TEST_RIG_NEMESIS_TARGETS (1-based node
// numbers, space-separated) and TEST_RIG_NEMESIS_HOSTS (the --host list,
// comma-separated) in its environment. A non-zero exit is a failed action.
class CommandFaults : public FaultActions {
 public:
  CommandFaults(std::string command, std::vector<std::string> hosts)
      : command_(std::move(command)), hosts_(std::move(hosts)) {}
  std::size_t server_count() const override { return hosts_.size(); }
  void start(Fault fault, const std::vector<std::size_t>& nodes) override;
  void heal(Fault fault, const std::vector<std::size_t>& nodes) override;
  void make_whole() override;

 private:
  void run(const std::string& phase, const std::string& fault,
           const std::vector<std::size_t>& nodes);
  std::string command_;
  std::vector<std::string> hosts_;
};

class Nemesis {
 public:
  Nemesis(NemesisSettings settings, std::unique_ptr<FaultActions> actions,
          std::string timeline_path);
  ~Nemesis();
  Nemesis(const Nemesis&) = delete;
  Nemesis& operator=(const Nemesis&) = delete;

  void start();
  // Ends the schedule, heals a fault under way, makes every server whole
  // (on the nemesis's thread) and returns when that is done. Idempotent.
  void stop();

  const std::vector<NemesisEvent>& events() const { return events_; }
  // The settings and every event, for the JSON report.
  nlohmann::json report() const;

 private:
  // The thread: the schedule until stop(), then the servers made whole,
  // then waits for the destructor.
  void live();
  void schedule();
  // Waits `seconds` unless stop() comes first; whether the time passed.
  bool wait(double seconds);
  std::vector<std::size_t> draw_targets();
  void record(std::string phase, std::string fault, const std::vector<std::size_t>& nodes,
              std::string note);

  NemesisSettings settings_;
  std::unique_ptr<FaultActions> actions_;
  std::string timeline_path_;
  std::vector<NemesisEvent> events_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
  std::condition_variable stopping_;
  bool stop_requested_ = false;
  bool whole_ = false;     // the thread made the servers whole
  bool released_ = false;  // the destructor lets the thread end
  uint64_t random_;        // splitmix64 state, from the seed
  std::thread thread_;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_RUN_NEMESIS_H_
