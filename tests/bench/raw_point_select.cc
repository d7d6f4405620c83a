// tests/bench/raw_point_select.cc -- the floor of scripts/bench-load.sh: a
// bare Connector/C loop of prepared point selects on sbtest1, no rig code.
//
//   raw_point_select CONFIG.toml SECONDS TABLE_SIZE
//   -> "<queries> <queries per second>"
#include <errmsg.h>
#include <mysql.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include <toml++/toml.h>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: raw_point_select CONFIG.toml SECONDS TABLE_SIZE\n");
    return 2;
  }
  toml::table config = toml::parse_file(argv[1]);
  const std::string address = config["database"]["host"].value_or(std::string());
  const std::string user = config["database"]["user"].value_or(std::string());
  const std::string password = config["database"]["password"].value_or(std::string());
  const std::string database = config["database"]["database"].value_or(std::string());
  const std::string host = address.substr(0, address.rfind(':'));
  const unsigned port = static_cast<unsigned>(std::stoul(address.substr(address.rfind(':') + 1)));
  const double seconds = std::stod(argv[2]);
  const long long rows = std::stoll(argv[3]);

  MYSQL* mysql = mysql_init(nullptr);
  if (!mysql_real_connect(mysql, host.c_str(), user.c_str(), password.c_str(), database.c_str(),
                          port, nullptr, 0)) {
    std::fprintf(stderr, "connect: %s\n", mysql_error(mysql));
    return 3;
  }
  MYSQL_STMT* stmt = mysql_stmt_init(mysql);
  const char* sql = "SELECT c FROM sbtest1 WHERE id=?";
  if (mysql_stmt_prepare(stmt, sql, std::strlen(sql)) != 0) {
    std::fprintf(stderr, "prepare: %s\n", mysql_stmt_error(stmt));
    return 3;
  }
  long long id = 0;
  MYSQL_BIND param{};
  param.buffer_type = MYSQL_TYPE_LONGLONG;
  param.buffer = &id;
  mysql_stmt_bind_param(stmt, &param);
  char c[121];
  unsigned long length = 0;
  MYSQL_BIND result{};
  result.buffer_type = MYSQL_TYPE_STRING;
  result.buffer = c;
  result.buffer_length = sizeof(c);
  result.length = &length;

  std::mt19937_64 random(1);
  std::uniform_int_distribution<long long> ids(1, rows);
  long long queries = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(seconds));
  while (std::chrono::steady_clock::now() < deadline) {
    id = ids(random);
    if (mysql_stmt_execute(stmt) != 0 || mysql_stmt_bind_result(stmt, &result) != 0 ||
        mysql_stmt_store_result(stmt) != 0) {
      std::fprintf(stderr, "execute: %s\n", mysql_stmt_error(stmt));
      return 3;
    }
    while (mysql_stmt_fetch(stmt) == 0) {
    }
    mysql_stmt_free_result(stmt);
    ++queries;
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%lld %.1f\n", queries, queries / elapsed);
  mysql_stmt_close(stmt);
  mysql_close(mysql);
  return 0;
}
