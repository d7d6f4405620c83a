// tests/bench/bench_plugin.cc -- the C++ side of scripts/bench-python.sh:
// the same loops as tests/bench/python/test_bench.py, in a C++ handler.
//
//   bench/prepare       (re)creates sbtest1 with sysbench's layout
//   bench/point-select  single-session point selects for --bench.seconds
//                       against sbtest1 (--bench.table-size rows); records qps
//   bench/empty-loop    a state that returns to itself --bench.steps times;
//                       records ns per step (enter + execute + exit)
#include <sys/resource.h>

#include <chrono>
#include <random>
#include <string>

#include "test_rig/sdk.h"

namespace {

using Clock = std::chrono::steady_clock;
using test_rig::Context;
using test_rig::StateId;

// User + system CPU time of this process (the test's own child).
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

class Prepare : public test_rig::StateHandler {
 public:
  StateId execute(Context& ctx) override {
    test_rig::Connection db = ctx.connection();
    db.execute("DROP TABLE IF EXISTS sbtest1");
    db.execute(
        "CREATE TABLE sbtest1 (id INTEGER NOT NULL AUTO_INCREMENT, "
        "k INTEGER DEFAULT '0' NOT NULL, c CHAR(120) DEFAULT '' NOT NULL, "
        "pad CHAR(60) DEFAULT '' NOT NULL, PRIMARY KEY (id), KEY k_1 (k))");
    const int64_t rows = ctx.option_int("table-size");
    std::mt19937_64 random(7);
    auto digits = [&](int groups) {
      std::string text;
      for (int g = 0; g < groups; ++g) {
        if (g) text += '-';
        text += std::to_string(10000000000ULL + random() % 90000000000ULL);
      }
      return text;
    };
    constexpr int64_t kBatch = 1000;
    for (int64_t first = 1; first <= rows; first += kBatch) {
      std::string sql = "INSERT INTO sbtest1 (k, c, pad) VALUES ";
      for (int64_t n = first; n < first + kBatch && n <= rows; ++n) {
        sql += (n == first ? "(" : ",(") + std::to_string(random() % rows + 1) + ",'" + digits(10) +
               "','" + digits(5) + "')";
      }
      db.execute(sql);
    }
    ctx.record("rows", std::to_string(rows));
    return test_rig::State::kCompleted;
  }
};

class PointSelect : public test_rig::StateHandler {
 public:
  StateId execute(Context& ctx) override {
    test_rig::Connection db = ctx.connection();
    const int64_t rows = ctx.option_int("table-size");
    const auto duration = std::chrono::duration<double>(ctx.option_float("seconds"));
    std::mt19937_64 random(1);
    std::uniform_int_distribution<int64_t> id(1, rows);
    int64_t queries = 0;
    const double cpu_start = cpu_seconds();
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(duration);
    while (Clock::now() < deadline) {
      auto result = db.query("SELECT c FROM sbtest1 WHERE id=" + std::to_string(id(random)));
      test_rig::expect(result.next(), "point select found no row");
      ++queries;
    }
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    ctx.record("queries", std::to_string(queries));
    ctx.record("qps", std::to_string(queries / elapsed));
    ctx.record("cpu_us_per_query", std::to_string((cpu_seconds() - cpu_start) * 1e6 / queries));
    return test_rig::State::kCompleted;
  }
};

class EmptyLoop : public test_rig::StateHandler {
 public:
  StateId execute(Context& ctx) override {
    if (steps_ == 0) {
      target_ = ctx.option_int("steps");
      start_ = Clock::now();
    }
    if (++steps_ < target_) return "spin";
    double ns = std::chrono::duration<double, std::nano>(Clock::now() - start_).count();
    ctx.record("steps", std::to_string(steps_));
    ctx.record("ns_per_step", std::to_string(ns / steps_));
    return test_rig::State::kCompleted;
  }

 private:
  int64_t steps_ = 0, target_ = 0;
  Clock::time_point start_;
};

test_rig::PluginDefinition define() {
  using test_rig::Option;
  using test_rig::TestDefinition;
  test_rig::PluginDefinition plugin("bench", "1.0.0", "C++ baselines for the Python benchmark");
  plugin.option(Option::floating("seconds", 5, "how long bench/point-select runs"))
      .option(Option::integer("table-size", 10000, "rows in sbtest1"))
      .option(Option::integer("steps", 100000, "steps of bench/empty-loop"));
  TestDefinition prepare("prepare", "creates sbtest1 as sysbench does");
  prepare.initial("run", std::make_unique<Prepare>())
      .terminal(test_rig::State::kCompleted)
      .transition("run", test_rig::State::kCompleted);
  TestDefinition select("point-select", "single-session point selects, C++ handler");
  select.initial("run", std::make_unique<PointSelect>())
      .terminal(test_rig::State::kCompleted)
      .transition("run", test_rig::State::kCompleted);
  TestDefinition loop("empty-loop", "an empty C++ handler, stepped repeatedly");
  loop.initial("spin", std::make_unique<EmptyLoop>())
      .terminal(test_rig::State::kCompleted)
      .transition("spin", "spin")
      .transition("spin", test_rig::State::kCompleted);
  plugin.test(std::move(prepare)).test(std::move(select)).test(std::move(loop));
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
