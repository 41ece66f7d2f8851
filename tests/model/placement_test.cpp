// Topology-aware placement (docs/fabric.md, "Placement"): pack keeps a job under few leaves and
// inside one pod, spread deals it over as many leaves as it can; switches spanned by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "model_test_support.h"
#include "sim/model/cluster.h"
#include "sim/model/fabric.h"
#include "sim/model/placement.h"

namespace dcsim::model {
namespace {

// Radix 8, 2 tiers, non-blocking: 4 endpoints per leaf; 16 servers make leaves 0-3.
Fabric radix8_fabric() {
  FabricSpec spec;
  spec.radix = 8;
  spec.tiers = 2;
  spec.endpoints = 16;
  return build_fabric(spec);
}

std::vector<FreeServer> free_servers(const Fabric& f, const std::vector<int>& positions) {
  std::vector<FreeServer> free;
  for (int p : positions) {
    const int leaf = f.leaf_of[static_cast<std::size_t>(p)] - f.endpoints;  // leaves are numbered after the endpoints
    free.push_back({static_cast<std::uint32_t>(p), leaf, f.spec.tiers == 3 ? f.vertices[static_cast<std::size_t>(f.leaf_of[static_cast<std::size_t>(p)])].group : 0, p});
  }
  return free;
}

int leaves_under(const Fabric& f, const std::vector<std::uint32_t>& servers) {
  std::set<int> leaves;
  for (std::uint32_t s : servers) leaves.insert(f.leaf_of[s]);
  return static_cast<int>(leaves.size());
}

TEST(Placement, OnAnEmptyHallPackFillsTwoLeavesAndSpreadAllFour) {
  const Fabric f = radix8_fabric();
  std::vector<int> all(16);
  for (int i = 0; i < 16; ++i) all[static_cast<std::size_t>(i)] = i;
  std::vector<std::uint32_t> out;
  auto free = free_servers(f, all);
  // 6 servers: a full leaf of 4, then 2 on the lowest other leaf.
  place_on_fabric(PlacementPolicy::pack, free, 6, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(leaves_under(f, out), 2);
  // Round-robin: 2, 2, 1, 1 servers on leaves 0..3, written leaf by leaf.
  free = free_servers(f, all);
  place_on_fabric(PlacementPolicy::spread, free, 6, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 1, 4, 5, 8, 12}));
  EXPECT_EQ(leaves_under(f, out), 4);
}

TEST(Placement, PackTakesTheFullestLeafThenTheSmallestThatHoldsTheRest) {
  const Fabric f = radix8_fabric();
  // Free: leaf 0 has 3 (0-2), leaf 1 has 1 (5), leaf 2 has 4 (8-11), leaf 3 has 2 (12, 13).
  const std::vector<int> positions{0, 1, 2, 5, 8, 9, 10, 11, 12, 13};
  std::vector<std::uint32_t> out;
  auto free = free_servers(f, positions);
  place_on_fabric(PlacementPolicy::pack, free, 5, out);  // leaf 2 (4) + leaf 1 (the 1 left)
  EXPECT_EQ(out, (std::vector<std::uint32_t>{5, 8, 9, 10, 11}));
  free = free_servers(f, positions);
  place_on_fabric(PlacementPolicy::pack, free, 2, out);  // the smallest leaf holding 2: leaf 3
  EXPECT_EQ(out, (std::vector<std::uint32_t>{12, 13}));
  free = free_servers(f, positions);
  place_on_fabric(PlacementPolicy::spread, free, 5, out);  // one from each leaf, then leaf 0 again
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 1, 5, 8, 12}));
  EXPECT_EQ(leaves_under(f, out), 4);
}

TEST(Placement, PackStaysInsideOnePodWhenOneHoldsTheJob) {
  // Radix 4, 3 tiers: 2 endpoints per leaf, 2 leaves per pod; 16 endpoints, 8 leaves, 4 pods.
  FabricSpec spec;
  spec.radix = 4;
  spec.tiers = 3;
  spec.endpoints = 16;
  const Fabric f = build_fabric(spec);
  // Free: leaf 0 (pod 0) both servers; leaf 2 one (5), leaf 3 both (6, 7), in pod 1.
  // A fabric-blind greedy takes leaf 0 and then one more leaf in another pod; pack takes pod 1.
  std::vector<std::uint32_t> out;
  auto free = free_servers(f, {0, 1, 5, 6, 7});
  place_on_fabric(PlacementPolicy::pack, free, 3, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{5, 6, 7}));
  EXPECT_EQ(leaves_under(f, out), 2);
}

