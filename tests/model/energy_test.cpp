// Energy is the exact integral of power: checked against sums done by hand.
#include <gtest/gtest.h>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

TEST(Energy, IdleFleetUsesExactlyIdlePowerTimesTime) {
  // 16 servers x (8 x 70 W + 1 kW) = 24,960 W for 90 days = 53,913.6 kWh, no arrivals.
  ModelConfig cfg = testing::single_pool_config(16, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600), SchedulingPolicy::fifo);
  cfg.horizon = 90 * engine::kMicrosPerDay;
  const ModelResults r = simulate(cfg);
  double kwh = 0.0;
  for (const SiteMonthEnergy& e : r.site_months) kwh += e.it_kwh();
  EXPECT_EQ(kwh, 24.96 * 90 * 24);
  EXPECT_EQ(r.it_energy_mw_us, static_cast<__int128>(24'960'000) * cfg.horizon);
  ASSERT_EQ(r.site_months.size(), 3u);  // January, February, March 2026
  EXPECT_EQ(r.site_months[1].it_kwh(), 24.96 * 28 * 24);
  EXPECT_EQ(r.hours.size(), 90u * 24u);
  for (const IntervalRow& h : r.hours) EXPECT_EQ(h.it_power_kw, 24.96);
  EXPECT_EQ(r.hours.front().facility_power_kw, 24.96 * 1.5);
}

TEST(Energy, EqualsIdlePowerPlusEachJobsBusyPowerTimesItsRunTime) {
  ModelConfig cfg = testing::single_pool_config(8, 8, 20.0 / 86400.0, engine::Distribution::discrete({4, 8, 16}, {0.5, 0.3, 0.2}),
                                                engine::Distribution::lognormal(6 * 3600.0, 1.0),
                                                SchedulingPolicy::easy_backfill);
  cfg.horizon = 60 * engine::kMicrosPerDay + 12345;  // ends mid-hour: a partial last row
  cfg.record_jobs = true;
  const ModelResults r = simulate(cfg);
  ASSERT_GT(r.jobs_completed, 100u);
  const __int128 idle_mw = 8 * (8 * 70'000 + 1'000'000);
  __int128 expected = idle_mw * cfg.horizon;
  __int128 busy_gpu_us = 0;
  for (const JobRecord& j : r.jobs) {
    if (j.start < 0) continue;
    const engine::SimTime end = j.end >= 0 ? j.end : cfg.horizon;
    expected += static_cast<__int128>(j.gpus) * 630'000 * (end - j.start);
    busy_gpu_us += static_cast<__int128>(j.gpus >= 8 ? (j.gpus + 7) / 8 * 8 : j.gpus) * (end - j.start);
  }
  EXPECT_TRUE(r.it_energy_mw_us == expected);
  EXPECT_TRUE(r.busy_gpu_us == busy_gpu_us);
  __int128 by_month = 0;
  for (const SiteMonthEnergy& e : r.site_months) by_month += e.it_energy_mw_us;
  EXPECT_TRUE(by_month == expected) << "the monthly split loses nothing";
  EXPECT_EQ(r.hours.back().length, 12345);
}

}  // namespace
}  // namespace dcsim::model

namespace dcsim::model {
namespace {

TEST(Energy, AJobDrawingHalfTheSpanAddsHalfTheBusyPower) {
  ModelConfig cfg = testing::single_pool_config(8, 8, 20.0 / 86400.0, engine::Distribution::constant(8),
                                                engine::Distribution::exponential(4 * 3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 30 * engine::kMicrosPerDay;
  cfg.workloads[0].busy_power_fraction = 0.5;
  cfg.record_jobs = true;
  const ModelResults r = simulate(cfg);
  __int128 expected = static_cast<__int128>(8 * (8 * 70'000 + 1'000'000)) * cfg.horizon;
  for (const JobRecord& j : r.jobs) {
    if (j.start < 0) continue;
    expected += static_cast<__int128>(8) * 315'000 * ((j.end >= 0 ? j.end : cfg.horizon) - j.start);
  }
  EXPECT_TRUE(r.it_energy_mw_us == expected);
}

}  // namespace
}  // namespace dcsim::model
