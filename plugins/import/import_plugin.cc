// plugins/import -- bulk loading keeps every row intact: LOAD DATA LOCAL
// INFILE with CSV and TSV layouts, IGNORE 1 LINES, column mapping, NULLs and
// a latin1 file, REPLACE and IGNORE on duplicate keys; TiDB's IMPORT INTO;
// and a monitor for TiDB's import and DDL jobs. Every load is verified by
// row count and an order-independent checksum of the generated data.
//
// Files are generated, from --import.seed, into a temporary directory
// outside the source tree that is removed afterwards.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "data_generator.h"
#include "plugin_support.h"
#include "test_rig/sdk.h"

namespace {

using import_test::Alphabet;
using import_test::Format;
using import_test::ImportRow;
using rig_plugins::scalar_int;
using rig_plugins::TableGuard;
using test_rig::Connection;
using test_rig::Context;
using test_rig::expect;
using test_rig::expect_eq;

// A private temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "test-rig-import-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary directory in " +
                               std::filesystem::temp_directory_path().string());
    }
    path_ = pattern;
    // Should this process be killed, the next run removes it.
    if (!test_rig::mark_directory(path_)) throw std::runtime_error("cannot write to " + path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name, const std::string& content) const {
    std::string path = path_ + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path);
    return path;
  }

 private:
  std::string path_;
};

std::string create_table(Context& ctx, TableGuard& table) {
  ctx.connection().execute("CREATE TABLE " + table.name() +
                           " (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, amount DECIMAL(10,2) "
                           "NOT NULL, created DATE NOT NULL, note TEXT NULL) "
                           "DEFAULT CHARSET = utf8mb4 " +
                           test_rig::owner_comment());
  return table.name();
}

std::vector<ImportRow> rows_for(Context& ctx, Alphabet alphabet) {
  return import_test::generate_rows(ctx.option_int("rows"),
                                    static_cast<uint64_t>(ctx.option_int("seed")), alphabet);
}

// Compares the table with the generated rows by count and checksum.
void verify(Context& ctx, const std::string& table, const std::vector<ImportRow>& rows) {
  Connection db = ctx.connection();
  if (ctx.option_bool("sabotage")) {
    db.execute("UPDATE " + table + " SET name = CONCAT(name, '!') ORDER BY id LIMIT 1");
  }
  auto result = db.query("SELECT COUNT(*), COALESCE(SUM(" + import_test::checksum_expression() +
                         "), 0) FROM " + table);
  expect(result.next(), "no result from the checksum query");
  expect_eq(std::string(*result.get(0)), std::to_string(rows.size()), "rows loaded");
  expect_eq(std::string(*result.get(1)), std::to_string(import_test::checksum(rows)),
            "checksum of the loaded rows against the generated file");
  ctx.record("rows", std::to_string(rows.size()));
}

void load(Connection& db, const std::string& sql) {
  auto error = db.try_execute(sql);
  if (error.code == 1148 || error.code == 3948 || error.code == 4166) {
    throw test_rig::Skip("the server does not allow LOAD DATA LOCAL INFILE (local_infile=OFF): " +
                         error.message);
  }
  expect(error.ok(), "LOAD DATA failed: " + error.message);
}

// One load: rows generated in `alphabet`, written as `format` with
// `encoding`, loaded with `clauses` (everything after INTO TABLE t), verified.
struct LoadCase {
  const char* table_prefix;
  Alphabet alphabet;
  Format format;
  import_test::EncodeOptions encoding;
  std::string clauses;
};

void round_trip(Context& ctx, const LoadCase& load_case) {
  TableGuard table(ctx, rig_plugins::unique_name(load_case.table_prefix));
  TempDir dir;
  auto rows = rows_for(ctx, load_case.alphabet);
  std::string file =
      dir.file("data", import_test::encode(rows, load_case.format, load_case.encoding));
  Connection db = ctx.connection();
  load(db, "LOAD DATA LOCAL INFILE '" + file + "' INTO TABLE " + create_table(ctx, table) + " " +
               load_case.clauses);
  verify(ctx, table.name(), rows);
  expect_eq(scalar_int(db, "SELECT COUNT(*) FROM " + table.name() + " WHERE note IS NULL"),
            static_cast<int64_t>(std::count_if(rows.begin(), rows.end(),
                                               [](const ImportRow& r) { return !r.note; })),
            "rows loaded with a NULL note");
}

const char* kCsvFields =
    "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '\\\\' "
    "LINES TERMINATED BY '\\n' IGNORE 1 LINES";

void csv(Context& ctx) {
  round_trip(ctx, {"imp_csv",
                   Alphabet::kUnicode,
                   Format::kCsv,
                   {.header = true},
                   std::string("CHARACTER SET utf8mb4 ") + kCsvFields +
                       " (id, name, amount, created, note)"});
}

void tsv(Context& ctx) {
  round_trip(ctx, {"imp_tsv", Alphabet::kUnicode, Format::kTsv, {}, "CHARACTER SET utf8mb4"});
}

void column_mapping(Context& ctx) {
  round_trip(ctx, {"imp_map",
                   Alphabet::kUnicode,
                   Format::kCsv,
                   {.header = true, .cents_first = true},
                   std::string("CHARACTER SET utf8mb4 ") + kCsvFields +
                       " (note, created, @cents, name, id, @ignored) SET amount = @cents / 100"});
}

// The checksum is over the UTF-8 text, so the latin1 bytes must be converted.
void charset(Context& ctx) {
  round_trip(ctx, {"imp_latin1",
                   Alphabet::kLatin1,
                   Format::kCsv,
                   {.header = true, .latin1 = true},
                   std::string("CHARACTER SET latin1 ") + kCsvFields});
}

