#include "core/config/password.h"

#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "core/config/core_options.h"
#include "test_rig/sdk/small_file.h"

namespace rig {
namespace {

// One line of a secret; anything bigger is the wrong file.
constexpr std::size_t kMaxPasswordFileBytes = 64 << 10;

std::optional<std::string> prompt_password(const std::string& user) {
  std::cerr << "password for " << user << ": " << std::flush;
  termios saved{};
  bool restore = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (restore) {
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
  }
  std::string password;
  std::getline(std::cin, password);
  if (restore) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  std::cerr << "\n";
  return password;
}

}  // namespace

std::optional<std::string> resolve_password(const Configuration& config, bool may_prompt) {
  const ResolvedOption* password = config.find(keys::kPassword);
  if (password && password->value) {
    if (password->source == ValueSource::kCommandLine) {
      spdlog::warn(
          "a password given with --password is visible to other users in ps; "
          "prefer TIDB_PASSWORD or --password-file");
    }
    return std::get<std::string>(*password->value);
  }
  if (auto file = config.string(keys::kPasswordFile)) {
    std::string text, why;
    const bool read = test_rig::read_small_file(*file, kMaxPasswordFileBytes, &text, &why);
    if (read && text.empty()) why = "the file is empty";
    if (!read || text.empty()) {
      throw ConfigError("cannot read the password from --password-file " + *file + ": " + why);
    }
    std::string line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  if (may_prompt && !config.boolean(keys::kNoPasswordPrompt) && ::isatty(STDIN_FILENO)) {
    return prompt_password(config.string(keys::kUser).value_or(""));
  }
  return std::nullopt;
}

void keep_secrets_out_of_core_dumps() {
  struct rlimit none {};
  ::setrlimit(RLIMIT_CORE, &none);
  ::prctl(PR_SET_DUMPABLE, 0);
}

}  // namespace rig
