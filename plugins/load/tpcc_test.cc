#include "tpcc_test.h"

#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "load_round.h"
#include "load_settings.h"
#include "plugin_support.h"
#include "shard_meeting.h"
#include "tpcc_check.h"
#include "tpcc_population.h"
#include "tpcc_schema.h"

namespace rig_load {
namespace {

using rig_plugins::ShardMeeting;
using test_rig::Connection;
using test_rig::Context;
using test_rig::StateId;
using namespace tpcc;

using Clock = std::chrono::steady_clock;

// What the states hand on, in the run's custom data.
constexpr const char* kCreatedKey = "tpcc.created";      // "1": this run made the tables
constexpr const char* kConstantsKey = "tpcc.constants";  // the population's NURand C's
constexpr const char* kOrdersBeforeKey = "tpcc.orders_before";
constexpr const char* kEffectsKey = "tpcc.effects";  // TableEffects::to_text of the run
// A dataset this rig made and handed over (--load.cleanup none): the
// warehouse table's comment, e.g. "test-rig-tpcc-dataset 4 12 345 6789":
// warehouses and the population's C_LAST, C_ID and OL_I_ID constants.
constexpr const char* kDatasetMark = "test-rig-tpcc-dataset";

int warehouses_of(Context& ctx) { return static_cast<int>(ctx.option_int("warehouses")); }

std::string constants_text(const NurandConstants& c) {
  return std::to_string(c.c_last) + " " + std::to_string(c.c_id) + " " + std::to_string(c.ol_i_id);
}

NurandConstants constants_from(const std::string& text) {
  NurandConstants c;
  std::istringstream in(text);
  in >> c.c_last >> c.c_id >> c.ol_i_id;
  return c;
}

// One warehouse's rows, all but the items (4.3.3.1).
void load_warehouse(Connection& db, Population& rows, int w) {
  db.execute("INSERT INTO warehouse VALUES (" + rows.warehouse(w) + ")");
  rig_plugins::RowBatch districts(db, "INSERT INTO district");
  for (int d = 1; d <= kDistrictsPerWarehouse; ++d) districts.add(rows.district(w, d));
  districts.flush();
  rig_plugins::RowBatch stock(db, "INSERT INTO stock");
  for (int i = 1; i <= kItems; ++i) stock.add(rows.stock(w, i));
  stock.flush();
  for (int d = 1; d <= kDistrictsPerWarehouse; ++d) {
    rig_plugins::RowBatch customers(db, "INSERT INTO customer");
    rig_plugins::RowBatch history(db, std::string("INSERT INTO history (") + kHistoryColumns + ")");
    for (int c = 1; c <= kCustomersPerDistrict; ++c) {
      customers.add(rows.customer(w, d, c));
      history.add(rows.history(w, d, c));
    }
    customers.flush();
    history.flush();
    rig_plugins::RowBatch orders(db, "INSERT INTO orders");
    rig_plugins::RowBatch lines(db, "INSERT INTO order_line");
    rig_plugins::RowBatch new_orders(db, "INSERT INTO new_order");
    for (const InitialOrder& order : rows.orders()) {
      orders.add(rows.order(w, d, order));
      for (int n = 1; n <= order.lines; ++n) lines.add(rows.order_line(w, d, order, n));
      if (!order.delivered()) new_orders.add(Population::new_order(w, d, order.id));
    }
    orders.flush();
    lines.flush();
    new_orders.flush();
  }
}

// Runs `work(session, k)` for k = 0..sessions-1, each on a session of its
// own on a thread of its own; rethrows the first exception once all ended.
void on_sessions(Context& ctx, int sessions, const std::string& name,
                 const std::function<void(Connection&, int)>& work) {
  std::mutex failed_mutex;
  std::exception_ptr failed;
  std::vector<std::thread> threads;
  for (int k = 0; k < sessions; ++k) {
    threads.emplace_back([&, k] {
      try {
        Connection db = ctx.connection(name + "-" + std::to_string(k));
        work(db, k);
      } catch (...) {
        std::lock_guard lock(failed_mutex);
        if (!failed) failed = std::current_exception();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (failed) std::rethrow_exception(failed);
}

// The initial population of `w` warehouses, on up to `sessions` sessions.
void load_population(Context& ctx, Connection& db, int w, int sessions, uint64_t seed,
                     const NurandConstants& constants) {
  const auto began = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - began).count(); };
  const std::string now = db.scalar("SELECT NOW()").value_or("2000-01-01 00:00:00");
  {
    TpccRandom random(seed, constants);
    Population rows(random, now);
    rig_plugins::RowBatch items(db, "INSERT INTO item");
    for (int i = 1; i <= kItems; ++i) items.add(rows.item(i));
    items.flush();
  }
  std::mutex progress;
  int loaded = 0;
  on_sessions(ctx, std::min(sessions, w), "tpcc-load", [&](Connection& session, int k) {
    for (int warehouse = k + 1; warehouse <= w; warehouse += std::min(sessions, w)) {
      TpccRandom random(seed * 1000003 + static_cast<uint64_t>(warehouse), constants);
      Population rows(random, now);
      load_warehouse(session, rows, warehouse);
      std::lock_guard lock(progress);
      ++loaded;
      char line[96];
      std::snprintf(line, sizeof(line), "loaded warehouse %d (%d of %d) in %.1f s", warehouse,
                    loaded, w, elapsed());
      ctx.info(line);
    }
  });
  char note[96];
  std::snprintf(note, sizeof(note), "prepared %d warehouse(s) in %.1f s (%.1f s each)\n", w,
                elapsed(), elapsed() / w);
  ctx.add_summary_text(note);
  ctx.record("prepare_s", std::to_string(elapsed()));
}

// The run's settings, once every option is known to be usable: checked
// before the run (ABI 1.5) and again by prepare, for an older host.
LoadSettings checked_settings(Context& ctx) {
  LoadSettings settings = settings_from(ctx, Workload::kTpcc);
  parse_weights(ctx.option_string("tpcc-weights"));
  if (settings.dry_run) {
    throw std::runtime_error(
        "--load.dry-run: load/tpcc's transactions need the server; run "
        "without it");
  }
  return settings;
}

class Prepare : public test_rig::StateHandler {
 public:
  StateId execute(Context& ctx) override {
    const LoadSettings settings = checked_settings(ctx);

    const bool check_only = ctx.option_bool("tpcc-check-only");
    const StateId next = check_only ? StateId("check") : StateId("run");
    ShardMeeting meeting(ctx);
    if (meeting.split() && !meeting.first()) return next;  // shard 0 prepares
    Connection db = ctx.connection();
    if (meeting.split()) meeting.open(db);
    const int w = warehouses_of(ctx);
    const std::string mode = ctx.option_string("prepare");
    std::vector<std::string> present, missing;
    for (const char* table : kTables) {
      (rig_plugins::table_exists(db, table) ? present : missing).push_back(table);
    }
    if (!present.empty() && mode == "always") {
      for (const std::string& table : present) db.execute("DROP TABLE `" + table + "`");
      missing.insert(missing.end(), present.begin(), present.end());
      present.clear();
    }
    if (present.empty()) {
      if (check_only) {
        throw std::runtime_error("--load.tpcc-check-only: there are no TPC-C tables to check");
      }
      ctx.set_custom_data(kCreatedKey, "1");  // armed first: a half-made dataset is ours too
      const NurandConstants constants = NurandConstants::for_load(settings.seed);
      ctx.set_custom_data(kConstantsKey, constants_text(constants));
      const int partitions = static_cast<int>(ctx.option_int("partitions"));
      for (const std::string& sql : create_statements(partitions, test_rig::owner_comment())) {
        db.execute(sql);
      }
      load_population(ctx, db, w, std::max(1, settings.threads), settings.seed, constants);
      return next;
    }
    if (!missing.empty()) {
      throw std::runtime_error("a part of a TPC-C dataset is here (no table " + missing.front() +
                               "); the run leaves it alone: --load.prepare always replaces it");
    }
    use_existing(ctx, db, w, mode == "skip", settings.seed);
    return next;
  }

 private:
  // TPC-C's tables are all here: a dataset this rig made with as many
  // warehouses is used; so is any with --load.prepare skip; others are refused.
  static void use_existing(Context& ctx, Connection& db, int w, bool as_they_are, uint64_t seed) {
    const std::string comment = rig_plugins::table_comment(db, "warehouse");
    if (auto mark = test_rig::parse_owner_mark(comment)) {
      throw std::runtime_error("the TPC-C tables belong to another test-rig run (pid " +
                               std::to_string(mark->pid) +
                               "), which is making or using them; run one TPC-C run at a time "
                               "per database");
    }
    std::istringstream words(comment);
    std::string word;
    int marked = 0;
    NurandConstants constants = NurandConstants::for_load(seed);
    const bool ours = words >> word && word == kDatasetMark &&
                      words >> marked >> constants.c_last >> constants.c_id >> constants.ol_i_id;
    if (!ours && !as_they_are) {
      throw std::runtime_error(
          "TPC-C tables this rig did not make are here (warehouse's comment is '" + comment +
          "'); the run leaves them alone: --load.prepare skip uses them as they are, "
          "--load.prepare always replaces them");
    }
    if (ours && marked != w) {
      throw std::runtime_error("the TPC-C dataset here has " + std::to_string(marked) +
                               " warehouse(s): give --load.warehouses " + std::to_string(marked) +
                               ", or --load.prepare always to load " + std::to_string(w));
    }
    // The quick check: the scale is what the run will draw ids from.
    const int64_t found = rig_plugins::scalar_int(db, "SELECT COUNT(*) FROM warehouse");
    const int64_t districts = rig_plugins::scalar_int(db, "SELECT COUNT(*) FROM district");
    const int64_t items = rig_plugins::scalar_int(db, "SELECT COUNT(*) FROM item");
    if (found != w || districts != int64_t{w} * kDistrictsPerWarehouse || items != kItems) {
      throw std::runtime_error("the TPC-C tables hold " + std::to_string(found) +
                               " warehouse(s), " + std::to_string(districts) + " district(s) and " +
                               std::to_string(items) + " item(s), not those of " +
                               std::to_string(w) + " warehouse(s)");
    }
    ctx.set_custom_data(kConstantsKey, constants_text(constants));
    ctx.add_summary_text(std::string("using the existing TPC-C dataset of ") + std::to_string(w) +
                         " warehouse(s)" + (ours ? "" : ", as it is (--load.prepare skip)") + "\n");
  }
};

// TPC-C's figures (clause 5.4): New-Orders and all transactions per minute,
// and the share of the most a warehouse can do (12.86 tpmC each).
void record_throughput(Context& ctx, const LoadSummary& summary, int warehouses) {
  int64_t new_orders = 0;
  for (const auto& [name, histogram] : summary.statements) {
    if (name == "new_order") new_orders = static_cast<int64_t>(histogram.count());
  }
  const double minutes = summary.seconds / 60;
  const double tpmc = minutes > 0 ? new_orders / minutes : 0;
  const double tpm_total = minutes > 0 ? summary.counts.events.succeeded / minutes : 0;
  const double efficiency = 100 * tpmc / (12.86 * warehouses);
  char text[160];
  std::snprintf(text, sizeof(text), "      tpmC %.1f, tpmTotal %.1f, efficiency %.1f %%\n", tpmc,
                tpm_total, efficiency);
  ctx.add_summary_text(text);
  ctx.record("tpmC", rig_plugins::fixed(tpmc, 1));
  ctx.record("tpmTotal", rig_plugins::fixed(tpm_total, 1));
  ctx.record("efficiency", rig_plugins::fixed(efficiency, 1));
}

class Run : public test_rig::StateHandler {
 public:
  StateId execute(Context& ctx) override {
    LoadSettings settings = settings_from(ctx, Workload::kTpcc);
    TpccSettings& tpcc = settings.tpcc;
    tpcc.warehouses = warehouses_of(ctx);
    tpcc.weights = parse_weights(ctx.option_string("tpcc-weights"));
    tpcc.wait = ctx.option_bool("wait");
    if (const std::string level = ctx.option_string("isolation"); level != "server") {
      tpcc.session_setup = rig_plugins::set_isolation_sql(ctx.connection().server(), level);
    }
    std::string homes;  // the terminals' home warehouses, as this shard's threads have them
    for (int k = 0; k < settings.threads && k < tpcc.warehouses; ++k) {
      homes += (homes.empty() ? "" : " ") +
               std::to_string((settings.first_thread + k) % tpcc.warehouses + 1);
    }
    ctx.record("home_warehouses", homes);
    int64_t orders_before = 0;
    // Shard 0 prepared: it tells the others the population's constants.
    LoadRound round = run_round(
        ctx, settings,
        [&](Connection& session) {
          orders_before = rig_plugins::scalar_int(session, "SELECT COUNT(*) FROM orders");
          return ctx.get_custom_data(kConstantsKey).value_or("");
        },
        [](LoadSettings& adopted, const std::string& constants) {
          adopted.tpcc.load_constants = constants_from(constants);
        });
    record_throughput(ctx, round.result.summary, tpcc.warehouses);
    // This shard's own: shard 0's round.effects are every shard's.
    ctx.record("new_order_rollbacks", std::to_string(round.result.effects.rolled_back_new_orders));
    ctx.set_custom_data(kOrdersBeforeKey, std::to_string(orders_before));
    ctx.set_custom_data(kEffectsKey, round.effects.to_text());
    fail_on_failed_events(round.result);
    return "check";
  }
};

class Check : public test_rig::StateHandler {
 public:
  StateId execute(Context& ctx) override {
    ShardMeeting meeting(ctx);
    if (meeting.split() && !meeting.first()) return "cleanup";  // shard 0 checks for all
    const LoadSettings settings = settings_from(ctx, Workload::kTpcc);
    const int w = warehouses_of(ctx);
    const bool created = ctx.get_custom_data(kCreatedKey).value_or("") == "1";
    const std::optional<std::string> effects_text = ctx.get_custom_data(kEffectsKey);
    const TableEffects effects =
        effects_text ? TableEffects::from_text(*effects_text) : TableEffects{};
    Connection db = ctx.connection();
    if (ctx.option_bool("sabotage")) {
      if (!created) {
        throw std::runtime_error(
            "--load.sabotage changes a district of the TPC-C tables, which this run did not "
            "make; let the run load its own (--load.prepare always)");
      }
      // Behind the transactions' back: W_YTD = sum(D_YTD) no longer holds.
      db.execute("UPDATE district SET d_ytd = d_ytd + 1 WHERE d_w_id = 1 AND d_id = 1");
    }
    // Condition 11 holds until a Delivery commits.
    const bool initial = created && effects.committed_deliveries == 0;
    std::mutex found_mutex;
    std::vector<Violation> found;
    const int sessions = std::max(1, std::min(settings.threads, w));
    on_sessions(ctx, sessions, "tpcc-check", [&](Connection& session, int k) {
      for (int warehouse = k + 1; warehouse <= w; warehouse += sessions) {
        std::vector<Violation> violations = check_warehouse(session, warehouse, initial);
        std::lock_guard lock(found_mutex);
        found.insert(found.end(), violations.begin(), violations.end());
      }
    });
    ctx.record("conditions_checked", std::to_string(initial ? kConditions : kConditions - 1) +
                                         " per warehouse, " + std::to_string(w) + " warehouse(s)");
    if (!found.empty()) {
      std::string text = std::to_string(found.size()) + " TPC-C consistency violation(s)";
      for (std::size_t i = 0; i < found.size() && i < 5; ++i) text += "\n" + found[i].text();
      throw test_rig::Failure(text);
    }
    if (effects_text) {
      // Every committed New-Order made one order; an indeterminate one may have.
      const int64_t grown = rig_plugins::scalar_int(db, "SELECT COUNT(*) FROM orders") -
                            std::stoll(ctx.get_custom_data(kOrdersBeforeKey).value_or("0"));
      test_rig::expect(grown >= effects.committed_new_orders &&
                           grown <= effects.committed_new_orders + effects.indeterminate,
                       "accounting: the orders grew by " + std::to_string(grown) + ", but " +
                           std::to_string(effects.committed_new_orders) +
                           " New-Order(s) committed (+ up to " +
                           std::to_string(effects.indeterminate) + " indeterminate)");
      ctx.record("orders_grown", std::to_string(grown));
    }
    return "cleanup";
  }
};

class Cleanup : public test_rig::StateHandler {
 public:
  StateId execute(Context& ctx) override {
    ShardMeeting meeting(ctx);
    if (meeting.split() && !meeting.first()) return test_rig::State::kCompleted;  // shard 0's
    const std::string mode = ctx.option_string("cleanup");
    const bool created = ctx.get_custom_data(kCreatedKey).value_or("") == "1";
    Connection db = ctx.connection();
    const std::vector<std::string> tables(kTables.begin(), kTables.end());
    // A connection lost on the way is reopened and the cleanup goes on
    // where it stopped, as load's does.
    if (mode == "all" || (mode == "created" && created)) {
      rig_plugins::drop_tables(ctx, db, tables);
    } else if (mode == "none" && created) {
      // Handed to the user, marked as a dataset a later run may use as it is.
      rig_plugins::comment_tables(ctx, db, tables, [&](const std::string& table) {
        if (table != "warehouse") return std::string();
        return std::string(kDatasetMark) + " " + std::to_string(warehouses_of(ctx)) + " " +
               ctx.get_custom_data(kConstantsKey).value_or("");
      });
    }
    if (meeting.split()) meeting.close(db);
    return test_rig::State::kCompleted;
  }
};

}  // namespace

void add_tpcc_options(test_rig::PluginDefinition& plugin) {
  using test_rig::Option;
  plugin
      .option(Option::integer("warehouses", 1, "load/tpcc: warehouses (about 100 MB each)")
                  .bounds(1, 100000))
      .option(Option::string("tpcc-weights", "45,43,4,4,4",
                             "load/tpcc: the mix, weights of New-Order, Payment, Order-Status, "
                             "Delivery and Stock-Level"))
      .option(Option::integer("partitions", 0,
                              "load/tpcc: hash-partition the tables by warehouse into this many "
                              "(0: none)")
                  .bounds(0, 8192))
      .option(Option::choice(
          "isolation", "server",
          {"server", "read-uncommitted", "read-committed", "repeatable-read", "serializable"},
          "load/tpcc: the terminals' isolation level (server: its default)"))
      .option(Option::boolean("wait", false,
                              "load/tpcc: keying and think times between transactions, as the "
                              "specification's terminals (off, as go-tpc)"))
      .option(Option::boolean("tpcc-check-only", false,
                              "load/tpcc: check the existing dataset's consistency and run "
                              "nothing"));
}

test_rig::TestDefinition tpcc_test() {
  test_rig::TestDefinition test(
      "tpcc", "TPC-C: prepare, the five transactions in their mix, the consistency check");
  test.initial("prepare", std::make_unique<Prepare>(), "load or reuse the TPC-C dataset")
      .state("run", std::make_unique<Run>(), "run the terminals")
      .state("check", std::make_unique<Check>(), "check clause 3.3.2's conditions")
      .state("cleanup", std::make_unique<Cleanup>(), "drop the tables this run made")
      .terminal(test_rig::State::kCompleted)
      .transition("prepare", "run")
      .transition("prepare", "check")
      .transition("run", "check")
      .transition("check", "cleanup")
      .transition("cleanup", test_rig::State::kCompleted)
      .divides_its_work()
      .checks_options([](Context& ctx) { checked_settings(ctx); });
  return test;
}

}  // namespace rig_load
