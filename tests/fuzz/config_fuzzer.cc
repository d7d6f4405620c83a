// libFuzzer target for the config file parser and resolver. The first input
// byte picks TOML or JSON; the rest is the file. Every input must either
// parse or fail with a ConfigError -- any other exception, crash or
// sanitizer report is a bug. Run by scripts/fuzz-config.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config/config_file.h"
#include "core/config/configuration.h"
#include "core/config/core_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string path = (data[0] & 1) ? "fuzz.json" : "fuzz.toml";
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  static const std::vector<rig::OptionSpec> specs = rig::core_option_specs();
  try {
    rig::ConfigFile file = rig::ConfigFile::parse(path, text);
    rig::Configuration::resolve(
        specs, {}, [](const std::string&) { return std::optional<std::string>(); }, &file);
  } catch (const rig::ConfigError&) {
    // Rejected with a message: the expected outcome for bad input.
  }
  return 0;
}
