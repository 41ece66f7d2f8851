// The market drives demand: the projection reproduces the reference figures, and a workload that
// follows it receives arrivals in proportion to our projected GPU-hours.
#include <gtest/gtest.h>

#include <cmath>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"

namespace dcsim {
namespace {

run::RunResult run_example(bool record_jobs) {
  scenario::LoadResult loaded =
      scenario::load_scenario_file(std::string(DCSIM_SOURCE_DIR) + "/scenarios/examples/market-driven-growth.yaml");
  EXPECT_TRUE(loaded.ok());
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  req.record_jobs = record_jobs;
  return run::run(std::move(req));
}

TEST(MarketRun, ProjectionReproducesTheReferenceFigures) {
  const run::RunResult r = run_example(false);
  ASSERT_TRUE(r.ok());
  auto total = [&](int year) {
    for (const auto& m : r.market) {
      if (m.year == year && m.scenario_case == "base" && m.dimension == "total") return m.usd_bn;
    }
    return -1.0;
  };
  EXPECT_NEAR(total(2025), 82.3, 1e-9);
  EXPECT_NEAR(total(2026), 118.6, 1e-9);
  EXPECT_NEAR(total(2036), 612.4, 1e-9);
  const reports::ResultsFiles files = reports::render_results(r, scenario::to_resolved_yaml(r.scenario));
  EXPECT_NE(files.market_csv.find("2036,base,total,total,1,612.4,"), std::string::npos);
  EXPECT_FALSE(files.market_demand_csv.empty());
}

TEST(MarketRun, ArrivalsGrowWithOurProjectedDemand) {
  const run::RunResult r = run_example(true);
  ASSERT_TRUE(r.ok());
  // 50 jobs/day at the start, scaled by demand(t)/demand(start): count 2027's arrivals against
  // the rate integrated over 2027 from the demand points (geometric between year midpoints).
  double gpu_hours_2026 = 0, gpu_hours_2027 = 0;
  for (const auto& d : r.demand) {
    if (d.year == 2026) gpu_hours_2026 = d.gpu_hours;
    if (d.year == 2027) gpu_hours_2027 = d.gpu_hours;
  }
  ASSERT_GT(gpu_hours_2026, 0.0);
  std::uint64_t n2026 = 0, n2027 = 0;
  const engine::SimTime year = 365 * engine::kMicrosPerDay;
  for (const auto& j : r.model.jobs) (j.arrival < year ? n2026 : n2027)++;
  // Yearly demand ratio vs arrivals ratio: equal up to the within-year shape (a few percent)
  // and Poisson noise (sd about 0.6%).
  const double ratio = static_cast<double>(n2027) / static_cast<double>(n2026);
  EXPECT_NEAR(ratio, gpu_hours_2027 / gpu_hours_2026, 0.05 * gpu_hours_2027 / gpu_hours_2026);
  EXPECT_GT(ratio, 1.2);
}

}  // namespace
}  // namespace dcsim
