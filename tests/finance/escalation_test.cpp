// Yearly escalation by calendar year, compounding, against hand computations.
#include <gtest/gtest.h>

#include "sim/finance/ledger.h"

namespace dcsim::finance {
namespace {

TEST(Escalation, CompoundsOncePerCalendarYearAfterTheStart) {
  EXPECT_DOUBLE_EQ(escalation_factor(0.04, 2026, {2026, 1}), 1.0);
  EXPECT_DOUBLE_EQ(escalation_factor(0.04, 2026, {2026, 12}), 1.0);
  EXPECT_DOUBLE_EQ(escalation_factor(0.04, 2026, {2027, 1}), 1.04);
  EXPECT_DOUBLE_EQ(escalation_factor(0.04, 2026, {2028, 6}), 1.04 * 1.04);
  EXPECT_DOUBLE_EQ(escalation_factor(-0.1, 2026, {2027, 3}), 0.9);
}

TEST(Escalation, StaffFromJulyStepsUpEachFirstOfJanuaryByHand) {
  // 10,000 USD a month from 2026-07-01 to the end of 2028 at 4 % a year:
  // 2026: 6 x 10,000 = 60,000; 2027: 12 x 10,400 = 124,800; 2028: 12 x 10,816 = 129,792.
  const engine::Calendar july(1782864000);  // 2026-07-01T00:00:00Z
  Ledger ledger;
  add_monthly_charge(ledger, july, 0, july.start_of_month({2029, 1}), 10000.0, "staff", "", "shared");
  add_monthly_charge(ledger, july, 0, july.start_of_month({2029, 1}), 500.0, "depreciation", "", "shared");
  escalate(ledger, 2026, {{"staff", 0.04}});
  std::map<int, std::int64_t> staff_by_year, other_by_year;
  for (const MonthlyCost& c : monthly_pivot(ledger)) {
    (c.category == "staff" ? staff_by_year : other_by_year)[c.month.year] += c.cents;
  }
  EXPECT_EQ(staff_by_year[2026], 60'000'00);
  EXPECT_EQ(staff_by_year[2027], 124'800'00);
  EXPECT_EQ(staff_by_year[2028], 129'792'00);
  // Lines without a rate are left alone.
  EXPECT_EQ(other_by_year[2027], 6'000'00);
  EXPECT_EQ(other_by_year[2028], 6'000'00);
}

}  // namespace
}  // namespace dcsim::finance
