#include "tests/integration/lossy_link.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace rig::testing {
namespace {

constexpr int kPollMs = 50;  // how soon a relay sees the link closing

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  return address;
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("lossy link: " + what + ": " + std::strerror(errno));
}

// Writes all of `data` to `fd`; false once the peer is gone.
bool write_all(int fd, const char* data, ssize_t size) {
  while (size > 0) {
    const ssize_t written = ::send(fd, data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= written;
  }
  return true;
}

}  // namespace

// One client connection and its connection to the server, relayed by a
// thread of its own until either end closes (while whole) or the link does.
struct LossyLink::Relay {
  int ends[2] = {-1, -1};  // client, server
  std::atomic<bool> lost{false};
  std::thread pump;

  ~Relay() {
    if (pump.joinable()) pump.join();
    for (int fd : ends) {
      if (fd >= 0) ::close(fd);
    }
  }

  // Thread: the relay's own.
  void run(const std::atomic<bool>& stopping) {
    pollfd watched[2] = {{ends[0], POLLIN, 0}, {ends[1], POLLIN, 0}};
    char buffer[16384];
    while (!stopping) {
      if (::poll(watched, 2, kPollMs) < 0 && errno != EINTR) return;
      for (int from = 0; from < 2; ++from) {
        if (watched[from].fd < 0 || watched[from].revents == 0) continue;
        const ssize_t got = ::recv(watched[from].fd, buffer, sizeof(buffer), 0);
        if (got < 0 && errno == EINTR) continue;
        const bool closed = got <= 0;
        if (lost) {
          // Lost; a close is not passed on, but no longer watched.
          if (closed) watched[from].fd = -1;
          continue;
        }
        if (closed || !write_all(ends[1 - from], buffer, got)) {
          for (int fd : ends) ::shutdown(fd, SHUT_RDWR);
          return;
        }
      }
    }
  }
};

LossyLink::LossyLink(int server_port) : server_port_(server_port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) fail("socket");
  sockaddr_in address = loopback(0);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) fail("bind");
  if (::listen(listener_, 64) != 0) fail("listen");
  socklen_t length = sizeof(address);
  if (::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    fail("getsockname");
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

LossyLink::~LossyLink() {
  stopping_ = true;
  acceptor_.join();
  ::close(listener_);
  std::lock_guard<std::mutex> lock(mutex_);
  relays_.clear();  // each joins its thread, then closes its ends
}

void LossyLink::partition() {
  std::lock_guard<std::mutex> lock(mutex_);
  partitioned_ = true;
  for (auto& relay : relays_) relay->lost = true;
}

void LossyLink::heal() { partitioned_ = false; }

// Thread: the link's acceptor.
void LossyLink::accept_loop() {
  pollfd listening = {listener_, POLLIN, 0};
  while (!stopping_) {
    if (::poll(&listening, 1, kPollMs) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    if (partitioned_) {
      ::close(client);  // the client's handshake fails, and it tries again
      continue;
    }
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback(server_port_);
    if (server < 0 ||
        ::connect(server, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(client);  // as a server that is down: the client sees the refusal
      if (server >= 0) ::close(server);
      continue;
    }
    auto relay = std::make_unique<Relay>();
    relay->ends[0] = client;
    relay->ends[1] = server;
    Relay* started = relay.get();
    std::lock_guard<std::mutex> lock(mutex_);
    relays_.push_back(std::move(relay));
    started->pump = std::thread([this, started] { started->run(stopping_); });
  }
}

}  // namespace rig::testing