void duplicates(Context& ctx) {
  TableGuard table(ctx, rig_plugins::unique_name("imp_dup"));
  TempDir dir;
  const std::string t = create_table(ctx, table);
  auto original = rows_for(ctx, Alphabet::kUnicode);
  const int64_t half = static_cast<int64_t>(original.size()) / 2;
  // The second file repeats the first half's keys with other values, then
  // adds as many new keys.
  auto second = import_test::generate_rows(half, 7, Alphabet::kUnicode, 1);
  auto fresh = import_test::generate_rows(half, 8, Alphabet::kUnicode,
                                          static_cast<int64_t>(original.size()) + 1);
  second.insert(second.end(), fresh.begin(), fresh.end());
  std::string first_file = dir.file("first.tsv", import_test::encode(original, Format::kTsv));
  std::string second_file = dir.file("second.tsv", import_test::encode(second, Format::kTsv));
  Connection db = ctx.connection();
  auto load_mode = [&](const std::string& mode, const std::string& file) {
    load(db, "LOAD DATA LOCAL INFILE '" + file + "' " + mode + " INTO TABLE " + t +
                 " CHARACTER SET utf8mb4");
  };
  load_mode("", first_file);
  load_mode("IGNORE", second_file);
  std::vector<ImportRow> expected = original;  // IGNORE keeps the old rows
  expected.insert(expected.end(), fresh.begin(), fresh.end());
  verify(ctx, t, expected);
  load_mode("REPLACE", second_file);
  expected = second;  // REPLACE takes the new values for the repeated keys
  expected.insert(expected.end(), original.begin() + half, original.end());
  verify(ctx, t, expected);
}

// ---- TiDB only.

void tidb_import_into(Context& ctx) {
  rig_plugins::skip_unless_tidb(ctx, "IMPORT INTO");
  TableGuard table(ctx, rig_plugins::unique_name("imp_into"));
  TempDir dir;
  auto rows = rows_for(ctx, Alphabet::kUnicode);
  std::string file =
      dir.file("data.csv", import_test::encode(rows, Format::kCsv, {.header = true}));
  Connection db = ctx.connection();
  // The file must be readable by tidb-server: true for a sandbox on this host.
  db.execute("IMPORT INTO " + create_table(ctx, table) +
             " (id, name, amount, created, note) FROM '" + file +
             "' FORMAT 'csv' WITH skip_rows=1, fields_terminated_by=',', "
             "fields_enclosed_by='\"', fields_escaped_by='\\\\', thread=2");
  verify(ctx, table.name(), rows);
}

void job_monitor(Context& ctx) {
  rig_plugins::skip_unless_tidb(ctx, "the import and DDL job monitor");
  Connection db = ctx.connection();
  const auto interval = std::chrono::milliseconds(ctx.option_int("monitor-interval-ms"));
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::seconds(ctx.option_int("monitor-seconds"));
  int polls = 0;
  int64_t running_imports = 0, ddl_jobs = 0;
  while (std::chrono::steady_clock::now() < until) {
    auto imports = db.query("SHOW IMPORT JOBS");
    auto status = imports.column_index("Status");
    auto job_id = imports.column_index("Job_ID");
    running_imports = 0;
    while (imports.next()) {
      if (!status || imports.get(*status) != std::optional<std::string_view>("running")) continue;
      ++running_imports;
      if (job_id) {
        std::string id(*imports.get(*job_id));
        auto detail = db.query("SHOW IMPORT JOB " + id);
        auto progress = detail.column_index("Imported_Rows");
        if (detail.next() && progress) {
          ctx.info("import job " + id + ": " + std::string(detail.get(*progress).value_or("?")) +
                   " rows imported");
        }
      }
    }
    auto ddl = db.query("ADMIN SHOW DDL JOBS 10");
    ddl_jobs = static_cast<int64_t>(ddl.row_count());
    ctx.info("poll " + std::to_string(++polls) + ": " + std::to_string(running_imports) +
             " running import jobs, " + std::to_string(ddl_jobs) + " recent DDL jobs");
    std::this_thread::sleep_for(interval);
  }
  expect(polls > 0, "the monitor never polled");
  ctx.record("polls", std::to_string(polls));
  ctx.record("running_imports", std::to_string(running_imports));
  ctx.record("recent_ddl_jobs", std::to_string(ddl_jobs));
}

test_rig::PluginDefinition define() {
  using test_rig::Option;
  test_rig::PluginDefinition plugin("import", "1.0.0", "bulk loading, verified row by row");
  plugin.option(Option::integer("rows", 20000, "rows per generated file").bounds(2, 100000000))
      .option(Option::integer("seed", 42, "seed of the data generator").bounds(0, 4e18))
      .option(Option::boolean("sabotage", false,
                              "alter a loaded row before verifying (the test must then fail)"))
      .option(Option::integer("monitor-seconds", 10, "how long import/job-monitor polls")
                  .bounds(1, 86400))
      .option(Option::integer("monitor-interval-ms", 1000, "poll interval of import/job-monitor")
                  .bounds(100, 3600000));
  const rig_plugins::TestEntry tests[] = {
      {"csv", "CSV with header, quotes, escapes and NULLs", csv},
      {"tsv", "LOAD DATA's default tab-separated format", tsv},
      {"column-mapping", "file columns in another order, with SET", column_mapping},
      {"charset", "a latin1 file into a utf8mb4 table", charset},
      {"duplicates", "IGNORE keeps, REPLACE overwrites duplicate keys", duplicates},
      {"tidb-import-into", "TiDB: IMPORT INTO ... WITH options", tidb_import_into},
      {"job-monitor", "TiDB: poll import and DDL jobs", job_monitor}};
  rig_plugins::add_tests(plugin, tests);
  return plugin;
}

}  // namespace

TEST_RIG_PLUGIN(define)
