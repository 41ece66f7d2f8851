// Scheduler policy `fair-share` (docs/scenario-format.md, "Fair share across tenants"): tenants
// below their guaranteed GPUs first, borrowing only idle GPUs, reclaiming borrowed GPUs by
// preemption; the `gpu_type` constraint; and inference scale-ups that preempt training.
#include <gtest/gtest.h>

#include <stdexcept>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

constexpr engine::SimTime kHour = engine::kMicrosPerHour;

// 8 servers x 8 GPUs = 64 GPUs under fair share; workload 0 of tenant "a", workload 1 of tenant
// "b", both 8-GPU jobs of exponential 1 h at `rate_per_h` each.
ModelConfig two_tenants(double rate_per_h, std::int64_t guaranteed_a, std::int64_t guaranteed_b) {
  ModelConfig cfg = testing::single_pool_config(8, 8, rate_per_h / 3600.0, engine::Distribution::constant(8),
                                                engine::Distribution::exponential(3600.0), SchedulingPolicy::fair_share);
  cfg.horizon = 3 * engine::kMicrosPerDay;
  cfg.tenants = {TenantQuota{"a", guaranteed_a, INT64_MAX}, TenantQuota{"b", guaranteed_b, INT64_MAX}};
  cfg.workloads[0].name = "wa";
  cfg.workloads[0].tenant = "a";
  cfg.workloads[0].tenant_index = 0;
  WorkloadConfig b = cfg.workloads[0];
  b.name = "wb";
  b.tenant = "b";
  b.tenant_index = 1;
  cfg.workloads.push_back(std::move(b));
  return cfg;
}

double gpu_hours_of(const ModelResults& r, std::uint32_t workload) {
  double h = 0.0;
  for (const WorkloadMonthUse& m : r.workload_months)
    if (m.workload == workload) h += m.gpu_hours();
  return h;
}

// Each tenant offers twice the hall (128 GPU-hours per hour of 8-GPU, 1-hour jobs against 64 GPUs),
// so both queues are never empty after the first hours. Whenever both have jobs queued, a freed
// server goes to the tenant with the lower usage / guarantee, which keeps the allocation at exactly
// 48 : 16: a's job ending leaves a at 40/48 < b at 16/16, so a gets it back; b's ending leaves b at
// 8/16 < 48/48. So a holds 3/4 of the GPU-hours but for the start, where both fill the idle hall
// as their first jobs arrive (about an hour, at most a quarter of the hall off target, of 72 hours:
// under 0.004): within 0.01. Under easy-backfill the same arrivals split about evenly (the control).
TEST(FairShare, TwoTenantsUnderContentionGetGpuHoursInProportionToTheirGuarantees) {
  const ModelConfig cfg = two_tenants(16.0, 48, 16);
  const ModelResults r = simulate(cfg);
  const double a = gpu_hours_of(r, 0);
  const double b = gpu_hours_of(r, 1);
  EXPECT_NEAR(a / (a + b), 0.75, 0.01);
  EXPECT_NEAR((a + b) / (64.0 * 72.0), 1.0, 0.02);  // the hall stays busy (but for the first arrivals)

  ModelConfig fifo = cfg;
  fifo.policy = SchedulingPolicy::easy_backfill;
  const ModelResults f = simulate(fifo);
  const double fa = gpu_hours_of(f, 0);
  EXPECT_NEAR(fa / (fa + gpu_hours_of(f, 1)), 0.5, 0.05);
}

// Tenant a (guaranteed 16 of 64) is alone: it borrows every idle GPU (utilization near 1 at twice
// the hall's load). With borrow: no (max_gpus = guaranteed) it holds at most 16: a quarter.
TEST(FairShare, ATenantAloneBorrowsAllIdleGpusUnlessItMayNotBorrow) {
  ModelConfig cfg = two_tenants(16.0, 16, 48);
  cfg.workloads[1].rate_per_s = 0.0;  // b submits nothing
  const ModelResults alone = simulate(cfg);
  EXPECT_NEAR(gpu_hours_of(alone, 0) / (64.0 * 72.0), 1.0, 0.02);

  cfg.tenants[0].max_gpus = 16;
  const ModelResults capped = simulate(cfg);
  EXPECT_NEAR(gpu_hours_of(capped, 0) / (64.0 * 72.0), 0.25, 0.01);
  for (const IntervalRow& h : capped.hours) EXPECT_LE(h.gpus_busy, 16.0 + 1e-9);
}

