// Money end to end: a constant 1 MW IT load for a year, costed and carbon-counted by hand.
#include <gtest/gtest.h>

#include "reports/results_folder.h"
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

}  // namespace
}  // namespace dcsim
