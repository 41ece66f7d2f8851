// Jobs that share fabric links share their bandwidth max-min fairly (docs/fabric.md, "Link
// sharing"): ring loads, progressive filling, and completions that move when a job leaves.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "model_test_support.h"
#include "sim/model/fabric.h"

namespace dcsim::model {
namespace {

// Radix 4 at 3:1: 3 servers per leaf, one uplink each; 12 servers make 4 leaves on 1 spine.
Fabric oversubscribed(int servers) {
  FabricSpec spec;
  spec.radix = 4;
  spec.tiers = 2;
  spec.oversubscription = {1, 3};
  spec.endpoints = servers;
  return build_fabric(spec);
}

double ring_time(double bytes, int p, double gbps) { return 2.0 * (p - 1) * 500e-9 + bytes / (gbps * 1e9 / 8.0) * 2.0 * (p - 1) / p; }

TEST(RingLoads, TheirBottleneckIsTheRingsBottleneck) {
  const Fabric f = oversubscribed(12);
  RingLoadCache cache;
  std::vector<ArcLoad> loads;
  for (const std::vector<int>& ring : {std::vector<int>{0, 3, 1, 4}, {0, 1, 2, 3, 4, 5}, {0, 4, 8, 1, 5, 9}, {2, 11}}) {
    ASSERT_TRUE(ring_arc_loads(f, ring, cache, loads));
    double best = std::numeric_limits<double>::infinity();
    for (const ArcLoad& a : loads) best = std::min(best, f.links[static_cast<std::size_t>(a.arc / 2)].gbps / a.load);
    EXPECT_DOUBLE_EQ(best, bottleneck_gbps(f, ring));
  }
  // Ring 0 -> 3 -> 1 -> 4: leaf 0's uplink (link 12, leaf 12 -> spine 16) carries hops 0->3 and
  // 1->4 upward: load 2 on arc 2 x 12 + 0.
  ASSERT_TRUE(ring_arc_loads(f, {0, 3, 1, 4}, cache, loads));
  bool seen = false;
  for (const ArcLoad& a : loads)
    if (a.arc == 2 * 12) {
      seen = true;
      EXPECT_DOUBLE_EQ(a.load, 2.0);
    }
  EXPECT_TRUE(seen);
}

TEST(MaxMin, TwoRingsOnOneArcGetHalfEachAndAThirdElsewhereKeepsItsOwn) {
  // Arcs 0..3 at 400 Gb/s. Rings A and B both load arc 1 once; C loads arc 3 twice.
  const std::vector<double> capacity(4, 400.0);
  const std::vector<ArcLoad> a{{0, 1.0}, {1, 1.0}}, b{{1, 1.0}, {2, 1.0}}, c{{3, 2.0}};
  std::vector<int> slot(4, -1);
  std::vector<double> gbps;
  max_min_rates({&a, &b, &c}, capacity, slot, gbps);
  ASSERT_EQ(gbps.size(), 3u);
  EXPECT_DOUBLE_EQ(gbps[0], 200.0);
  EXPECT_DOUBLE_EQ(gbps[1], 200.0);
  EXPECT_DOUBLE_EQ(gbps[2], 200.0);
  EXPECT_EQ(slot, std::vector<int>(4, -1));
}

TEST(MaxMin, ARingHeldBackElsewhereLeavesItsShareToTheOthers) {
  // A and B share arc 0 (400); B is also on arc 1 at 100 Gb/s: B stops at 100, A takes 300.
  const std::vector<double> capacity{400.0, 100.0};
  const std::vector<ArcLoad> a{{0, 1.0}}, b{{0, 1.0}, {1, 1.0}};
  std::vector<int> slot(2, -1);
  std::vector<double> gbps;
  max_min_rates({&a, &b}, capacity, slot, gbps);
  EXPECT_DOUBLE_EQ(gbps[0], 300.0);
  EXPECT_DOUBLE_EQ(gbps[1], 100.0);
}

// Two jobs of 4 servers arrive at 0 on the 12-server fabric. Packed, A gets leaf 0 and server 3
// (leaf 1), B server 4 (leaf 1) and leaf 2: both rings climb and descend leaf 1's single uplink
// once, so each gets 200 Gb/s while both run. With 20 GB per 1 s step on 4 ranks,
// f = (1 + T(400)) / (1 + T(200)). A (10 h of work) ends at 10 h / f; B (20 h) has then done
// 10 h and runs the other 10 h alone at full speed: it ends at 10 h / f + 10 h.
TEST(LinkSharing, TwoJobsOnOneUplinkGetHalfEachAndTheSurvivorSpeedsUp) {
  ModelConfig cfg = testing::single_pool_config(12, 8, 0.0, engine::Distribution::constant(32),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 5 * engine::kMicrosPerDay;
  cfg.workloads[0].trace = {TraceArrival{0, 32, 10 * engine::kMicrosPerHour}, TraceArrival{0, 32, 20 * engine::kMicrosPerHour}};
  cfg.workloads[0].comm_gradient_bytes = 20e9;
  cfg.workloads[0].comm_step_s = 1.0;
  cfg.halls[0].fabric = std::make_shared<const Fabric>(oversubscribed(12));
  cfg.record_jobs = true;
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 2u);
  const double f = (1.0 + ring_time(20e9, 4, 400)) / (1.0 + ring_time(20e9, 4, 200));
  EXPECT_NEAR(f, 1.600003 / 2.200003, 1e-12);
  const double a_end_h = 10.0 / f;
  EXPECT_NEAR(engine::to_hours(r.jobs[0].end), a_end_h, 1e-9);
  EXPECT_NEAR(engine::to_hours(r.jobs[1].end), a_end_h + 10.0, 1e-9);
  EXPECT_EQ(r.jobs[0].switches_spanned, 2);
  EXPECT_EQ(r.jobs[1].switches_spanned, 2);
  // Slowdown = run time / work done at the communication speed: 1 / f for A; B's mixed.
  EXPECT_NEAR(r.jobs[0].comm_slowdown, 1.0 / f, 1e-9);
  EXPECT_NEAR(r.jobs[1].comm_slowdown, (a_end_h + 10.0) / 20.0, 1e-9);
  EXPECT_NEAR(r.mean_comm_slowdown, (1.0 / f + (a_end_h + 10.0) / 20.0) / 2.0, 1e-9);
}

// One job alone, packed leaf by leaf: its bottleneck share is the link speed, so it is not slowed.
TEST(LinkSharing, AJobAloneRunsAtItsOwnBottleneck) {
  ModelConfig cfg = testing::single_pool_config(12, 8, 0.0, engine::Distribution::constant(32),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 5 * engine::kMicrosPerDay;
  cfg.workloads[0].trace = {TraceArrival{0, 32, 10 * engine::kMicrosPerHour}};
  cfg.workloads[0].comm_gradient_bytes = 20e9;
  cfg.workloads[0].comm_step_s = 1.0;
  cfg.halls[0].fabric = std::make_shared<const Fabric>(oversubscribed(12));
  cfg.record_jobs = true;
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 1u);
  EXPECT_NEAR(engine::to_hours(r.jobs[0].end), 10.0, 1e-9);  // leaf by leaf: one flow per uplink direction
  EXPECT_EQ(r.jobs[0].comm_slowdown, 1.0);
}

// The same job's traffic per link tier, hour by hour. Packed on servers 0-2 (leaf 0) and 3 (leaf
// 1), its ring crosses 8 endpoint arcs (each server up and down) and 4 leaf-spine arcs (2->3 up
// leaf 0 and down to leaf 1, 3->0 back), each with load 1, at 400 Gb/s while it all-reduces: the
// fraction T / (1 s + T) of its time, T = ring_time(20 GB, 4, 400) = 0.600003 s. Capacities:
// 12 endpoint links and 4 uplinks, both directions at 400 Gb/s: 9600 and 3200 Gb/s.
TEST(LinkSharing, TierUtilizationIsTheRingsTrafficOverTheTiersCapacity) {
  ModelConfig cfg = testing::single_pool_config(12, 8, 0.0, engine::Distribution::constant(32),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = engine::kMicrosPerDay;
  cfg.workloads[0].trace = {TraceArrival{0, 32, 10 * engine::kMicrosPerHour}};
  cfg.workloads[0].comm_gradient_bytes = 20e9;
  cfg.workloads[0].comm_step_s = 1.0;
  cfg.halls[0].fabric = std::make_shared<const Fabric>(oversubscribed(12));
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.hours.size(), 24u);
  const double duty = 0.600003 / 1.600003;
  for (std::size_t h = 0; h < r.hours.size(); ++h) {
    ASSERT_EQ(r.hours[h].hall_fabric_util.size(), 3u);
    const double on = h < 10 ? 1.0 : 0.0;  // the job runs 0-10 h
    EXPECT_NEAR(r.hours[h].hall_fabric_util[0], on * 8 * 400 * duty / 9600, 1e-12) << h;
    EXPECT_NEAR(r.hours[h].hall_fabric_util[1], on * 4 * 400 * duty / 3200, 1e-12) << h;
    EXPECT_EQ(r.hours[h].hall_fabric_util[2], 0.0);  // two tiers: no core links
  }
}

}  // namespace
}  // namespace dcsim::model