// 2 servers x 8 GPUs; tenant a (guaranteed 8, preemptible, checkpoint every 1 h, restart 15 min)
// runs a 16-GPU, 10-hour job from 0, borrowing 8 GPUs. Tenant b (guaranteed 8) submits an 8-GPU,
// 2-hour job at 3.5 h. With reclaim, b preempts a: a keeps 3 h, waits for b to end at 5.5 h, then
// needs 7 h + 15 min: it ends at 12.75 h. Without reclaim b waits for a: 10 h to 12 h.
TEST(FairShare, ATenantBelowItsGuaranteeReclaimsBorrowedGpusByPreemption) {
  ModelConfig cfg = testing::single_pool_config(2, 8, 0.0, engine::Distribution::constant(1),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fair_share);
  cfg.horizon = 2 * engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.tenants = {TenantQuota{"a", 8, INT64_MAX}, TenantQuota{"b", 8, INT64_MAX}};
  cfg.workloads[0].trace = {TraceArrival{0, 16, 10 * kHour}};
  cfg.workloads[0].preemptible = true;
  cfg.workloads[0].checkpoint_interval_s = 3600.0;
  cfg.workloads[0].restart_s = 900.0;
  WorkloadConfig b = cfg.workloads[0];
  b.trace = {TraceArrival{7 * kHour / 2, 8, 2 * kHour}};
  b.preemptible = false;
  b.tenant_index = 1;
  cfg.workloads.push_back(std::move(b));

  cfg.reclaim_borrowed = true;
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 2u);
  const JobRecord& ja = r.jobs[0].workload == 0 ? r.jobs[0] : r.jobs[1];
  const JobRecord& jb = r.jobs[0].workload == 0 ? r.jobs[1] : r.jobs[0];
  EXPECT_EQ(jb.start, 7 * kHour / 2);
  EXPECT_EQ(jb.end, 11 * kHour / 2);
  EXPECT_EQ(ja.end, 51 * kHour / 4);
  EXPECT_EQ(ja.preemptions, 1);
  EXPECT_EQ(r.workload_jobs[0].preemptions, 1u);
  EXPECT_NEAR(r.work_lost_gpu_hours, 16 * 0.5, 1e-9);

  cfg.reclaim_borrowed = false;
  const ModelResults w = simulate(cfg);
  const JobRecord& wb = w.jobs[0].workload == 1 ? w.jobs[0] : w.jobs[1];
  EXPECT_EQ(wb.start, 10 * kHour);
  EXPECT_EQ(wb.end, 12 * kHour);
  EXPECT_EQ(w.preemptions, 0u);
}

// A tenant within its guarantee is not preempted: b (guaranteed 8) holding 8 GPUs does not lend
// them to a (guaranteed 8) however long a waits.
TEST(FairShare, JobsWithinTheirTenantsGuaranteeAreNotReclaimed) {
  ModelConfig cfg = testing::single_pool_config(1, 8, 0.0, engine::Distribution::constant(1),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fair_share);
  cfg.horizon = engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.reclaim_borrowed = true;
  cfg.tenants = {TenantQuota{"a", 8, INT64_MAX}, TenantQuota{"b", 8, INT64_MAX}};
  cfg.workloads[0].trace = {TraceArrival{kHour, 8, kHour}};
  WorkloadConfig b = cfg.workloads[0];
  b.trace = {TraceArrival{0, 8, 5 * kHour}};
  b.preemptible = true;
  b.tenant_index = 1;
  cfg.workloads.push_back(std::move(b));
  const ModelResults r = simulate(cfg);
  EXPECT_EQ(r.preemptions, 0u);
  const JobRecord& ja = r.jobs[0].workload == 0 ? r.jobs[0] : r.jobs[1];
  EXPECT_EQ(ja.start, 5 * kHour);
}

// max_gpus bounds the GPUs a tenant's jobs ask for, not those packing allocates: 4 servers x 8;
// tenant a (max 24) submits three 12-GPU, 1-hour jobs at 0. Each takes two whole servers (16
// GPUs), but two ask for 24 together: both start at 0 (counting allocated GPUs, 16 + 12 > 24,
// the second would wait); the third (36 asked) waits until the first two end at 1 h.
TEST(FairShare, MaxGpusIsCheckedOnRequestedGpus) {
  ModelConfig cfg = testing::single_pool_config(4, 8, 0.0, engine::Distribution::constant(1),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fair_share);
  cfg.horizon = engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.tenants = {TenantQuota{"a", 8, 24}};
  cfg.workloads[0].trace = {TraceArrival{0, 12, kHour}, TraceArrival{0, 12, kHour}, TraceArrival{0, 12, kHour}};
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 3u);
  EXPECT_EQ(r.jobs[0].start, 0);
  EXPECT_EQ(r.jobs[1].start, 0);
  EXPECT_EQ(r.jobs[2].start, kHour);
  for (const IntervalRow& h : r.hours) EXPECT_LE(h.gpus_busy, 32.0 + 1e-9);  // two jobs' whole servers
}

