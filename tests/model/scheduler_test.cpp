// Scheduling policies: capacity is never exceeded, FIFO keeps order, EASY backfill fills holes.
#include <gtest/gtest.h>

#include <algorithm>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

ModelConfig mixed_sizes(SchedulingPolicy policy) {
  ModelConfig cfg = testing::single_pool_config(16, 8, 40.0 / 86400.0,
                                                engine::Distribution::discrete({1, 4, 8, 32, 64}, {0.3, 0.2, 0.2, 0.2, 0.1}),
                                                engine::Distribution::lognormal(4 * 3600.0, 1.0), policy);
  cfg.horizon = 120 * engine::kMicrosPerDay;
  cfg.record_jobs = true;
  return cfg;
}

TEST(Scheduler, FifoStartsJobsInArrivalOrder) {
  const ModelResults r = simulate(mixed_sizes(SchedulingPolicy::fifo));
  engine::SimTime last_start = 0;
  for (const JobRecord& j : r.jobs) {  // sorted by job id = arrival order
    if (j.start < 0) continue;
    EXPECT_GE(j.start, last_start) << "job " << j.job_id;
    last_start = j.start;
  }
}

TEST(Scheduler, EasyBackfillWaitsLessThanFifoAndStartsJobsOutOfOrder) {
  const ModelResults fifo = simulate(mixed_sizes(SchedulingPolicy::fifo));
  const ModelResults easy = simulate(mixed_sizes(SchedulingPolicy::easy_backfill));
  EXPECT_LT(easy.mean_wait_hours, 0.8 * fifo.mean_wait_hours);
  bool out_of_order = false;
  engine::SimTime last_start = 0;
  for (const JobRecord& j : easy.jobs) {
    if (j.start < 0) continue;
    if (j.start < last_start) out_of_order = true;
    last_start = std::max(last_start, j.start);
  }
  EXPECT_TRUE(out_of_order);
}

TEST(Scheduler, AllocatedGpusNeverExceedTheFleet) {
  for (SchedulingPolicy p : {SchedulingPolicy::fifo, SchedulingPolicy::easy_backfill}) {
    const ModelResults r = simulate(mixed_sizes(p));
    for (const IntervalRow& h : r.hours) EXPECT_LE(h.gpus_busy, h.gpus_total + 1e-9);
    EXPECT_LE(static_cast<double>(r.busy_gpu_us), static_cast<double>(r.gpus_total) * static_cast<double>(r.end_time));
  }
}

TEST(Scheduler, EasyBackfillDoesNotStarveTheLargestJobs) {
  // Backfill must not buy its shorter waits by starving wide jobs: the head's reservation
  // protects them, so the 64-GPU jobs wait no longer than under FIFO (10% slack for noise).
  const ModelResults fifo = simulate(mixed_sizes(SchedulingPolicy::fifo));
  const ModelResults easy = simulate(mixed_sizes(SchedulingPolicy::easy_backfill));
  auto mean_wait_of_large = [](const ModelResults& r) {
    double sum = 0.0;
    int n = 0;
    for (const JobRecord& j : r.jobs) {
      if (j.start >= 0 && j.gpus == 64) {
        sum += engine::to_hours(j.start - j.arrival);
        ++n;
      }
    }
    return sum / n;
  };
  EXPECT_LT(mean_wait_of_large(easy), mean_wait_of_large(fifo) * 1.1);
}

TEST(Scheduler, TimeLimitsShorterThanTheDurationEndJobsAsTimedOut) {
  ModelConfig cfg = mixed_sizes(SchedulingPolicy::easy_backfill);
  cfg.workloads[0].time_limit_mode = TimeLimitMode::distribution;
  cfg.workloads[0].time_limit_s = engine::Distribution::constant(3 * 3600.0);
  const ModelResults r = simulate(cfg);
  EXPECT_GT(r.jobs_timed_out, 0u);
  for (const JobRecord& j : r.jobs) {
    if (j.state == JobState::timed_out) {
      EXPECT_EQ(j.end - j.start, 3 * engine::kMicrosPerHour);
    }
    if (j.state == JobState::completed) {
      EXPECT_LE(j.end - j.start, 3 * engine::kMicrosPerHour);
    }
  }
}

}  // namespace
}  // namespace dcsim::model
