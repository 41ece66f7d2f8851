// EnergyPlus weather file reader: see epw.h. Field layout from the EnergyPlus "Auxiliary
// Programs" documentation, EPW data dictionary.
#include "sim/traces/epw.h"

#include <array>
#include <cctype>
#include <cmath>
#include <limits>

#include "sim/traces/csv_reader.h"

namespace dcsim::traces {

namespace {

constexpr int kHeaderLines = 8;
constexpr int kMinDataFields = 9;
constexpr int kDryBulbField = 6;
constexpr int kHumidityField = 8;
constexpr double kDryBulbMissing = 99.9;  // EPW: values >= this are "missing"
constexpr double kHumidityMissing = 999.0;

constexpr std::array<const char*, 12> kMonthNames = {"January", "February", "March",     "April",   "May",      "June",
                                                     "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<int, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

std::string trimmed_upper(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out;
  for (std::size_t i = b; i < e; ++i) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[i]))));
  return out;
}

std::string trimmed(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// A calendar hour of the weather year: month 1..12, day 1..31, hour 1..24 (EPW's convention).
struct YearHour {
  int month = 1;
  int day = 1;
  int hour = 1;
  bool operator==(const YearHour&) const = default;
};

std::string describe(const YearHour& h) {
  return std::to_string(h.day) + " " + kMonthNames[static_cast<std::size_t>(h.month - 1)] + " hour " +
         std::to_string(h.hour);
}

int days_in(int month, bool leap) { return month == 2 && leap ? 29 : kDaysInMonth[static_cast<std::size_t>(month - 1)]; }

YearHour next_hour(YearHour h, bool leap) {
  if (++h.hour <= 24) return h;
  h.hour = 1;
  if (++h.day <= days_in(h.month, leap)) return h;
  h.day = 1;
  ++h.month;
  return h;
}

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  EpwResult run() {
    EpwResult result;
    std::string open_error;
    auto csv = CsvReader::open(path_, open_error, /*header_row=*/false);
    if (!csv) {
      result.error = open_error;
      return result;
    }
    EpwData data;
    if (!read_header(*csv, data.location) || !read_rows(*csv, data)) {
      result.error = error_;
      return result;
    }
    result.data = std::move(data);
    return result;
  }

 private:
  bool fail(int line, const std::string& what) {
    error_ = path_ + ":" + std::to_string(line) + ": " + what;
    return false;
  }

  bool csv_failed(const CsvReader& csv) {
    // CsvReader's own messages start with "line N: ".
    error_ = path_ + ": " + csv.error();
    return false;
  }

  bool number(const CsvRecord& rec, std::size_t index, const char* name, double& value) {
    if (index >= rec.fields.size()) {
      return fail(rec.line, std::string("the ") + name + " field (field " + std::to_string(index + 1) + ") is missing");
    }
    if (!parse_double(rec.fields[index], value)) {
      return fail(rec.line, std::string("the ") + name + " field (field " + std::to_string(index + 1) + ") is '" +
                                rec.fields[index] + "', not a number");
    }
    return true;
  }

  bool integer(const CsvRecord& rec, std::size_t index, const char* name, int low, int high, int& value) {
    double v = 0.0;
    if (!number(rec, index, name, v)) return false;
    if (v != std::floor(v) || v < low || v > high) {
      return fail(rec.line, std::string("the ") + name + " field is '" + trimmed(rec.fields[index]) +
                                "', expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    }
    value = static_cast<int>(v);
    return true;
  }

  bool read_header(CsvReader& csv, EpwLocation& location) {
    CsvRecord rec;
    for (int i = 1; i <= kHeaderLines; ++i) {
      if (!csv.next(rec)) {
        if (!csv.error().empty()) return csv_failed(csv);
        if (i == 1) return fail(1, "the file is empty; an EPW weather file starts with a LOCATION line");
        return fail(last_line_ + 1, "the file ends inside the header: an EPW weather file has 8 header lines, found " +
                                      std::to_string(i - 1));
      }
      const std::string keyword = rec.fields.empty() ? std::string() : trimmed_upper(rec.fields[0]);
      if (i == 1) {
        if (keyword != "LOCATION") {
          return fail(rec.line, "not an EPW weather file: the first line should start with LOCATION, found '" +
                                    (rec.fields.empty() ? std::string() : rec.fields[0]) + "'");
        }
        if (!read_location(rec, location)) return false;
      } else if (i == kHeaderLines) {
        if (keyword != "DATA PERIODS") {
          return fail(rec.line, "expected the DATA PERIODS line (the 8th header line of an EPW file), found '" +
                                    (rec.fields.empty() ? std::string() : rec.fields[0]) + "'");
        }
        double per_hour = 1.0;
        if (rec.fields.size() > 2 && parse_double(rec.fields[2], per_hour) && per_hour != 1.0) {
          return fail(rec.line, "the file holds " + trimmed(rec.fields[2]) +
                                    " records per hour; only hourly EPW files (1 record per hour) are supported");
        }
      }
      last_line_ = rec.line;
    }
    return true;
  }

  bool read_location(const CsvRecord& rec, EpwLocation& loc) {
    // LOCATION,city,state/province,country,source,WMO,latitude,longitude,time zone,elevation
    if (rec.fields.size() < 10) {
      return fail(rec.line, "the LOCATION line has " + std::to_string(rec.fields.size()) +
                                " fields; 10 expected (LOCATION, city, state, country, source, WMO, latitude, "
                                "longitude, time zone, elevation)");
    }
    loc.city = trimmed(rec.fields[1]);
    loc.country = trimmed(rec.fields[3]);
    if (!number(rec, 6, "latitude", loc.latitude) || !number(rec, 7, "longitude", loc.longitude) ||
        !number(rec, 8, "time zone", loc.time_zone_hours) || !number(rec, 9, "elevation", loc.elevation_m)) {
      return false;
    }
    if (loc.latitude < -90 || loc.latitude > 90) return fail(rec.line, "the latitude must be between -90 and 90");
    if (loc.longitude < -180 || loc.longitude > 180) return fail(rec.line, "the longitude must be between -180 and 180");
    if (loc.time_zone_hours < -12 || loc.time_zone_hours > 14) return fail(rec.line, "the time zone must be between -12 and +14 hours");
    return true;
  }

  bool read_rows(CsvReader& csv, EpwData& data) {
    data.dry_bulb_c.reserve(8784);
    data.relative_humidity.reserve(8784);
    YearHour expected;
    bool leap = false;
    bool done = false;
    CsvRecord rec;
    while (csv.next(rec)) {
      last_line_ = rec.line;
      const int row = static_cast<int>(data.dry_bulb_c.size());
      if (done) {
        return fail(rec.line, "a row after 31 December hour 24: only one year of hourly data is supported");
      }
      if (static_cast<int>(rec.fields.size()) < kMinDataFields) {
        return fail(rec.line, "the row has " + std::to_string(rec.fields.size()) + " fields; at least " +
                                  std::to_string(kMinDataFields) +
                                  " expected (year, month, day, hour, minute, flags, dry bulb, dew point, relative humidity)");
      }
      double year = 0.0;
      YearHour got;
      if (!number(rec, 0, "year", year) || !integer(rec, 1, "month", 1, 12, got.month) ||
          !integer(rec, 2, "day", 1, 31, got.day) || !integer(rec, 3, "hour", 1, 24, got.hour)) {
        return false;
      }
      if (expected.month == 3 && expected.day == 1 && expected.hour == 1 && got.month == 2 && got.day == 29 &&
          got.hour == 1 && !leap) {
        leap = true;  // the file carries 29 February
        expected = got;
      }
      if (!(got == expected)) {
        return fail(rec.line, "expected the row for " + describe(expected) + " (hour " + std::to_string(row + 1) +
                                  " of the year), found " + describe(got) +
                                  ": an hour is missing, repeated or out of order");
      }
      double dry_bulb = 0.0;
      double humidity = 0.0;
      if (!number(rec, kDryBulbField, "dry bulb temperature", dry_bulb) ||
          !number(rec, kHumidityField, "relative humidity", humidity)) {
        return false;
      }
      if (dry_bulb >= kDryBulbMissing) {
        return fail(rec.line, "the dry bulb temperature of " + describe(got) + " is marked missing (" +
                                  trimmed(rec.fields[kDryBulbField]) + "); fill the gap before using the file");
      }
      if (dry_bulb <= -70.0 || dry_bulb >= 70.0) {
        return fail(rec.line, "the dry bulb temperature " + trimmed(rec.fields[kDryBulbField]) +
                                  " C is outside the EPW range -70..70 C");
      }
      if (humidity >= kHumidityMissing) {
        humidity = std::numeric_limits<double>::quiet_NaN();
      } else if (humidity < 0.0 || humidity > 110.0) {
        return fail(rec.line, "the relative humidity " + trimmed(rec.fields[kHumidityField]) +
                                  " % is outside the EPW range 0..110 %");
      }
      data.dry_bulb_c.push_back(dry_bulb);
      data.relative_humidity.push_back(humidity);
      if (got == YearHour{12, 31, 24}) {
        done = true;
      } else {
        expected = next_hour(expected, leap);
      }
    }
    if (!csv.error().empty()) return csv_failed(csv);
    if (!done) {
      const int found = static_cast<int>(data.dry_bulb_c.size());
      const int wanted = leap ? 8784 : 8760;
      return fail(last_line_ + 1, "the file ends after " + std::to_string(found) + " of " + std::to_string(wanted) +
                                      " hourly rows: the first missing hour is " + describe(expected) + " (hour " +
                                      std::to_string(found + 1) + " of the year)");
    }
    return true;
  }

  std::string path_;
  std::string error_;
  int last_line_ = 0;
};

}  // namespace

EpwResult read_epw(const std::string& path) { return Reader(path).run(); }

}  // namespace dcsim::traces
