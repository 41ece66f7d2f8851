// Scheduler policy `priority` (docs/scenario-format.md, "Priorities and preemption"): the queue by
// priority then arrival; a head that cannot start preempts preemptible lower-priority jobs, which
// keep their work to their last checkpoint and pay a restart.
#include <gtest/gtest.h>

#include <stdexcept>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

constexpr engine::SimTime kHour = engine::kMicrosPerHour;

// 2 servers x 8 GPUs; workload 0 "low" (priority 0), workload 1 "high" (priority 1), both replay
// traces.
ModelConfig two_priorities(std::vector<TraceArrival> low, std::vector<TraceArrival> high) {
  ModelConfig cfg = testing::single_pool_config(2, 8, 0.0, engine::Distribution::constant(1),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::priority);
  cfg.horizon = 2 * engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.workloads[0].name = "low";
  cfg.workloads[0].trace = std::move(low);
  cfg.workloads[0].preemptible = true;
  WorkloadConfig h = cfg.workloads[0];
  h.name = "high";
  h.trace = std::move(high);
  h.priority = 1;
  h.preemptible = false;
  cfg.workloads.push_back(std::move(h));
  return cfg;
}

const JobRecord& job_of(const ModelResults& r, std::uint32_t workload, std::size_t nth = 0) {
  for (const JobRecord& j : r.jobs)
    if (j.workload == workload && nth-- == 0) return j;
  throw std::runtime_error("no such job");
}

// Low (16 GPUs, 10 h, checkpoint every 1 h, restart 15 min) runs from 0; high (8 GPUs, 2 h)
// arrives at 3.5 h and preempts it: low keeps 3 h of work, loses 0.5 h x 16 GPUs, waits for
// high to end at 5.5 h, then needs 7 h + 15 min: it ends at 12.75 h.
TEST(PriorityPolicy, HighJobPreemptsLowKeepingWorkToLastCheckpointPlusRestart) {
  ModelConfig cfg = two_priorities({TraceArrival{0, 16, 10 * kHour}}, {TraceArrival{7 * kHour / 2, 8, 2 * kHour}});
  cfg.workloads[0].checkpoint_interval_s = 3600.0;
  cfg.workloads[0].restart_s = 900.0;
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 2u);
  const JobRecord& high = job_of(r, 1);
  const JobRecord& low = job_of(r, 0);
  EXPECT_EQ(high.start, 7 * kHour / 2);
  EXPECT_EQ(high.end, 11 * kHour / 2);
  EXPECT_EQ(high.preemptions, 0);
  EXPECT_EQ(low.start, 0);  // its first start
  EXPECT_EQ(low.end, 51 * kHour / 4);
  EXPECT_EQ(low.preemptions, 1);
  EXPECT_EQ(low.state, JobState::completed);
  EXPECT_EQ(r.preemptions, 1u);
  EXPECT_NEAR(r.work_lost_gpu_hours, 16 * 0.5, 1e-9);
  EXPECT_NEAR(r.restart_gpu_hours, 16 * 0.25, 1e-9);
  EXPECT_EQ(r.interruptions_by_cause.size(), 0u);
}

// Without checkpoints the preempted job starts over and pays scheduler.restart_cost (10 min):
// 5.5 h + 10 h + 1/6 h.
TEST(PriorityPolicy, PreemptedJobWithoutCheckpointStartsOverAndPaysRestartCost) {
  ModelConfig cfg = two_priorities({TraceArrival{0, 16, 10 * kHour}}, {TraceArrival{7 * kHour / 2, 8, 2 * kHour}});
  cfg.preempt_restart_s = 600.0;
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 2u);
  EXPECT_EQ(job_of(r, 0).end, 11 * kHour / 2 + 10 * kHour + kHour / 6);
  EXPECT_NEAR(r.work_lost_gpu_hours, 16 * 3.5, 1e-9);
  EXPECT_NEAR(r.restart_gpu_hours, 16.0 / 6.0, 1e-9);
}

// A job that is not preemptible, or one of equal priority, is never preempted: high waits for
// low to end at 10 h and ends at 12 h.
TEST(PriorityPolicy, NonPreemptibleOrEqualPriorityJobsAreNotPreempted) {
  for (const bool equal_priority : {false, true}) {
    ModelConfig cfg = two_priorities({TraceArrival{0, 16, 10 * kHour}}, {TraceArrival{7 * kHour / 2, 8, 2 * kHour}});
    if (equal_priority) {
      cfg.workloads[1].priority = 0;
    } else {
      cfg.workloads[0].preemptible = false;
    }
    const ModelResults r = simulate(cfg);
    EXPECT_EQ(r.preemptions, 0u);
    EXPECT_EQ(job_of(r, 1).start, 10 * kHour);
    EXPECT_EQ(job_of(r, 1).end, 12 * kHour);
  }
}

// Two low jobs of 8 GPUs from 0: one checkpoints every hour (loses 0.5 h x 8 at 3.5 h), the
// other every 2 h (would lose 1.5 h x 8). High (8 GPUs) preempts only the first, which resumes
// at 5.5 h with 7 h left (no restart time): ends at 12.5 h; the other ends at 10 h.
TEST(PriorityPolicy, PreemptsTheJobsLosingFewestGpuHoursFirst) {
  ModelConfig cfg = two_priorities({TraceArrival{0, 8, 10 * kHour}}, {TraceArrival{7 * kHour / 2, 8, 2 * kHour}});
  cfg.workloads[0].checkpoint_interval_s = 7200.0;
  WorkloadConfig hourly = cfg.workloads[0];
  hourly.name = "low-hourly";
  hourly.checkpoint_interval_s = 3600.0;
  cfg.workloads.push_back(std::move(hourly));
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 3u);
  EXPECT_EQ(r.preemptions, 1u);
  EXPECT_EQ(job_of(r, 0).end, 10 * kHour);
  EXPECT_EQ(job_of(r, 0).preemptions, 0);
  EXPECT_EQ(job_of(r, 2).end, 25 * kHour / 2);
  EXPECT_EQ(job_of(r, 2).preemptions, 1);
  EXPECT_NEAR(r.work_lost_gpu_hours, 8 * 0.5, 1e-9);
}

// The queue is ordered by priority, then arrival: with the fleet full until 1 h, a low job
// arriving first and a high one arriving later both wait; the high one starts first.
TEST(PriorityPolicy, QueueOrdersByPriorityThenArrival) {
  ModelConfig cfg = two_priorities({TraceArrival{0, 16, kHour}, TraceArrival{kHour / 4, 16, kHour}},
                                   {TraceArrival{kHour / 2, 16, kHour}});
  cfg.workloads[0].preemptible = false;
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 3u);
  EXPECT_EQ(job_of(r, 1).start, kHour);
  EXPECT_EQ(job_of(r, 0, 1).start, 2 * kHour);
}

}  // namespace
}  // namespace dcsim::model