// Under fair share a tenant's priorities order its own queue: 1 server x 8 GPUs, tenant a only.
// Workload "low" (priority 0) runs an 8-GPU, 1-hour job from 0 and queues another at 15 min;
// workload "high" (priority 5, same tenant) queues one at 30 min. High starts at 1 h, low's
// second at 2 h (in queue order alone it would be the other way round).
TEST(FairShare, PriorityOrdersJobsWithinATenant) {
  ModelConfig cfg = testing::single_pool_config(1, 8, 0.0, engine::Distribution::constant(1),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fair_share);
  cfg.horizon = engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.tenants = {TenantQuota{"a", 8, INT64_MAX}};
  cfg.workloads[0].name = "low";
  cfg.workloads[0].trace = {TraceArrival{0, 8, kHour}, TraceArrival{kHour / 4, 8, kHour}};
  WorkloadConfig high = cfg.workloads[0];
  high.name = "high";
  high.priority = 5;
  high.trace = {TraceArrival{kHour / 2, 8, kHour}};
  cfg.workloads.push_back(std::move(high));
  for (const int high_priority : {5, 0}) {
    cfg.workloads[1].priority = high_priority;
    const ModelResults r = simulate(cfg);
    ASSERT_EQ(r.jobs.size(), 3u);
    for (const JobRecord& j : r.jobs) {
      if (j.workload == 1) {
        EXPECT_EQ(j.start, high_priority > 0 ? kHour : 2 * kHour) << high_priority;
      }
      if (j.workload == 0 && j.arrival == kHour / 4) {
        EXPECT_EQ(j.start, high_priority > 0 ? 2 * kHour : kHour) << high_priority;
      }
    }
  }
}

// Inference replicas count against their tenant's max_gpus under fair share: a service of 8-GPU
// replicas fixed at 2 on 2 servers x 8 GPUs, its tenant allowed 8, gets one replica (the other
// scale-up is refused, replicas_unplaced); allowed 16, it gets both.
TEST(FairShare, ReplicaBeyondTheTenantsMaxGpusIsRefused) {
  ModelConfig cfg = testing::single_pool_config(2, 8, 0.0, engine::Distribution::constant(1),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fair_share);
  cfg.horizon = engine::kMicrosPerDay;
  cfg.tenants = {TenantQuota{"a", 8, 8}};
  ServiceConfig s;
  s.name = "chat";
  s.workload = 0;
  s.gpus_per_replica = 8;
  s.replica_rps = 1.0;
  s.base_rps = 0.5;
  s.min_replicas = 2;
  s.max_replicas = 2;
  cfg.services.push_back(s);
  const ModelResults capped = simulate(cfg);
  EXPECT_GT(capped.services[0].replicas_unplaced, 0u);
  EXPECT_NEAR(capped.services[0].mean_replicas, 1.0, 1e-9);
  for (const IntervalRow& h : capped.hours) EXPECT_LE(h.gpus_busy, 8.0 + 1e-9);

  cfg.tenants[0].max_gpus = 16;
  const ModelResults room = simulate(cfg);
  EXPECT_EQ(room.services[0].replicas_unplaced, 0u);
  EXPECT_NEAR(room.services[0].mean_replicas, 2.0, 1e-9);
}