namespace dcsim::model {
namespace {

// Radix 8, 2 tiers, non-blocking, 32 endpoints: 8 leaves of 4, 4 spines, each leaf linked once
// to each spine. Bisection (endpoints 0-15 against 16-31) = 16 x 400 = 6400 Gb/s. Without spine 0
// every leaf keeps 3 of its 4 uplinks: 4 leaves x 3 x 400 = 4800. Without leaf 0, its 4
// endpoints send nothing: the other 12 of the first half, 12 x 400 = 4800.
TEST(SwitchFailure, AFailedSpineOrLeafLowersTheBisectionByHand) {
  FabricSpec spec;
  spec.radix = 8;
  spec.tiers = 2;
  const Fabric f = build_fabric(spec);
  ASSERT_EQ(f.endpoints, 32);
  std::vector<char> failed(f.vertices.size(), 0);
  EXPECT_DOUBLE_EQ(bisection_gbps(f, failed), 6400.0);
  const int first_leaf = 32, first_spine = 40;
  ASSERT_EQ(f.vertices[first_spine].tier, 2);
  failed[first_spine] = 1;
  EXPECT_DOUBLE_EQ(bisection_gbps(f, failed), 4800.0);
  failed[first_spine + 1] = 1;  // two spines out: 4 leaves x 2 x 400
  EXPECT_DOUBLE_EQ(bisection_gbps(f, failed), 3200.0);
  std::fill(failed.begin(), failed.end(), 0);
  failed[first_leaf] = 1;
  EXPECT_DOUBLE_EQ(bisection_gbps(f, failed), 4800.0);
}

TEST(SwitchFailure, RingsRouteAroundAFailedSpineAndAreCutWithoutAny) {
  FabricSpec spec;
  spec.radix = 8;
  spec.tiers = 2;
  const Fabric f = build_fabric(spec);
  RingLoadCache cache;
  std::vector<ArcLoad> loads;
  std::vector<char> failed(f.vertices.size(), 0);
  failed[40] = 1;
  cache.set_failed(failed);
  ASSERT_TRUE(ring_arc_loads(f, {0, 4}, cache, loads));
  for (const ArcLoad& a : loads) {
    const FabricLink& l = f.links[static_cast<std::size_t>(a.arc / 2)];
    EXPECT_NE(l.b, 40);  // nothing through the failed spine
    if (l.a == 32) EXPECT_DOUBLE_EQ(a.load, 1.0 / 3.0);  // leaf 0's 3 remaining uplinks share the hop
  }
  for (int s = 40; s < 44; ++s) failed[static_cast<std::size_t>(s)] = 1;
  cache.set_failed(failed);
  EXPECT_FALSE(ring_arc_loads(f, {0, 4}, cache, loads));
  EXPECT_TRUE(ring_arc_loads(f, {0, 1}, cache, loads));  // one leaf: no spine needed
}

// Leaves fail every 5 h (constant) and are repaired after 1 h. At 5 h the 4 leaves fail one event
// after another: the 6-server job packed on leaves 0-1 is interrupted and restarts at once on
// leaves 1-2 (pack: the lowest full leaf, then the lowest leaf holding 2), is interrupted again
// by leaf 1, restarts on leaves 2-3, is interrupted by leaf 2 and then fits nowhere: 3
// interruptions. Over a 10 h horizon each leaf fails once (next at 11 h) and all 16 servers are
// cut off for 1 h: 16 x 8 GPU-hours out of service.
TEST(SwitchFailure, AFailedLeafInterruptsTheJobsOnItsServers) {
  ModelConfig cfg = testing::single_pool_config(16, 8, 0.0, engine::Distribution::constant(48),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 10 * engine::kMicrosPerHour;
  cfg.workloads[0].trace = {TraceArrival{0, 48, 10 * engine::kMicrosPerHour}};
  // A communication profile, so that the job's ring is on the fabric too.
  cfg.workloads[0].comm_gradient_bytes = 1e9;
  cfg.workloads[0].comm_step_s = 1.0;
  FabricSpec spec;
  spec.radix = 8;
  spec.tiers = 2;
  spec.endpoints = 16;
  cfg.halls[0].fabric = std::make_shared<const Fabric>(build_fabric(spec));
  cfg.failures.push_back(FailureClass{"leaf", false, engine::Distribution::constant(5 * 3600.0),
                                      engine::Distribution::constant(3600.0), 1});
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.failures_by_cause.size(), 1u);
  EXPECT_EQ(r.failures_by_cause[0], 4u);
  EXPECT_EQ(r.interruptions_by_cause[0], 3u);
  EXPECT_NEAR(r.server_down_gpu_hours, 16 * 8 * 1.0, 1e-9);
  EXPECT_EQ(r.jobs_completed, 0u);
  ASSERT_EQ(r.hall_min_bisection_gbps.size(), 1u);
  EXPECT_DOUBLE_EQ(r.hall_min_bisection_gbps[0], 0.0);  // every leaf out at once
}

// The radix-4, 3:1 fabric has one spine. It fails at 3 h, 7 h, 11 h, 15 h (3 h after each 1 h
// repair): a profiled 4-server job across two leaves stalls during each repair. 10 h of work:
// 3 + 3 + 3 + 1 h of running between the outages, ending at 13 h.
TEST(SwitchFailure, AJobWhoseRingIsCutStallsUntilTheRepair) {
  ModelConfig cfg = testing::single_pool_config(12, 8, 0.0, engine::Distribution::constant(32),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 2 * engine::kMicrosPerDay;
  cfg.workloads[0].trace = {TraceArrival{0, 32, 10 * engine::kMicrosPerHour}};
  cfg.workloads[0].comm_gradient_bytes = 20e9;
  cfg.workloads[0].comm_step_s = 1.0;
  cfg.halls[0].fabric = std::make_shared<const Fabric>(oversubscribed(12));
  cfg.failures.push_back(FailureClass{"spine", false, engine::Distribution::constant(3 * 3600.0),
                                      engine::Distribution::constant(3600.0), 2});
  cfg.record_jobs = true;
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.jobs.size(), 1u);
  EXPECT_EQ(r.jobs[0].end, 13 * engine::kMicrosPerHour);
  EXPECT_EQ(r.interruptions_by_cause[0], 0u);
  EXPECT_NEAR(r.jobs[0].comm_slowdown, 13.0 / 10.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.hall_min_bisection_gbps[0], 0.0);
}

// Radix 8, 2 tiers, non-blocking, 32 servers: 8 leaves of 4 and 4 spines, each leaf linked once
// to each spine, so the spine tier has 32 links (25,600 Gb/s both ways) and each spine 8 of them.
// One job of 8 servers (leaves 0 and 1) all-reduces over them: its ring crosses the spines twice
// (one hop each way), spread over the spines in service, so it carries 4 x 400 Gb/s x duty on the
// spine tier however many spines are up, and 16 x 400 x duty on the endpoint links. Spines fail
// at 5 h with probability 1/2 each (at 500 h otherwise) and are back at 6 h: in hour 5 the spine
// tier's capacity is that of the 4 - k spines up, so its utilization is 4 / (4 - k) times the
// other hours'; the endpoint tier is not touched.
TEST(SwitchFailure, TierCapacityLosesAFailedSpinesLinksUntilItsRepair) {
  ModelConfig cfg = testing::single_pool_config(32, 8, 0.0, engine::Distribution::constant(64),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 10 * engine::kMicrosPerHour;
  cfg.workloads[0].trace = {TraceArrival{0, 64, 20 * engine::kMicrosPerHour}};
  cfg.workloads[0].comm_gradient_bytes = 20e9;
  cfg.workloads[0].comm_step_s = 1.0;
  FabricSpec spec;
  spec.radix = 8;
  spec.tiers = 2;
  spec.endpoints = 32;
  cfg.halls[0].fabric = std::make_shared<const Fabric>(build_fabric(spec));
  cfg.failures.push_back(FailureClass{"spine", false, engine::Distribution::discrete({5 * 3600.0, 500 * 3600.0}, {0.5, 0.5}),
                                      engine::Distribution::constant(3600.0), 2});
  // The first seed that fails some spines but not all (each seed does so with probability 7/8).
  ModelResults r;
  int k = 0;  // spines out in hour 5
  for (cfg.seed = 1; cfg.seed <= 20 && (k < 1 || k > 3); ++cfg.seed) {
    r = simulate(cfg);
    ASSERT_EQ(r.failures_by_cause.size(), 1u);
    k = static_cast<int>(r.failures_by_cause[0]);
  }
  ASSERT_GE(k, 1);
  ASSERT_LE(k, 3);
  ASSERT_EQ(r.hours.size(), 10u);
  const double t = ring_time(20e9, 8, 400.0);
  const double duty = t / (1.0 + t);
  for (std::size_t h = 0; h < r.hours.size(); ++h) {
    ASSERT_EQ(r.hours[h].hall_fabric_util.size(), 3u);
    const double spine_capacity_gbps = (h == 5 ? 4 - k : 4) * 8 * 2 * 400.0;
    EXPECT_NEAR(r.hours[h].hall_fabric_util[0], 16 * 400 * duty / (32 * 2 * 400.0), 1e-12) << h;
    EXPECT_NEAR(r.hours[h].hall_fabric_util[1], 4 * 400 * duty / spine_capacity_gbps, 1e-12) << h;
  }
}

}  // namespace
}  // namespace dcsim::model
