// Inference-service keys (kind: inference): they load with their units and defaults, print back
// the same in the resolved view, and misuse is reported at the value with what was expected.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.h"

namespace dcsim::scenario {
namespace {

std::string with_service(const std::string& service_body) {
  return "name: t\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n    halls:\n      - name: h\n"
         "        racks: [{count: 4, server: dgx-h100}]\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n"
         "  - name: chat\n    kind: inference\n" + service_body;
}

std::vector<std::string> codes(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(d.code);
  return out;
}

TEST(ServiceKeys, LoadEveryKeyWithUnits) {
  const LoadResult r = load_scenario_text(
      with_service("    service:\n      gpus_per_replica: 4\n      throughput: 600 /min\n      latency_objective: 500 ms\n"
                   "      slo_target: 0.95\n      base_rate: 36000 /h\n      daily_amplitude: 0.4\n"
                   "      weekly_amplitude: 0.1\n      peak_hour: 9.5\n      growth_per_year: 0.3\n      noise: 0.02\n"
                   "      autoscaler: {target_utilization: 0.6, scale_up_delay: 30 s, cold_start: 2 min, min_replicas: 2,"
                   " max_replicas: 8, interval: 15 min}\n"),
      "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const WorkloadSpec& w = r.scenario->workloads[1];
  EXPECT_EQ(w.kind, WorkloadKind::inference);
  const ServiceSpec& s = w.service;
  EXPECT_EQ(s.gpus_per_replica, 4);
  EXPECT_DOUBLE_EQ(s.replica_rps, 10.0);
  EXPECT_DOUBLE_EQ(s.latency_objective_ns, 5e8);
  EXPECT_DOUBLE_EQ(s.slo_target, 0.95);
  EXPECT_DOUBLE_EQ(s.base_rps, 10.0);
  EXPECT_DOUBLE_EQ(s.daily_amplitude, 0.4);
  EXPECT_DOUBLE_EQ(s.weekly_amplitude, 0.1);
  EXPECT_DOUBLE_EQ(s.peak_hour, 9.5);
  EXPECT_DOUBLE_EQ(s.growth_per_year, 0.3);
  EXPECT_DOUBLE_EQ(s.noise, 0.02);
  EXPECT_DOUBLE_EQ(s.target_utilization, 0.6);
  EXPECT_DOUBLE_EQ(s.scale_up_delay_s, 30.0);
  EXPECT_DOUBLE_EQ(s.cold_start_s, 120.0);
  EXPECT_EQ(s.min_replicas, 2);
  EXPECT_EQ(s.max_replicas, 8);
  EXPECT_DOUBLE_EQ(s.interval_s, 900.0);
}

TEST(ServiceKeys, ResolvedViewPrintsEveryKeyAndLoadsBackTheSame) {
  const LoadResult r =
      load_scenario_text(with_service("    service: {throughput: 20 /s, base_rate: 100 /s, daily_amplitude: 0.5}\n"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const std::string resolved = to_resolved_yaml(*r.scenario);
  EXPECT_NE(resolved.find("    kind: inference\n"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("      latency_objective: 200 ms\n"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("      autoscaler: {target_utilization: 0.7, scale_up_delay: 60 s, cold_start: 2 min, "
                          "min_replicas: 1, max_replicas: 10, interval: 5 min}\n"),
            std::string::npos)
      << resolved;
  const LoadResult back = load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(back.ok()) << format_diagnostic(back.diagnostics[0]) << "\n" << resolved;
  EXPECT_EQ(to_resolved_yaml(*back.scenario), resolved);
}

TEST(ServiceKeys, MisuseIsReportedWithWhatWasExpected) {
  EXPECT_EQ(codes(load_scenario_text(with_service(""), "t.yaml")), std::vector<std::string>{"S101"});
  EXPECT_EQ(codes(load_scenario_text(with_service("    service: {base_rate: 1 /s}\n"), "t.yaml")),
            std::vector<std::string>{"S101"});
  EXPECT_EQ(codes(load_scenario_text(with_service("    service: {throughput: 20, base_rate: 1 /s}\n"), "t.yaml")),
            std::vector<std::string>{"S110"});
  EXPECT_EQ(codes(load_scenario_text(with_service("    service: {throughput: 2 /s, base_rate: 1 /s, slo_target: 1}\n"), "t.yaml")),
            std::vector<std::string>{"S112"});
  EXPECT_EQ(codes(load_scenario_text(
                with_service("    service: {throughput: 2 /s, base_rate: 1 /s, autoscaler: {min_replicas: 5, max_replicas: 2}}\n"),
                "t.yaml")),
            std::vector<std::string>{"S112"});
  EXPECT_EQ(codes(load_scenario_text(with_service("    service: {throughput: 2 /s, base_rate: 1 /s, basse_rate: 1 /s}\n"), "t.yaml")),
            std::vector<std::string>{"S104"});
  const LoadResult r = load_scenario_text(
      with_service("    gpus: 8\n    service: {throughput: 2 /s, base_rate: 1 /s}\n"), "t.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S104"});
  EXPECT_EQ(r.diagnostics[0].pos.line, 16);
  EXPECT_EQ(r.diagnostics[0].pos.column, 11);
}

// A service's `priority` is read (absent: none, above every priority) and prints back even at 0;
// `preemptible` on a service is S104 at its value: replicas are never preempted.
TEST(ServiceKeys, PriorityRanksAServiceAndPreemptibleIsRejected) {
  const std::string body = "    service: {throughput: 2 /s, base_rate: 1 /s}\n";
  const LoadResult none = load_scenario_text(with_service(body), "t.yaml");
  ASSERT_TRUE(none.ok()) << format_diagnostic(none.diagnostics[0]);
  EXPECT_FALSE(none.scenario->workloads[1].service.priority);
  EXPECT_EQ(to_resolved_yaml(*none.scenario).find("priority"), std::string::npos);
  for (const int p : {0, 3}) {
    const LoadResult r = load_scenario_text(with_service("    priority: " + std::to_string(p) + "\n" + body), "t.yaml");
    ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
    ASSERT_TRUE(r.scenario->workloads[1].service.priority);
    EXPECT_EQ(*r.scenario->workloads[1].service.priority, p);
    EXPECT_EQ(r.scenario->workloads[1].priority, p);
    const std::string resolved = to_resolved_yaml(*r.scenario);
    EXPECT_NE(resolved.find("  - name: chat\n    kind: inference\n    tenant: shared\n    priority: " + std::to_string(p) + "\n"),
              std::string::npos)
        << resolved;
    const LoadResult back = load_scenario_text(resolved, "resolved.yaml");
    ASSERT_TRUE(back.ok()) << format_diagnostic(back.diagnostics[0]);
    EXPECT_EQ(to_resolved_yaml(*back.scenario), resolved);
  }
  const LoadResult bad = load_scenario_text(with_service("    priority: high\n" + body), "t.yaml");
  EXPECT_EQ(codes(bad), std::vector<std::string>{"S102"});
  const LoadResult preemptible = load_scenario_text(with_service("    preemptible: yes\n" + body), "t.yaml");
  ASSERT_EQ(codes(preemptible), std::vector<std::string>{"S104"});
  const std::string msg = format_diagnostic(preemptible.diagnostics[0]);
  EXPECT_NE(msg.find("t.yaml:16:18: error[S104]: an inference workload takes no 'preemptible': replicas are never "
                     "preempted"),
            std::string::npos)
      << msg;
}

}  // namespace
}  // namespace dcsim::scenario
