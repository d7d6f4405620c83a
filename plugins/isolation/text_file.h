// plugins/isolation/text_file.h -- reading the plugin's line-oriented data
// files (scenarios, expectations) and splitting their lines.
#ifndef TEST_RIG_PLUGINS_ISOLATION_TEXT_FILE_H_
#define TEST_RIG_PLUGINS_ISOLATION_TEXT_FILE_H_

#include <cstddef>
#include <string>
#include <vector>

namespace isolation {

// Data files are small; anything larger is not one (a device, a log given
// by mistake) and is refused before it is read.
constexpr std::size_t kMaxDataFileBytes = 1 << 20;

// The whole file. Throws ScenarioError ("PATH: cannot read the WHAT: ...")
// unless PATH is a readable regular file of at most kMaxDataFileBytes.
std::string read_text_file(const std::string& path, const std::string& what);

std::vector<std::string> split_lines(const std::string& text);
std::vector<std::string> split_words(const std::string& text);
std::string trim(const std::string& text);

}  // namespace isolation

#endif  // TEST_RIG_PLUGINS_ISOLATION_TEXT_FILE_H_
