// Hourly carbon intensity profiles: see carbon_profile.h.
#include "sim/scenario/carbon_profile.h"

#include <algorithm>
#include <fstream>

#include "sim/engine/calendar.h"
#include "sim/scenario/units.h"

namespace dcsim::scenario {

namespace {

constexpr std::size_t kCommonYearHours = 365 * 24;
constexpr std::size_t kLeapYearHours = 366 * 24;

// One CSV record's fields (RFC 4180 quotes) with the 1-based column where each starts.
struct Cell {
  std::string text;
  int column = 1;
};
std::vector<Cell> split(const std::string& line) {
  std::vector<Cell> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().text += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().text += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(Cell{"", static_cast<int>(i) + 2});
    } else {
      out.back().text += c;
    }
  }
  for (Cell& cell : out) {
    const auto first = cell.text.find_first_not_of(" \t");
    if (first == std::string::npos) {
      cell.text.clear();
      continue;
    }
    cell.column += static_cast<int>(first);
    cell.text = cell.text.substr(first, cell.text.find_last_not_of(" \t") - first + 1);
  }
  return out;
}

}  // namespace

CarbonProfileRead read_carbon_profile(const std::string& path, const SourcePos& at) {
  CarbonProfileRead out;
  const auto fail = [&](SourcePos pos, std::string message, std::string hint = {}) {
    out.g_per_kwh.clear();
    out.error = Diagnostic{std::move(pos), "S118", std::move(message), std::move(hint)};
    return out;
  };
  const std::string format_hint =
      "a header row with a column 'g_per_kwh', then one row per hour of the year from 1 January 00:00 UTC "
      "(8760 rows, or 8784 for a leap year)";
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(at, "cannot read the carbon profile '" + path + "'", "the path is relative to the scenario file's folder");
  std::string line;
  int line_no = 0;
  int column_index = -1;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::vector<Cell> cells = split(line);
    if (column_index < 0) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (cells[i].text == "g_per_kwh") column_index = static_cast<int>(i);
      }
      if (column_index < 0) return fail({path, line_no, 1}, "the header row has no column 'g_per_kwh'", format_hint);
      continue;
    }
    const auto c = static_cast<std::size_t>(column_index);
    if (c >= cells.size()) {
      return fail({path, line_no, static_cast<int>(line.size()) + 1},
                  "no value in column 'g_per_kwh' (column " + std::to_string(c + 1) + " of the header)", format_hint);
    }
    const std::optional<double> v = units::parse_number(cells[c].text);
    if (!v) {
      return fail({path, line_no, cells[c].column}, "'" + cells[c].text + "' is not a number",
                  "a carbon intensity in g CO2 per kWh, e.g. 381");
    }
    if (*v < 0) return fail({path, line_no, cells[c].column}, "a carbon intensity cannot be negative", "a number >= 0");
    if (out.g_per_kwh.size() == kLeapYearHours) {
      return fail({path, line_no, 1}, "more than 8784 hourly rows", format_hint);
    }
    out.g_per_kwh.push_back(*v);
  }
  if (column_index < 0) return fail({path, 0, 0}, "the carbon profile is empty", format_hint);
  if (out.g_per_kwh.size() != kCommonYearHours && out.g_per_kwh.size() != kLeapYearHours) {
    return fail({path, line_no, 1},
                "the carbon profile has " + std::to_string(out.g_per_kwh.size()) + " hourly rows, expected 8760 or 8784",
                format_hint);
  }
  return out;
}

double carbon_intensity_at(const std::vector<double>& g_per_kwh, std::int64_t unix_s) {
  if (g_per_kwh.empty()) return 0.0;
  std::int64_t days = unix_s / 86400;
  if (unix_s % 86400 < 0) --days;
  const int hour = static_cast<int>((unix_s - days * 86400) / 3600);
  const engine::CivilDate date = engine::civil_from_days(days);
  std::int64_t day_of_year = days - engine::days_from_civil({date.year, 1, 1});
  const bool leap = engine::days_in_month(date.year, 2) == 29;
  constexpr std::int64_t kFeb29 = 31 + 28;  // 0-based day of the year of 29 February
  if (g_per_kwh.size() == kCommonYearHours && leap && day_of_year >= kFeb29) --day_of_year;
  if (g_per_kwh.size() == kLeapYearHours && !leap && day_of_year >= kFeb29) ++day_of_year;
  const auto index = static_cast<std::size_t>(day_of_year * 24 + hour);
  return g_per_kwh[std::min(index, g_per_kwh.size() - 1)];
}

}  // namespace dcsim::scenario
