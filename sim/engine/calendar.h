// The one place that turns simulated time into calendar dates (UTC, proleptic Gregorian).
#pragma once
#include <cstdint>
#include <string>

#include "sim/engine/time.h"

namespace dcsim::engine {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Days since 1970-01-01 for a civil date and back (Howard Hinnant's algorithms).
std::int64_t days_from_civil(CivilDate date);
CivilDate civil_from_days(std::int64_t days);
int days_in_month(int year, int month);

struct YearMonth {
  int year = 1970;
  int month = 1;
  friend auto operator<=>(const YearMonth&, const YearMonth&) = default;
};

class Calendar {
 public:
  // start_unix_seconds: the scenario start as seconds since the Unix epoch (UTC).
  explicit Calendar(std::int64_t start_unix_seconds = 0) : start_unix_seconds_(start_unix_seconds) {}

  std::int64_t start_unix_seconds() const { return start_unix_seconds_; }
  // Unix time of a simulated instant, floored to whole seconds.
  std::int64_t unix_seconds(SimTime t) const;
  CivilDate date_of(SimTime t) const;
  YearMonth month_of(SimTime t) const;
  int hour_of_day(SimTime t) const;  // 0..23
  // Simulated time of the first instant of the month after the one holding t.
  SimTime start_of_next_month(SimTime t) const;
  // Simulated time of 00:00 UTC on the first day of a month (may be before the start: negative).
  SimTime start_of_month(YearMonth m) const;

  // "2026-01-01T00:00:00Z" (fractions of a second are dropped).
  std::string iso8601(SimTime t) const;
  // "2026-01".
  static std::string month_label(YearMonth m);
  // "2026-01-01"
  static std::string date_label(CivilDate d);

 private:
  std::int64_t start_unix_seconds_;
};

}  // namespace dcsim::engine
