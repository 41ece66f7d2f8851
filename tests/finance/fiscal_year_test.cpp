// Fiscal years labelled by the year they end in, and income tax by fiscal year, by hand.
#include <gtest/gtest.h>

#include "sim/finance/ledger.h"

namespace dcsim::finance {
namespace {

TEST(FiscalYear, JulyStartIsLabelledByTheCalendarYearItEndsIn) {
  EXPECT_EQ(fiscal_year_of({2026, 6}, 7), 2026);
  EXPECT_EQ(fiscal_year_of({2026, 7}, 7), 2027);  // FY2027 = July 2026 - June 2027
  EXPECT_EQ(fiscal_year_of({2027, 6}, 7), 2027);
  EXPECT_EQ(fiscal_year_of({2026, 12}, 10), 2027);
  EXPECT_EQ(fiscal_year_of({2026, 9}, 10), 2026);
}

TEST(FiscalYear, JanuaryStartIsTheCalendarYear) {
  for (int m = 1; m <= 12; ++m) EXPECT_EQ(fiscal_year_of({2030, m}, 1), 2030);
}

TEST(IncomeTax, TaxesEachPositiveFiscalYearInItsLastMonthByHand) {
  // Fiscal years from July: May-June 2026 are FY2026 (+100 +20 USD), July-Sept 2026 FY2027
  // (-50 + 80 + 0 = +30 USD). At 25 %: 30 USD in June, 7.50 USD in September.
  const std::vector<engine::YearMonth> months = {{2026, 5}, {2026, 6}, {2026, 7}, {2026, 8}, {2026, 9}};
  const std::vector<std::int64_t> profit = {10000, 2000, -5000, 8000, 0};
  const std::vector<std::int64_t> tax = fiscal_year_tax_cents(months, profit, 0.25, 7);
  EXPECT_EQ(tax, (std::vector<std::int64_t>{0, 3000, 0, 0, 750}));
}

TEST(IncomeTax, ALossPaysNothingAndIsNotCarriedForward) {
  // Calendar years: 2026 loses 100 USD, 2027 earns 40 USD, taxed in full at 30 % (12 USD).
  const std::vector<engine::YearMonth> months = {{2026, 11}, {2026, 12}, {2027, 1}};
  const std::vector<std::int64_t> tax = fiscal_year_tax_cents(months, {-4000, -6000, 4000}, 0.3, 1);
  EXPECT_EQ(tax, (std::vector<std::int64_t>{0, 0, 1200}));
}

TEST(IncomeTax, ARateOfZeroTaxesNothing) {
  const std::vector<std::int64_t> tax = fiscal_year_tax_cents({{2026, 1}}, {100000}, 0.0, 1);
  EXPECT_EQ(tax, (std::vector<std::int64_t>{0}));
}

}  // namespace
}  // namespace dcsim::finance
