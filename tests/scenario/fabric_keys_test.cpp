// Fabric keys on a hall: they load into FabricSpec with bandwidth and latency units, print back the
// same in the resolved view, and bad values point at the value with what was expected.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.h"

namespace dcsim::scenario {
namespace {

std::string with_fabric(const std::string& fabric) {
  return "name: t\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n    halls:\n      - name: h\n"
         "        fabric: " + fabric + "\n        racks: [{count: 4, server: dgx-h100}]\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n";
}

std::vector<std::string> codes(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(d.code);
  return out;
}

TEST(FabricKeys, LoadEveryKeyWithUnits) {
  const LoadResult r = load_scenario_text(
      with_fabric("{topology: rail-optimized, radix: 32, tiers: 3, oversubscription: '7:1', link_bandwidth: 50 GB/s, "
                  "link_latency: 1.5 us, switch_price: 20000 USD, optic_price: 800 USD, cable_price: 100 USD, "
                  "placement: spread}"),
      "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const auto& f = r.scenario->sites[0].halls[0].fabric;
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->topology, "rail-optimized");
  EXPECT_EQ(f->radix, 32);
  EXPECT_EQ(f->tiers, 3);
  EXPECT_DOUBLE_EQ(f->oversubscription, 7.0);
  EXPECT_DOUBLE_EQ(f->link_gbps, 400.0);  // 50 GB/s x 8 bits
  EXPECT_DOUBLE_EQ(f->link_latency_ns, 1500.0);
  EXPECT_DOUBLE_EQ(f->switch_price_usd, 20000.0);
  EXPECT_DOUBLE_EQ(f->optic_price_usd, 800.0);
  EXPECT_DOUBLE_EQ(f->cable_price_usd, 100.0);
  EXPECT_EQ(f->placement, "spread");
}

TEST(FabricKeys, DefaultsAreANonBlockingTwoTierFatTree) {
  const LoadResult r = load_scenario_text(with_fabric("{}"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const auto& f = r.scenario->sites[0].halls[0].fabric;
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->topology, "fat-tree");
  EXPECT_EQ(f->radix, 64);
  EXPECT_EQ(f->tiers, 2);
  EXPECT_DOUBLE_EQ(f->oversubscription, 1.0);
  EXPECT_DOUBLE_EQ(f->link_gbps, 400.0);
  EXPECT_DOUBLE_EQ(f->link_latency_ns, 500.0);
  EXPECT_EQ(f->placement, "pack");
  std::string without = with_fabric("{}");
  const std::string line = "        fabric: {}\n";
  without.erase(without.find(line), line.size());
  const LoadResult none = load_scenario_text(without, "t.yaml");
  ASSERT_TRUE(none.ok()) << format_diagnostic(none.diagnostics[0]);
  EXPECT_FALSE(none.scenario->sites[0].halls[0].fabric.has_value());
}

TEST(FabricKeys, ResolvedViewPrintsEveryKeyAndLoadsBackTheSame) {
  const LoadResult r = load_scenario_text(
      with_fabric("{radix: 16, oversubscription: '3:1', link_bandwidth: 1.6 Tb/s, link_latency: 1 us}"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const std::string resolved = to_resolved_yaml(*r.scenario);
  EXPECT_NE(resolved.find("        fabric:\n          topology: fat-tree\n          radix: 16\n          tiers: 2\n"
                          "          oversubscription: '3:1'\n          link_bandwidth: 1.6 Tb/s\n"
                          "          link_latency: 1 us\n          switch_price: 36000 USD\n"
                          "          optic_price: 1000 USD\n          cable_price: 150 USD\n          placement: pack\n"),
            std::string::npos)
      << resolved;
  const LoadResult back = load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(back.ok()) << resolved;
  EXPECT_EQ(to_resolved_yaml(*back.scenario), resolved);
}

TEST(FabricKeys, BadValuesAreReportedAtTheValue) {
  EXPECT_EQ(codes(load_scenario_text(with_fabric("{oversubscription: '1:4'}"), "t.yaml")), std::vector<std::string>{"S112"});
  EXPECT_EQ(codes(load_scenario_text(with_fabric("{oversubscription: 'four'}"), "t.yaml")), std::vector<std::string>{"S112"});
  EXPECT_EQ(codes(load_scenario_text(with_fabric("{tiers: 4}"), "t.yaml")), std::vector<std::string>{"S112"});
  EXPECT_EQ(codes(load_scenario_text(with_fabric("{radix: 63}"), "t.yaml")), std::vector<std::string>{"S112"});
  EXPECT_EQ(codes(load_scenario_text(with_fabric("{topology: torus}"), "t.yaml")), std::vector<std::string>{"S116"});
  EXPECT_EQ(codes(load_scenario_text(with_fabric("{link_bandwidth: 400 W}"), "t.yaml")), std::vector<std::string>{"S111"});
  EXPECT_EQ(codes(load_scenario_text(with_fabric("{link_bandwidth: 400}"), "t.yaml")), std::vector<std::string>{"S110"});
  EXPECT_EQ(codes(load_scenario_text(with_fabric("{topolgy: fat-tree}"), "t.yaml")), std::vector<std::string>{"S104"});
  const LoadResult r = load_scenario_text(with_fabric("{oversubscription: '1:4'}"), "t.yaml");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].pos.line, 8);
  EXPECT_EQ(r.diagnostics[0].pos.column, 36);  // the opening quote of the value
}

}  // namespace
}  // namespace dcsim::scenario
