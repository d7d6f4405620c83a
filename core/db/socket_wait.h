// core/db/socket_wait.h -- how sessions wait for their server.
//
// When a read or write on a session's socket would block, Connector/C
// waits for the socket with poll() and the session's read or write
// timeout. A poll with a timeout arms a high-resolution kernel timer for
// every wait, which is every query: 2-10 % of a client's CPU per query
// against a loopback server (tests/bench/socket_wait_bench.cc measures it).
// Load generators without timeouts, such as sysbench, do not pay it; the
// rig keeps its timeouts and does not pay it either:
//
//   mysql_optionsv(mysql, MARIADB_OPT_IO_WAIT, rig::wait_for_socket);
//
// wait_for_socket() polls with no kernel timeout and leaves deadlines to
// one watchdog thread per process, which wakes every kWatchdogPeriod and
// shuts down the socket of any wait past its timeout. The wait then
// returns as a timeout, and Connector/C reports the connection lost (2013),
// as after a timeout of its own poll. A wait times out no sooner than its
// timeout and at most two watchdog periods later.
//
// Thread safety: any thread may wait; each has its own slot, and a wait
// costs two uncontended atomic operations and no clock read. A forked
// child starts a watchdog of its own on its first wait.
#ifndef TEST_RIG_CORE_DB_SOCKET_WAIT_H_
#define TEST_RIG_CORE_DB_SOCKET_WAIT_H_

#include <chrono>

#include <mysql.h>

namespace rig {

// How often the watchdog looks at the waits.
inline constexpr std::chrono::milliseconds kWatchdogPeriod{100};

// Waits until `socket` is readable (`is_read`) or writable, or for at most
// `timeout_ms` (negative: no limit; 0: no wait). Returns as poll() does:
// > 0 when ready, 0 on timeout (errno ETIMEDOUT), < 0 on error (errno).
// A timed-out socket has been shut down and can only be closed.
int wait_for_socket(my_socket socket, my_bool is_read, int timeout_ms);

}  // namespace rig

#endif  // TEST_RIG_CORE_DB_SOCKET_WAIT_H_
