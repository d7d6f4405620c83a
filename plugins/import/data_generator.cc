#include "data_generator.h"

#include <array>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace import_test {
namespace {

const std::vector<std::string> kUnicodeNames = {
    "Zürich", "東京",    "naïve café",    "Ærøskøbing",      "São Paulo",   "Kraków",
    "plain",  "O'Brien", "comma, inside", "quote \" inside", "back\\slash", "Ελλάδα"};
const std::vector<std::string> kLatin1Names = {
    "Zürich", "naïve café", "Ærøskøbing",    "São Paulo",       "Kraków",
    "plain",  "O'Brien",    "comma, inside", "quote \" inside", "back\\slash"};

uint32_t crc32(const std::string& bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char b : bytes) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

// UTF-8 to latin1; every character must fit (the generator guarantees it).
std::string to_latin1(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      unsigned code = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3Fu);
      if (code > 0xFF) throw std::runtime_error("not representable in latin1: " + utf8);
      out += static_cast<char>(code);
    } else {
      throw std::runtime_error("not representable in latin1: " + utf8);
    }
  }
  return out;
}

// Escapes a field for LOAD DATA with '\' as the escape character.
std::string escape(const std::string& text, char separator, bool enclosed) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '"': out += enclosed ? "\\\"" : "\""; break;
      default:
        if (c == separator && !enclosed) out += '\\';
        out += c;
    }
  }
  return enclosed ? "\"" + out + "\"" : out;
}

}  // namespace

std::string format_amount(int64_t cents) {
  char text[32];
  std::snprintf(text, sizeof(text), "%lld.%02lld", static_cast<long long>(cents / 100),
                static_cast<long long>(cents % 100));
  return text;
}

std::vector<ImportRow> generate_rows(int64_t count, uint64_t seed, Alphabet alphabet,
                                     int64_t first_id) {
  const auto& names = alphabet == Alphabet::kLatin1 ? kLatin1Names : kUnicodeNames;
  std::mt19937_64 random(seed);
  std::vector<ImportRow> rows;
  rows.reserve(static_cast<std::size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    ImportRow row;
    row.id = first_id + i;
    row.name = names[random() % names.size()] + " " + std::to_string(random() % 1000);
    row.amount_cents = static_cast<int64_t>(random() % 10000000);
    char date[16];
    std::snprintf(date, sizeof(date), "20%02d-%02d-%02d", static_cast<int>(random() % 30),
                  static_cast<int>(1 + random() % 12), static_cast<int>(1 + random() % 28));
    row.created = date;
    if (row.id % 7 != 0) row.note = "note\t" + std::to_string(random() % 100000) + ", ok";
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string encode(const std::vector<ImportRow>& rows, Format format,
                   const EncodeOptions& options) {
  const bool csv = format == Format::kCsv;
  const char separator = csv ? ',' : '\t';
  auto text = [&](const std::string& value) {
    return escape(options.latin1 ? to_latin1(value) : value, separator, csv);
  };
  std::string out;
  if (options.header) {
    out += options.cents_first ? "note,created,amount_cents,name,id,extra\n"
                               : std::string("id") + separator + "name" + separator + "amount" +
                                     separator + "created" + separator + "note\n";
  }
  for (const auto& row : rows) {
    std::string note = row.note ? text(*row.note) : "\\N";
    if (options.cents_first) {
      out += note + separator + row.created + separator + std::to_string(row.amount_cents) +
             separator + text(row.name) + separator + std::to_string(row.id) + separator +
             "ignored\n";
    } else {
      out += std::to_string(row.id) + separator + text(row.name) + separator +
             format_amount(row.amount_cents) + separator + row.created + separator + note + "\n";
    }
  }
  return out;
}

std::string checksum_expression() {
  return "CRC32(CONCAT_WS('|', id, name, amount, created, IFNULL(note, '<null>')))";
}

uint64_t checksum(const std::vector<ImportRow>& rows) {
  uint64_t sum = 0;
  for (const auto& row : rows) {
    sum += crc32(std::to_string(row.id) + "|" + row.name + "|" + format_amount(row.amount_cents) +
                 "|" + row.created + "|" + row.note.value_or("<null>"));
  }
  return sum;
}

}  // namespace import_test
