// Carbon with an hourly intensity profile (site carbon_profile): each hour's facility energy at
// that hour's intensity, by month (carbon_monthly.csv) and year (kpis.csv), against the constant
// intensity and against sums worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <utility>
#include <string>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "tests/support/one_server_run.h"

namespace dcsim {
namespace {

// One 8-GPU server at PUE 1.5 from 2026-01-31 for two days, all 8 GPUs busy throughout (one job
// longer than the run), so the facility draws the same power every hour.
std::string scenario(const std::string& carbon) {
  return R"(name: carbon
start: 2026-01-31
horizon: 2 d
catalog:
  gpus: [{name: h100, idle_power: 70 W, tdp: 700 W}]
  servers: [{name: s8, gpu: h100, gpus: 8, price: 0 USD}]
sites:
  - name: s
    pue: 1.5
)" + carbon + R"(
    halls: [{name: h, racks: [{count: 1, server: s8}]}]
workloads:
  - name: long
    arrivals: {process: trace, file: jobs.csv, format: csv}
)";
}

// 8760 hourly rows: hour k of the year has intensity (k / 24) + 10 x (k % 24), the day of the
// year (0-based) plus ten times the hour of the day.
std::string day_and_hour_profile() {
  std::string out = "hour,g_per_kwh\n";
  for (int k = 0; k < 8760; ++k) out += std::to_string(k) + "," + std::to_string(k / 24 + 10 * (k % 24)) + "\n";
  return out;
}

run::RunResult run_with(const test_support::ScratchDir& dir, const std::string& carbon) {
  dir.write("jobs.csv", "submit_s,gpus,duration_s\n0,8,1000000\n");
  return test_support::run_scenario_text(dir, "carbon.yaml", scenario(carbon));
}

TEST(CarbonProfile, EachHoursEnergyAtItsHoursIntensityByMonthAndYear) {
  const test_support::ScratchDir dir;
  dir.write("grid.csv", day_and_hour_profile());
  const run::RunResult r = run_with(dir, "    carbon_profile: grid.csv");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.carbon_months.size(), 2u);
  // Constant facility power P kW: 31 January (day 30) sums 24 x 30 + 10 x (0 + ... + 23) = 3480
  // g/kWh over its hours, 1 February (day 31) 24 x 31 + 2760 = 3504; each hour 1 h x P kWh.
  const double facility_kw = r.facility_energy_mwh * 1000.0 / 48.0;
  EXPECT_NEAR(facility_kw, 1.5 * 8 * 0.7, 1e-9);  // 8 GPUs at TDP, PUE 1.5
  EXPECT_NEAR(r.carbon_months[0].carbon_t, facility_kw * 3480 / 1e6, 1e-12);
  EXPECT_NEAR(r.carbon_months[1].carbon_t, facility_kw * 3504 / 1e6, 1e-12);
  EXPECT_NEAR(r.carbon_t, facility_kw * (3480 + 3504) / 1e6, 1e-12);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_EQ(files.carbon_monthly_csv.substr(0, files.carbon_monthly_csv.find('\n')),
            "month,site,facility_energy_mwh,carbon_g_per_kwh,carbon_t");
  // Rows: month, site, facility MWh (24 h x 8.4 kW), energy-weighted mean intensity (January's
  // hours: 3480 / 24 = 145; February's 146), carbon.
  std::istringstream rows(files.carbon_monthly_csv);
  std::string line;
  std::getline(rows, line);
  for (const auto& [month, mean_g] : {std::pair{"2026-01", 145.0}, std::pair{"2026-02", 146.0}}) {
    ASSERT_TRUE(std::getline(rows, line));
    std::istringstream cells(line);
    std::string label, site, mwh, g, t;
    std::getline(cells, label, ',');
    std::getline(cells, site, ',');
    std::getline(cells, mwh, ',');
    std::getline(cells, g, ',');
    std::getline(cells, t, ',');
    EXPECT_EQ(label, month);
    EXPECT_EQ(site, "s");
    EXPECT_NEAR(std::stod(mwh), 0.2016, 1e-12);
    EXPECT_NEAR(std::stod(g), mean_g, 1e-9);
    EXPECT_NEAR(std::stod(t), facility_kw * 24 * mean_g / 1e6, 1e-12);
  }
  EXPECT_FALSE(std::getline(rows, line));
}

TEST(CarbonProfile, AFlatProfileGivesTheConstantIntensitysCarbon) {
  const test_support::ScratchDir dir;
  std::string flat = "g_per_kwh\n";
  for (int k = 0; k < 8784; ++k) flat += "381\n";  // a leap-year file in a common year: day 29 Feb skipped
  dir.write("flat.csv", flat);
  const run::RunResult profiled = run_with(dir, "    carbon_profile: flat.csv");
  const run::RunResult constant = run_with(dir, "    carbon_g_per_kwh: 381");
  ASSERT_TRUE(profiled.ok());
  ASSERT_TRUE(constant.ok());
  EXPECT_GT(constant.carbon_t, 0.0);
  EXPECT_NEAR(profiled.carbon_t, constant.carbon_t, 1e-12 * constant.carbon_t);
  EXPECT_EQ(profiled.model.fingerprint, constant.model.fingerprint) << "carbon is booked after the event trace";
}

}  // namespace
}  // namespace dcsim