// Two pools of one 8-GPU server each, of GPU types 0 and 1. Two 8-GPU, 2-hour jobs arrive at 0
// held to type 1: the second waits for the first (starts at 2 h) although pool 0 is idle. Without
// the constraint both start at 0.
TEST(GpuType, JobsStartOnlyOnPoolsOfTheirGpuType) {
  ModelConfig cfg = testing::single_pool_config(1, 8, 0.0, engine::Distribution::constant(1),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::easy_backfill);
  cfg.horizon = engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.gpu_types.push_back(GpuType{"g2", "", 70.0, 700.0, 989.0, 80.0, 30000.0, ""});
  cfg.server_types.push_back(ServerType{"s2", "", "g2", 8, 1000.0, 100000.0, 5.0, false, ""});
  cfg.server_gpu_type.push_back(1);
  cfg.rack_groups.push_back(RackGroupConfig{0, 1, 1, 1});
  cfg.workloads[0].trace = {TraceArrival{0, 8, 2 * kHour}, TraceArrival{0, 8, 2 * kHour}};
  for (const int type : {1, -1}) {
    cfg.workloads[0].gpu_type = type;
    const ModelResults r = simulate(cfg);
    ASSERT_EQ(r.jobs.size(), 2u);
    EXPECT_EQ(r.jobs[0].start, 0);
    EXPECT_EQ(r.jobs[1].start, type == 1 ? 2 * kHour : 0) << "gpu_type " << type;
  }
  // A job larger than every pool of its type is rejected.
  cfg.workloads[0].gpu_type = 1;
  cfg.workloads[0].trace = {TraceArrival{0, 16, kHour}};
  cfg.rack_groups[0].racks = 2;  // 16 GPUs of type 0, still 8 of type 1
  EXPECT_EQ(simulate(cfg).jobs_rejected, 1u);
}

// The fleet of the two InferencePreempts tests below: 2 servers x 8 GPUs, a preemptible 8-GPU
// training job of 48 h arriving at 1 h, and a service of 8-GPU replicas whose daily cycle asks for a
// second replica in the morning.
ModelConfig morning_scale_up() {
  ModelConfig cfg = testing::single_pool_config(2, 8, 0.0, engine::Distribution::constant(1),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::easy_backfill);
  cfg.horizon = engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.workloads[0].trace = {TraceArrival{kHour, 8, 48 * kHour}};
  cfg.workloads[0].preemptible = true;
  WorkloadConfig serving;
  serving.name = "serving";
  cfg.workloads.push_back(serving);
  ServiceConfig s;
  s.name = "chat";
  s.workload = 1;
  s.gpus_per_replica = 8;
  s.replica_rps = 1.0;
  s.base_rps = 0.5;
  s.daily_amplitude = 0.9;
  s.peak_hour = 12.0;
  s.min_replicas = 1;
  s.max_replicas = 2;
  cfg.services.push_back(s);
  return cfg;
}

// 2 servers x 8 GPUs. A service of 8-GPU replicas (mu = 1/s, target 0.7, base 0.5/s, daily
// amplitude 0.9, peak at 12:00 UTC, start at midnight) wants 1 replica at night and 2 between about
// 7:45 and 16:15 (0.5 (1 + 0.9 cos(2 pi (h - 12) / 24)) > 0.7). A preemptible 8-GPU training job of
// 48 h arrives at 1 h and takes the other server. At the morning scale-up no GPU is free: without
// inference_preempts the scale-up is dropped (replicas_unplaced) and the job runs on; with it the
// job is preempted once and the service gets its second replica.
TEST(InferencePreempts, AScaleUpWithoutFreeGpusPreemptsAPreemptibleTrainingJob) {
  ModelConfig cfg = morning_scale_up();

  const ModelResults without = simulate(cfg);
  EXPECT_EQ(without.preemptions, 0u);
  EXPECT_GT(without.services[0].replicas_unplaced, 0u);

  cfg.inference_preempts = true;
  const ModelResults with = simulate(cfg);
  EXPECT_EQ(with.preemptions, 1u);
  EXPECT_EQ(with.services[0].replicas_unplaced, 0u);
  ASSERT_EQ(with.jobs.size(), 1u);
  EXPECT_EQ(with.jobs[0].preemptions, 1);
  // A non-preemptible job is never taken.
  cfg.workloads[0].preemptible = false;
  EXPECT_EQ(simulate(cfg).preemptions, 0u);
}

// The same morning scale-up from a service given a priority: it preempts the preemptible job only
// when the job's priority is strictly lower than the service's, as a job does under the priority
// policy; otherwise the scale-up goes unplaced as without inference_preempts.
TEST(InferencePreempts, AServiceWithAPriorityPreemptsOnlyStrictlyLowerPriorities) {
  ModelConfig cfg = morning_scale_up();
  cfg.inference_preempts = true;
  cfg.workloads[0].priority = 3;
  for (const int service_priority : {4, 3, 2}) {
    cfg.services[0].priority = service_priority;
    cfg.workloads[1].priority = service_priority;
    const ModelResults r = simulate(cfg);
    const bool preempts = service_priority > 3;
    EXPECT_EQ(r.preemptions, preempts ? 1u : 0u) << "service priority " << service_priority;
    EXPECT_EQ(r.services[0].replicas_unplaced > 0, !preempts) << "service priority " << service_priority;
  }
}

}  // namespace
}  // namespace dcsim::model
