// Power envelopes: capping slows jobs by the throughput law, energy stays under the limit,
// admission holds jobs instead, and nested limits take the lowest cap.
#include <gtest/gtest.h>

#include <cmath>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

// 4 servers of 8 GPUs (idle 70 W, TDP 700 W, overhead 1 kW): 6,240 W idle, 26,400 W all busy.
ModelConfig one_job_at_a_time(double hall_limit_w) {
  ModelConfig cfg = testing::single_pool_config(4, 8, 1.0 / 86400.0, engine::Distribution::constant(32),
                                                engine::Distribution::constant(10 * 3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 400 * engine::kMicrosPerDay;
  cfg.halls[0].power_limit_w = hall_limit_w;
  cfg.record_jobs = true;
  return cfg;
}

TEST(PowerCapping, AHallOverItsLimitRunsJobsSlowerByTheThroughputLaw) {
  // Limit 16,320 W leaves 10,080 W above idle for 32 busy GPUs that would take 20,160 W: each
  // GPU is capped halfway between idle and TDP, at 385 W = 0.55 TDP, so a job runs at
  // 0.55^0.4 of full speed and its 10 h of work take 10 h / 0.55^0.4.
  const ModelResults r = simulate(one_job_at_a_time(16320.0));
  const double speed = std::pow(0.55, 0.4);
  ASSERT_GT(r.jobs_completed, 100u);
  double delivered_h = 0.0, wall_gpu_h = 0.0;
  for (const JobRecord& j : r.jobs) {
    if (j.state != JobState::completed) continue;
    EXPECT_NEAR(engine::to_hours(j.end - j.start), 10.0 / speed, 1e-6) << "job " << j.job_id;
    delivered_h += 32 * 10.0;
    wall_gpu_h += 32 * engine::to_hours(j.end - j.start);
  }
  // Throughput lost = busy GPU-hours x (1 - speed), over every job, finished or not.
  double running_gpu_h = 0.0;
  for (const JobRecord& j : r.jobs) {
    if (j.start >= 0) running_gpu_h += 32 * engine::to_hours((j.end >= 0 ? j.end : r.end_time) - j.start);
  }
  EXPECT_NEAR(r.lost_gpu_hours, running_gpu_h * (1.0 - speed), 1e-6 * running_gpu_h);
  EXPECT_NEAR(r.capped_gpu_hours, running_gpu_h, 1e-6 * running_gpu_h);
  EXPECT_NEAR(delivered_h, wall_gpu_h * speed, 1e-6 * wall_gpu_h);
  // Energy never exceeds the limit x time: the hall draws exactly its limit while a job runs.
  for (const IntervalRow& h : r.hours) EXPECT_LE(h.hall_it_power_kw[0], 16.32 + 1e-9);
  EXPECT_LE(static_cast<double>(r.it_energy_mw_us), 16'320'000.0 * static_cast<double>(r.end_time));
  EXPECT_GT(r.hours_capped, 0u);
}

TEST(PowerCapping, AHallUnderItsLimitIsNeverCapped) {
  const ModelResults r = simulate(one_job_at_a_time(26400.0));
  EXPECT_EQ(r.capped_gpu_hours, 0.0);
  EXPECT_EQ(r.lost_gpu_hours, 0.0);
  for (const JobRecord& j : r.jobs) {
    if (j.state == JobState::completed) {
      EXPECT_EQ(j.end - j.start, 10 * engine::kMicrosPerHour);
    }
  }
}

TEST(PowerCapping, UniformCapsKeepEveryHourUnderTheLimitWithMixedJobs) {
  ModelConfig cfg = testing::single_pool_config(16, 8, 40.0 / 86400.0,
                                                engine::Distribution::discrete({1, 4, 8, 32}, {0.3, 0.3, 0.2, 0.2}),
                                                engine::Distribution::lognormal(4 * 3600.0, 1.0),
                                                SchedulingPolicy::easy_backfill);
  cfg.horizon = 60 * engine::kMicrosPerDay;
  cfg.halls[0].power_limit_w = 60000.0;  // idle 24,960 W; all busy 105,600 W
  cfg.record_jobs = true;
  const ModelResults r = simulate(cfg);
  EXPECT_GT(r.hours_capped, 10u);
  for (const IntervalRow& h : r.hours) EXPECT_LE(h.hall_it_power_kw[0], 60.0 + 1e-9);
  EXPECT_GT(r.lost_gpu_hours, 0.0);
  EXPECT_LT(r.lost_gpu_hours, r.capped_gpu_hours);
}

TEST(PowerAdmission, HoldsJobsInsteadOfCapping) {
  ModelConfig cfg = one_job_at_a_time(16320.0);
  cfg.workloads[0].gpus = engine::Distribution::constant(8);
  cfg.workloads[0].rate_per_s = 12.0 / 86400.0;
  cfg.power_policy = PowerPolicy::admission;
  const ModelResults r = simulate(cfg);
  EXPECT_EQ(r.capped_gpu_hours, 0.0);
  // 10,080 W above idle admits 16 GPUs at 630 W: at most two 8-GPU jobs at once.
  for (const IntervalRow& h : r.hours) {
    EXPECT_LE(h.gpus_busy, 16.0 + 1e-9);
    EXPECT_LE(h.hall_it_power_kw[0], 16.32 + 1e-9);
  }
  for (const JobRecord& j : r.jobs) {
    if (j.state == JobState::completed) {
      EXPECT_EQ(j.end - j.start, 10 * engine::kMicrosPerHour);
    }
  }
  EXPECT_GT(r.mean_wait_hours, 0.0);
}

TEST(PowerCapping, ASiteFeedCapsAcrossHallsAndNestedLimitsTakeTheLowestCap) {
  // Two halls of one 8-GPU server each (1,560 W idle, 5,040 W busy above idle). Hall 0's rack
  // is limited to 1,560 + 1,260 W (level 0.25); the site feed leaves 5,040 W above idle for
  // both halls: hall 0 keeps its 0.25 (1,260 W), hall 1 gets the remaining 3,780 W (0.75).
  ModelConfig cfg = testing::single_pool_config(1, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.halls.push_back(HallConfig{"hall-2", 0, 0.0, {}, nullptr, false});
  cfg.rack_groups[0].rack_power_limit_w = 1560.0 + 1260.0;
  cfg.rack_groups.push_back(RackGroupConfig{1, 0, 1, 1});
  cfg.sites[0].feed_limit_w = 2 * 1560.0 + 5040.0;
  cfg.workloads[0].rate_per_s = 6.0 / 86400.0;
  cfg.horizon = 200 * engine::kMicrosPerDay;
  cfg.record_jobs = true;
  const ModelResults r = simulate(cfg);
  // Whenever both halls are busy the site draws exactly its feed; hall 0 never above its rack.
  bool both_busy_seen = false;
  for (const IntervalRow& h : r.hours) {
    EXPECT_LE(h.hall_it_power_kw[0], 2.82 + 1e-9);
    EXPECT_LE(h.hall_it_power_kw[0] + h.hall_it_power_kw[1], 8.16 + 1e-9);
    if (h.gpus_busy == 16.0) {
      both_busy_seen = true;
      EXPECT_NEAR(h.hall_it_power_kw[0], 2.82, 1e-9);
      EXPECT_NEAR(h.hall_it_power_kw[1], 1.56 + 3.78, 1e-9);
    }
  }
  EXPECT_TRUE(both_busy_seen);
}

}  // namespace
}  // namespace dcsim::model
