// Simulated time to UTC calendar dates: Hinnant's civil-date algorithms plus floor division, so
// instants before the scenario start (negative SimTime) land on the right day and hour.
#include "sim/engine/calendar.h"

#include <cassert>
#include <cstdio>

namespace dcsim::engine {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;

// Floor division and modulo for b > 0: C++ truncates toward zero, which puts -1 s on day 0.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if (a % b < 0) --q;
  return q;
}
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) { return a - floor_div(a, b) * b; }

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

}  // namespace

std::int64_t days_from_civil(CivilDate date) {
  assert(date.month >= 1 && date.month <= 12);
  assert(date.day >= 1 && date.day <= 31);
  const std::int64_t y = static_cast<std::int64_t>(date.year) - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);  // [0, 399]
  const auto m = static_cast<unsigned>(date.month);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + static_cast<unsigned>(date.day) - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146'097 + static_cast<std::int64_t>(doe) - 719'468;
}

CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const auto doe = static_cast<unsigned>(z - era * 146'097);                   // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;  // [0, 399]
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                       // [0, 11], March-based
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;               // [1, 31]
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;                  // [1, 12]
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

int days_in_month(int year, int month) {
  assert(month >= 1 && month <= 12);
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return kDays[month - 1];
}

std::int64_t Calendar::unix_seconds(SimTime t) const {
  return start_unix_seconds_ + floor_div(t, kMicrosPerSecond);
}

CivilDate Calendar::date_of(SimTime t) const {
  return civil_from_days(floor_div(unix_seconds(t), kSecondsPerDay));
}

YearMonth Calendar::month_of(SimTime t) const {
  const CivilDate d = date_of(t);
  return YearMonth{d.year, d.month};
}

int Calendar::hour_of_day(SimTime t) const {
  return static_cast<int>(floor_mod(unix_seconds(t), kSecondsPerDay) / 3'600);
}

SimTime Calendar::start_of_next_month(SimTime t) const {
  const YearMonth m = month_of(t);
  return start_of_month(m.month == 12 ? YearMonth{m.year + 1, 1} : YearMonth{m.year, m.month + 1});
}

SimTime Calendar::start_of_month(YearMonth m) const {
  const std::int64_t unix_s = days_from_civil(CivilDate{m.year, m.month, 1}) * kSecondsPerDay;
  return (unix_s - start_unix_seconds_) * kMicrosPerSecond;
}

std::string Calendar::iso8601(SimTime t) const {
  const std::int64_t unix_s = unix_seconds(t);
  const CivilDate d = civil_from_days(floor_div(unix_s, kSecondsPerDay));
  const auto sec = static_cast<int>(floor_mod(unix_s, kSecondsPerDay));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, sec / 3'600,
                sec / 60 % 60, sec % 60);
  return buf;
}

std::string Calendar::month_label(YearMonth m) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m.year, m.month);
  return buf;
}

std::string Calendar::date_label(CivilDate d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

}  // namespace dcsim::engine
