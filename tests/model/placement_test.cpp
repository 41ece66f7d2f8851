// Topology-aware placement (docs/fabric.md, "Placement"): pack keeps a job under few leaves and
// inside one pod, spread deals it over as many leaves as it can; switches spanned by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "model_test_support.h"
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

}  // namespace
}  // namespace dcsim::model
