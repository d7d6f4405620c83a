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

// Throws UsageError. `args` starts with the program's name. With
// `tolerate_unknown`, options not in `specs` are ignored (the first pass,
// before plugins are loaded).
CommandLine parse_command_line(const std::vector<std::string>& args,
                               const std::vector<OptionSpec>& specs, bool tolerate_unknown);

// A line of --help's command list.
struct CommandHelp {
  std::string usage;  // "describe PLUGIN[/TEST]"
  std::string doc;
  std::vector<OptionSpec> options;  // the options only this command takes
};

// The full --help text: commands, core options, then each plugin's options.
std::string help_text(const std::vector<CommandHelp>& commands,
                      const std::vector<OptionSpec>& core_specs, const PluginRegistry& registry);

// The arguments with a plugin's bare option names (`--model`) made full
// (`--consistency.model`), for the words after one of the plugin's
// commands; core options keep their names.
std::vector<std::string> with_plugin_option_names(const std::vector<std::string>& args,
                                                  const LoadedPlugin& plugin,
                                                  const std::vector<OptionSpec>& core_specs);

}  // namespace rig

#endif  // TEST_RIG_LOADER_COMMAND_LINE_H_
