// Failures and checkpoints: an interrupted job's completion time by hand, and failure counts
// against the configured rate.
#include <gtest/gtest.h>

#include <cmath>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

constexpr engine::SimTime kHour = engine::kMicrosPerHour;

TEST(Failures, AnInterruptedJobEndsWhenTheHandComputationSays) {
  // One 8-GPU server, one 10 h job at t = 0, checkpoints every 2 h of work, 0.5 h to restart;
  // the server fails every 5 h of uptime and takes 1 h to repair (constants).
  //  0-5 h: 5 h of work, fails; keeps 4 h; down until 6 h.
  //  6-11 h: 0.5 h restart + 4.5 h work (8.5 h done), fails; keeps 8 h; down until 12 h.
  //  12 h: 0.5 h restart + 2 h work: ends at 14.5 h.
  ModelConfig cfg = testing::single_pool_config(1, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 2 * engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.workloads[0].trace.push_back(TraceArrival{0, 8, 10 * kHour});
  cfg.workloads[0].checkpoint_interval_s = 2 * 3600.0;
  cfg.workloads[0].restart_s = 1800.0;
  cfg.failures.push_back(FailureClass{"server", false, engine::Distribution::constant(5 * 3600.0),
                                      engine::Distribution::constant(3600.0)});
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 1u);
  EXPECT_EQ(r.jobs[0].state, JobState::completed);
  EXPECT_EQ(r.jobs[0].start, 0);
  EXPECT_EQ(r.jobs[0].end, 14 * kHour + kHour / 2);
  EXPECT_EQ(r.interruptions_by_cause[0], 2u);
  EXPECT_NEAR(r.work_lost_gpu_hours, 8 * 1.5, 1e-9);  // (5 - 4) + (8.5 - 8) hours on 8 GPUs
  EXPECT_NEAR(r.restart_gpu_hours, 8 * 1.0, 1e-9);
  // The server keeps failing every 5 h up plus 1 h down: 6 h cycles over 48 h.
  EXPECT_EQ(r.failures_by_cause[0], 8u);
  EXPECT_NEAR(r.server_down_gpu_hours, 8 * 8.0, 1e-9);
}

TEST(Failures, PerGpuFailureCountsMatchThePoissonRate) {
  // 64 servers x 8 GPUs, each GPU failing at 1 per 100 days (exponential), repaired in 1 h:
  // about 512 / 100 per day; over 400 days the count is Poisson with mean ~2048 (a little less,
  // as down time is not at risk).
  ModelConfig cfg = testing::single_pool_config(64, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 400 * engine::kMicrosPerDay;
  cfg.failures.push_back(FailureClass{"gpu", true, engine::Distribution::exponential(100 * 86400.0),
                                      engine::Distribution::constant(3600.0)});
  const ModelResults r = simulate(cfg);
  const double up_share = 1.0 - 8.0 / 100.0 / 24.0;  // a server is down 1 h per ~12.5 days of uptime
  const double expected = 512.0 / 100.0 * 400.0 * up_share;
  EXPECT_NEAR(static_cast<double>(r.failures_by_cause[0]), expected, 4.0 * std::sqrt(expected));
}

}  // namespace
}  // namespace dcsim::model

namespace dcsim::model {
namespace {

TEST(Failures, EffectiveTrainingTimeMatchesTheFirstOrderFormula) {
  // One 256-GPU job on 32 servers for 1,000 h of work; each server fails at 1 per 320 h, so the
  // job is interrupted at 1 per 10 h (MTBF). Checkpoints every 0.5 h, 0.1 h to restart, repairs
  // in a second: effective time ~ 1 - (restart + interval / 2) / MTBF = 1 - 0.35 / 10 = 0.965.
  ModelConfig cfg = testing::single_pool_config(32, 8, 0.0, engine::Distribution::constant(256),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 200 * engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.workloads[0].trace.push_back(TraceArrival{0, 256, 1000 * engine::kMicrosPerHour});
  cfg.workloads[0].checkpoint_interval_s = 1800.0;
  cfg.workloads[0].restart_s = 360.0;
  cfg.failures.push_back(FailureClass{"host", false, engine::Distribution::exponential(320 * 3600.0),
                                      engine::Distribution::constant(1.0)});
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 1u);
  ASSERT_EQ(r.jobs[0].state, JobState::completed);
  const double effective = 1000.0 / engine::to_hours(r.jobs[0].end - r.jobs[0].start);
  EXPECT_NEAR(effective, 1.0 - 0.35 / 10.0, 0.01);
  EXPECT_NEAR(static_cast<double>(r.interruptions_by_cause[0]), 1000.0 / 10.0 / 0.965, 4.0 * std::sqrt(100.0));
}

}  // namespace
}  // namespace dcsim::model
