// plugins/isolation/lock_wait_text.h -- reading a lock wait out of what the
// server shows of a session: its process-list state, and InnoDB's status.
#ifndef TEST_RIG_PLUGINS_ISOLATION_LOCK_WAIT_TEXT_H_
#define TEST_RIG_PLUGINS_ISOLATION_LOCK_WAIT_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace isolation {

// What a process-list state says the session waits for: "Waiting for table
// metadata lock" -> "table metadata lock", "Waiting for table level lock" ->
// "table level lock", "User lock" -> "user lock"; "" for any other state
// ("Updating", "Sending data", ...: a row-lock wait looks like these).
std::string lock_wait_of_process_state(std::string_view state);

// True when SHOW ENGINE INNODB STATUS lists the transaction of connection
// `connection_id` as waiting for a row or gap lock ("---TRANSACTION ...
// LOCK WAIT ... MariaDB thread id 13, ..."). Only the list of transactions
// counts: the LATEST DETECTED DEADLOCK section above it names threads too.
bool innodb_status_shows_lock_wait(std::string_view status, uint64_t connection_id);

}  // namespace isolation

#endif  // TEST_RIG_PLUGINS_ISOLATION_LOCK_WAIT_TEXT_H_
