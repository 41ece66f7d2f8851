// RFC 4180 CSV reading over a stream buffer, one record at a time.
#include "sim/traces/csv_reader.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <system_error>

namespace dcsim::traces {

namespace {
constexpr int eof = std::char_traits<char>::eof();
}

CsvReader::CsvReader(std::unique_ptr<std::istream> in) : in_(std::move(in)) {}
CsvReader::~CsvReader() = default;

std::optional<CsvReader> CsvReader::open(const std::string& path, std::string& error, bool header_row) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) {
    error = path + ": cannot open the file for reading";
    return std::nullopt;
  }
  CsvReader reader(std::move(file));
  reader.start(header_row);
  if (!reader.error_.empty()) {
    error = path + ": " + reader.error_;
    return std::nullopt;
  }
  if (header_row && reader.header_.empty()) {
    error = path + ": the file is empty (a header row was expected)";
    return std::nullopt;
  }
  return reader;
}

CsvReader CsvReader::from_string(std::string text, bool header_row) {
  CsvReader reader(std::make_unique<std::istringstream>(std::move(text)));
  reader.start(header_row);
  return reader;
}

namespace {

// Offset of the first byte of `s` that is not well-formed UTF-8 (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF), or npos.
std::size_t invalid_utf8_at(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + n >= s.size()) return i;  // cut short
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return i;
    }
    i += n + 1;
  }
  return std::string::npos;
}

std::string hex_byte(unsigned char b) {
  const char* digits = "0123456789ABCDEF";
  return std::string{digits[b >> 4], digits[b & 15]};
}

}  // namespace

void CsvReader::start(bool header_row) {
  std::streambuf* sb = in_->rdbuf();
  // UTF-16 (Excel's "Unicode text", Windows tools) starts with FF FE or FE FF.
  if (const int b0 = sb->sgetc(); b0 == 0xFF || b0 == 0xFE) {
    sb->sbumpc();
    const int b1 = sb->sgetc();
    sb->sungetc();
    if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF)) {
      error_ = "line 1: the file is UTF-16 (byte-order mark " + hex_byte(static_cast<unsigned char>(b0)) + " " +
               hex_byte(static_cast<unsigned char>(b1)) + "); dcsim reads UTF-8 text: save it as UTF-8 CSV";
      return;
    }
  }
  // UTF-8 byte-order mark EF BB BF: skipped only when all three bytes are there.
  if (sb->sgetc() == 0xEF) {
    sb->sbumpc();
    if (sb->sgetc() == 0xBB) {
      sb->sbumpc();
      if (sb->sgetc() == 0xBF) {
        sb->sbumpc();
      } else {
        sb->sungetc();
        sb->sungetc();
      }
    } else {
      sb->sungetc();
    }
  }
  if (!header_row) return;
  CsvRecord rec;
  if (read_record(rec)) {
    header_ = std::move(rec.fields);
    header_line_ = rec.line;
  }
}

int CsvReader::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

bool CsvReader::next(CsvRecord& rec) {
  if (!error_.empty()) return false;
  return read_record(rec);
}

bool CsvReader::read_record(CsvRecord& rec) {
  std::streambuf* sb = in_->rdbuf();
  rec.fields.clear();
  // Skip empty lines between records.
  for (;;) {
    int c = sb->sgetc();
    if (c == eof) return false;
    if (c == '\n') {
      sb->sbumpc();
      ++line_;
    } else if (c == '\r') {
      sb->sbumpc();
      if (sb->sgetc() == '\n') sb->sbumpc();
      ++line_;
    } else {
      break;
    }
  }
  rec.line = line_;
  std::string field;
  for (;;) {
    field.clear();
    int c = sb->sgetc();
    if (c == '"') {
      const int opened = line_;
      sb->sbumpc();
      for (;;) {
        c = sb->sbumpc();
        if (c == eof) {
          error_ = "line " + std::to_string(opened) + ": unterminated quoted field (a '\"' opened on line " +
                   std::to_string(opened) + " is never closed)";
          return false;
        }
        if (c == '"') {
          if (sb->sgetc() == '"') {
            sb->sbumpc();
            field.push_back('"');
            continue;
          }
          break;
        }
        if (c == '\n') {
          ++line_;
        } else if (c == '\r') {
          if (sb->sgetc() == '\n') {
            field.push_back('\r');
            c = sb->sbumpc();
          }
          ++line_;
        }
        field.push_back(static_cast<char>(c));
      }
      c = sb->sgetc();
      if (c != ',' && c != '\n' && c != '\r' && c != eof) {
        error_ = "line " + std::to_string(line_) + ": unexpected character '" + std::string(1, static_cast<char>(c)) +
                 "' after a closing quote (expected ',' or the end of the line)";
        return false;
      }
    } else {
      while (c != ',' && c != '\n' && c != '\r' && c != eof) {
        field.push_back(static_cast<char>(sb->sbumpc()));
        c = sb->sgetc();
      }
    }
    // A NUL byte means UTF-16 without a byte-order mark, or a binary file.
    if (const std::size_t z = field.find('\0'); z != std::string::npos) {
      error_ = "line " + std::to_string(rec.line) +
               ": NUL byte: the file looks like UTF-16 or binary, not UTF-8 text: save it as UTF-8 CSV";
      return false;
    }
    if (const std::size_t bad = invalid_utf8_at(field); bad != std::string::npos) {
      error_ = "line " + std::to_string(rec.line) + ": invalid UTF-8 (byte " +
               hex_byte(static_cast<unsigned char>(field[bad])) + " in field " + std::to_string(rec.fields.size() + 1) +
               "); dcsim reads UTF-8 text: convert the file (e.g. from Latin-1) to UTF-8";
      return false;
    }
    rec.fields.push_back(field);
    c = sb->sbumpc();
    if (c == ',') continue;
    if (c == '\n') {
      ++line_;
    } else if (c == '\r') {
      if (sb->sgetc() == '\n') sb->sbumpc();
      ++line_;
    }
    return true;  // end of line or end of input
  }
}

bool parse_double(std::string_view text, double& value) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || text.front() == '-' || text.front() == '+') return false;
  }
  if (text.empty()) return false;
  double parsed = 0.0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, parsed, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(parsed)) return false;
  value = parsed;
  return true;
}

}  // namespace dcsim::traces
