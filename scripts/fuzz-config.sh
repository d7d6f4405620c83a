#!/usr/bin/env bash
# Fuzzes the config parser with libFuzzer under ASan and UBSan for a bounded
# time (default 60 s; first argument overrides). Builds into build-fuzz/ with
# clang. Exits non-zero, leaving the crashing input in build-fuzz/, if the
# fuzzer finds a crash, a leak or an uncaught exception.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
scripts/install-deps.sh
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  sudo_cmd=$([[ $(id -u) -eq 0 ]] || echo sudo)
  $sudo_cmd apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTEST_RIG_FUZZ=ON -DTEST_RIG_SANITIZE=ON -DTEST_RIG_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j 2 --target config_fuzzer
corpus=build-fuzz/corpus
mkdir -p "$corpus"
cp tests/fuzz/corpus/* "$corpus"/
cd build-fuzz
./bin/config_fuzzer -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 corpus
