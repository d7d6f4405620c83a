#include "lock_wait_text.h"

namespace isolation {

std::string lock_wait_of_process_state(std::string_view state) {
  constexpr std::string_view kPrefix = "Waiting for ";
  if (state.substr(0, kPrefix.size()) == kPrefix && state.find("lock") != std::string_view::npos) {
    return std::string(state.substr(kPrefix.size()));
  }
  if (state == "User lock") return "user lock";
  return "";
}

bool innodb_status_shows_lock_wait(std::string_view status, uint64_t connection_id) {
  const std::string needle = "thread id " + std::to_string(connection_id) + ",";
  auto list = status.find("LIST OF TRANSACTIONS");
  if (list == std::string_view::npos) return false;
  auto at = status.find(needle, list);
  if (at == std::string_view::npos) return false;
  auto begin = status.rfind("---TRANSACTION", at);
  return begin != std::string_view::npos && begin > list &&
         status.substr(begin, at - begin).find("LOCK WAIT") != std::string_view::npos;
}

}  // namespace isolation
