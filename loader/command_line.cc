#include "loader/command_line.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <sstream>

namespace rig {
namespace {

namespace po = boost::program_options;

po::options_description describe_options(const std::vector<OptionSpec>& specs) {
  po::options_description options;
  options.add_options()("help,h", "")("version", "")("dot", "")(
      "config,c", po::value<std::string>(), "")("words", po::value<std::vector<std::string>>(), "");
  for (const auto& spec : specs) {
    std::string name = spec.cli_name;
    if (spec.cli_short) name += std::string(",") + spec.cli_short;
    options.add_options()(name.c_str(), po::value<std::vector<std::string>>()->composing(),
                          spec.help.c_str());
  }
  return options;
}

std::string value_hint(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::kBool: return "";
    case OptionType::kInt: return " N";
    case OptionType::kFloat: return " X";
    case OptionType::kList: return " A,B";
    case OptionType::kEnum: {
      std::string choices;
      for (const auto& choice : spec.choices) choices += (choices.empty() ? "" : "|") + choice;
      return spec.implicit_value ? "[=" + choices + "]" : " " + choices;
    }
    case OptionType::kString: return " TEXT";
  }
  return "";
}

void append_option(std::ostringstream& out, const OptionSpec& spec) {
  std::string flag = spec.cli_short ? std::string("-") + spec.cli_short + ", " : "    ";
  flag += "--" + spec.cli_name + value_hint(spec);
  out << "  " << flag;
  if (flag.size() < 34) {
    out << std::string(34 - flag.size(), ' ');
  } else {
    out << "\n" << std::string(36, ' ');
  }
  out << spec.help;
  std::vector<std::string> notes;
  if (auto shown = shown_default(spec)) notes.push_back("default " + *shown);
  if (spec.required) notes.push_back("required");
  if (spec.bounds) {
    std::ostringstream bounds;
    bounds << spec.bounds->first << ".." << spec.bounds->second;
    notes.push_back("range " + bounds.str());
  }
  if (!spec.cli_alias.empty()) notes.push_back("also --" + spec.cli_alias);
  if (!spec.env_name.empty()) notes.push_back("env " + spec.env_name);
  if (!notes.empty()) {
    out << " [";
    for (std::size_t i = 0; i < notes.size(); ++i) out << (i ? "; " : "") << notes[i];
    out << "]";
  }
  out << "\n";
}

// `--alias` and `--alias=VALUE` written with the option's own name.
std::vector<std::string> with_own_names(std::vector<std::string> args,
                                        const std::vector<OptionSpec>& specs) {
  for (std::size_t i = 1; i < args.size() && args[i] != "--"; ++i) {
    for (const auto& spec : specs) {
      if (spec.cli_alias.empty()) continue;
      const std::string alias = "--" + spec.cli_alias;
      if (args[i] == alias || args[i].rfind(alias + "=", 0) == 0) {
        args[i] = "--" + spec.cli_name + args[i].substr(alias.size());
        break;
      }
    }
  }
  return args;
}

// Whether `word` is a value the flag `spec` takes (true/false, a choice).
bool is_flag_value(const OptionSpec& spec, const std::string& word) {
  if (spec.type == OptionType::kBool) return word == "true" || word == "false";
  return std::find(spec.choices.begin(), spec.choices.end(), word) != spec.choices.end();
}

// Options with an implicit value (flags such as --strict or --sandbox) take
// the next word as their value only when it is one of theirs (`--strict
// false`, `--sandbox tidb`): `--strict run` must not read "run" as the
// flag's value. Other bare occurrences become --name=<implicit>.
std::vector<std::string> attach_implicit_values(std::vector<std::string> args,
                                                const std::vector<OptionSpec>& specs) {
  for (std::size_t i = 1; i < args.size() && args[i] != "--"; ++i) {
    for (const auto& spec : specs) {
      if (!spec.implicit_value) continue;
      bool bare_long = args[i] == "--" + spec.cli_name;
      bool bare_short = spec.cli_short && args[i] == std::string("-") + spec.cli_short;
      if (!bare_long && !bare_short) continue;
      if (i + 1 < args.size() && is_flag_value(spec, args[i + 1])) {
        args[i] = "--" + spec.cli_name + "=" + args[i + 1];
        args.erase(args.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      } else {
        args[i] = "--" + spec.cli_name + "=" + *spec.implicit_value;
      }
      break;
    }
  }
  return args;
}

}  // namespace

CommandLine parse_command_line(const std::vector<std::string>& raw_args,
                               const std::vector<OptionSpec>& specs, bool tolerate_unknown) {
  po::options_description options = describe_options(specs);
  po::positional_options_description positional;
  positional.add("words", -1);
  po::variables_map vm;
  std::vector<std::string> args = attach_implicit_values(with_own_names(raw_args, specs), specs);
  try {
    auto parser = po::command_line_parser(std::vector<std::string>(args.begin() + 1, args.end()))
                      .options(options)
                      .positional(positional);
    if (tolerate_unknown) parser.allow_unregistered();
    po::store(parser.run(), vm);
  } catch (const po::unknown_option& e) {
    throw UsageError("unknown option '" + e.get_option_name() +
                     "'; run test-rig --help for the options (plugin options are "
                     "--<plugin>.<option>)");
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + "; run test-rig --help");
  }
  CommandLine line;
  if (vm.count("words")) line.words = vm["words"].as<std::vector<std::string>>();
  if (vm.count("config")) line.config_file = vm["config"].as<std::string>();
  line.help = vm.count("help") > 0;
  line.version = vm.count("version") > 0;
  line.dot = vm.count("dot") > 0;
  for (const auto& spec : specs) {
    if (vm.count(spec.cli_name)) {
      line.values[spec.cli_name] = vm[spec.cli_name].as<std::vector<std::string>>();
    }
  }
  return line;
}

