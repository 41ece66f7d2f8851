// Time-of-use periods in local time, energy priced by period and demand charges on the peak
// 15-minute mean power, against hand computations.
#include "sim/finance/tariff.h"

#include <gtest/gtest.h>

#include <map>

namespace dcsim::finance {
namespace {

const engine::Calendar kJan2026(1767225600);  // 2026-01-01T00:00:00Z, a Thursday
constexpr std::int64_t kJan1 = 1767225600;

Tariff peak_tariff() {
  Tariff t;
  t.usd_per_kwh = 0.06;
  t.utc_offset_h = -5;
  t.periods.push_back(TariffPeriod{"peak", 12, 20, TariffDays::weekdays, 0.14});
  t.demand_charge_usd_per_kw_month = 15.0;
  return t;
}

TEST(TariffPeriod, LocalHoursAndWeekdaysDecideThePeriod) {
  const Tariff t = peak_tariff();
  // 2026-01-01 17:00 UTC is 12:00 local (UTC-5) on a Thursday: peak.
  EXPECT_EQ(tariff_period_at(t, kJan1 + 17 * 3600), 0);
  EXPECT_EQ(tariff_period_at(t, kJan1 + 17 * 3600 - 1), -1);  // 11:59:59 local
  EXPECT_EQ(tariff_period_at(t, kJan1 + 25 * 3600 - 1), 0);   // 19:59:59 local
  EXPECT_EQ(tariff_period_at(t, kJan1 + 25 * 3600), -1);      // 20:00 local
  // 2026-01-01 00:00 UTC is 2025-12-31 19:00 local, a Wednesday: still peak.
  EXPECT_EQ(tariff_period_at(t, kJan1), 0);
  // Saturday 2026-01-03 at 14:00 local: weekdays only, so off-peak.
  EXPECT_EQ(tariff_period_at(t, kJan1 + 2 * 86400 + 19 * 3600), -1);
}

TEST(TariffPeriod, WrapsPastMidnightAndFirstMatchWins) {
  Tariff t;
  t.periods.push_back(TariffPeriod{"night", 22, 6, TariffDays::all, 0.05});
  t.periods.push_back(TariffPeriod{"weekend", 0, 24, TariffDays::weekends, 0.07});
  EXPECT_EQ(tariff_period_at(t, kJan1 + 23 * 3600), 0);                 // Thu 23:00
  EXPECT_EQ(tariff_period_at(t, kJan1 + 5 * 3600), 0);                  // Thu 05:00
  EXPECT_EQ(tariff_period_at(t, kJan1 + 6 * 3600), -1);                 // Thu 06:00
  EXPECT_EQ(tariff_period_at(t, kJan1 + 2 * 86400 + 3 * 3600), 0);      // Sat 03:00: night comes first
  EXPECT_EQ(tariff_period_at(t, kJan1 + 2 * 86400 + 12 * 3600), 1);     // Sat 12:00
  EXPECT_EQ(tariff_period_at(t, kJan1 + 4 * 86400 + 12 * 3600), -1);    // Mon 12:00
}

// A constant 1 MW facility load over January 2026 (744 h; 250 kWh per 15 minutes). In UTC-5 the
// month runs from Wed 2025-12-31 19:00 to Sat 2026-01-31 19:00 local: one peak hour on Dec 31,
// then 22 weekdays of 8 peak hours in Jan 1-30 (Jan 31 is a Saturday): 177 peak hours and 567
// off-peak. Energy: 177 MWh x 140 USD + 567 MWh x 60 USD = 24,780 + 34,020 = 58,800 USD.
// Demand: 15 USD x 1,000 kW = 15,000 USD.
TEST(TariffBooking, ConstantMegawattOverAMonthByHand) {
  const Tariff t = peak_tariff();
  const std::vector<double> quarters(31 * 96, 250.0);
  Ledger ledger;
  add_energy_by_period(ledger, kJan2026, t, quarters, "s", "h");
  const auto peaks = monthly_peaks(kJan2026, quarters, 31 * engine::kMicrosPerDay);
  ASSERT_EQ(peaks.size(), 1u);
  EXPECT_DOUBLE_EQ(peaks[0].peak_kw, 1000.0);
  EXPECT_DOUBLE_EQ(peaks[0].share_of_month, 1.0);
  add_demand_charge(ledger, peaks, t.demand_charge_usd_per_kw_month, "s");
  std::map<std::string, std::int64_t> by_sub;
  for (const MonthlyCost& c : monthly_pivot(ledger)) {
    EXPECT_EQ(c.category, "energy");
    by_sub[c.subcategory] += c.cents;
  }
  EXPECT_EQ(by_sub["peak"], 24'780'00);
  EXPECT_EQ(by_sub["offpeak"], 34'020'00);
  EXPECT_EQ(by_sub["demand_charge"], 15'000'00);
  EXPECT_EQ(by_sub.size(), 3u);
}

TEST(DemandCharge, PeakIsTheHighestQuarterHourNotTheHourlyMean) {
  // 1 MW all month but one 15-minute interval at 2 MW: the hourly mean peaks at 1.25 MW, the
  // 15-minute mean at 2 MW.
  std::vector<double> quarters(31 * 96, 250.0);
  quarters[100] = 500.0;
  const auto peaks = monthly_peaks(kJan2026, quarters, 31 * engine::kMicrosPerDay);
  ASSERT_EQ(peaks.size(), 1u);
  EXPECT_DOUBLE_EQ(peaks[0].peak_kw, 2000.0);
}

TEST(DemandCharge, SplitsByMonthAndProratesAPartialMonth) {
  // 1 MW for January, 3 MW for the first 14 days of February (of 28), then the run ends.
  std::vector<double> quarters(31 * 96, 250.0);
  quarters.resize((31 + 14) * 96, 750.0);
  const auto peaks = monthly_peaks(kJan2026, quarters, (31 + 14) * engine::kMicrosPerDay);
  ASSERT_EQ(peaks.size(), 2u);
  EXPECT_DOUBLE_EQ(peaks[1].peak_kw, 3000.0);
  EXPECT_DOUBLE_EQ(peaks[1].share_of_month, 0.5);
  Ledger ledger;
  add_demand_charge(ledger, peaks, 10.0, "s");
  const auto rows = monthly_pivot(ledger);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cents, 10'000'00);  // 10 USD x 1,000 kW
  EXPECT_EQ(rows[1].cents, 15'000'00);  // 10 USD x 3,000 kW x 1/2 month
}

TEST(DemandCharge, AShortLastIntervalIsAveragedOverItsOwnLength) {
  // 100 kWh in the first 6 minutes of the last interval: 1,000 kW, not 400 kW.
  std::vector<double> quarters = {250.0, 100.0};
  const auto peaks = monthly_peaks(kJan2026, quarters, engine::kMicrosPerHour / 4 + engine::kMicrosPerHour / 10);
  ASSERT_EQ(peaks.size(), 1u);
  EXPECT_DOUBLE_EQ(peaks[0].peak_kw, 1000.0);
}

}  // namespace
}  // namespace dcsim::finance
