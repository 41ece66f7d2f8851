// Keys of scheduler.policy priority: workload `priority` and `preemptible`, scheduler
// `restart_cost`; they load, print back the same in the resolved view, and misuse is reported.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "sim/scenario/loader.h"

namespace dcsim::scenario {
namespace {

std::string scenario_with(const std::string& workload_extra, const std::string& scheduler) {
  return "name: t\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n    halls:\n      - name: h\n"
         "        racks: [{count: 4, server: dgx-h100}]\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n" +
         workload_extra + "scheduler: " + scheduler + "\n";
}

TEST(PriorityKeys, LoadWithDefaultsAndValues) {
  const LoadResult d = load_scenario_text(scenario_with("", "{policy: easy-backfill}"), "t.yaml");
  ASSERT_TRUE(d.ok()) << format_diagnostic(d.diagnostics[0]);
  EXPECT_EQ(d.scenario->workloads[0].priority, 0);
  EXPECT_FALSE(d.scenario->workloads[0].preemptible);
  EXPECT_DOUBLE_EQ(d.scenario->scheduler_restart_cost_s, 0.0);

  const LoadResult r = load_scenario_text(
      scenario_with("    priority: 3\n    preemptible: yes\n", "{policy: priority, restart_cost: 5 min}"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  EXPECT_EQ(r.scenario->scheduler, SchedulerPolicy::priority);
  EXPECT_EQ(r.scenario->workloads[0].priority, 3);
  EXPECT_TRUE(r.scenario->workloads[0].preemptible);
  EXPECT_DOUBLE_EQ(r.scenario->scheduler_restart_cost_s, 300.0);
}

TEST(PriorityKeys, ResolvedViewPrintsThemAndLoadsBackTheSame) {
  const LoadResult r = load_scenario_text(
      scenario_with("    priority: 2\n    preemptible: yes\n", "{policy: priority, restart_cost: 90 s}"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const std::string resolved = to_resolved_yaml(*r.scenario);
  EXPECT_NE(resolved.find("    priority: 2\n    preemptible: yes\n"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("scheduler: {policy: priority, restart_cost: "), std::string::npos) << resolved;
  const LoadResult back = load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(back.ok()) << format_diagnostic(back.diagnostics[0]);
  EXPECT_EQ(to_resolved_yaml(*back.scenario), resolved);
  EXPECT_DOUBLE_EQ(back.scenario->scheduler_restart_cost_s, 90.0);
}

TEST(PriorityKeys, BadValuesAreReportedAtTheValue) {
  for (const auto& [extra, sched, what] :
       {std::tuple<std::string, std::string, std::string>{"    priority: -1\n", "{policy: priority}", "priority"},
        {"    priority: 1.5\n", "{policy: priority}", "priority"},
        {"    preemptible: maybe\n", "{policy: priority}", "preemptible"},
        {"", "{policy: priorty}", "priority"}}) {
    const LoadResult r = load_scenario_text(scenario_with(extra, sched), "t.yaml");
    ASSERT_FALSE(r.ok()) << extra << sched;
    const std::string msg = format_diagnostic(r.diagnostics[0]);
    EXPECT_NE(msg.find("t.yaml:"), std::string::npos) << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace dcsim::scenario
