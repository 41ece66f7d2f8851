// power.cap_order end to end: the key loads, prints back in the resolved view and is refused
// with a suggestion when misspelt; a hall over its limit slows only the low-priority job. Also
// S211 for UPS or cooling unit failures in a scenario with no such units.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/run/build.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/one_server_run.h"

namespace dcsim {
namespace {

// Two 8-GPU servers (1,560 W idle each, 5,040 W more busy) in a hall of 10.68 kW: 7,560 W above
// idle for two 8-GPU jobs of 10 h that would draw 10,080 W.
std::string two_jobs(const std::string& power) {
  return R"(name: co
start: 2026-01-01
horizon: 1 d
catalog:
  gpus: [{name: h100, idle_power: 70 W, tdp: 700 W}]
  servers: [{name: s8, gpu: h100, gpus: 8, price: 0 USD, overhead_power: 1 kW}]
sites:
  - name: s
    halls: [{name: h, power_capacity: 10.68 kW, racks: [{count: 2, server: s8}]}]
workloads:
  - name: low
    priority: 1
    arrivals: {process: trace, file: low.csv, format: csv}
  - name: high
    priority: 5
    arrivals: {process: trace, file: high.csv, format: csv}
scheduler: {policy: fifo}
)" + power;
}

double run_hours(const model::JobRecord& j) { return engine::to_hours(j.end - j.start); }

TEST(CapOrderRun, PriorityKeepsTheHighJobAtFullSpeedAndUniformSlowsBoth) {
  const test_support::ScratchDir dir;
  dir.write("low.csv", "submit_s,gpus,duration_s\n0,8,36000\n");
  dir.write("high.csv", "submit_s,gpus,duration_s\n0,8,36000\n");
  const run::RunResult p = test_support::run_scenario_text(dir, "p.yaml", two_jobs("power: {cap_order: priority}\n"), true);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.model.jobs.size(), 2u);
  // Priority: high keeps 5,040 W, low gets 2,520 W (level 0.5) until high ends at 10 h.
  const double half = std::pow(0.1 + 0.9 * 0.5, 0.4);
  EXPECT_NEAR(run_hours(p.model.jobs[1]), 10.0, 1e-9);
  EXPECT_NEAR(run_hours(p.model.jobs[0]), 10.0 + 10.0 * (1.0 - half), 1e-6);
  EXPECT_NE(scenario::to_resolved_yaml(p.scenario).find("power: {policy: cap, throughput_exponent: 0.4, cap_order: priority}\n"),
            std::string::npos)
      << scenario::to_resolved_yaml(p.scenario);
  // Uniform (the default): both at level 0.75.
  const run::RunResult u = test_support::run_scenario_text(dir, "u.yaml", two_jobs(""), true);
  ASSERT_TRUE(u.ok());
  const double three_quarters = std::pow(0.1 + 0.9 * 0.75, 0.4);
  for (const model::JobRecord& j : u.model.jobs) EXPECT_NEAR(run_hours(j), 10.0 / three_quarters, 1e-6);
  EXPECT_EQ(scenario::to_resolved_yaml(u.scenario).find("cap_order"), std::string::npos);
}

TEST(CapOrderRun, AnUnknownCapOrderIsReportedAtItsValueWithASuggestion) {
  const scenario::LoadResult r = scenario::load_scenario_text(two_jobs("power: {cap_order: priorty}\n"), "t.yaml");
  ASSERT_FALSE(r.ok());
  const std::string msg = scenario::format_diagnostic(r.diagnostics[0]);
  EXPECT_NE(msg.find("t.yaml:18:20: error[S116]: unknown cap_order 'priorty'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean 'priority'"), std::string::npos) << msg;
}

// A failure class whose units no hall has would fail nothing: S211 at its `per` value.
TEST(FacilityFailureBuild, UpsOrCoolingUnitFailuresWithoutSuchUnitsAreRefused) {
  const std::string fleet = R"(name: f
start: 2026-01-01
horizon: 1 d
sites:
  - name: s
    halls:
      - name: h
)";
  const std::string racks = "        racks: [{count: 1, server: dgx-h100}]\n";
  const std::string workload = "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n"
                               "    duration: 1 h\n";
  auto failures = [](const std::string& per) {
    return "failures:\n  - name: unit\n    per: " + per + "\n    time_between: 30 d\n    repair: 4 h\n";
  };
  auto build = [](const std::string& text) {
    scenario::LoadResult loaded = scenario::load_scenario_text(text, "f.yaml");
    EXPECT_TRUE(loaded.ok()) << (loaded.diagnostics.empty() ? "" : scenario::format_diagnostic(loaded.diagnostics[0]));
    return run::build_model(*loaded.scenario);
  };
  for (const auto& [per, hint] : {std::pair<std::string, std::string>{"ups", "no hall has a power_capacity"},
                                  {"cooling_unit", "no hall has a cooling plant with a capacity"}}) {
    const run::BuildResult r = build(fleet + racks + workload + failures(per));
    ASSERT_FALSE(r.config.has_value()) << per;
    ASSERT_EQ(r.diagnostics.size(), 1u) << per;
    const std::string msg = scenario::format_diagnostic(r.diagnostics[0]);
    EXPECT_NE(msg.find("f.yaml:16:10: error[S211]: failure 'unit' is per " + per + ", but " + hint), std::string::npos)
        << msg;
  }
  // With the units, both build.
  EXPECT_TRUE(build(fleet + "        power_capacity: 100 kW\n" + racks + workload + failures("ups")).config.has_value());
  EXPECT_TRUE(build(fleet + "        cooling: {type: direct-liquid, capacity: 100 kW}\n" + racks + workload + failures("cooling_unit"))
                  .config.has_value());
}

}  // namespace
}  // namespace dcsim
