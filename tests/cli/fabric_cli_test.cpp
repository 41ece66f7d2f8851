// `dcsim fabric SCENARIO`: per hall, switch counts by tier, links, cables, bisection, diameter and
// capex, checked against the closed forms of the k-ary fat tree at k = 8.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli/cli_test_support.h"

namespace fs = std::filesystem;

namespace {

using dcsim::cli_test::Outcome;
using dcsim::cli_test::dcsim;

// Hall "two": a full non-blocking 2-tier radix-8 fat tree (k^2/2 = 32 servers); hall "three": a
// full 3-tier one (k^3/4 = 128 servers); hall "none": no fabric.
fs::path write_scenario() {
  const fs::path p = fs::temp_directory_path() / ("dcsim-fabric-cli-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(p) << "name: k8\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n    halls:\n"
                      "      - name: two\n        fabric: {radix: 8, tiers: 2}\n"
                      "        racks: [{count: 32, server: dgx-h100}]\n"
                      "      - name: three\n        fabric: {radix: 8, tiers: 3}\n"
                      "        racks: [{count: 128, server: dgx-h100}]\n"
                      "      - name: none\n        racks: [{count: 2, server: dgx-h100}]\n"
                      "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n"
                      "    duration: 1 h\n";
  return p;
}

TEST(FabricCli, PrintsTheClosedFormCountsOfTwoAndThreeTierFatTrees) {
  const fs::path p = write_scenario();
  const Outcome o = dcsim("fabric '" + p.string() + "'");
  fs::remove(p);
  ASSERT_EQ(o.exit_code, 0) << o.out;
  const int k = 8;
  const double link_usd = 2 * 1000.0 + 150.0;  // two optics and a fibre per cable
  // 2 tiers: k leaves + k/2 spines, k^2 links, bisection k^2/4 x 400 Gb/s, capex by the defaults.
  const std::string two = o.out.substr(0, o.out.find("s / three"));
  EXPECT_NE(two.find("endpoints        " + std::to_string(k * k / 2) + " servers"), std::string::npos) << o.out;
  EXPECT_NE(two.find("switches         " + std::to_string(k + k / 2) + " (leaf 8, spine 4)"), std::string::npos) << o.out;
  EXPECT_NE(two.find("links            " + std::to_string(k * k)), std::string::npos) << o.out;
  EXPECT_NE(two.find("bisection        " + std::to_string(k * k / 4 * 400) + " Gb/s"), std::string::npos) << o.out;
  EXPECT_NE(two.find("diameter         4 hops"), std::string::npos) << o.out;
  const long two_capex = static_cast<long>((k + k / 2) * 36000.0 + k * k * link_usd);
  EXPECT_NE(two.find("capex            " + std::to_string(two_capex) + " USD"), std::string::npos) << o.out;
  // 3 tiers: k^3/4 endpoints, k^2/2 leaves + k^2/2 aggregation + k^2/4 cores, 3k^3/4 links.
  const std::string three = o.out.substr(o.out.find("s / three"));
  EXPECT_NE(three.find("endpoints        " + std::to_string(k * k * k / 4) + " servers"), std::string::npos) << o.out;
  EXPECT_NE(three.find("switches         " + std::to_string(5 * k * k / 4) + " (leaf 32, aggregation 32, core 16)"),
            std::string::npos)
      << o.out;
  EXPECT_NE(three.find("links            " + std::to_string(3 * k * k * k / 4)), std::string::npos) << o.out;
  EXPECT_NE(three.find("diameter         6 hops"), std::string::npos) << o.out;
  const long three_capex = static_cast<long>(5 * k * k / 4 * 36000.0 + 3 * k * k * k / 4 * link_usd);
  EXPECT_NE(three.find("capex            " + std::to_string(three_capex) + " USD"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("none"), std::string::npos) << o.out;
}

TEST(FabricCli, JsonHasOneObjectPerHallWithAFabric) {
  const fs::path p = write_scenario();
  const Outcome o = dcsim("fabric '" + p.string() + "' --json");
  fs::remove(p);
  ASSERT_EQ(o.exit_code, 0) << o.out;
  EXPECT_EQ(o.out.rfind("{\"halls\": [", 0), 0u) << o.out;
  EXPECT_NE(o.out.find("\"hall\": \"two\", \"topology\": \"fat-tree\", \"radix\": 8, \"tiers\": 2, \"oversubscription\": 1, "
                       "\"endpoints\": 32, \"switches_by_tier\": [8, 4, 0], \"switches\": 12, \"links\": 64"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("\"switches_by_tier\": [32, 32, 16], \"switches\": 80, \"links\": 384"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("\"none\""), std::string::npos) << o.out;
}

TEST(FabricCli, AHallTooBigForItsFabricIsBadInput) {
  const Outcome o = dcsim("fabric '" + std::string(DCSIM_SOURCE_DIR) + "/tests/scenarios/invalid/hall_too_big_for_fabric.yaml'");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("error[S210]"), std::string::npos) << o.err;
}

}  // namespace