// In a run: one job of 6 whole servers (48 GPUs) on the empty 16-server hall records the leaves
// computed above: 2 when packed, 4 when spread.
TEST(Placement, SwitchesSpannedInARunFollowTheHallPolicy) {
  for (bool spread : {false, true}) {
    ModelConfig cfg = testing::single_pool_config(16, 8, 0.0, engine::Distribution::constant(48),
                                                  engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
    cfg.horizon = engine::kMicrosPerDay;
    cfg.workloads[0].trace = {TraceArrival{0, 48, engine::kMicrosPerHour}};
    cfg.halls[0].fabric = std::make_shared<const Fabric>(radix8_fabric());
    cfg.halls[0].fabric_spread = spread;
    cfg.record_jobs = true;
    const ModelResults r = simulate(cfg);
    ASSERT_EQ(r.jobs.size(), 1u);
    EXPECT_EQ(r.jobs[0].switches_spanned, spread ? 4 : 2);
  }
}


// In a run: on a hall of two leaves (servers 0-3 and 4-7), a job of 2 servers and then one of 4,
// neither with a communication profile. Pack puts the first on leaf 0 (servers 0, 1) and the
// second on the leaf that holds it whole (4-7): one leaf each. Spread deals the first over both
// leaves (0, 4) and the second too (1, 2, 5, 6). (The cluster's own best fit would have taken 6, 7
// and then 2-5, under two leaves.)
TEST(Placement, PackKeepsJobsWithoutACommunicationProfileUnderFewLeaves) {
  for (bool spread : {false, true}) {
    ModelConfig cfg = testing::single_pool_config(8, 8, 0.0, engine::Distribution::constant(16),
                                                  engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
    cfg.horizon = engine::kMicrosPerDay;
    cfg.workloads[0].trace = {TraceArrival{0, 16, 10 * engine::kMicrosPerHour},
                              TraceArrival{engine::kMicrosPerHour, 32, engine::kMicrosPerHour}};
    FabricSpec spec;
    spec.radix = 8;
    spec.tiers = 2;
    spec.endpoints = 8;
    cfg.halls[0].fabric = std::make_shared<const Fabric>(build_fabric(spec));
    cfg.halls[0].fabric_spread = spread;
    cfg.record_jobs = true;
    ASSERT_EQ(cfg.workloads[0].comm_gradient_bytes, 0.0);
    const ModelResults r = simulate(cfg);
    ASSERT_EQ(r.jobs.size(), 2u);
    EXPECT_EQ(r.jobs[0].switches_spanned, spread ? 2 : 1);
    EXPECT_EQ(r.jobs[1].switches_spanned, spread ? 2 : 1);
    EXPECT_EQ(r.jobs[1].start, engine::kMicrosPerHour);  // it did not wait: 6 servers were free
  }
}

// The index the simulation places from, kept by the cluster: two leaves of four 8-GPU servers
// (0-3, 4-7); server ids checked by hand as servers are taken, given back and fail.
TEST(LeafFreeIndex, FollowsTheClustersWholeFreeServers) {
  Cluster cluster;
  const PoolId pool = cluster.add_servers(0, 0, 0, 8, 8);
  LeafFreeIndex index;
  std::vector<LeafFreeIndex::Entry> entries;
  for (std::uint32_t s = 0; s < 8; ++s) entries.push_back({s, pool, static_cast<int>(s / 4), 0, static_cast<int>(s)});
  index.build(entries, cluster.server_count());
  cluster.watch_whole_free(&index);
  EXPECT_EQ(index.free_count(pool), 8);
  std::vector<std::uint32_t> out;
  using V = std::vector<std::uint32_t>;
  const Placement first{pool, 8, {0, 1}};
  cluster.commit(first);  // leaf 0: 2, 3 free; leaf 1: 4-7
  index.place(PlacementPolicy::pack, pool, 4, out);
  EXPECT_EQ(out, (V{4, 5, 6, 7}));
  index.place(PlacementPolicy::spread, pool, 4, out);
  EXPECT_EQ(out, (V{2, 3, 4, 5}));
  const Placement part{pool, 4, {4}};  // half of server 4: no longer wholly free
  cluster.commit(part);
  EXPECT_EQ(index.free_count(pool), 5);
  index.place(PlacementPolicy::pack, pool, 3, out);  // leaf 1 holds 3 (5-7)
  EXPECT_EQ(out, (V{5, 6, 7}));
  index.place(PlacementPolicy::pack, pool, 2, out);  // the smallest leaf that holds 2: leaf 0
  EXPECT_EQ(out, (V{2, 3}));
  cluster.set_down(6);  // leaves of 2 (2, 3) and 2 (5, 7): the lower first, then 1 from leaf 1
  index.place(PlacementPolicy::pack, pool, 3, out);
  EXPECT_EQ(out, (V{2, 3, 5}));
  cluster.set_up(6);
  cluster.release(part);
  index.place(PlacementPolicy::pack, pool, 4, out);
  EXPECT_EQ(out, (V{4, 5, 6, 7}));
  cluster.release(first);
  EXPECT_EQ(index.free_count(pool), 8);
  index.place(PlacementPolicy::pack, pool, 5, out);
  EXPECT_EQ(out, (V{0, 1, 2, 3, 4}));
  cluster.watch_whole_free(nullptr);
}

// The index gives exactly what place_on_fabric gives over the same free servers, for both
// policies, on 2- and 3-tier fabrics with two pools sharing leaves, as servers come and go.
TEST(LeafFreeIndex, GivesWhatPlaceOnFabricGivesOverTheSameFreeServers) {
  for (int tiers : {2, 3}) {
    FabricSpec spec;
    spec.radix = 8;
    spec.tiers = tiers;
    spec.endpoints = tiers == 2 ? 32 : 128;
    const Fabric f = build_fabric(spec);
    auto set_of = [](std::uint32_t s) { return (s / 6) % 2; };  // pools of 6 servers, alternating
    std::vector<LeafFreeIndex::Entry> entries;
    for (std::uint32_t s = 0; s < static_cast<std::uint32_t>(f.endpoints); ++s) {
      const int leaf = f.leaf_of[s];
      entries.push_back({s, set_of(s), leaf, tiers == 3 ? f.vertices[static_cast<std::size_t>(leaf)].group : 0, static_cast<int>(s)});
    }
    LeafFreeIndex index;
    index.build(entries, static_cast<std::size_t>(f.endpoints));
    std::mt19937 rng(20260401u + static_cast<unsigned>(tiers));
    std::vector<char> free(static_cast<std::size_t>(f.endpoints), 0);
    std::vector<std::uint32_t> got;
    std::vector<std::uint32_t> want;
    int compared = 0;
    for (int step = 0; step < 3000; ++step) {
      const auto s = static_cast<std::uint32_t>(rng() % static_cast<unsigned>(f.endpoints));
      free[s] = !free[s];
      index.set_free(s, free[s] != 0);
      const std::uint32_t set = rng() % 2;
      std::vector<FreeServer> reference;
      for (const LeafFreeIndex::Entry& e : entries)
        if (free[e.server] && e.set == set) reference.push_back({e.server, e.leaf, e.pod, e.position});
      ASSERT_EQ(index.free_count(set), static_cast<int>(reference.size()));
      if (reference.empty()) continue;
      const int count = 1 + static_cast<int>(rng() % reference.size());
      const PlacementPolicy policy = rng() % 2 ? PlacementPolicy::spread : PlacementPolicy::pack;
      index.place(policy, set, count, got);
      place_on_fabric(policy, reference, count, want);
      ASSERT_EQ(got, want) << "tiers " << tiers << ", step " << step << ", count " << count;
      index.place(policy, set, count, got);  // again, unchanged: from the memo
      ASSERT_EQ(got, want) << "memo, tiers " << tiers << ", step " << step;
      ++compared;
    }
    EXPECT_GT(compared, 2000);
  }
}

}  // namespace
}  // namespace dcsim::model
