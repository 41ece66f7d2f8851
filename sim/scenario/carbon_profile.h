// Hourly grid carbon intensity of a site (site `carbon_profile`): the CSV file's reader and the
// intensity of the hour holding an instant, the profile repeating every calendar year.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/diagnostics.h"

namespace dcsim::scenario {

struct CarbonProfileRead {
  std::vector<double> g_per_kwh;    // 8760 or 8784 values; empty on error
  std::optional<Diagnostic> error;  // at the file's line and column (or at `at` when unreadable)
};

// Reads a carbon intensity profile: a header row naming a column `g_per_kwh` (other columns,
// e.g. a timestamp, are ignored), then one row per hour of a year from 1 January 00:00 UTC:
// 8760 rows, or 8784 for a leap year. Each value a number >= 0 (g CO2 per kWh). `path` is the
// file as it can be opened; errors point into it (path:line:column), except an unreadable file,
// which is reported at `at` (the scenario's carbon_profile value).
CarbonProfileRead read_carbon_profile(const std::string& path, const SourcePos& at);

// The intensity of the UTC hour holding unix_s, the profile repeating each year. A 365-day
// profile in a leap year: 29 February takes 28 February's hours and the later days shift back
// one day; a 366-day profile in a common year skips its 29 February.
double carbon_intensity_at(const std::vector<double>& g_per_kwh, std::int64_t unix_s);

}  // namespace dcsim::scenario
