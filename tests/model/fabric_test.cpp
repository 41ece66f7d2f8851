// Fabric construction against the closed forms for k-ary fat trees, bisection by max-flow with
// and without oversubscription, rail-optimized layout, diameter, ring all-reduce time and the
// bottleneck share of a ring placement.
#include "sim/model/fabric.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace dcsim::model {
namespace {

FabricSpec fat_tree(int radix, int tiers, std::vector<double> oversubscription = {}) {
  FabricSpec s;
  s.topology = FabricSpec::Topology::fat_tree;
  s.radix = radix;
  s.tiers = tiers;
  s.oversubscription = std::move(oversubscription);
  return s;
}

class TwoTierFatTree : public ::testing::TestWithParam<int> {};

TEST_P(TwoTierFatTree, MatchesClosedForms) {
  const int k = GetParam();
  const FabricReport r = describe(build_fabric(fat_tree(k, 2)));
  EXPECT_EQ(r.endpoints, k * k / 2);
  EXPECT_EQ(r.switches_by_tier[0], k);      // leaves
  EXPECT_EQ(r.switches_by_tier[1], k / 2);  // spines
  EXPECT_EQ(r.switches_by_tier[2], 0);
  EXPECT_EQ(r.switches, 3 * k / 2);
  EXPECT_EQ(r.links, k * k);  // k^2/2 endpoint links + k leaves * k/2 uplinks
  EXPECT_DOUBLE_EQ(r.bisection_gbps, r.endpoints / 2 * 400.0);
  EXPECT_EQ(r.diameter_hops, 4);
  EXPECT_DOUBLE_EQ(r.diameter_latency_ns, 4 * 500.0);
}

INSTANTIATE_TEST_SUITE_P(Radix, TwoTierFatTree, ::testing::Values(4, 8, 16, 64));

class ThreeTierFatTree : public ::testing::TestWithParam<int> {};

TEST_P(ThreeTierFatTree, MatchesClosedForms) {
  const int k = GetParam();
  const FabricReport r = describe(build_fabric(fat_tree(k, 3)));
  EXPECT_EQ(r.endpoints, k * k * k / 4);
  EXPECT_EQ(r.switches_by_tier[0], k * k / 2);
  EXPECT_EQ(r.switches_by_tier[1], k * k / 2);
  EXPECT_EQ(r.switches_by_tier[2], k * k / 4);
  EXPECT_EQ(r.switches, 5 * k * k / 4);
  EXPECT_EQ(r.links, 3 * k * k * k / 4);  // endpoint, leaf-agg and agg-core layers, k^3/4 each
  EXPECT_DOUBLE_EQ(r.bisection_gbps, r.endpoints / 2 * 400.0);
  EXPECT_EQ(r.diameter_hops, 6);
}

INSTANTIATE_TEST_SUITE_P(Radix, ThreeTierFatTree, ::testing::Values(4, 8, 16));

TEST(Fabric, ReferenceSizesAtRadix64) {
  EXPECT_EQ(build_fabric(fat_tree(64, 2)).endpoints, 2'048);
  FabricSpec three = fat_tree(64, 3);
  EXPECT_EQ(build_fabric(three).endpoints, 65'536);
}

TEST(Fabric, TopTierOversubscriptionCutsBisectionBySevenInTwoTiers) {
  // Radix 16 at 7:1: 14 down, 2 up per leaf; 16 leaves, 224 endpoints, 2 spines.
  const FabricReport r = describe(build_fabric(fat_tree(16, 2, {1, 7})));
  EXPECT_EQ(r.endpoints, 224);
  EXPECT_EQ(r.switches_by_tier[0], 16);
  EXPECT_EQ(r.switches_by_tier[1], 2);
  const double non_blocking = 224 / 2 * 400.0;
  EXPECT_DOUBLE_EQ(r.bisection_gbps, 8 * 2 * 400.0);  // uplinks of the 8 leaves on one side
  EXPECT_DOUBLE_EQ(r.bisection_gbps, non_blocking / 7);
  EXPECT_EQ(r.diameter_hops, 4);
}

TEST(Fabric, TopTierOversubscriptionCutsBisectionBySevenInThreeTiers) {
  // Radix 8, [1, 1, 7]: leaves 4 down / 4 up; aggregation 7 down / 1 up; 8 pods of 7 leaves.
  const FabricReport r = describe(build_fabric(fat_tree(8, 3, {1, 1, 7})));
  EXPECT_EQ(r.endpoints, 8 * 7 * 4);
  EXPECT_EQ(r.switches_by_tier[0], 56);
  EXPECT_EQ(r.switches_by_tier[1], 32);
  EXPECT_EQ(r.switches_by_tier[2], 4);
  EXPECT_DOUBLE_EQ(r.bisection_gbps, (r.endpoints / 2 * 400.0) / 7);
  EXPECT_EQ(r.diameter_hops, 6);
  // The short form without the endpoint boundary builds the same fabric.
  EXPECT_EQ(describe(build_fabric(fat_tree(8, 3, {1, 7}))).bisection_gbps, r.bisection_gbps);
}

TEST(Fabric, PartialFabricConnectsOnlyWhatIsAsked) {
  FabricSpec s = fat_tree(64, 2);
  s.endpoints = 1'000;
  const FabricReport r = describe(build_fabric(s));
  EXPECT_EQ(r.endpoints, 1'000);
  EXPECT_EQ(r.switches_by_tier[0], 32);  // ceil(1000 / 32)
  EXPECT_EQ(r.switches_by_tier[1], 16);  // 32 leaves * 32 uplinks / 64 ports
  EXPECT_DOUBLE_EQ(r.bisection_gbps, 500 * 400.0);
  EXPECT_EQ(r.diameter_hops, 4);
}

TEST(Fabric, RailOptimizedPutsEachGpuIndexOnItsOwnLeaf) {
  FabricSpec s = fat_tree(16, 2);
  s.topology = FabricSpec::Topology::rail_optimized;
  s.rails = 8;
  const Fabric f = build_fabric(s);
  const FabricReport r = describe(f);
  // 2 groups of 8 servers; each group has 8 rail leaves; 16 leaves * 8 uplinks / 16 = 8 spines.
  EXPECT_EQ(r.endpoints, 128);
  EXPECT_EQ(r.switches_by_tier[0], 16);
  EXPECT_EQ(r.switches_by_tier[1], 8);
  EXPECT_EQ(r.links, 128 + 16 * 8);
  EXPECT_DOUBLE_EQ(r.bisection_gbps, 64 * 400.0);
  EXPECT_EQ(r.diameter_hops, 4);
  // GPU 3 of servers 0..7 share one leaf; GPU 3 and GPU 4 of one server do not.
  for (int server = 1; server < 8; ++server) EXPECT_EQ(f.leaf_of[server * 8 + 3], f.leaf_of[3]);
  EXPECT_NE(f.leaf_of[3], f.leaf_of[4]);
  EXPECT_NE(f.leaf_of[8 * 8 + 3], f.leaf_of[3]);  // server 8 is in the second group
  EXPECT_EQ(f.vertices[static_cast<std::size_t>(f.leaf_of[3])].group, 3);
}

TEST(Fabric, CapexCountsSwitchesAndCablesWithTwoOptics) {
  FabricSpec s = fat_tree(4, 2);
  s.switch_price_usd = 36'000;
  s.optic_price_usd = 1'000;
  s.cable_price_usd = 100;
  const FabricReport r = describe(build_fabric(s));
  EXPECT_EQ(r.cables, 16);
  EXPECT_DOUBLE_EQ(r.capex_usd, 6 * 36'000.0 + 16 * 2'100.0);
  s.links_per_switch_cable = 2;  // twin-port cables between switches
  EXPECT_EQ(describe(build_fabric(s)).cables, 8 + 4);
}

TEST(Fabric, InvalidSpecsAreRejectedWithReasons) {
  FabricSpec s = fat_tree(4, 2);
  s.endpoints = 100;  // more than 4 leaves of 2
  EXPECT_FALSE(validate(s).empty());
  EXPECT_THROW(build_fabric(s), std::invalid_argument);
  EXPECT_FALSE(validate(fat_tree(4, 2, {1, 2, 3})).empty());
  EXPECT_FALSE(validate(fat_tree(4, 2, {2, 1})).empty());
  EXPECT_FALSE(validate(fat_tree(4, 2, {0.5})).empty());
  EXPECT_FALSE(validate(fat_tree(5, 2)).empty());
  EXPECT_FALSE(validate(fat_tree(8, 4)).empty());
  EXPECT_TRUE(validate(fat_tree(8, 3, {1, 1, 7})).empty());
}

TEST(RingAllReduce, MatchesTheFormulaExactly) {
  const double bytes = 1e9, gbps = 400, latency = 5e-6;
  const int n = 8;
  const double expected = 2.0 * (n - 1) * latency + bytes / (gbps * 1e9 / 8) * 2.0 * (n - 1) / n;
  EXPECT_DOUBLE_EQ(ring_allreduce_seconds(bytes, n, gbps, latency), expected);
  EXPECT_NEAR(ring_allreduce_seconds(bytes, n, gbps, latency), 0.03507, 1e-12);
  EXPECT_DOUBLE_EQ(ring_allreduce_seconds(bytes, n, gbps, 0), 0.035);
  EXPECT_DOUBLE_EQ(ring_allreduce_seconds(bytes, 1, gbps, latency), 0);
  // The bandwidth term tends to 2 S / B as the ring grows.
  EXPECT_NEAR(ring_allreduce_seconds(bytes, 1'000'000, gbps, 0), 2 * bytes / 50e9, 1e-6);
}

TEST(Bottleneck, RingUnderOneLeafRunsAtLinkSpeed) {
  const Fabric f = build_fabric(fat_tree(8, 2));
  EXPECT_DOUBLE_EQ(bottleneck_gbps(f, {0, 1, 2, 3}), 400.0);
  EXPECT_EQ(bottleneck_gbps(f, {5}), std::numeric_limits<double>::infinity());
  EXPECT_THROW(bottleneck_gbps(f, {0, 999}), std::out_of_range);
}

TEST(Bottleneck, RingOrderDecidesHowOftenItCrossesOversubscribedUplinks) {
  // Radix 8 at 3:1: 6 endpoints and 2 uplinks per leaf; endpoints 0-5 on leaf 0, 6-11 on leaf 1.
  const Fabric f = build_fabric(fat_tree(8, 2, {3}));
  // In leaf order the ring leaves each leaf once: the endpoint links are the bottleneck.
  EXPECT_DOUBLE_EQ(bottleneck_gbps(f, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), 400.0);
  // Alternating leaves, 6 hops leave leaf 0 over 2 uplinks: 3 flows per uplink.
  EXPECT_NEAR(bottleneck_gbps(f, {0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11}), 400.0 / 3, 1e-9);
}

TEST(Bottleneck, RailRingAcrossOneServersGpusCrossesTheSpines) {
  FabricSpec s = fat_tree(16, 2);
  s.topology = FabricSpec::Topology::rail_optimized;
  const Fabric f = build_fabric(s);
  // The 8 GPUs of server 0 sit on 8 different rail leaves; each hop spreads over 8 uplinks.
  EXPECT_DOUBLE_EQ(bottleneck_gbps(f, {0, 1, 2, 3, 4, 5, 6, 7}), 400.0);
  // GPU 0 of 8 servers share one rail leaf: no switch hop beyond it.
  EXPECT_DOUBLE_EQ(bottleneck_gbps(f, {0, 8, 16, 24, 32, 40, 48, 56}), 400.0);
}

TEST(Fabric, MaxEndpointsIsTheClosedFormOfTheRadixTiersAndRatio) {
  // Non-blocking: k^2/2 at 2 tiers, k^3/4 at 3; at R:1 on top of 2 tiers a leaf has
  // round(kR/(R+1)) downlinks and there are k leaves.
  EXPECT_EQ(max_endpoints(fat_tree(8, 2)), 8 * 8 / 2);
  EXPECT_EQ(max_endpoints(fat_tree(8, 3)), 8 * 8 * 8 / 4);
  FabricSpec s = fat_tree(8, 2);
  s.oversubscription = {1, 3};
  EXPECT_EQ(max_endpoints(s), 8 * 6);
  s.endpoints = 5;  // ignored
  EXPECT_EQ(max_endpoints(s), 8 * 6);
}

TEST(Fabric, CapexWithoutTheGraphSearchesEqualsDescribe) {
  FabricSpec s = fat_tree(8, 3);
  s.endpoints = 100;
  s.links_per_switch_cable = 2;
  const Fabric f = build_fabric(s);
  EXPECT_DOUBLE_EQ(fabric_capex_usd(f), describe(f).capex_usd);
}

}  // namespace
}  // namespace dcsim::model
