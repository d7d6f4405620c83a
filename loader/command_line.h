// loader/command_line.h -- parsing `test-rig [options] COMMAND [ARGS...]`
// and rendering --help, over Boost.Program_options.
//
// Parsing happens twice: first with only the core options, tolerating
// unknown ones, to learn --plugin-dir, --config and the log settings; then,
// once plugins are loaded, with every option, where an unknown option is a
// usage error.
#ifndef TEST_RIG_LOADER_COMMAND_LINE_H_
#define TEST_RIG_LOADER_COMMAND_LINE_H_

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/configuration.h"
#include "core/config/option_spec.h"
#include "core/plugin/plugin_registry.h"

namespace rig {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CommandLine {
  std::vector<std::string> words;  // command and its arguments
  CliValues values;                // option values by cli_name
  std::optional<std::string> config_file;
  bool help = false;
  bool version = false;
  bool dot = false;  // describe --dot
};

// Throws UsageError. With `tolerate_unknown`, options not in `specs` are
// ignored (the first pass, before plugins are loaded).
CommandLine parse_command_line(int argc, const char* const* argv,
                               const std::vector<OptionSpec>& specs, bool tolerate_unknown);

// The full --help text: commands, core options, then each plugin's options.
std::string help_text(const std::vector<OptionSpec>& core_specs, const PluginRegistry& registry);

}  // namespace rig

#endif  // TEST_RIG_LOADER_COMMAND_LINE_H_