namespace {

// `text` broken into lines of at most `width` columns, each after the first
// indented by `indent` spaces.
std::string wrapped(const std::string& text, std::size_t indent, std::size_t width) {
  std::string out, line;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

}  // namespace

std::vector<std::string> with_plugin_option_names(const std::vector<std::string>& args,
                                                  const LoadedPlugin& plugin,
                                                  const std::vector<OptionSpec>& core_specs) {
  std::vector<std::string> out = args;
  for (std::size_t i = 1; i < out.size() && out[i] != "--"; ++i) {
    if (out[i].rfind("--", 0) != 0) continue;
    const std::string name = out[i].substr(2, out[i].find('=') - 2);
    const bool core = std::any_of(core_specs.begin(), core_specs.end(),
                                  [&](const OptionSpec& spec) { return spec.cli_name == name; });
    const bool ours = std::any_of(plugin.options.begin(), plugin.options.end(),
                                  [&](const OptionSpec& spec) { return spec.name == name; });
    if (ours && !core) out[i] = "--" + plugin.name + "." + out[i].substr(2);
  }
  return out;
}

std::string help_text(const std::vector<CommandHelp>& commands,
                      const std::vector<OptionSpec>& core_specs, const PluginRegistry& registry) {
  constexpr std::size_t kDocColumn = 30;
  std::ostringstream out;
  out << "usage: test-rig [options] COMMAND [ARGS...]\n\n"
         "Runs test plugins against a MySQL-protocol server (TiDB, MySQL, MariaDB).\n\n"
         "commands:\n";
  for (const CommandHelp& command : commands) {
    std::string line = "  " + command.usage;
    line += line.size() + 2 <= kDocColumn ? std::string(kDocColumn - line.size(), ' ')
                                          : "\n" + std::string(kDocColumn, ' ');
    out << line << wrapped(command.doc, kDocColumn, 100) << "\n";
  }
  for (const CommandHelp& command : commands) {
    if (command.options.empty()) continue;
    out << "\noptions of the command '" << command.usage.substr(0, command.usage.find(' '))
        << "' (on its command line only):\n";
    for (const auto& spec : command.options) append_option(out, spec);
  }
  out << "\n"
         "general options:\n"
         "  -c, --config FILE                 TOML or JSON config file (default: "
         "./tidb_config.toml or ./tidb_config.json) [env TEST_RIG_CONFIG]\n"
         "  -h, --help                        this help\n"
         "      --version                     print the version\n\n"
         "core options (config file section in brackets before the key):\n";
  for (const auto& spec : core_specs) {
    append_option(out, spec);
  }
  for (const auto& plugin : registry.plugins()) {
    out << "\noptions of plugin '" << plugin.name << "' (config [plugins." << plugin.name
        << "]):\n";
    if (plugin.options.empty()) out << "  (none)\n";
    for (const auto& spec : plugin.options) append_option(out, spec);
  }
  out << "\nprecedence: command line > environment > config file > default.\n"
         "exit codes: 0 all passed or skipped, 1 a test failed, 2 usage/config/plugin "
         "error, 3 infrastructure error (server unreachable, crash).\n";
  return out.str();
}

}  // namespace rig
