#include "core/run/crash_trace.h"

#include <dlfcn.h>
#include <elf.h>
#include <signal.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <boost/stacktrace/safe_dump_to.hpp>

namespace rig {
namespace {

constexpr std::size_t kMaxFrames = 64;
int g_trace_fd = -1;
// Separates what an interpreter's own crash handler wrote to the same fd
// before ours (Python's faulthandler: a text traceback) from our frames.
constexpr char kNativeMarker[] = "\n#test-rig native stack#\n";

void on_crash(int number) {
  void* frames[kMaxFrames];
  // Skips this handler and the kernel's signal trampoline.
  const std::size_t count = boost::stacktrace::safe_dump_to(2, frames, sizeof(frames));
  const std::size_t bytes = count * sizeof(void*);
  if (::write(g_trace_fd, kNativeMarker, sizeof(kNativeMarker) - 1) < 0) {
    ::raise(number);
    return;
  }
  std::size_t written = 0;
  while (written < bytes) {
    const ssize_t n =
        ::write(g_trace_fd, reinterpret_cast<char*>(frames) + written, bytes - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  // SA_RESETHAND restored the default action: die of the same signal.
  ::raise(number);
}

// addr2line's two lines for `address` in `module`: the function and
// file:line ("??" and "??:0" when unknown).
std::pair<std::string, std::string> addr2line(const std::string& module, uintptr_t address) {
  char hex[32];
  std::snprintf(hex, sizeof(hex), "0x%lx", static_cast<unsigned long>(address));
  const std::string command = "addr2line -f -C -e '" + module + "' " + hex + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {"??", "??:0"};
  char function[4096] = "", place[4096] = "";
  const bool read = std::fgets(function, sizeof(function), pipe) != nullptr &&
                    std::fgets(place, sizeof(place), pipe) != nullptr;
  ::pclose(pipe);
  if (!read) return {"??", "??:0"};
  auto chomp = [](char* line) {
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
  };
  return {chomp(function), chomp(place)};
}

// Whether `module` is position-independent (a shared object or a PIE
// executable): its addresses are then offsets from where it was loaded.
bool position_independent(const std::string& module) {
  Elf64_Ehdr header{};
  FILE* file = std::fopen(module.c_str(), "rb");
  if (file == nullptr) return true;
  const bool read = std::fread(&header, sizeof(header), 1, file) == 1;
  std::fclose(file);
  return !read || header.e_type == ET_DYN;
}

// "function at file:line (module)", as much of it as is known.
std::string describe_frame(uintptr_t address) {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(address), &info) == 0 || info.dli_fname == nullptr) {
    return "?? (unknown module)";
  }
  const std::string module = info.dli_fname;
  const uintptr_t base = reinterpret_cast<uintptr_t>(info.dli_fbase);
  auto [function, place] =
      addr2line(module, position_independent(module) ? address - base : address);
  if (function == "??" && info.dli_sname) function = info.dli_sname;
  std::string text = function;
  if (place.rfind("??", 0) != 0) text += " at " + place;
  const std::size_t slash = module.rfind('/');
  return text + " (" + (slash == std::string::npos ? module : module.substr(slash + 1)) + ")";
}

}  // namespace

void write_stack_on_crash(int fd) {
  g_trace_fd = fd;
  static char alternate_stack[1 << 16];
  stack_t stack{};
  stack.ss_sp = alternate_stack;
  stack.ss_size = sizeof(alternate_stack);
  ::sigaltstack(&stack, nullptr);
  struct sigaction action {};
  action.sa_handler = &on_crash;
  action.sa_flags = SA_RESETHAND | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  for (int number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(number, &action, nullptr);
}

std::string symbolized_stack(const std::string& dump) {
  const std::size_t marker = dump.rfind(kNativeMarker);
  std::string interpreter = marker == std::string::npos ? dump : dump.substr(0, marker);
  while (!interpreter.empty() && interpreter.back() == '\n') interpreter.pop_back();
  const std::string native =
      marker == std::string::npos ? "" : dump.substr(marker + sizeof(kNativeMarker) - 1);
  const std::size_t count = native.size() / sizeof(void*);
  std::vector<void*> frames(count);
  std::memcpy(frames.data(), native.data(), count * sizeof(void*));
  std::vector<std::string> described;
  for (std::size_t i = 0; i < count; ++i) {
    // A return address points after its call: look up the call itself.
    const auto address = reinterpret_cast<uintptr_t>(frames[i]) - (i == 0 ? 0 : 1);
    described.push_back(describe_frame(address));
  }
  // Below _start the unwinder finds only what is no frame.
  while (!described.empty() && described.back().rfind("??", 0) == 0) described.pop_back();
  std::ostringstream text;
  if (!interpreter.empty()) text << interpreter << "\nnative stack:\n";
  for (std::size_t i = 0; i < described.size(); ++i)
    text << "#" << i << " " << described[i] << "\n";
  return text.str();
}

}  // namespace rig
