// NPV, IRR and payback against hand-computed cases.
#include "sim/finance/kpis.h"

#include <gtest/gtest.h>

#include <cmath>

namespace dcsim::finance {
namespace {

TEST(Kpis, NpvDiscountsMonthEndsAtTheYearlyRate) {
  // -1000 now, +1100 at the end of month 12, at 10% a year: exactly zero.
  std::vector<double> months(12, 0.0);
  months[11] = 1100.0;
  EXPECT_NEAR(npv(0.10, -1000.0, months), 0.0, 1e-9);
  // At 0% the NPV is the plain sum.
  EXPECT_DOUBLE_EQ(npv(0.0, -1000.0, {300.0, 300.0, 500.0}), 100.0);
}

TEST(Kpis, IrrRecoversTheRateOfAKnownCashFlow) {
  std::vector<double> months(24, 0.0);
  months[23] = 1000.0 * 1.15 * 1.15;  // 15% a year over two years
  const IrrResult r = irr(-1000.0, months);
  ASSERT_TRUE(r.annual_rate.has_value());
  EXPECT_NEAR(*r.annual_rate, 0.15, 1e-9);
}

TEST(Kpis, IrrWithNoSignChangeIsAClearAnswerNotACrash) {
  const IrrResult r = irr(-1000.0, {-10.0, -20.0});
  EXPECT_FALSE(r.annual_rate.has_value());
  EXPECT_STREQ(r.why_none, "cash flows never change sign");
  EXPECT_FALSE(irr(0.0, {}).annual_rate.has_value());
}

TEST(Kpis, PaybackIsTheFirstMonthTheCumulativeCashTurnsNonNegative) {
  EXPECT_EQ(payback_month(-1000.0, {400.0, 400.0, 400.0}), 2);
  EXPECT_FALSE(payback_month(-1000.0, {100.0, 100.0}).has_value());
}

}  // namespace
}  // namespace dcsim::finance
