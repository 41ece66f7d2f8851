// The ledger's pivot reconciles to the cent, and depreciation follows days in service.
#include "sim/finance/ledger.h"

#include <gtest/gtest.h>

namespace dcsim::finance {
namespace {

const engine::Calendar kJan2026(1767225600);  // 2026-01-01T00:00:00Z

TEST(Depreciation, StraightLineByDaysInServiceWithinEachMonth) {
  // 365,000 USD over one 365-day year: 1,000 USD a day.
  Ledger ledger;
  add_straight_line_depreciation(ledger, kJan2026, 0, 90 * engine::kMicrosPerDay, 365000.0, 1.0, "s", "shared");
  const auto rows = monthly_pivot(ledger);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].cents, 31'000'00);
  EXPECT_EQ(rows[1].cents, 28'000'00);
  EXPECT_EQ(rows[2].cents, 31'000'00);
  EXPECT_EQ(engine::Calendar::month_label(rows[1].month), "2026-02");
}

TEST(Depreciation, StopsAtTheEndOfUsefulLifeAndCountsPartialDays) {
  Ledger ledger;
  // 2 years of a 1-year life: only the first 365 days are charged, in full.
  add_straight_line_depreciation(ledger, kJan2026, 0, 730 * engine::kMicrosPerDay, 365000.0, 1.0, "s", "shared");
  EXPECT_EQ(total_cents(monthly_pivot(ledger)), 365'000'00);
  Ledger half_day;
  add_straight_line_depreciation(half_day, kJan2026, 0, 12 * engine::kMicrosPerHour, 365000.0, 1.0, "s", "shared");
  EXPECT_EQ(total_cents(monthly_pivot(half_day)), 500'00);
}

TEST(MonthlyPivot, SumsCellsRoundsEachToTheCentAndDropsZeros) {
  Ledger ledger;
  const engine::YearMonth jan{2026, 1};
  ledger.add(jan, "energy", "a", "shared", 0.004);
  ledger.add(jan, "energy", "a", "shared", 0.004);  // the cell is 0.008 -> 0.01
  ledger.add(jan, "energy", "b", "shared", 0.004);  // -> 0.00, dropped
  ledger.add(jan, "depreciation", "a", "shared", 10.125);
  const auto rows = monthly_pivot(ledger);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].category, "depreciation");
  EXPECT_EQ(rows[1].cents, 1);
  EXPECT_EQ(total_cents(rows), rows[0].cents + rows[1].cents);
}

}  // namespace
}  // namespace dcsim::finance
