#include "tests/integration/held_session.h"

#include <sstream>
#include <stdexcept>

namespace rig::testing {

HeldSession::HeldSession(const std::string& database, const std::string& directory) {
  const std::string command = "mariadb --socket='" + directory + "/mysqld.sock' -uroot -N -B '" +
                              database + "' > /dev/null";
  client_ = ::popen(command.c_str(), "w");
  if (!client_) throw std::runtime_error("could not start the mariadb client: " + command);
}

HeldSession::~HeldSession() { ::pclose(client_); }

void HeldSession::send(const std::string& statements) {
  std::fputs((statements + "\n").c_str(), client_);
  std::fflush(client_);
}

std::vector<int64_t> sessions_waiting_for_lock(const std::string& statement,
                                               const std::string& database,
                                               const std::string& directory) {
  std::istringstream ids(sandbox_sql(
      "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = '" + statement + "' AND DB = '" +
          database + "' AND STATE = 'Waiting for table metadata lock' ORDER BY ID",
      directory));
  std::vector<int64_t> waiting;
  for (int64_t id; ids >> id;) waiting.push_back(id);
  return waiting;
}

bool hold_until_the_drop_is_retried(const std::string& table, const std::string& database,
                                    std::future<RigRun>& run, const std::string& directory) {
  HeldSession hold(database, directory);
  hold.send("BEGIN; SELECT 1 FROM `" + table + "` LIMIT 1;");
  const std::string drop = "DROP TABLE IF EXISTS `" + table + "`";
  int64_t first = 0;
  const bool retried = wait_until(
      [&] {
        const std::vector<int64_t> waiting = sessions_waiting_for_lock(drop, database, directory);
        if (!waiting.empty() && first == 0) first = waiting.front();
        return !waiting.empty() && waiting.back() != first;
      },
      run);
  hold.send("COMMIT;");
  return retried;
}

}  // namespace rig::testing
