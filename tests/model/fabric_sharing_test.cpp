// Jobs that share fabric links share their bandwidth max-min fairly (docs/fabric.md, "Link
// sharing"): ring loads, progressive filling, and completions that move when a job leaves.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

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

// A radix-8 two-tier leaf-spine (32 endpoints when full), the small fabric of most tests here.
Fabric leaf_spine_radix8(int endpoints = 0) {
  FabricSpec spec;
  spec.radix = 8;
  spec.tiers = 2;
  if (endpoints > 0) spec.endpoints = endpoints;
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
  const Fabric f = leaf_spine_radix8();
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
  const Fabric f = leaf_spine_radix8();
  RingLoadCache cache;
  std::vector<ArcLoad> loads;
  std::vector<char> failed(f.vertices.size(), 0);
  failed[40] = 1;
  cache.set_failed(failed);
  ASSERT_TRUE(ring_arc_loads(f, {0, 4}, cache, loads));
  for (const ArcLoad& a : loads) {
    const FabricLink& l = f.links[static_cast<std::size_t>(a.arc / 2)];
    EXPECT_NE(l.b, 40);  // nothing through the failed spine
    if (l.a == 32) {
      EXPECT_DOUBLE_EQ(a.load, 1.0 / 3.0);  // leaf 0's 3 remaining uplinks share the hop
    }
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
  cfg.halls[0].fabric = std::make_shared<const Fabric>(leaf_spine_radix8(16));
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
  cfg.halls[0].fabric = std::make_shared<const Fabric>(leaf_spine_radix8(32));
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


// The index of the first link between vertices a < b (parallel links follow it).
int link_between(const Fabric& f, int a, int b) {
  for (std::size_t li = 0; li < f.links.size(); ++li)
    if (f.links[li].a == a && f.links[li].b == b) return static_cast<int>(li);
  return -1;
}

// Radix 8, 2 tiers, non-blocking, 32 endpoints (8 leaves of 4, 4 spines, one link from every
// leaf to every spine): bisection 6400 Gb/s. Without leaf 0's link to spine 0, leaf 0 sends its
// half's traffic over 3 uplinks: 3 x 400 + 3 leaves x 1600 = 6000, exactly one link less. Without
// endpoint 0's own link, 15 endpoints send: 6000 too; both out, leaf 0's 3 endpoints fill its 3
// uplinks: still 6000.
TEST(LinkFailure, AFailedSpineLeafLinkLowersTheBisectionByItsBandwidth) {
  const Fabric f = leaf_spine_radix8();
  ASSERT_EQ(f.endpoints, 32);
  const int leaf0_spine0 = link_between(f, 32, 40);
  ASSERT_GE(leaf0_spine0, 32);
  std::vector<char> links(f.links.size(), 0);
  EXPECT_DOUBLE_EQ(bisection_gbps(f, {}, links), 6400.0);
  links[static_cast<std::size_t>(leaf0_spine0)] = 1;
  EXPECT_DOUBLE_EQ(bisection_gbps(f, {}, links), 6400.0 - 400.0);
  links[0] = 1;
  EXPECT_DOUBLE_EQ(bisection_gbps(f, {}, links), 6000.0);
  links[static_cast<std::size_t>(leaf0_spine0)] = 0;
  EXPECT_DOUBLE_EQ(bisection_gbps(f, {}, links), 6000.0);
  // A switch failure and a link failure together: spine 0 out takes leaf 0's link with it.
  std::vector<char> switches(f.vertices.size(), 0);
  switches[40] = 1;
  links.assign(f.links.size(), 0);
  links[static_cast<std::size_t>(leaf0_spine0)] = 1;
  EXPECT_DOUBLE_EQ(bisection_gbps(f, switches, links), 4800.0);
}

// Radix 8, 2 tiers, 16 endpoints: 4 leaves (vertices 16-19) and 2 spines (20, 21), each leaf
// linked twice to each spine. Ring 0 -> 4 -> 0 crosses from leaf 16 to leaf 17 and back. With one
// of leaf 16's links to spine 20 out, its hop up has 6 shortest paths (1 x 2 through spine 20,
// 2 x 2 through spine 21): each of the 3 links left carries 1/3, the failed one nothing. A
// ring over endpoint 0 is cut when endpoint 0's own link (link 0) is out.
TEST(LinkFailure, RingsShareTheRemainingParallelLinksAndAreCutWithoutTheirOwn) {
  const Fabric f = leaf_spine_radix8(16);
  ASSERT_EQ(f.vertices.size(), 22u);
  const int first = link_between(f, 16, 20);
  ASSERT_GE(first, 16);
  std::vector<char> links(f.links.size(), 0);
  links[static_cast<std::size_t>(first)] = 1;
  RingLoadCache cache;
  cache.set_failed({}, links);
  std::vector<ArcLoad> loads;
  ASSERT_TRUE(ring_arc_loads(f, {0, 4}, cache, loads));
  int up_links = 0;
  for (const ArcLoad& a : loads) {
    const auto li = static_cast<std::size_t>(a.arc / 2);
    EXPECT_NE(static_cast<int>(li), first);  // the failed link carries nothing
    if (f.links[li].a == 16 && a.arc % 2 == 0) {
      EXPECT_DOUBLE_EQ(a.load, 1.0 / 3.0);
      ++up_links;
    }
  }
  EXPECT_EQ(up_links, 3);
  links.assign(f.links.size(), 0);
  links[0] = 1;
  cache.set_failed({}, links);
  EXPECT_FALSE(ring_arc_loads(f, {0, 4}, cache, loads));
  EXPECT_TRUE(loads.empty());
  EXPECT_TRUE(ring_arc_loads(f, {1, 4}, cache, loads));
}

// Radix 8 at 3:1: leaves of 6 endpoints with 2 uplinks each, 12 endpoints on 2 leaves and one
// spine (each leaf linked twice to it). Ring 0, 6, 1, 7, ... alternates leaves: each of its 12
// hops crosses, 6 up from each leaf, 3 per uplink: bus bandwidth 400 / 3 Gb/s. With one of leaf
// 0's uplinks out the other carries all 6: 400 / 6, and the job's speed factor drops with it.
TEST(LinkFailure, ARingOverAFailedUplinkGetsItsLowerShare) {
  FabricSpec spec;
  spec.radix = 8;
  spec.tiers = 2;
  spec.oversubscription = {1, 3};
  spec.endpoints = 12;
  const Fabric f = build_fabric(spec);
  ASSERT_EQ(f.vertices.size(), 15u);
  const std::vector<int> ring = {0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11};
  RingLoadCache cache;
  std::vector<ArcLoad> loads;
  std::vector<int> arc_slot(2 * f.links.size(), -1);
  std::vector<double> capacity(2 * f.links.size(), 400.0);
  std::vector<double> gbps;
  ASSERT_TRUE(ring_arc_loads(f, ring, cache, loads));
  max_min_rates({&loads}, capacity, arc_slot, gbps);
  EXPECT_DOUBLE_EQ(gbps[0], 400.0 / 3.0);
  const double before = comm_speed_factor_at(f, 12, gbps[0], 20e9, 1.0);
  std::vector<char> links(f.links.size(), 0);
  links[static_cast<std::size_t>(link_between(f, 12, 14))] = 1;
  cache.set_failed({}, links);
  ASSERT_TRUE(ring_arc_loads(f, ring, cache, loads));
  max_min_rates({&loads}, capacity, arc_slot, gbps);
  EXPECT_DOUBLE_EQ(gbps[0], 400.0 / 6.0);
  const double after = comm_speed_factor_at(f, 12, gbps[0], 20e9, 1.0);
  EXPECT_DOUBLE_EQ(after, (1.0 + ring_time(20e9, 12, 400.0)) / (1.0 + ring_time(20e9, 12, 400.0 / 6.0)));
  EXPECT_LT(after, before);
}

// One job on all 16 servers of a radix-8 leaf-spine (32 links: 16 endpoint links, 16 between
// leaves and spines). Each link fails at 5 h with probability 1/32 (else at 500 h) and is back 1 h
// later. Over seeds where exactly one link failed: an endpoint link cuts its server off (8
// GPU-hours down) and interrupts the job; a leaf-spine link leaves 3 parallel uplinks and
// interrupts nothing. Both kinds must occur over the seeds tried.
TEST(LinkFailure, AServersOnlyLinkFailingInterruptsItsJob) {
  ModelConfig cfg = testing::single_pool_config(16, 8, 0.0, engine::Distribution::constant(128),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 10 * engine::kMicrosPerHour;
  cfg.workloads[0].trace = {TraceArrival{0, 128, 20 * engine::kMicrosPerHour}};
  cfg.workloads[0].comm_gradient_bytes = 1e9;
  cfg.workloads[0].comm_step_s = 1.0;
  cfg.halls[0].fabric = std::make_shared<const Fabric>(leaf_spine_radix8(16));
  ASSERT_EQ(cfg.halls[0].fabric->links.size(), 32u);
  cfg.failures.push_back(FailureClass{"link", false,
                                      engine::Distribution::discrete({5 * 3600.0, 500 * 3600.0}, {1.0 / 32, 31.0 / 32}),
                                      engine::Distribution::constant(3600.0), 0, 0, true});
  int endpoint_cases = 0, switch_cases = 0;
  for (cfg.seed = 1; cfg.seed <= 60; ++cfg.seed) {
    const ModelResults r = simulate(cfg);
    ASSERT_EQ(r.failures_by_cause.size(), 1u);
    EXPECT_EQ(r.link_failures, r.failures_by_cause[0]);
    EXPECT_NEAR(r.link_down_hours, static_cast<double>(r.link_failures), 1e-9);
    if (r.link_failures != 1) continue;
    ASSERT_EQ(r.hall_min_bisection_gbps.size(), 1u);
    if (r.server_down_gpu_hours > 0.0) {
      EXPECT_NEAR(r.server_down_gpu_hours, 8.0, 1e-9);
      EXPECT_EQ(r.interruptions_by_cause[0], 1u);
      EXPECT_DOUBLE_EQ(r.hall_min_bisection_gbps[0], 3200.0 - 400.0);  // one endpoint of the halves gone
      ++endpoint_cases;
    } else {
      EXPECT_EQ(r.interruptions_by_cause[0], 0u);
      EXPECT_DOUBLE_EQ(r.hall_min_bisection_gbps[0], 3200.0 - 400.0);  // one of a leaf's 4 uplinks
      ++switch_cases;
    }
  }
  EXPECT_GT(endpoint_cases, 0);
  EXPECT_GT(switch_cases, 0);
}

// Every link at once (constant time between failures: 5 h, repair 1 h, 10 h horizon): each of the
// 32 links fails once. The job on all 16 servers is interrupted once (at the first endpoint link)
// and cannot restart until every server is back; each server is out 1 h: 16 x 8 GPU-hours.
TEST(LinkFailure, EveryLinkOutAtOnceCutsEveryServerForTheRepair) {
  ModelConfig cfg = testing::single_pool_config(16, 8, 0.0, engine::Distribution::constant(128),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 10 * engine::kMicrosPerHour;
  cfg.workloads[0].trace = {TraceArrival{0, 128, 20 * engine::kMicrosPerHour}};
  cfg.halls[0].fabric = std::make_shared<const Fabric>(leaf_spine_radix8(16));
  cfg.failures.push_back(FailureClass{"link", false, engine::Distribution::constant(5 * 3600.0),
                                      engine::Distribution::constant(3600.0), 0, 0, true});
  cfg.record_jobs = true;
  const ModelResults r = simulate(cfg);
  EXPECT_EQ(r.failures_by_cause[0], 32u);
  EXPECT_EQ(r.link_failures, 32u);
  EXPECT_NEAR(r.link_down_hours, 32.0, 1e-9);
  EXPECT_EQ(r.interruptions_by_cause[0], 1u);
  EXPECT_NEAR(r.server_down_gpu_hours, 16 * 8 * 1.0, 1e-9);
  EXPECT_DOUBLE_EQ(r.hall_min_bisection_gbps[0], 0.0);
  EXPECT_EQ(r.jobs_completed, 0u);
}

// Link failures over a year: 64 links (radix 8, 32 servers), exponential time between failures
// (mean 30 d) drawn after each 1 d repair. Each link is a delayed renewal process: cycles of mean
// mu = 31 d and standard deviation sigma = 30 d, the first failure after one exponential draw, so
// its expected count is H / mu + E[cycle^2] / (2 mu^2) - 30 d / mu = H / mu + 0.968 - 0.968:
// 64 x 365 / 31 = 753.5 failures, variance 64 H sigma^2 / mu^3 = 705.7 (sd 26.6); within 4 sd.
// Each failure is down 24 h, less for those still out at the end (at most one per link).
TEST(LinkFailure, CountsOverALongRunAreWithinPoissonTolerance) {
  ModelConfig cfg = testing::single_pool_config(32, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = 365 * engine::kMicrosPerDay;
  cfg.halls[0].fabric = std::make_shared<const Fabric>(leaf_spine_radix8(32));
  ASSERT_EQ(cfg.halls[0].fabric->links.size(), 64u);
  cfg.failures.push_back(FailureClass{"link", false, engine::Distribution::exponential(30 * 86400.0),
                                      engine::Distribution::constant(86400.0), 0, 0, true});
  cfg.seed = 7;
  const ModelResults r = simulate(cfg);
  const double mu = 31.0, sigma = 30.0, days = 365.0;
  const double mean = 64 * days / mu;
  const double sd = std::sqrt(64 * days * sigma * sigma / (mu * mu * mu));
  EXPECT_NEAR(static_cast<double>(r.link_failures), mean, 4 * sd);
  EXPECT_EQ(r.failures_by_cause[0], r.link_failures);
  EXPECT_LE(r.link_down_hours, 24.0 * static_cast<double>(r.link_failures) + 1e-6);
  EXPECT_GE(r.link_down_hours, 24.0 * (static_cast<double>(r.link_failures) - 64) - 1e-6);
  EXPECT_LT(r.hall_min_bisection_gbps[0], 6400.0);
}


// The plain progressive filling max_min_rates replaced (every step rescans every arc and every
// rising ring's arcs): the faster one must give bit-identical rates, since completion times and
// so the fingerprints follow from them.
void plain_max_min_rates(const std::vector<const std::vector<ArcLoad>*>& rings, const std::vector<double>& capacity_gbps,
                   std::vector<int>& arc_slot, std::vector<double>& gbps) {
  const std::size_t n = rings.size();
  gbps.assign(n, std::numeric_limits<double>::infinity());
  // The arcs the rings use, each with its capacity left and the load of the rings still rising.
  struct Arc {
    int arc;
    double left;
    double active_load;
  };
  std::vector<Arc> arcs;
  std::size_t most = 0;
  for (const auto* ring : rings) most += ring->size();
  arcs.reserve(most);  // one allocation: rings of large jobs cross tens of thousands of arcs
  for (const auto* ring : rings)
    for (const ArcLoad& a : *ring) {
      int& slot = arc_slot[static_cast<std::size_t>(a.arc)];
      if (slot < 0) {
        slot = static_cast<int>(arcs.size());
        arcs.push_back({a.arc, capacity_gbps[static_cast<std::size_t>(a.arc)], 0.0});
      }
      arcs[static_cast<std::size_t>(slot)].active_load += a.load;
    }
  std::vector<char> active(n, 0);
  std::size_t rising = 0;
  for (std::size_t j = 0; j < n; ++j) {
    active[j] = rings[j]->empty() ? 0 : 1;
    rising += active[j];
    if (active[j]) gbps[j] = 0.0;
  }
  while (rising > 0) {
    // The next arc to fill: the smallest capacity left per unit of rising load.
    double step = std::numeric_limits<double>::infinity();
    for (const Arc& a : arcs)
      if (a.active_load > 1e-12) step = std::min(step, std::max(0.0, a.left) / a.active_load);
    for (std::size_t j = 0; j < n; ++j)
      if (active[j]) gbps[j] += step;
    for (Arc& a : arcs) a.left -= a.active_load * step;
    // Rings over a full arc stop rising (within rounding of the step).
    for (std::size_t j = 0; j < n; ++j) {
      if (!active[j]) continue;
      bool full = false;
      for (const ArcLoad& l : *rings[j]) {
        const Arc& a = arcs[static_cast<std::size_t>(arc_slot[static_cast<std::size_t>(l.arc)])];
        if (a.left <= 1e-9 * capacity_gbps[static_cast<std::size_t>(a.arc)] + 1e-12) {
          full = true;
          break;
        }
      }
      if (!full) continue;
      active[j] = 0;
      --rising;
      for (const ArcLoad& l : *rings[j]) arcs[static_cast<std::size_t>(arc_slot[static_cast<std::size_t>(l.arc)])].active_load -= l.load;
    }
  }
  for (const Arc& a : arcs) arc_slot[static_cast<std::size_t>(a.arc)] = -1;
}

// Random halls of rings (random arcs, loads and capacities, so rings stop at many different
// steps, some on shared arcs, some on arcs of capacity 0, some with no loads): the same bits as
// the plain scheme, and arc_slot all -1 again.
TEST(MaxMinRates, GiveTheSameBitsAsPlainProgressiveFilling) {
  std::mt19937_64 rng(20261129);
  for (int trial = 0; trial < 400; ++trial) {
    const int arcs = 1 + static_cast<int>(rng() % 200);
    const int rings = 1 + static_cast<int>(rng() % 40);
    std::vector<double> capacity(static_cast<std::size_t>(arcs));
    for (double& c : capacity) c = rng() % 17 == 0 ? 0.0 : 100.0 + static_cast<double>(rng() % 700) + 0.25 * static_cast<double>(rng() % 4);
    std::vector<std::vector<ArcLoad>> loads(static_cast<std::size_t>(rings));
    for (auto& ring : loads) {
      const int used = rng() % 11 == 0 ? 0 : 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(std::min(arcs, 30)));
      std::vector<int> picked;
      for (int k = 0; k < used; ++k) picked.push_back(static_cast<int>(rng() % static_cast<std::uint64_t>(arcs)));
      std::sort(picked.begin(), picked.end());
      picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
      for (int a : picked) ring.push_back({a, 1.0 / static_cast<double>(1 + rng() % 7) + static_cast<double>(rng() % 3)});
    }
    std::vector<const std::vector<ArcLoad>*> ptrs;
    for (const auto& ring : loads) ptrs.push_back(&ring);
    std::vector<int> slot(static_cast<std::size_t>(arcs), -1);
    std::vector<double> fast, plain;
    max_min_rates(ptrs, capacity, slot, fast);
    EXPECT_TRUE(std::all_of(slot.begin(), slot.end(), [](int s) { return s == -1; })) << trial;
    plain_max_min_rates(ptrs, capacity, slot, plain);
    ASSERT_EQ(fast.size(), plain.size());
    for (std::size_t j = 0; j < fast.size(); ++j) {
      std::uint64_t a = 0, b = 0;
      std::memcpy(&a, &fast[j], sizeof a);
      std::memcpy(&b, &plain[j], sizeof b);
      EXPECT_EQ(a, b) << "trial " << trial << " ring " << j << ": " << fast[j] << " vs " << plain[j];
    }
  }
}

}  // namespace
}  // namespace dcsim::model
