// Number and text formatting shared by every report: shortest round-trip numbers, RFC 4180
// CSV fields, JSON strings, SHA-256 in hex.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace dcsim::reports {

// Shortest text that reads back to the same double ("0.1", "1e+21", "3"); non-finite -> "null".
std::string format_number(double value);
// The same text appended to `out`: no string per number where millions of rows are written.
void append_number(std::string& out, double value);
// Cents as a plain decimal with two places: 12345 -> "123.45", -5 -> "-0.05".
std::string format_cents(std::int64_t cents);
std::string csv_field(std::string_view text);
std::string json_string(std::string_view text);
std::string sha256_hex(std::string_view data);

}  // namespace dcsim::reports
