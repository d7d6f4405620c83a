#include "load_settings.h"

#include <charconv>

#include "shard_share.h"

namespace rig_load {

LoadSettings settings_from(test_rig::Context& ctx, Workload workload) {
  LoadSettings s;
  s.workload = workload;
  s.threads = static_cast<int>(ctx.option_int("threads"));
  s.time_s = ctx.option_float("time");
  s.events = ctx.option_int("events");
  s.rate = ctx.option_float("rate");
  s.warmup_s = ctx.option_float("warmup");
  s.report_interval_s = ctx.option_float("report-interval");
  s.distribution = *parse_distribution(ctx.option_string("rand-type"));
  s.seed = static_cast<uint64_t>(ctx.option_int("seed"));
  s.table_prefix = ctx.option_string("table-prefix");
  if (auto problem = table_prefix_problem(s.table_prefix); !problem.empty()) {
    throw std::runtime_error(problem);
  }
  s.tables = static_cast<int>(ctx.option_int("tables"));
  s.table_size = ctx.option_int("table-size");
  auto count = [&](const char* name) { return static_cast<int>(ctx.option_int(name)); };
  s.shape.point_selects = count("point-selects");
  s.shape.simple_ranges = count("simple-ranges");
  s.shape.sum_ranges = count("sum-ranges");
  s.shape.order_ranges = count("order-ranges");
  s.shape.distinct_ranges = count("distinct-ranges");
  s.shape.range_size = ctx.option_int("range-size");
  s.shape.range_selects = ctx.option_bool("range-selects");
  s.shape.index_updates = count("index-updates");
  s.shape.non_index_updates = count("non-index-updates");
  s.shape.delete_inserts = count("delete-inserts");
  s.shape.skip_trx = ctx.option_bool("skip-trx");
  s.prepared = ctx.option_bool("prepared");
  s.dry_run = ctx.option_bool("dry-run");
  for (const std::string& code : ctx.option_list("ignore-errors")) {
    // The host checks the bounds before the run; a host older than list
    // bounds does not, so the whole text is still checked here: "12abc" is
    // no 12, and 99999999999 no 1215752191.
    uint32_t number = 0;
    auto parsed = std::from_chars(code.data(), code.data() + code.size(), number);
    if (parsed.ec != std::errc() || parsed.ptr != code.data() + code.size() || number == 0 ||
        number > 65535) {
      throw std::runtime_error("--load.ignore-errors: '" + code +
                               "' is not an error code (a number 1..65535, such as 1062)");
    }
    s.ignore_errors.insert(number);
  }
  s.csv_path = ctx.option_string("csv");
  s.histogram = ctx.option_bool("histogram");
  if (std::string dir = ctx.option_string("raw-latencies"); !dir.empty()) {
    s.raw_latencies_path = dir + "/" + workload_name(workload) + ".txt";
  }
  if (s.time_s <= 0 && s.events <= 0) {
    throw std::runtime_error("give --load.time or --load.events (both are 0)");
  }
  if (const test_rig::Context::Shard shard = ctx.shard(); shard.count > 1) {
    const rig_plugins::ShardShare share = rig_plugins::divided(
        {s.threads, s.rate, s.events, "--load.threads", "--load.events"}, shard);
    s.first_thread = share.first_worker;
    s.threads = share.workers;
    s.rate = share.rate;
    s.events = share.units;
  }
  return s;
}

}  // namespace rig_load
