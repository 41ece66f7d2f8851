// An RFC 4180 CSV reader shared by everything in dcsim that reads tables (traces, empirical
// distributions, weather files): quoted fields, CRLF or LF, a UTF-8 BOM, source line numbers.
#pragma once
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcsim::traces {

struct CsvRecord {
  int line = 0;  // 1-based physical line on which the record starts
  std::vector<std::string> fields;
};

// Reads records one at a time; the file is streamed, never held whole in memory.
// - Fields are separated by ',' and records by LF, CRLF or a lone CR.
// - A field that starts with '"' is quoted: it may hold ',', line breaks (kept as written) and
//   '""' for one '"'. After the closing quote only ',' or the end of the record may follow.
//   A '"' inside an unquoted field is kept as an ordinary character.
// - A UTF-8 byte-order mark at the start is skipped. Completely empty lines are skipped.
// - Text must be UTF-8: UTF-16 (by its byte-order mark or a NUL byte) and malformed UTF-8 are
//   errors naming the line the record starts on.
// - Field counts are not checked here: callers compare them with the header.
class CsvReader {
 public:
  // Opens a file. With header_row, the first record becomes header() (an empty file is then an
  // error). Returns nullopt and sets error ("PATH: cannot open ...") on failure.
  static std::optional<CsvReader> open(const std::string& path, std::string& error, bool header_row = true);
  // Reads from text held in memory (tests, embedded tables). Never fails: a malformed header
  // shows up as error() before the first next().
  static CsvReader from_string(std::string text, bool header_row = true);

  CsvReader(CsvReader&&) noexcept = default;
  CsvReader& operator=(CsvReader&&) noexcept = default;
  ~CsvReader();

  const std::vector<std::string>& header() const { return header_; }
  int header_line() const { return header_line_; }
  // Index of the header column with exactly this name, or -1.
  int column(std::string_view name) const;

  // Reads the next record. Returns false at the end of the input or on a malformed record;
  // error() is empty in the first case and says what and where ("line 7: ...") in the second.
  bool next(CsvRecord& rec);
  const std::string& error() const { return error_; }

 private:
  explicit CsvReader(std::unique_ptr<std::istream> in);
  void start(bool header_row);
  bool read_record(CsvRecord& rec);

  std::unique_ptr<std::istream> in_;
  std::vector<std::string> header_;
  int header_line_ = 0;
  int line_ = 1;  // physical line of the next character
  std::string error_;
};

// The whole text (leading and trailing spaces or tabs allowed) is one finite decimal number
// such as "8", "+8", "-0.5", ".5", "1.5e3". Rejects empty text, trailing junk, hexadecimal,
// NaN, infinity and values out of the range of double. Leaves value untouched on failure.
bool parse_double(std::string_view text, double& value);

}  // namespace dcsim::traces
