// A hall's `fabric:` in a run: the builder sizes one fabric per hall to its servers (or GPUs),
// refuses a hall too big for the radix and tiers, and leaves halls without one alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "reports/reconcile.h"
#include "reports/results_folder.h"
#include "sim/run/build.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/run_text.h"
#include "tests/support/scratch_dir.h"

namespace dcsim {
namespace {

std::string scenario(const std::string& fabric, int racks, const std::string& server = "dgx-h100") {
  return "name: t\nstart: 2026-01-01\nhorizon: 10 d\nsites:\n  - name: s\n    halls:\n      - name: h\n" +
         (fabric.empty() ? std::string() : "        fabric: " + fabric + "\n") +
         "        racks:\n          - count: " + std::to_string(racks) + "\n            server: " + server +
         "\n            servers_per_rack: 2\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 10 /day}\n    gpus: 8\n    duration: 2 h\n";
}

using test_support::run_text;

run::BuildResult build(const std::string& text) {
  scenario::LoadResult loaded = scenario::load_scenario_text(text, "t.yaml");
  EXPECT_TRUE(loaded.ok()) << (loaded.diagnostics.empty() ? "" : scenario::format_diagnostic(loaded.diagnostics[0]));
  if (!loaded.ok()) return {};
  return run::build_model(*loaded.scenario);
}

TEST(FabricBuild, FatTreeHasOneEndpointPerServerOfTheHall) {
  const run::BuildResult r = build(scenario("{radix: 8, tiers: 2}", 10));  // 20 servers
  ASSERT_TRUE(r.config.has_value());
  const auto& fabric = r.config->halls[0].fabric;
  ASSERT_NE(fabric, nullptr);
  EXPECT_EQ(fabric->endpoints, 20);
  // Radix 8 non-blocking: 4 servers per leaf, so 5 leaves, each with 4 uplinks: ceil(20 / 8) = 3 spines.
  const model::FabricReport rep = model::describe(*fabric);
  EXPECT_EQ(rep.switches_by_tier[0], 5);
  EXPECT_EQ(rep.switches_by_tier[1], 3);
  EXPECT_FALSE(r.config->halls[0].fabric_spread);
}

TEST(FabricBuild, RailOptimizedHasOneEndpointPerGpu) {
  const run::BuildResult r = build(scenario("{topology: rail-optimized, radix: 16, placement: spread}", 2));
  ASSERT_TRUE(r.config.has_value());
  const auto& fabric = r.config->halls[0].fabric;
  ASSERT_NE(fabric, nullptr);
  EXPECT_EQ(fabric->endpoints, 4 * 8);  // 4 DGX H100 of 8 GPUs
  EXPECT_EQ(fabric->spec.rails, 8);
  EXPECT_TRUE(r.config->halls[0].fabric_spread);
}

TEST(FabricBuild, NoFabricKeyBuildsNoFabric) {
  const run::BuildResult r = build(scenario("", 2));
  ASSERT_TRUE(r.config.has_value());
  EXPECT_EQ(r.config->halls[0].fabric, nullptr);
}

TEST(FabricBuild, HallTooBigForTheFabricNamesTheLargestThatFits) {
  // Radix 8, 2 tiers: k^2/2 = 32 servers non-blocking; at 3:1 a leaf has 6 down, 2 up: 8 x 6 = 48.
  run::BuildResult r = build(scenario("{radix: 8, tiers: 2}", 17));  // 34 servers
  ASSERT_FALSE(r.config.has_value());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, "S210");
  EXPECT_NE(r.diagnostics[0].message.find("34 servers"), std::string::npos) << r.diagnostics[0].message;
  EXPECT_NE(r.diagnostics[0].message.find("at most 32 servers"), std::string::npos) << r.diagnostics[0].message;
  r = build(scenario("{radix: 8, tiers: 2, oversubscription: '3:1'}", 25));  // 50 servers
  ASSERT_FALSE(r.config.has_value());
  EXPECT_NE(r.diagnostics[0].message.find("at most 48 servers"), std::string::npos) << r.diagnostics[0].message;
  // Radix 8, 3 tiers: k^3/4 = 128 servers.
  r = build(scenario("{radix: 8, tiers: 3}", 65));  // 130 servers
  ASSERT_FALSE(r.config.has_value());
  EXPECT_NE(r.diagnostics[0].message.find("at most 128 servers"), std::string::npos) << r.diagnostics[0].message;
  EXPECT_TRUE(build(scenario("{radix: 8, tiers: 3}", 64)).config.has_value());
}

// 365 days of a hall of 32 free servers on a full radix-8 2-tier fat tree: 12 switches and 64
// cables at the default prices are 12 x 36,000 + 64 x (2 x 1,000 + 150) = 569,600 USD of capex,
// depreciated straight-line over 5 years: one fifth in the first 365 days.
TEST(FabricMoney, NetworkCapexIsDepreciatedOverFiveYearsAndReconciles) {
  std::string text = "name: net\nstart: 2026-01-01\nhorizon: 365 d\n"
                     "catalog:\n  servers: [{name: free, gpu: h100-sxm, gpus: 8, price: 0 USD}]\n"
                     "sites:\n  - name: s\n    halls:\n      - name: h\n        fabric: {radix: 8}\n"
                     "        racks: [{count: 32, server: free}]\n"
                     "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 2 /day}\n    gpus: 8\n"
                     "    duration: 3 h\n";
  std::string resolved;
  const run::RunResult r = run_text(text, false, &resolved);
  ASSERT_TRUE(r.ok());
  const double capex_usd = 12 * 36000.0 + 64 * (2 * 1000.0 + 150.0);
  EXPECT_DOUBLE_EQ(r.capex_usd, capex_usd);  // the servers are free
  std::int64_t network = 0;
  int months = 0;
  for (const auto& c : r.monthly_costs) {
    if (c.category != "depreciation") continue;
    EXPECT_EQ(c.subcategory, "network");
    EXPECT_EQ(c.hall, "h");
    network += c.cents;
    ++months;
  }
  EXPECT_EQ(months, 12);
  EXPECT_NEAR(static_cast<double>(network), capex_usd / 5.0 * 100.0, 12.0);  // a cent per month of rounding
  EXPECT_NEAR(r.residual_value_usd, capex_usd * 4.0 / 5.0, 1e-6);

  const test_support::ScratchDir dir;
  ASSERT_TRUE(reports::write_results_folder(reports::render_results(r, resolved), dir / "out", false).ok);
  const reports::ReconcileOutcome rec = reports::reconcile_results_folder(dir / "out");
  EXPECT_TRUE(rec.ok()) << rec.error;
  for (const auto& line : rec.lines) EXPECT_TRUE(line.ok()) << line.report << " vs " << line.against;
}

// Two halls, one on a radix-8 2-tier fat tree of 16 servers (4 leaves of 4, 2 spines, each leaf
// linked twice to each): bisection 8 x 400 = 3200 Gb/s. Both spines fail at 5 d (constant time
// between failures), leaving no path between leaves: summary.json's fabric entry gives
// min_bisection_gbps 0 next to bisection_gbps 3200. timeseries.csv has the fabric hall's leaf
// and spine utilization (no core tier), and nothing for the hall without a fabric.
TEST(FabricOutputs, SummaryGivesTheLowestBisectionAndTimeseriesTheTierUtilization) {
  const std::string text =
      "name: t\nstart: 2026-01-01\nhorizon: 10 d\nsites:\n  - name: s\n    halls:\n"
      "      - name: h\n        fabric: {radix: 8, tiers: 2}\n        racks: [{count: 8, server: dgx-h100, servers_per_rack: 2}]\n"
      "      - name: plain\n        racks: [{count: 2, server: dgx-h100, servers_per_rack: 2}]\n"
      "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 10 /day}\n    gpus: 32\n    duration: 6 h\n"
      "    communication: {gradient_size: 10 GB, step_time: 1 s}\n"
      "failures:\n  - name: spine\n    per: spine_switch\n    time_between: 5 d\n    repair: 1 d\n";
  std::string resolved;
  const run::RunResult r = run_text(text, false, &resolved);
  ASSERT_TRUE(r.ok());
  const reports::ResultsFiles files = reports::render_results(r, resolved);
  EXPECT_NE(files.summary_json.find("\"hall\": \"h\", \"bisection_gbps\": 3200, \"min_bisection_gbps\": 0}"), std::string::npos)
      << files.summary_json;
  const std::string header = files.timeseries_csv.substr(0, files.timeseries_csv.find('\n'));
  EXPECT_NE(header.find(",s/h:fabric_leaf_util,s/h:fabric_spine_util"), std::string::npos) << header;
  EXPECT_EQ(header.find("fabric_core_util"), std::string::npos) << header;
  EXPECT_EQ(header.find("plain:fabric"), std::string::npos) << header;
  // Some hour carries traffic, and no tier is ever over its capacity.
  ASSERT_FALSE(r.model.hours.empty());
  double most = 0.0;
  for (const model::IntervalRow& row : r.model.hours) {
    ASSERT_EQ(row.hall_fabric_util.size(), 6u);
    for (double u : row.hall_fabric_util) {
      EXPECT_GE(u, 0.0);
      EXPECT_LE(u, 1.0 + 1e-12);
      most = std::max(most, u);
    }
    EXPECT_EQ(row.hall_fabric_util[3] + row.hall_fabric_util[4] + row.hall_fabric_util[5], 0.0);  // no fabric
  }
  EXPECT_GT(most, 0.0);
}

TEST(FabricOutputs, ScenariosWithoutAFabricGetNoFabricColumnsOrFields) {
  std::string resolved;
  const run::RunResult r = run_text(scenario("", 2), false, &resolved);
  ASSERT_TRUE(r.ok());
  const reports::ResultsFiles files = reports::render_results(r, resolved);
  EXPECT_EQ(files.timeseries_csv.find("fabric"), std::string::npos);
  EXPECT_EQ(files.summary_json.find("bisection"), std::string::npos);
  EXPECT_TRUE(r.model.hours.front().hall_fabric_util.empty());
}

// S211: switch failures where no hall has a fabric would fail nothing.
TEST(FabricBuild, SwitchFailuresWithoutAnyFabricAreRefused) {
  const run::BuildResult r = build(scenario("", 2) +
                                   "failures:\n  - name: leaf\n    per: leaf_switch\n    time_between: 30 d\n    repair: 4 h\n");
  ASSERT_FALSE(r.config.has_value());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, "S211");
  EXPECT_NE(r.diagnostics[0].message.find("no hall has a fabric"), std::string::npos) << r.diagnostics[0].message;
  EXPECT_TRUE(build(scenario("{radix: 8, tiers: 2}", 2) +
                    "failures:\n  - name: leaf\n    per: leaf_switch\n    time_between: 30 d\n    repair: 4 h\n")
                  .config.has_value());
}


