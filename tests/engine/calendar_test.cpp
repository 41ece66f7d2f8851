// Calendar: known dates, leap years, month boundaries, instants before the start, ISO strings.
#include "sim/engine/calendar.h"

#include <gtest/gtest.h>

namespace dcsim::engine {
namespace {

constexpr std::int64_t k2026 = 20'454LL * 86'400;  // 2026-01-01T00:00:00Z in Unix seconds

TEST(CivilDays, KnownDates) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({2026, 1, 1}), 20'454);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11'017);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  EXPECT_EQ(days_from_civil({1900, 1, 1}), -25'567);
  EXPECT_EQ(days_from_civil({2024, 2, 29}) + 1, days_from_civil({2024, 3, 1}));
  EXPECT_EQ(civil_from_days(0), (CivilDate{1970, 1, 1}));
  EXPECT_EQ(civil_from_days(20'454), (CivilDate{2026, 1, 1}));
  EXPECT_EQ(civil_from_days(19'782), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(civil_from_days(19'783), (CivilDate{2024, 3, 1}));
  EXPECT_EQ(civil_from_days(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(civil_from_days(-719'468), (CivilDate{0, 3, 1}));
}

TEST(CivilDays, DaysInMonthAndLeapYears) {
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2023, 2), 28);
  EXPECT_EQ(days_in_month(1900, 2), 28);
  EXPECT_EQ(days_in_month(2000, 2), 29);
  EXPECT_EQ(days_in_month(2026, 1), 31);
  EXPECT_EQ(days_in_month(2026, 4), 30);
  EXPECT_EQ(days_in_month(2026, 12), 31);
}

// Walking day by day from 1600 to 2400 must step through every date exactly once.
TEST(CivilDays, RoundTripAndConsecutiveDates) {
  CivilDate expect{1600, 1, 1};
  const std::int64_t first = days_from_civil(expect);
  const std::int64_t last = days_from_civil({2400, 12, 31});
  for (std::int64_t z = first; z <= last; ++z) {
    const CivilDate d = civil_from_days(z);
    ASSERT_EQ(d, expect) << z;
    ASSERT_EQ(days_from_civil(d), z);
    if (++expect.day > days_in_month(expect.year, expect.month)) {
      expect.day = 1;
      if (++expect.month > 12) {
        expect.month = 1;
        ++expect.year;
      }
    }
  }
}

TEST(Calendar, Iso8601AndLabels) {
  const Calendar cal(k2026);
  EXPECT_EQ(cal.iso8601(0), "2026-01-01T00:00:00Z");
  EXPECT_EQ(cal.iso8601(1'999'999), "2026-01-01T00:00:01Z");  // fractions dropped
  EXPECT_EQ(cal.iso8601(kMicrosPerDay * 59 + kMicrosPerHour * 13 + 61 * kMicrosPerSecond),
            "2026-03-01T13:01:01Z");
  EXPECT_EQ(Calendar().iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(Calendar::month_label({2026, 1}), "2026-01");
  EXPECT_EQ(Calendar::month_label({2026, 12}), "2026-12");
  EXPECT_EQ(Calendar::date_label({2024, 2, 29}), "2024-02-29");
}

TEST(Calendar, NegativeTimesFloorToEarlierInstants) {
  const Calendar cal(k2026);
  EXPECT_EQ(cal.unix_seconds(-1), k2026 - 1);
  EXPECT_EQ(cal.unix_seconds(-1'000'000), k2026 - 1);
  EXPECT_EQ(cal.unix_seconds(-1'000'001), k2026 - 2);
  EXPECT_EQ(cal.iso8601(-1), "2025-12-31T23:59:59Z");
  EXPECT_EQ(cal.date_of(-1), (CivilDate{2025, 12, 31}));
  EXPECT_EQ(cal.hour_of_day(-1), 23);
  EXPECT_EQ(cal.month_of(-1), (YearMonth{2025, 12}));
  EXPECT_EQ(cal.start_of_month({2025, 12}), -31 * kMicrosPerDay);
  EXPECT_EQ(cal.start_of_next_month(-1), 0);
  EXPECT_EQ(Calendar().iso8601(-kMicrosPerDay * 365), "1969-01-01T00:00:00Z");
  EXPECT_EQ(Calendar().hour_of_day(-kMicrosPerHour - 1), 22);
}

TEST(Calendar, MonthBoundaries) {
  const Calendar cal(k2026);
  EXPECT_EQ(cal.start_of_month({2026, 1}), 0);
  EXPECT_EQ(cal.start_of_next_month(0), 31 * kMicrosPerDay);
  EXPECT_EQ(cal.start_of_next_month(31 * kMicrosPerDay - 1), 31 * kMicrosPerDay);
  EXPECT_EQ(cal.month_of(31 * kMicrosPerDay - 1), (YearMonth{2026, 1}));
  EXPECT_EQ(cal.month_of(31 * kMicrosPerDay), (YearMonth{2026, 2}));
  // Chain through 2026..2028 (2028 is a leap year): each month lasts its number of days.
  SimTime t = 0;
  YearMonth m{2026, 1};
  for (int i = 0; i < 36; ++i) {
    ASSERT_EQ(cal.month_of(t), m);
    ASSERT_EQ(cal.start_of_month(m), t);
    const SimTime next = cal.start_of_next_month(t);
    ASSERT_EQ(next - t, days_in_month(m.year, m.month) * kMicrosPerDay) << Calendar::month_label(m);
    ASSERT_EQ(cal.start_of_next_month(next - 1), next);
    t = next;
    m = m.month == 12 ? YearMonth{m.year + 1, 1} : YearMonth{m.year, m.month + 1};
  }
  EXPECT_EQ(cal.iso8601(t), "2029-01-01T00:00:00Z");
  EXPECT_LT((YearMonth{2026, 12}), (YearMonth{2027, 1}));
}

TEST(Calendar, StartNotAtMidnight) {
  const Calendar cal(k2026 + 5 * 3'600 + 30);  // 05:00:30
  EXPECT_EQ(cal.start_unix_seconds(), k2026 + 5 * 3'600 + 30);
  EXPECT_EQ(cal.hour_of_day(0), 5);
  EXPECT_EQ(cal.iso8601(0), "2026-01-01T05:00:30Z");
  EXPECT_EQ(cal.hour_of_day(19 * kMicrosPerHour - 30 * kMicrosPerSecond), 0);  // next midnight
  EXPECT_EQ(cal.start_of_month({2026, 1}), -(5 * 3'600 + 30) * kMicrosPerSecond);
  EXPECT_EQ(cal.start_of_next_month(0), (31 * 86'400 - 5 * 3'600 - 30) * kMicrosPerSecond);
}

}  // namespace
}  // namespace dcsim::engine
