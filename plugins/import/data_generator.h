// plugins/import/data_generator.h -- seeded, deterministic rows for import
// tests, their CSV/TSV encodings, and an order-independent checksum that the
// server can compute too.
//
//   std::vector<ImportRow> rows = generate_rows(20000, /*seed=*/42, Alphabet::kUnicode);
//   write_file(dir + "/data.csv", encode(rows, Format::kCsv, {.header = true}));
//   uint64_t expected = checksum(rows);    // == SUM(CRC32(CONCAT_WS(...)))
//
// Columns: id INT, name VARCHAR (non-ASCII text, commas, quotes), amount
// DECIMAL(10,2), created DATE, note TEXT (NULL every 7th row).
#ifndef TEST_RIG_PLUGINS_IMPORT_DATA_GENERATOR_H_
#define TEST_RIG_PLUGINS_IMPORT_DATA_GENERATOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace import_test {

struct ImportRow {
  int64_t id = 0;
  std::string name;  // UTF-8
  int64_t amount_cents = 0;
  std::string created;  // YYYY-MM-DD
  std::optional<std::string> note;
};

// kLatin1 draws names only from characters latin1 can encode.
enum class Alphabet { kUnicode, kLatin1 };
enum class Format { kCsv, kTsv };

std::vector<ImportRow> generate_rows(int64_t count, uint64_t seed, Alphabet alphabet,
                                     int64_t first_id = 1);

struct EncodeOptions {
  bool header = false;
  bool latin1 = false;       // transcode names and notes to latin1 bytes
  bool cents_first = false;  // column-mapping layout: note,created,cents,name,id,extra
};

// CSV: ',' separated, '"' enclosed, '\' escaped, NULL as \N.
// TSV: LOAD DATA's default format: tab separated, '\' escaped, NULL as \N.
std::string encode(const std::vector<ImportRow>& rows, Format format,
                   const EncodeOptions& options = {});

// The SQL expression whose SUM(CRC32(...)) over the table equals checksum().
std::string checksum_expression();
uint64_t checksum(const std::vector<ImportRow>& rows);

// "1234.50"
std::string format_amount(int64_t cents);

}  // namespace import_test

#endif  // TEST_RIG_PLUGINS_IMPORT_DATA_GENERATOR_H_
