// Reader for EnergyPlus weather files (.epw): the site's location and the hourly dry-bulb
// temperature and relative humidity of one year, for the climate model (sim/model/climate.h).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace dcsim::traces {

struct EpwLocation {
  std::string city, country;
  double latitude = 0.0;         // degrees, north positive
  double longitude = 0.0;        // degrees, east positive
  double time_zone_hours = 0.0;  // local standard time = UTC + this
  double elevation_m = 0.0;
};

struct EpwData {
  EpwLocation location;
  // 8760 (or 8784 for a leap-year file) hourly values in file order; element 0 is hour 1 of
  // 1 January, 00:00-01:00 local standard time.
  std::vector<double> dry_bulb_c;
  // Same hours, percent; NaN where the file marks it missing (999), which EPW allows.
  std::vector<double> relative_humidity;
};

struct EpwResult {
  std::optional<EpwData> data;
  std::string error;  // "path:line: what is wrong" (just "path: ..." when the file cannot be read)
  bool ok() const { return data.has_value(); }
};

// Reads an EPW file: 8 header lines (LOCATION first, DATA PERIODS last) then one row per hour
// `year,month,day,hour(1-24),minute,flags,dry_bulb_C,dew_point_C,relative_humidity_%,...`
// (35 fields in the standard; 9 or more accepted). Rows must run hour by hour from 1 January
// hour 1 to 31 December hour 24, one record per hour, with or without 29 February. Rejected,
// with the line: a missing or unreadable file, a first line that is not LOCATION, a bad header,
// sub-hourly data, a row out of sequence, a field that is not a number, a dry bulb marked
// missing (>= 99.9) or outside -70..70 C, a relative humidity outside 0..110 %, and a file that
// ends early (saying how many hourly rows were found and which hour is the first missing).
EpwResult read_epw(const std::string& path);

}  // namespace dcsim::traces
