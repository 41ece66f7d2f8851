// Cooling end to end: hourly PUE follows climate and plant, never falls below 1, and a plant
// sized below its hall's heat throttles it.
#include <gtest/gtest.h>

#include "sim/run/run.h"
#include "sim/scenario/loader.h"

namespace dcsim {
namespace {

TEST(CoolingRun, ColdLiquidHallBeatsHotAirHallAndATightPlantThrottles) {
  scenario::LoadResult loaded =
      scenario::load_scenario_file(std::string(DCSIM_SOURCE_DIR) + "/scenarios/examples/cooling-climates.yaml");
  ASSERT_TRUE(loaded.ok()) << scenario::format_diagnostic(loaded.diagnostics[0]);
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  const run::RunResult r = run::run(std::move(req));
  ASSERT_TRUE(r.ok()) << scenario::format_diagnostic(r.diagnostics[0]);
  // Sites: 0 phoenix (air, hot), 1 ashburn (rear door, EPW), 2 lulea (liquid, cold).
  std::vector<double> it_kwh(3, 0.0), facility_kwh(3, 0.0);
  for (const model::IntervalRow& h : r.model.hours) {
    for (int s = 0; s < 3; ++s) {
      const double pue = h.site_facility_kw[s] / h.hall_it_power_kw[s];
      EXPECT_GE(pue, 1.0);
      it_kwh[s] += h.hall_it_power_kw[s];
      facility_kwh[s] += h.site_facility_kw[s];
    }
  }
  const double pue_phoenix = facility_kwh[0] / it_kwh[0];
  const double pue_ashburn = facility_kwh[1] / it_kwh[1];
  const double pue_lulea = facility_kwh[2] / it_kwh[2];
  EXPECT_GT(pue_phoenix, pue_ashburn);
  EXPECT_GT(pue_ashburn, pue_lulea);
  EXPECT_GT(pue_lulea, 1.05);
  EXPECT_LT(pue_lulea, 1.25);
  // Monthly facility energy (what the bill uses) adds up to the hourly series.
  double monthly = 0.0;
  for (const auto& e : r.model.site_months) monthly += e.facility_kwh;
  EXPECT_NEAR(monthly, facility_kwh[0] + facility_kwh[1] + facility_kwh[2], 1e-6 * monthly);
  // The Phoenix plant (260 kW installed, N+1 of 4) cannot reject a busy hall's heat.
  EXPECT_GT(r.model.hall_hours_heat_limited, 0u);
  EXPECT_GT(r.model.lost_gpu_hours, 0.0);
  EXPECT_GT(r.model.water_litres, 0.0);
}

}  // namespace
}  // namespace dcsim
