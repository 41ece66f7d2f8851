// Declining-balance depreciation against the textbook schedule, and its monthly booking.
#include <gtest/gtest.h>

#include <numeric>

#include "sim/finance/ledger.h"

namespace dcsim::finance {
namespace {

const engine::Calendar kJan2026(1767225600);  // 2026-01-01T00:00:00Z

TEST(DecliningBalance, TextbookScheduleSwitchesToStraightLine) {
  // 10,000 USD over 5 years, double declining (40 %): 4,000, 2,400, 1,440; then straight-line
  // of the 2,160 left over 2 years beats 40 % of it (864): 1,080, 1,080.
  const auto s = depreciation_schedule(DepreciationMethod::declining_balance, 10000.0, 5.0);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_DOUBLE_EQ(s[0], 4000.0);
  EXPECT_DOUBLE_EQ(s[1], 2400.0);
  EXPECT_DOUBLE_EQ(s[2], 1440.0);
  EXPECT_DOUBLE_EQ(s[3], 1080.0);
  EXPECT_DOUBLE_EQ(s[4], 1080.0);
}

TEST(DecliningBalance, StraightLineScheduleIsEvenAndAPartialLastYearIsShort) {
  const auto s = depreciation_schedule(DepreciationMethod::straight_line, 10000.0, 2.5);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0], 4000.0);
  EXPECT_DOUBLE_EQ(s[2], 2000.0);
  const auto d = depreciation_schedule(DepreciationMethod::declining_balance, 10000.0, 2.5);
  EXPECT_NEAR(std::accumulate(d.begin(), d.end(), 0.0), 10000.0, 1e-9);
}

TEST(DecliningBalance, BooksEachYearByTimeAndReturnsTheBookValue) {
  // 3,650 USD over 5 years from 2026-01-01: year 1 charges 1,460 (4 USD a day), year 2 876.
  // After 365 + 31 days: 1,460 + 31 x 876 / 365 = 1,534.40 charged, 2,115.60 left.
  Ledger ledger;
  const double book = add_depreciation(ledger, kJan2026, DepreciationMethod::declining_balance, 0,
                                       396 * engine::kMicrosPerDay, 3650.0, 5.0, "s", "shared");
  EXPECT_NEAR(book, 2115.60, 1e-9);
  const auto rows = monthly_pivot(ledger);
  ASSERT_EQ(rows.size(), 13u);
  EXPECT_EQ(rows[0].cents, 124'00);  // 31 days x 4 USD
  EXPECT_EQ(rows[1].cents, 112'00);  // 28 days
  EXPECT_EQ(rows[12].cents, 74'40);  // January 2027: 31 x 2.40
  EXPECT_EQ(total_cents(rows), 1534'40);
}

TEST(DecliningBalance, StraightLineThroughAddDepreciationMatchesTheStraightLineBooking) {
  Ledger a, b;
  const double book = add_depreciation(a, kJan2026, DepreciationMethod::straight_line, 0, 500 * engine::kMicrosPerDay,
                                       365000.0, 3.0, "s", "shared");
  add_straight_line_depreciation(b, kJan2026, 0, 500 * engine::kMicrosPerDay, 365000.0, 3.0, "s", "shared");
  EXPECT_EQ(total_cents(monthly_pivot(a)), total_cents(monthly_pivot(b)));
  EXPECT_NEAR(book, 365000.0 - 500 * 1000.0 / 3.0, 1e-6);
}

}  // namespace
}  // namespace dcsim::finance
