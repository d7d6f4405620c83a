#include "text_file.h"

#include <sstream>

#include "scenario.h"
#include "test_rig/sdk/small_file.h"

namespace isolation {

std::string read_text_file(const std::string& path, const std::string& what) {
  std::string text, why;
  if (!test_rig::read_small_file(path, kMaxDataFileBytes, &text, &why)) {
    throw ScenarioError(path + ": cannot read the " + what + ": " + why);
  }
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string trim(const std::string& text) {
  auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

}  // namespace isolation
