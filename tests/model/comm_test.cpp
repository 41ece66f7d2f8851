// Communication profiles: a training job on a hall with a fabric runs at the speed its ring
// all-reduce allows (docs/fabric.md, "Jobs on the fabric").
#include <gtest/gtest.h>

#include <cmath>

#include "model_test_support.h"
#include "sim/model/fabric.h"

namespace dcsim::model {
namespace {

// Radix 4 at 3:1: a leaf has 3 downlinks and 1 uplink (round(4 x 3 / 4) = 3); 6 servers make 2
// leaves (servers 0-2 and 3-5) under 1 spine (12 servers: 4 leaves); 400 Gb/s, 500 ns links.
Fabric small_oversubscribed_fabric(int servers = 6) {
  FabricSpec spec;
  spec.radix = 4;
  spec.tiers = 2;
  spec.oversubscription = {1, 3};
  spec.endpoints = servers;
  return build_fabric(spec);
}

// T = 2(p-1) latency + S / B x 2(p-1)/p with B in bytes/s.
double ring_time(double bytes, int p, double gbps) { return 2.0 * (p - 1) * 500e-9 + bytes / (gbps * 1e9 / 8.0) * 2.0 * (p - 1) / p; }

TEST(CommSpeed, ARingCrossingTheOversubscribedUplinkTwiceRunsAtHalfBandwidth) {
  const Fabric f = small_oversubscribed_fabric();
  // Ring 0 -> 3 -> 1 -> 4 -> 0: hops 0->3 and 1->4 both climb leaf 0's single uplink, so that
  // link direction carries 2 flows: 200 Gb/s each. 20 GB per step, 1 s compute.
  const double bytes = 20e9;
  const double expected = (1.0 + ring_time(bytes, 4, 400)) / (1.0 + ring_time(bytes, 4, 200));
  EXPECT_NEAR(expected, (1.0 + 0.6 + 3e-6) / (1.0 + 1.2 + 3e-6), 1e-12);
  EXPECT_NEAR(comm_speed_factor(f, {0, 3, 1, 4}, bytes, 1.0), expected, 1e-12);
}

TEST(CommSpeed, RingsUnderOneLeafOrCrossingOnceEachWayAreNotSlowed) {
  const Fabric f = small_oversubscribed_fabric();
  EXPECT_EQ(comm_speed_factor(f, {0, 1, 2}, 20e9, 1.0), 1.0);  // one leaf
  EXPECT_EQ(comm_speed_factor(f, {0, 3}, 20e9, 1.0), 1.0);     // 2 servers: one flow each way per uplink
  EXPECT_EQ(comm_speed_factor(f, {0, 1, 2, 3, 4, 5}, 20e9, 1.0), 1.0);  // leaf by leaf
  EXPECT_EQ(comm_speed_factor(f, {4}, 20e9, 1.0), 1.0);
}

// 12 servers of 8 GPUs on the small fabric (4 leaves); whole-server jobs of 2 to 6 servers, 10 h
// of work each, arriving often enough that servers free up out of order.
ModelConfig fabric_config(bool with_fabric, double gradient_bytes) {
  ModelConfig cfg = testing::single_pool_config(12, 8, 8.0 / 86400.0,
                                                engine::Distribution::discrete({16, 32, 48}, {0.3, 0.4, 0.3}),
                                                engine::Distribution::constant(10 * 3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 200 * engine::kMicrosPerDay;
  if (with_fabric) cfg.halls[0].fabric = std::make_shared<const Fabric>(small_oversubscribed_fabric(12));
  cfg.workloads[0].comm_gradient_bytes = gradient_bytes;
  cfg.workloads[0].comm_step_s = 1.0;
  cfg.record_jobs = true;
  return cfg;
}

TEST(CommSpeed, JobsWithoutAProfileRunAsWithoutAFabric) {
  const ModelResults a = simulate(fabric_config(false, 0.0));
  const ModelResults b = simulate(fabric_config(true, 0.0));
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  ASSERT_EQ(a.jobs.size(), b.jobs.size());
  for (std::size_t i = 0; i < a.jobs.size(); ++i) {
    EXPECT_EQ(a.jobs[i].end, b.jobs[i].end);
    EXPECT_EQ(b.jobs[i].comm_slowdown, 1.0);
  }
  EXPECT_EQ(b.comm_jobs, 0u);
  EXPECT_EQ(b.mean_comm_slowdown, 1.0);
}

TEST(CommSpeed, AProfiledJobTakesItsSlowdownTimesItsWork) {
  const ModelResults r = simulate(fabric_config(true, 20e9));
  ASSERT_GT(r.jobs_completed, 50u);
  double sum = 0.0;
  std::uint64_t started = 0;
  bool some_slowed = false;
  for (const JobRecord& j : r.jobs) {
    if (j.start < 0) continue;
    ++started;
    sum += j.comm_slowdown;
    EXPECT_GE(j.comm_slowdown, 1.0);
    // At most the 6-rank ring with every hop crossing: 3 flows on an uplink, 400/3 Gb/s.
    EXPECT_LE(j.comm_slowdown, (1.0 + ring_time(20e9, 6, 400.0 / 3)) / (1.0 + ring_time(20e9, 6, 400)) + 1e-12);
    EXPECT_GE(j.switches_spanned, (j.gpus / 8 + 2) / 3);  // 3 servers per leaf
    EXPECT_LE(j.switches_spanned, std::min(4, j.gpus / 8));
    some_slowed = some_slowed || j.comm_slowdown > 1.0;
    if (j.state == JobState::completed) {
      EXPECT_NEAR(engine::to_hours(j.end - j.start), 10.0 * j.comm_slowdown, 1e-6) << "job " << j.job_id;
    }
  }
  EXPECT_TRUE(some_slowed);
  EXPECT_EQ(r.comm_jobs, started);
  EXPECT_NEAR(r.mean_comm_slowdown, sum / static_cast<double>(started), 1e-12);
}

}  // namespace
}  // namespace dcsim::model
