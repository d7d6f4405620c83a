// test_rig/sdk/unique_name.h -- names for what a test creates on the server.
//
//   const std::string table = test_rig::unique_name("inventory");
//   // "inventory_3f9c0a12b7de": this run's, and no one else's
//
// The rule for every test: create what you use under a name of your own,
// with CREATE (never DROP ... IF EXISTS first: a table of that name that
// already exists is someone else's, so stop and say so), and drop only
// what your run created. A connection id is no such name: the server hands
// the same ids out again after a restart.
//
// Thread safety: [any-thread].
#ifndef TEST_RIG_SDK_UNIQUE_NAME_H_
#define TEST_RIG_SDK_UNIQUE_NAME_H_

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>

namespace test_rig {

// 12 hex digits from the system's random source, drawn once per process
// (every test runs in a process of its own unless --isolation none); a
// child made by fork() draws its own. TEST_RIG_RUN_TOKEN (1 to 12
// lower-case letters and digits) replaces it, for tests that plant a decoy
// under the name a run will choose.
inline std::string run_token() {
  static std::mutex mutex;
  static pid_t drawn_by = 0;
  static std::string token;
  std::lock_guard<std::mutex> lock(mutex);
  if (drawn_by == ::getpid()) return token;
  drawn_by = ::getpid();
  if (const char* fixed = std::getenv("TEST_RIG_RUN_TOKEN")) {
    std::string text(fixed);
    if (!text.empty() && text.size() <= 12 &&
        text.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz") == std::string::npos) {
      return token = text;
    }
  }
  std::random_device source;
  uint64_t bits = (uint64_t{source()} << 32 | source()) & 0xffffffffffffULL;
  char text[13];
  std::snprintf(text, sizeof(text), "%012llx", static_cast<unsigned long long>(bits));
  return token = text;
}

// `prefix`_<run token>: an identifier (letters, digits, '_') when `prefix` is
// one, at most 64 characters when `prefix` has at most 51.
inline std::string unique_name(const std::string& prefix) { return prefix + "_" + run_token(); }

}  // namespace test_rig

#endif  // TEST_RIG_SDK_UNIQUE_NAME_H_
