// tests/integration/lossy_link.h -- a TCP relay between test-rig and a
// server on loopback that the test can partition: what an open connection
// carries is lost both ways, and neither end learns of it (no close reaches
// the other end); a new connection is refused until the link heals. A
// statement sent before the partition still runs on the server; its answer
// never arrives, and the client cannot come back until the test says so.
//
//   LossyLink link(server_port);
//   run_rig({"--host", "127.0.0.1:" + std::to_string(link.port()), ...});
//   link.partition();   // every connection open now is lost
//   link.heal();        // new connections pass again
#ifndef TEST_RIG_TESTS_INTEGRATION_LOSSY_LINK_H_
#define TEST_RIG_TESTS_INTEGRATION_LOSSY_LINK_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rig::testing {

class LossyLink {
 public:
  // Listens on a free loopback port and relays each connection to
  // 127.0.0.1:`server_port`. Throws std::runtime_error.
  explicit LossyLink(int server_port);
  ~LossyLink();  // closes every connection
  LossyLink(const LossyLink&) = delete;
  LossyLink& operator=(const LossyLink&) = delete;

  int port() const { return port_; }
  // Loses every connection open now, and refuses new ones. Thread: any.
  void partition();
  // Relays new connections again; the lost ones stay lost. Thread: any.
  void heal();

 private:
  struct Relay;
  void accept_loop();

  int listener_ = -1;
  int port_ = 0;
  int server_port_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> partitioned_{false};
  std::mutex mutex_;  // guards relays_
  std::vector<std::unique_ptr<Relay>> relays_;
  std::thread acceptor_;
};

}  // namespace rig::testing

#endif  // TEST_RIG_TESTS_INTEGRATION_LOSSY_LINK_H_
