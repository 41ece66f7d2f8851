// Hot spares (HallConfig::hot_spares): a failed server's job restarts at once on a free spare,
// paying its restart time but not the repair; without a free spare it waits as before.
#include <gtest/gtest.h>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

constexpr engine::SimTime kHour = engine::kMicrosPerHour;

// Two 8-GPU servers in one pool: server 0 there from the start (the hall's one hot spare, the
// last server there at the start), server 1 a planned expansion online at `online_h`. Servers
// fail every 10 h of uptime (constant) and take `repair_h` to repair. One 8-GPU job of `work_h`
// arrives at 0, checkpoints every 2 h of work and takes 0.5 h to restart.
//
// Server 1 is pending at its first failure time (10 h), so its clock is deferred by 10 h at a
// time until it is installed; that puts its failures out of step with the spare's, which the
// cases below use.
ModelConfig two_server_config(double online_h, double repair_h, double work_h) {
  ModelConfig cfg = testing::single_pool_config(1, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 50 * kHour;
  cfg.record_jobs = true;
  cfg.halls[0].hot_spares = 1;
  RackGroupConfig later = cfg.rack_groups[0];
  later.online = static_cast<engine::SimTime>(online_h * static_cast<double>(kHour));
  cfg.rack_groups.push_back(later);
  cfg.workloads[0].trace.push_back(TraceArrival{0, 8, static_cast<engine::SimTime>(work_h * static_cast<double>(kHour))});
  cfg.workloads[0].checkpoint_interval_s = 2 * 3600.0;
  cfg.workloads[0].restart_s = 1800.0;
  cfg.failures.push_back(FailureClass{"server", false, engine::Distribution::constant(10 * 3600.0),
                                      engine::Distribution::constant(repair_h * 3600.0)});
  return cfg;
}

TEST(HotSpares, AFailedJobRestartsOnTheSpareWithoutWaitingForTheRepair) {
  // Repairs take 4 h. Spare s0 fails idle at 10 h and 24 h (10 h after its repair; no spare free
  // 10-14 h and 24-28 h). s1 (online at 21 h) fails at 30 h, then 10 h after each repair.
  //  21-30 h: job on s1, 9 h of work; s1 fails, keeps 8 h; s0 (free since 14 h) takes its
  //           place at once: s1 goes to repair (a spare again at 34 h).
  //  30-38 h: 0.5 h restart + 7.5 h work on s0 (15.5 h done); s0 fails at 38 h, keeps 14 h;
  //           s1 (a free spare since 34 h) takes its place: s0 repairs until 42 h.
  //  38 h:    0.5 h restart + 4 h work: ends at 42.5 h, before s1's next failure (44 h).
  const ModelResults r = simulate(two_server_config(21.0, 4.0, 18.0));
  ASSERT_EQ(r.jobs.size(), 1u);
  EXPECT_EQ(r.jobs[0].state, JobState::completed);
  EXPECT_EQ(r.jobs[0].start, 21 * kHour);
  EXPECT_EQ(r.jobs[0].end, 42 * kHour + kHour / 2);
  EXPECT_EQ(r.spare_swaps, 2u);
  EXPECT_EQ(r.interruptions_by_cause[0], 2u);
  EXPECT_NEAR(r.work_lost_gpu_hours, 8 * (1.0 + 1.5), 1e-9);
  EXPECT_NEAR(r.restart_gpu_hours, 8 * 2 * 0.5, 1e-9);
  // Failures: s0 at 10 h, 24 h (an idle spare) and 38 h; s1 at 30 h and 44 h (idle, no job on it).
  EXPECT_EQ(r.failures_by_cause[0], 5u);
  // No spare free: 10-14 h and 24-28 h (the spare's own repairs), 30-34 h and 38-42 h (the
  // repairs of the servers the spares stood in for); each repaired server became the hall's
  // spare again (the 38 h swap used s1, the spare since its repair at 34 h).
  EXPECT_NEAR(r.hours_without_spare, 16.0, 1e-9);
  EXPECT_EQ(r.spare_gpus, 8);
}

TEST(HotSpares, WithoutAFreeSpareTheJobWaitsForTheRepair) {
  // Repairs take 12 h. s0 (the spare) fails at 10 h and is in repair until 22 h; s1 (online at
  // 11 h) fails at 20 h with no spare free: the job keeps 8 h and waits for s1's repair at 32 h
  // (s0, free again at 22 h, is not scheduled: it stands by for the next failure), then
  // 0.5 h restart + 4 h: ends at 36.5 h.
  const ModelResults r = simulate(two_server_config(11.0, 12.0, 12.0));
  ASSERT_EQ(r.jobs.size(), 1u);
  EXPECT_EQ(r.jobs[0].state, JobState::completed);
  EXPECT_EQ(r.jobs[0].start, 11 * kHour);
  EXPECT_EQ(r.jobs[0].end, 36 * kHour + kHour / 2);
  EXPECT_EQ(r.spare_swaps, 0u);
  EXPECT_EQ(r.interruptions_by_cause[0], 1u);
  // No spare free 10-22 h (s0 in repair) and from 32 h (s0 fails again, 10 h after its repair)
  // to its repair at 44 h.
  EXPECT_NEAR(r.hours_without_spare, 12.0 + 12.0, 1e-9);
}

TEST(HotSpares, SparesAreNotAvailableGpuHoursAndBusyNeverExceedsAvailable) {
  // 16 servers, 2 of them spares, busy with 8-GPU jobs under exponential failures: every hour's
  // busy GPUs stay within the GPUs available (14 servers), and the GPU-hours too.
  ModelConfig cfg = testing::single_pool_config(16, 8, 1.0 / 3600.0, engine::Distribution::constant(8),
                                                engine::Distribution::exponential(8 * 3600.0), SchedulingPolicy::easy_backfill);
  cfg.horizon = 60 * engine::kMicrosPerDay;
  cfg.halls[0].hot_spares = 2;
  cfg.workloads[0].checkpoint_interval_s = 1800.0;
  cfg.workloads[0].restart_s = 600.0;
  cfg.failures.push_back(FailureClass{"server", false, engine::Distribution::exponential(5 * 86400.0),
                                      engine::Distribution::exponential(12 * 3600.0)});
  const ModelResults r = simulate(cfg);
  EXPECT_EQ(r.gpus_total, 128);
  EXPECT_EQ(r.spare_gpus, 16);
  EXPECT_GT(r.spare_swaps, 0u);
  std::uint64_t interruptions = 0;
  for (std::uint64_t n : r.interruptions_by_cause) interruptions += n;
  EXPECT_LE(r.spare_swaps, interruptions);
  for (const IntervalRow& row : r.hours) {
    EXPECT_DOUBLE_EQ(row.gpus_total, 112.0);
    EXPECT_LE(row.gpus_busy, row.gpus_total + 1e-9);
  }
  EXPECT_LE(r.busy_gpu_us, static_cast<__int128>(112) * r.end_time);
  EXPECT_GT(r.hours_without_spare, 0.0);
  EXPECT_LE(r.hours_without_spare, engine::to_hours(r.end_time));
}

TEST(HotSpares, NoSparesLeaveTheRunAsBefore) {
  // hot_spares 0 is the default: the same run, byte for byte (its event fingerprint).
  ModelConfig cfg = testing::single_pool_config(4, 8, 1.0 / 3600.0, engine::Distribution::constant(8),
                                                engine::Distribution::exponential(8 * 3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 20 * engine::kMicrosPerDay;
  cfg.failures.push_back(FailureClass{"server", false, engine::Distribution::exponential(3 * 86400.0),
                                      engine::Distribution::constant(6 * 3600.0)});
  const ModelResults before = simulate(cfg);
  cfg.halls[0].hot_spares = 1;
  const ModelResults with_spare = simulate(cfg);
  cfg.halls[0].hot_spares = 0;
  const ModelResults again = simulate(cfg);
  EXPECT_EQ(before.fingerprint, again.fingerprint);
  EXPECT_NE(before.fingerprint, with_spare.fingerprint);
  EXPECT_EQ(before.spare_gpus, 0);
  EXPECT_EQ(before.spare_swaps, 0u);
  EXPECT_EQ(before.hours_without_spare, 0.0);
}

}  // namespace
}  // namespace dcsim::model
