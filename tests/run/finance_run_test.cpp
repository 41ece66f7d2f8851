// Money end to end: a constant 1 MW IT load for a year, costed and carbon-counted by hand.
#include <gtest/gtest.h>

#include <map>

#include "reports/results_folder.h"
#include "sim/finance/kpis.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"

namespace dcsim {
namespace {

// One server drawing exactly 1 MW whether busy or not (GPU idle = TDP = 100 W, 8 of them, plus
// 999.2 kW overhead), free of charge, for 2026: 8,760 h.
const char* kOneMegawatt = R"(name: one megawatt
start: 2026-01-01
horizon: 365 d
catalog:
  gpus: [{name: flat, idle_power: 100 W, tdp: 100 W}]
  servers: [{name: block, gpu: flat, gpus: 8, overhead_power: 999.2 kW, price: 0 USD}]
sites:
  - name: s
    pue: 1.5
    electricity: {price: 0.1 USD/kWh}
    carbon_g_per_kwh: 400
    halls:
      - name: h
        colocation: {price: 150 USD/kW-month, contracted: 1 MW}
        racks: [{count: 1, server: block}]
workloads:
  - name: w
    tenant: team
    arrivals: {process: poisson, rate: 2 /day}
    gpus: 8
    duration: 3 h
finance: {staff_per_month: 10000 USD, price: 2 USD/GPU-hour}
)";

TEST(FinanceRun, EnergyCostCarbonColocationAndStaffOfAConstantMegawattByHand) {
  scenario::LoadResult loaded = scenario::load_scenario_text(kOneMegawatt, "mw.yaml");
  ASSERT_TRUE(loaded.ok()) << scenario::format_diagnostic(loaded.diagnostics[0]);
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  const run::RunResult r = run::run(std::move(req));
  ASSERT_TRUE(r.ok());
  // 1,000 kW x 8,760 h = 8,760 MWh IT; x 1.5 = 13,140 MWh facility.
  EXPECT_DOUBLE_EQ(r.it_energy_mwh, 8760.0);
  EXPECT_NEAR(r.facility_energy_mwh, 13140.0, 1e-6);
  std::int64_t energy = 0, colocation = 0, staff = 0;
  for (const auto& c : r.monthly_costs) {
    if (c.category == "energy") energy += c.cents;
    if (c.category == "colocation") colocation += c.cents;
    if (c.category == "staff") staff += c.cents;
  }
  EXPECT_NEAR(static_cast<double>(energy), 1'314'000'00.0, 12.0);  // 13,140,000 kWh x 0.1 USD; a cent per month
  EXPECT_EQ(colocation, 12 * 150'000'00LL);                        // 150 USD x 1,000 kW x 12 months
  EXPECT_EQ(staff, 12 * 10'000'00LL);
  EXPECT_NEAR(r.carbon_t, 13'140'000.0 * 400 / 1e6, 1e-6);          // 5,256 t
  // Revenue: 2 USD per GPU-hour the tenant held.
  EXPECT_NEAR(static_cast<double>(r.total_revenue_cents), r.gpu_hours_allocated * 2.0 * 100.0, 12.0);
  ASSERT_EQ(r.pnl.size(), 12u);
  EXPECT_EQ(r.capex_usd, 0.0);
  // No capex and losses every month: the IRR has no answer, and says why.
  EXPECT_FALSE(r.irr.has_value());
  EXPECT_FALSE(r.payback_month.has_value());
  EXPECT_LT(r.npv_usd, 0.0);
}

// The same megawatt at PUE 1 through January 2026 under a time-of-use tariff in UTC-5 with a
// demand charge: 177 peak hours and 567 off-peak (see tests/finance/tariff_test.cpp), so
// 177 MWh x 140 + 567 MWh x 60 = 58,800 USD of energy and 15 USD x 1,000 kW of demand.
const char* kTouMegawatt = R"(name: tou megawatt
start: 2026-01-01
horizon: 31 d
catalog:
  gpus: [{name: flat, idle_power: 100 W, tdp: 100 W}]
  servers: [{name: block, gpu: flat, gpus: 8, overhead_power: 999.2 kW, price: 0 USD}]
sites:
  - name: s
    electricity:
      price: 0.06 USD/kWh
      utc_offset_h: -5
      periods: [{name: peak, hours: 12-20, days: weekdays, price: 0.14 USD/kWh}]
      demand_charge: 15 USD/kW-month
    halls:
      - name: h
        racks: [{count: 1, server: block}]
workloads:
  - name: w
    arrivals: {process: poisson, rate: 2 /day}
    gpus: 8
    duration: 3 h
)";

TEST(FinanceRun, TimeOfUseEnergyAndDemandChargeOfAConstantMegawattByHand) {
  scenario::LoadResult loaded = scenario::load_scenario_text(kTouMegawatt, "tou.yaml");
  ASSERT_TRUE(loaded.ok()) << scenario::format_diagnostic(loaded.diagnostics[0]);
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  const run::RunResult r = run::run(std::move(req));
  ASSERT_TRUE(r.ok());
  std::map<std::string, std::int64_t> energy;
  for (const auto& c : r.monthly_costs) {
    if (c.category == "energy") energy[c.subcategory] += c.cents;
  }
  EXPECT_NEAR(static_cast<double>(energy["peak"]), 24'780'00.0, 1.0);
  EXPECT_NEAR(static_cast<double>(energy["offpeak"]), 34'020'00.0, 1.0);
  EXPECT_NEAR(static_cast<double>(energy["demand_charge"]), 15'000'00.0, 1.0);
  EXPECT_EQ(energy.size(), 3u);
  ASSERT_EQ(r.site_demand_peaks.size(), 1u);
  ASSERT_EQ(r.site_demand_peaks[0].size(), 1u);
  EXPECT_NEAR(r.site_demand_peaks[0][0].peak_kw, 1000.0, 1e-6);
}

TEST(FinanceRun, EscalationByCalendarYearOverTwoYearsByHand) {
  std::string text = kOneMegawatt;
  text.replace(text.find("horizon: 365 d"), 14, "horizon: 730 d");
  text.replace(text.find("finance: {"), 10,
               "finance: {inflation: 0.02, escalation: {staff: 0.04}, ");
  scenario::LoadResult loaded = scenario::load_scenario_text(text, "esc.yaml");
  ASSERT_TRUE(loaded.ok()) << scenario::format_diagnostic(loaded.diagnostics[0]);
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  const run::RunResult r = run::run(std::move(req));
  ASSERT_TRUE(r.ok());
  std::map<std::pair<std::string, int>, std::int64_t> by;
  for (const auto& c : r.monthly_costs) by[{c.category, c.month.year}] += c.cents;
  // Energy and colocation follow inflation (2 %), staff its own 4 %; 2026 and 2027 are 365 days each.
  EXPECT_NEAR(static_cast<double>((by[{"energy", 2026}])), 1'314'000'00.0, 12.0);
  EXPECT_NEAR(static_cast<double>((by[{"energy", 2027}])), 1'340'280'00.0, 12.0);
  EXPECT_EQ((by[{"colocation", 2026}]), 1'800'000'00);
  EXPECT_EQ((by[{"colocation", 2027}]), 1'836'000'00);
  EXPECT_EQ((by[{"staff", 2026}]), 120'000'00);
  EXPECT_EQ((by[{"staff", 2027}]), 124'800'00);
}

TEST(FinanceRun, DecliningBalanceServersAndTheirBookValueInTheNpv) {
  // One 365,000 USD server over a 5-year life for one 365-day year, double declining: 40 % =
  // 146,000 USD of depreciation, 219,000 USD of book value at the end, counted in the NPV.
  std::string text = kOneMegawatt;
  text.replace(text.find("price: 0 USD}]"), 14, "price: 365000 USD}]");
  text.replace(text.find("finance: {"), 10,
               "finance: {depreciation: {method: declining-balance, servers: 5 y}, ");
  scenario::LoadResult loaded = scenario::load_scenario_text(text, "ddb.yaml");
  ASSERT_TRUE(loaded.ok()) << scenario::format_diagnostic(loaded.diagnostics[0]);
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  const run::RunResult r = run::run(std::move(req));
  ASSERT_TRUE(r.ok());
  std::int64_t depreciation = 0;
  for (const auto& c : r.monthly_costs) {
    if (c.category == "depreciation") depreciation += c.cents;
  }
  EXPECT_NEAR(static_cast<double>(depreciation), 146'000'00.0, 2.0);
  EXPECT_NEAR(r.residual_value_usd, 219'000.0, 1e-6);
  std::vector<double> monthly;
  for (const auto& m : r.pnl) monthly.push_back(static_cast<double>(m.ebitda_cents()) / 100.0);
  const double without_terminal = finance::npv(r.scenario.finance.discount_rate, -r.capex_usd, monthly);
  // The book value arrives at the end of month 12: discounted by (1 + 8 %)^-1.
  EXPECT_NEAR(r.npv_usd - without_terminal, 219'000.0 / 1.08, 1e-3);
}

TEST(FinanceRun, AFlatTariffRecordsNoQuarterHours) {
  scenario::LoadResult loaded = scenario::load_scenario_text(kOneMegawatt, "mw.yaml");
  ASSERT_TRUE(loaded.ok());
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  const run::RunResult r = run::run(std::move(req));
  EXPECT_TRUE(r.model.hall_quarter_facility_kwh.empty());
  EXPECT_TRUE(r.site_demand_peaks.empty());
}

}  // namespace
}  // namespace dcsim
