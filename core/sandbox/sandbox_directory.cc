#include "core/sandbox/sandbox_directory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/sandbox/sandbox.h"

namespace rig {
namespace {

namespace fs = std::filesystem;

std::string mark_path(const std::string& directory) {
  return (fs::path(directory) / kSandboxMarkFile).string();
}

// Owned by the effective user and not writable by group or others.
}  // namespace

bool private_to_this_user(const struct stat& info) {
  return info.st_uid == ::geteuid() && (info.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

bool claim_directory(const std::string& directory) {
  std::error_code ec;
  if (!fs::exists(directory, ec)) {
    fs::create_directories(directory, ec);
    if (ec) throw SandboxError("cannot create " + directory + ": " + ec.message());
    return true;
  }
  if (!fs::is_directory(directory, ec)) {
    throw SandboxError(directory + " is not a directory; give a new or empty directory");
  }
  if (fs::exists(mark_path(directory), ec)) {
    throw SandboxError("a sandbox already lives in " + directory + "; stop it with `test-rig " +
                       "sandbox stop " + directory + "`");
  }
  if (!fs::is_empty(directory, ec) || ec) {
    throw SandboxError(directory + " is not empty, and a sandbox removes what it holds when it " +
                       "stops; give a new or empty directory");
  }
  return false;
}

void write_private_file(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
  if (fd < 0) throw SandboxError("cannot write " + path + ": " + std::strerror(errno));
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ::close(fd);
  if (!ok) throw SandboxError("cannot write " + path);
}

void write_mark(const std::string& directory, const SandboxMark& mark) {
  std::ostringstream text;
  text << "# This directory is a test-rig sandbox: `test-rig sandbox stop` removes what\n"
       << "# the sandbox made in it" << (mark.made_directory ? ", the directory included" : "")
       << ".\n"
       << "server = \"" << (mark.tidb ? "tidb-server" : "mariadbd") << "\"\n"
       << "made_directory = " << (mark.made_directory ? "true" : "false") << "\n"
       << "port = " << mark.port << "\n"
       << "status_port = " << mark.status_port << "\n"
       << "tls = " << (mark.tls ? "true" : "false") << "\n";
  if (!mark.nodes.empty()) {
    text << "# a Galera cluster: per node, its client, group, IST and SST ports\nnodes = [";
    for (std::size_t k = 0; k < mark.nodes.size(); ++k) {
      const GaleraPorts& n = mark.nodes[k];
      text << (k ? ", " : "") << "[" << n.port << ", " << n.group << ", " << n.ist << ", " << n.sst
           << "]";
    }
    text << "]\n";
  }
  write_private_file(mark_path(directory), text.str());
}

SandboxMark read_mark(const std::string& directory) {
  const std::string path = mark_path(directory);
  auto refuse = [&](const std::string& why) {
    return SandboxError(directory + " is not a test-rig sandbox (" + why +
                        "); nothing was stopped or removed");
  };
  struct stat dir_info {
  }, mark_info{};
  if (::stat(directory.c_str(), &dir_info) != 0) throw refuse(std::strerror(errno));
  if (::lstat(path.c_str(), &mark_info) != 0) throw refuse("no " + std::string(kSandboxMarkFile));
  if (!S_ISREG(mark_info.st_mode) || !private_to_this_user(mark_info) ||
      !private_to_this_user(dir_info)) {
    throw refuse("its mark or the directory belongs to another user or is writable by others");
  }
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const std::exception&) {
    throw refuse("its mark is unreadable");
  }
  SandboxMark mark;
  std::string server = table["server"].value_or(std::string());
  if (server != "mariadbd" && server != "tidb-server") throw refuse("its mark names no server");
  mark.tidb = server == "tidb-server";
  mark.made_directory = table["made_directory"].value_or(false);
  int64_t port = table["port"].value_or(int64_t{0});
  int64_t status_port = table["status_port"].value_or(int64_t{0});
  if (port <= 0 || port > 65535 || status_port < 0 || status_port > 65535) {
    throw refuse("its mark has no valid port");
  }
  mark.port = static_cast<uint16_t>(port);
  mark.status_port = static_cast<uint16_t>(status_port);
  mark.tls = table["tls"].value_or(false);
  if (const toml::array* nodes = table["nodes"].as_array()) {
    for (const toml::node& node : *nodes) {
      const toml::array* ports = node.as_array();
      if (!ports || ports->size() != 4) throw refuse("its mark's nodes are not four ports each");
      uint16_t values[4];
      for (std::size_t i = 0; i < 4; ++i) {
        const int64_t value = (*ports)[i].value_or(int64_t{0});
        if (value <= 0 || value > 65535) throw refuse("its mark has no valid port");
        values[i] = static_cast<uint16_t>(value);
      }
      mark.nodes.push_back({values[0], values[1], values[2], values[3]});
    }
  }
  return mark;
}

void remove_owned(const std::string& directory, bool made_directory) {
  std::error_code ec;
  if (made_directory) {
    fs::remove_all(directory, ec);
    return;
  }
  for (const auto& entry : fs::directory_iterator(directory, ec)) fs::remove_all(entry.path(), ec);
}

std::string data_argument(const std::string& directory, bool tidb) {
  return tidb ? directory + "/tidb-data" : "--datadir=" + directory + "/data";
}

bool is_sandbox_server(pid_t pid, const std::string& data_argument) {
  if (pid <= 0) return false;
  const std::string proc = "/proc/" + std::to_string(pid);
  std::error_code ec;
  std::string program = fs::read_symlink(proc + "/exe", ec).filename().string();
  if (ec || (program != "mariadbd" && program != "tidb-server")) return false;
  std::ifstream in(proc + "/cmdline", std::ios::binary);
  for (std::string argument; std::getline(in, argument, '\0');) {
    if (argument == data_argument) return true;
  }
  return false;
}

pid_t find_sandbox_server(const std::string& data_argument) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::stol(name));
    if (is_sandbox_server(pid, data_argument)) return pid;
  }
  return -1;
}

}  // namespace rig
