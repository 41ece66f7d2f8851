// The builder's bounds on a run (S208 fleet size, S209 hours of hourly output), and raising them.
#include <gtest/gtest.h>

#include <string>

#include "sim/run/build.h"
#include "sim/scenario/loader.h"

namespace dcsim {
namespace {

std::string scenario(const std::string& count, const std::string& horizon, const std::string& extra = "") {
  return "name: t\nstart: 2026-01-01\nhorizon: " + horizon +
         "\nsites:\n  - name: s\n    pue: 1.2\n    electricity: {price: 0.1 USD/kWh}\n    halls:\n"
         "      - name: h\n        racks:\n          - {count: " + count +
         ", server: dgx-h100, servers_per_rack: 4}\n"
         "workloads:\n  - name: w\n    kind: training\n    arrivals: {process: poisson, rate: 10 /day}\n"
         "    gpus: 8\n    duration: 2 h\n" + extra;
}

std::vector<scenario::Diagnostic> build_diagnostics(const std::string& text) {
  scenario::LoadResult r = scenario::load_scenario_text(text, "t.yaml");
  EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : r.diagnostics.front().message);
  if (!r.ok()) return {};
  return run::build_model(*r.scenario).diagnostics;
}

TEST(RunLimits, FleetAboveTheBoundIsRefusedBeforeBuilding) {
  // 2^30 racks of 4 servers of 8 GPUs: 2^35 GPUs, far beyond memory; refused by counting.
  const auto d = build_diagnostics(scenario("1073741824", "10 d"));
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d.front().code, "S208");
  EXPECT_NE(d.front().message.find("4294967296 servers"), std::string::npos) << d.front().message;
  EXPECT_NE(d.front().message.find("5000000"), std::string::npos);
}

TEST(RunLimits, GpuBoundCanBeRaised) {
  const auto refused = build_diagnostics(scenario("500000", "10 d"));
  ASSERT_FALSE(refused.empty());
  EXPECT_EQ(refused.front().code, "S208");
  EXPECT_NE(refused.front().message.find("16000000 GPUs"), std::string::npos) << refused.front().message;
  EXPECT_TRUE(build_diagnostics(scenario("500000", "10 d", "limits: {max_gpus: 20000000}\n")).empty());
}

TEST(RunLimits, HorizonAboveMaxHoursIsRefusedUnlessRaised) {
  const auto refused = build_diagnostics(scenario("2", "300 y"));
  ASSERT_FALSE(refused.empty());
  EXPECT_EQ(refused.front().code, "S209");
  const auto lowered = build_diagnostics(scenario("2", "10 d", "limits: {max_hours: 100}\n"));
  ASSERT_FALSE(lowered.empty());
  EXPECT_EQ(lowered.front().code, "S209");
  EXPECT_TRUE(build_diagnostics(scenario("2", "10 d", "limits: {max_hours: 240}\n")).empty());
}

}  // namespace
}  // namespace dcsim
