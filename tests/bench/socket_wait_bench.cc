// What a session pays per wait for its server, in client CPU: Connector/C's
// own wait (poll with the read timeout, a kernel timer per wait), the rig's
// wait_for_socket (same timeout, kept by the watchdog), and a poll with no
// timeout at all (what sysbench does). A thread on the same machine answers
// each 40-byte request after a little work, over loopback TCP, like a server
// answering a point select; the three ways alternate in half-second slices.
//
//   socket_wait_bench [ROUNDS]    (default 20, about 30 s)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "core/db/socket_wait.h"

namespace {

constexpr int kTimeoutMs = 60000;  // the rig's default read timeout

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void no_delay(int socket) {
  int on = 1;
  setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

// About as much work as a server spends on a point select (tens of µs).
void busy_work() {
  volatile unsigned sink = 0;
  for (unsigned i = 0; i < 20000; ++i) sink = sink + i;
}

// Echoes every request after some busy work, until the client leaves.
void serve(int listener) {
  const int socket = accept(listener, nullptr, nullptr);
  no_delay(socket);
  char buffer[256];
  while (true) {
    const ssize_t n = recv(socket, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    busy_work();
    send(socket, buffer, static_cast<size_t>(n), MSG_NOSIGNAL);
  }
  close(socket);
}

enum Way { kPollWithTimeout, kWaitForSocket, kPollWithoutTimeout, kWays };
const char* const kNames[kWays] = {"poll(timeout) (Connector/C)", "rig::wait_for_socket(timeout)",
                                   "poll(no timeout) (sysbench)"};

// Waits as `way` does for the answer, then reads it, as Connector/C reads:
// a non-blocking recv first, a wait only when it would block.
void round_trip(int socket, Way way) {
  char request[40] = "SELECT c FROM sbtest1 WHERE id=?";
  char answer[256];
  send(socket, request, sizeof(request), MSG_DONTWAIT | MSG_NOSIGNAL);
  while (recv(socket, answer, sizeof(answer), MSG_DONTWAIT) < 0 && errno == EAGAIN) {
    if (way == kWaitForSocket) {
      rig::wait_for_socket(socket, 1, kTimeoutMs);
    } else {
      pollfd fd{socket, POLLIN, 0};
      poll(&fd, 1, way == kPollWithTimeout ? kTimeoutMs : -1);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 20;
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(listener, 1) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("socket_wait_bench: listen on loopback");
    return 1;
  }
  std::thread server(serve, listener);
  const int client = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(client, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    std::perror("socket_wait_bench: connect");
    return 1;
  }
  no_delay(client);

  std::array<double, kWays> cpu{};
  std::array<long, kWays> trips{};
  for (int round = 0; round < rounds; ++round) {
    for (int slot = 0; slot < kWays; ++slot) {
      // Each round runs the ways in another order, so none always goes first.
      const Way way = static_cast<Way>((slot + round) % kWays);
      const double cpu_before = thread_cpu_seconds();
      const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
      long n = 0;
      while (std::chrono::steady_clock::now() < end) {
        round_trip(client, way);
        ++n;
      }
      cpu[way] += thread_cpu_seconds() - cpu_before;
      trips[way] += n;
    }
  }
  close(client);
  server.join();
  close(listener);

  const double base = cpu[kPollWithTimeout] / static_cast<double>(trips[kPollWithTimeout]);
  std::printf("client CPU per round trip, %d rounds of 0.5 s each:\n", rounds);
  for (int way = 0; way < kWays; ++way) {
    const double per_trip = cpu[way] / static_cast<double>(trips[way]);
    std::printf("  %-32s %7.3f us  (%.3f of Connector/C's, %ld round trips)\n", kNames[way],
                per_trip * 1e6, per_trip / base, trips[way]);
  }
  return 0;
}
