// Planned expansions in the model: servers that are not installed take no jobs, draw no power
// and count in no capacity until their online date, then join like repaired servers.
#include <gtest/gtest.h>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

constexpr engine::SimTime kDay = engine::kMicrosPerDay;

// One 8-GPU server from the start and one more online at day 10 of 20; 8-GPU jobs of 100 h
// arriving every hour on average keep every installed server busy.
ModelConfig growing_config() {
  ModelConfig cfg = testing::single_pool_config(1, 8, 1.0 / 3600.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(100.0 * 3600.0),
                                                SchedulingPolicy::easy_backfill);
  cfg.horizon = 20 * kDay;
  RackGroupConfig later{0, 0, 1, 1};
  later.online = 10 * kDay;
  later.delivered = 9 * kDay;
  cfg.rack_groups.push_back(later);
  return cfg;
}

TEST(Expansion, GpuTimeAvailableIsInstalledGpusBeforePlusAfterOnline) {
  const ModelResults r = simulate(growing_config());
  EXPECT_EQ(r.gpus_total, 16);
  // 8 GPUs x 20 days + 8 GPUs x 10 days.
  EXPECT_EQ(r.installed_gpu_us, static_cast<__int128>(8) * 20 * kDay + static_cast<__int128>(8) * 10 * kDay);
  ASSERT_EQ(r.hours.size(), 480u);
  EXPECT_DOUBLE_EQ(r.hours[239].gpus_total, 8.0);
  EXPECT_DOUBLE_EQ(r.hours[240].gpus_total, 16.0);
}

TEST(Expansion, ServersBeforeOnlineAreUnusedAndDrawNoIdlePower) {
  const ModelResults r = simulate(growing_config());
  // One server: 1 kW overhead + 8 GPUs between 70 W idle and 700 W busy; the second adds no
  // idle draw (1 kW + 8 x 70 W = 1.56 kW) before its online date.
  for (std::size_t h = 0; h < 240; ++h) {
    EXPECT_LE(r.hours[h].gpus_busy, 8.0 + 1e-9) << "hour " << h;
    EXPECT_LE(r.hours[h].it_power_kw, 1.0 + 8 * 0.7 + 1e-9) << "hour " << h;
  }
  // The queue is long at the online instant: the scheduler starts a job on the new server at
  // once, so the first hour after it has both servers busy throughout: 2 x 6.6 kW.
  EXPECT_DOUBLE_EQ(r.hours[240].gpus_busy, 16.0);
  EXPECT_NEAR(r.hours[240].it_power_kw, 2 * (1.0 + 8 * 0.7), 1e-9);
}

TEST(Expansion, IdleExpansionDrawsIdlePowerOnlyFromOnline) {
  // No jobs at all: the fleet draws idle power, the second server from day 10 only.
  ModelConfig cfg = growing_config();
  cfg.workloads[0].rate_per_s = 0.0;
  const ModelResults r = simulate(cfg);
  const double idle_kw = 1.0 + 8 * 0.07;
  EXPECT_NEAR(r.hours[0].it_power_kw, idle_kw, 1e-9);
  EXPECT_NEAR(r.hours[239].it_power_kw, idle_kw, 1e-9);
  EXPECT_NEAR(r.hours[240].it_power_kw, 2 * idle_kw, 1e-9);
  // Energy: 1.56 kW x 480 h + 1.56 kW x 240 h, in mW x us.
  const __int128 expected = static_cast<__int128>(1'560'000) * (20 * kDay) + static_cast<__int128>(1'560'000) * (10 * kDay);
  EXPECT_EQ(r.it_energy_mw_us, expected);
}

TEST(Expansion, PowerStepRaisesTheHallLimitAtItsDate) {
  // Hall limit 7 kW: one busy server (6.6 kW) fits, two (13.2 kW) are capped until 7 kW more
  // arrives at day 15.
  ModelConfig cfg = growing_config();
  cfg.halls[0].power_limit_w = 7000.0;
  cfg.hall_power_steps.push_back(HallPowerStep{0, 15 * kDay, 7000.0});
  const ModelResults r = simulate(cfg);
  EXPECT_NEAR(r.hours[300].it_power_kw, 7.0, 1e-6);      // capped at the limit
  EXPECT_GT(r.hours[300].power_capped_gpus, 0.0);
  EXPECT_NEAR(r.hours[400].it_power_kw, 13.2, 1e-6);     // uncapped after the step
  EXPECT_DOUBLE_EQ(r.hours[400].power_capped_gpus, 0.0);
}

}  // namespace
}  // namespace dcsim::model
