// core/config/password.h -- where the password comes from, in order: the
// resolved `database.password` (CLI flag, TIDB_PASSWORD or config file),
// then --password-file, then a prompt on a terminal.
//
// The password is returned to the caller only; it is never logged, and
// `config show` and every report mask it.
#ifndef TEST_RIG_CORE_CONFIG_PASSWORD_H_
#define TEST_RIG_CORE_CONFIG_PASSWORD_H_

#include <optional>
#include <string>

#include "core/config/configuration.h"

namespace rig {

inline constexpr const char* kMaskedSecret = "********";

// Throws ConfigError when --password-file cannot be read. Prompts only when
// `may_prompt`, stdin is a terminal and --no-password-prompt is off.
std::optional<std::string> resolve_password(const Configuration& config, bool may_prompt);

// A core dump of a process that holds the password holds it in clear text.
// Sets RLIMIT_CORE to 0 and makes the process non-dumpable (PR_SET_DUMPABLE
// 0, which also keeps other processes of the same user from reading its
// memory through /proc or ptrace). Both pass to every child forked from it:
// test processes, and the sandbox server. Call first thing in main.
void keep_secrets_out_of_core_dumps();

}  // namespace rig

#endif  // TEST_RIG_CORE_CONFIG_PASSWORD_H_