// per: link from the scenario: 16 servers on a radix-8 leaf-spine have 32 links (16 endpoint
// links, 16 leaf-to-spine); each fails at 5 d (constant time between failures) and is back 1 d
// later, the next failure at 11 d is past the 10 d horizon: 32 failures, 32 x 24 link-hours.
// The resolved scenario keeps `per: link`; summary.json gets both counts.
TEST(LinkFailure, ScenarioLinkFailuresReachTheSummary) {
  const std::string text =
      scenario("{radix: 8, tiers: 2}", 8) + "failures:\n  - name: cable\n    per: link\n    time_between: 5 d\n    repair: 1 d\n";
  std::string resolved;
  const run::RunResult r = run_text(text, false, &resolved);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(resolved.find("per: link\n"), std::string::npos) << resolved;
  EXPECT_EQ(r.model.link_failures, 32u);
  EXPECT_NEAR(r.model.link_down_hours, 32 * 24.0, 1e-9);
  const reports::ResultsFiles files = reports::render_results(r, resolved);
  EXPECT_NE(files.summary_json.find("\"link_failures\": 32,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.summary_json.find("\"link_down_hours\": 768,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.summary_json.find("\"min_bisection_gbps\": 0}"), std::string::npos) << files.summary_json;
  // Without per: link the fields are absent.
  const run::RunResult plain = run_text(scenario("{radix: 8, tiers: 2}", 8), false, &resolved);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(reports::render_results(plain, resolved).summary_json.find("link_failures"), std::string::npos);
}

// S211 for per: link too: without a fabric it would fail nothing.
TEST(LinkFailure, LinkFailuresWithoutAnyFabricAreRefused) {
  const run::BuildResult r =
      build(scenario("", 2) + "failures:\n  - name: cable\n    per: link\n    time_between: 30 d\n    repair: 4 h\n");
  ASSERT_FALSE(r.config.has_value());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, "S211");
  EXPECT_NE(r.diagnostics[0].message.find("failure 'cable' is per link, but no hall has a fabric"), std::string::npos)
      << r.diagnostics[0].message;
}

}  // namespace
}  // namespace dcsim
