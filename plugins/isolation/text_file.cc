#include "text_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "scenario.h"

namespace isolation {

std::string read_text_file(const std::string& path, const std::string& what) {
  auto refuse = [&](const std::string& why) -> ScenarioError {
    return ScenarioError(path + ": cannot read the " + what + ": " + why);
  };
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw refuse(std::strerror(errno));
  if (!S_ISREG(info.st_mode)) throw refuse("not a regular file");
  if (static_cast<std::size_t>(info.st_size) > kMaxDataFileBytes) {
    throw refuse("larger than " + std::to_string(kMaxDataFileBytes >> 10) + " KiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw refuse(std::strerror(errno));
  std::string text(kMaxDataFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw refuse("read error");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxDataFileBytes) throw refuse("it grew while being read");
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
