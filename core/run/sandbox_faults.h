// core/run/sandbox_faults.h -- the nemesis's faults on servers test-rig
// started: its sandbox's one server, or the nodes of its Galera cluster
// (the run's --sandbox, or one an earlier `test-rig sandbox start` left).
//
//   kill       SIGKILL; healed by a restart (a cluster node rejoins by
//              incremental state transfer; when a majority was killed, the
//              survivors first become the primary component again,
//              Galera's pc.bootstrap; when all were, the cluster restarts
//              from the node whose data goes furthest)
//   pause      SIGSTOP; healed by SIGCONT
//   partition  a cluster node cut off from the others (gmcast.isolate);
//              healed by joining it again (and pc.bootstrap when no
//              primary component comes back by itself)
//   restart    a clean stop (SIGTERM); healed by starting it again
//
// Each heal waits until its nodes are whole again (running, answering,
// Synced in a primary component of every node), so the next fault starts
// from a whole cluster. Thread: [nemesis-thread], then stop()'s.
#ifndef TEST_RIG_CORE_RUN_SANDBOX_FAULTS_H_
#define TEST_RIG_CORE_RUN_SANDBOX_FAULTS_H_

#include <optional>

#include "core/run/nemesis.h"
#include "core/sandbox/sandbox.h"

namespace rig {

class SandboxFaults : public FaultActions {
 public:
  // Faults on the run's own sandbox, which outlives this.
  explicit SandboxFaults(Sandbox& sandbox) : sandbox_(sandbox) {}
  // Faults on a sandbox started earlier (Sandbox::attach): its servers run
  // on afterwards.
  explicit SandboxFaults(Sandbox&& attached)
      : attached_(std::move(attached)), sandbox_(*attached_) {}
  ~SandboxFaults() override {
    if (attached_) attached_->release();
  }
  std::size_t server_count() const override { return sandbox_.node_count(); }
  void start(Fault fault, const std::vector<std::size_t>& nodes) override;
  void heal(Fault fault, const std::vector<std::size_t>& nodes) override;
  void make_whole() override;

 private:
  // Waits up to `seconds` for every node to be whole; bootstraps a primary
  // component when none forms by itself. Throws std::runtime_error.
  void await_whole(double seconds);
  bool has_primary() const;
  // After a majority was lost: waits until the `survivors` see it (none is
  // in a primary component of more than them), then makes theirs the
  // primary component, unless they formed one by themselves.
  void restore_primary(const std::vector<std::size_t>& survivors);

  std::optional<Sandbox> attached_;
  Sandbox& sandbox_;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_RUN_SANDBOX_FAULTS_H_
