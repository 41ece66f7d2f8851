// Tenants end to end: the fair-share keys load and round-trip, bad quotas and unknown GPU types
// are reported, and tenants.csv reconciles with jobs.csv and cost_by_tenant.csv.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/run_text.h"

namespace dcsim {
namespace {

using Rows = std::vector<std::map<std::string, std::string>>;

// A CSV without quoted commas (the tests' names have none) as rows of column -> cell.
Rows parse(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::istringstream h(line);
    for (std::string c; std::getline(h, c, ',');) header.push_back(c);
  }
  Rows rows;
  while (std::getline(in, line)) {
    std::map<std::string, std::string> row;
    std::size_t col = 0, from = 0;
    for (;;) {
      const std::size_t comma = line.find(',', from);
      row[header.at(col++)] = line.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Two halls (16 H100, 16 A100 GPUs); tenant a runs preemptible training on any GPU and a service
// held to H100s that may preempt; tenant b's jobs are held to A100s; c is listed but idle.
std::string scenario_with(const std::string& extra) {
  return R"(name: tenants
start: 2026-01-05
horizon: 4 d
seed: 3
sites:
  - name: s
    pue: 1.2
    electricity: {price: 0.08 USD/kWh}
    halls:
      - name: h
        racks: [{count: 1, server: dgx-h100, servers_per_rack: 2}]
      - name: a
        racks: [{count: 1, server: dgx-a100, servers_per_rack: 2}]
tenants:
  - {name: a, guaranteed_gpus: 16}
  - {name: b, guaranteed_gpus: 16, max_gpus: 24}
  - {name: c, guaranteed_gpus: 0, borrow: no}
workloads:
  - name: train-a
    tenant: a
    preemptible: yes
    arrivals: {process: poisson, rate: 30 /day}
    gpus: {discrete: {4: 0.5, 8: 0.5}}
    duration: {lognormal: {median: 3 h, sigma: 0.5}}
    checkpoint: {interval: 30 min, restart: 5 min}
  - name: chat
    kind: inference
    tenant: a
    gpu_type: h100-sxm
    service:
      gpus_per_replica: 4
      throughput: 10 /s
      base_rate: 20 /s
      daily_amplitude: 0.6
      autoscaler: {min_replicas: 1, max_replicas: 4, interval: 10 min}
  - name: train-b
    tenant: b
    gpu_type: a100-sxm
    arrivals: {process: poisson, rate: 20 /day}
    gpus: {discrete: {4: 0.5, 8: 0.5}}
    duration: {lognormal: {median: 2 h, sigma: 0.5}}
)" + extra;
}

using test_support::run_text;

double number(const std::string& cell) { return std::stod(cell); }

TEST(TenantsCsv, ReconcilesWithJobsCsvAndCostByTenant) {
  const run::RunResult r =
      run_text(scenario_with("scheduler: {policy: fair-share, reclaim: yes, inference_preempts: yes}\n"), true);
  ASSERT_TRUE(r.ok());
  const reports::ResultsFiles files = reports::render_results(r, scenario::to_resolved_yaml(r.scenario));
  const Rows tenants = parse(files.tenants_csv);
  const Rows jobs = parse(files.jobs_csv);
  const Rows chargeback = parse(files.cost_by_tenant_csv);
  ASSERT_EQ(tenants.size(), 3u);
  EXPECT_EQ(tenants[0].at("tenant"), "a");
  EXPECT_EQ(tenants[1].at("max_gpus"), "24");
  EXPECT_EQ(tenants[2].at("max_gpus"), "0");  // borrow: no holds at most its guarantee
  std::uint64_t all_finished = 0, all_preemptions = 0;
  for (const auto& t : tenants) {
    const std::string& name = t.at("tenant");
    std::uint64_t finished = 0, preemptions = 0;
    std::vector<double> waits;
    for (const auto& j : jobs) {
      if (j.at("tenant") != name) continue;
      if (j.at("state") == "completed" || j.at("state") == "timed_out") ++finished;
      preemptions += static_cast<std::uint64_t>(number(j.at("preemptions")));
      if (!j.at("start").empty()) waits.push_back(number(j.at("wait_hours")));
    }
    EXPECT_EQ(number(t.at("jobs_finished")), static_cast<double>(finished)) << name;
    EXPECT_EQ(number(t.at("preemptions")), static_cast<double>(preemptions)) << name;
    EXPECT_EQ(number(t.at("jobs_measured")), static_cast<double>(waits.size())) << name;
    if (!waits.empty()) {
      double sum = 0.0;
      for (double w : waits) sum += w;
      std::sort(waits.begin(), waits.end());
      const std::size_t rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(waits.size())));
      EXPECT_NEAR(number(t.at("mean_wait_hours")), sum / static_cast<double>(waits.size()), 1e-9) << name;
      EXPECT_NEAR(number(t.at("p95_wait_hours")), waits[rank - 1], 1e-9) << name;
    } else {
      EXPECT_EQ(t.at("mean_wait_hours"), "") << name;
    }
    double held = 0.0;
    for (const auto& c : chargeback)
      if (c.at("tenant") == name) held += number(c.at("gpu_hours"));
    EXPECT_NEAR(number(t.at("gpu_hours")), held, 1e-6 * std::max(1.0, held)) << name;
    all_finished += finished;
    all_preemptions += preemptions;
  }
  EXPECT_EQ(all_finished, r.model.jobs_completed + r.model.jobs_timed_out);
  EXPECT_EQ(all_preemptions, r.model.preemptions);
  EXPECT_GT(number(tenants[0].at("gpu_hours")), 0.0);
  EXPECT_GT(number(tenants[1].at("jobs_finished")), 10.0);
  EXPECT_EQ(number(tenants[2].at("gpu_hours")), 0.0);
  // Tenant a's only service: its SLO attainment is the service's.
  ASSERT_EQ(r.model.services.size(), 1u);
  EXPECT_EQ(tenants[0].at("services"), "1");
  EXPECT_NEAR(number(tenants[0].at("slo_request_share")), r.model.services[0].slo_request_share, 1e-12);
  EXPECT_NEAR(number(tenants[0].at("slo_interval_share")), r.model.services[0].slo_interval_share, 1e-12);
  EXPECT_EQ(tenants[1].at("slo_request_share"), "");
  // b never held more than its max_gpus (24): at each of its starts, its running jobs' GPUs (its
  // 4- and 8-GPU jobs take exactly what they ask on 8-GPU servers; ISO times compare as text).
  int checked = 0;
  for (const auto& s : jobs) {
    if (s.at("tenant") != "b" || s.at("start").empty()) continue;
    double held_gpus = 0.0;
    for (const auto& j : jobs) {
      if (j.at("tenant") != "b" || j.at("start").empty()) continue;
      if (j.at("start") <= s.at("start") && (j.at("end").empty() || s.at("start") < j.at("end"))) held_gpus += number(j.at("gpus"));
    }
    EXPECT_LE(held_gpus, 24.0) << "at " << s.at("start");
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

TEST(TenantsCsv, FairShareKeysSurviveTheResolvedScenario) {
  const std::string text = scenario_with("scheduler: {policy: fair-share, reclaim: yes, inference_preempts: yes}\n");
  scenario::LoadResult loaded = scenario::load_scenario_text(text, "t.yaml");
  ASSERT_TRUE(loaded.ok());
  const std::string resolved = scenario::to_resolved_yaml(*loaded.scenario);
  EXPECT_NE(resolved.find("scheduler: {policy: fair-share, reclaim: yes, inference_preempts: yes}"), std::string::npos)
      << resolved;
  EXPECT_NE(resolved.find("  - {name: b, guaranteed_gpus: 16, borrow: yes, max_gpus: 24}"), std::string::npos);
  EXPECT_NE(resolved.find("    gpu_type: a100-sxm"), std::string::npos);
  scenario::LoadResult again = scenario::load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(again.ok()) << scenario::format_diagnostic(again.diagnostics[0]);
  EXPECT_EQ(scenario::to_resolved_yaml(*again.scenario), resolved);
}

// Each case: (scenario text, code, message fragment).
TEST(TenantsCsv, BadQuotasAndUnknownGpuTypesAreReported) {
  const std::string base = scenario_with("scheduler: {policy: fair-share}\n");
  struct Case {
    std::string text, code, fragment;
  };
  std::string unknown_type = base;
  unknown_type.replace(unknown_type.find("gpu_type: a100-sxm"), 18, "gpu_type: a100-sx");
  std::string absent_type = base;
  absent_type.replace(absent_type.find("gpu_type: a100-sxm"), 18, "gpu_type: b200");
  std::string small_max = base;
  small_max.replace(small_max.find("max_gpus: 24"), 12, "max_gpus: 8");
  std::string max_without_borrow = base;
  max_without_borrow.replace(max_without_borrow.find("borrow: no}"), 11, "borrow: no, max_gpus: 4}");
  const std::vector<Case> cases = {
      {unknown_type, "S200", "gpu_type names GPU type 'a100-sx', which no server of the fleet has"},
      {absent_type, "S200", "gpu_type names GPU type 'b200'"},
      {small_max, "S112", "'max_gpus' of a tenant must be at least its guaranteed_gpus (16)"},
      {max_without_borrow, "S112", "a tenant with 'borrow: no' takes no 'max_gpus'"},
  };
  for (const Case& c : cases) {
    scenario::LoadResult loaded = scenario::load_scenario_text(c.text, "t.yaml");
    std::vector<scenario::Diagnostic> diags = loaded.diagnostics;
    if (loaded.ok()) {
      run::RunRequest req;
      req.scenario = std::move(*loaded.scenario);
      diags = run::run(std::move(req)).diagnostics;
    }
    ASSERT_FALSE(diags.empty()) << c.fragment;
    EXPECT_EQ(diags[0].code, c.code) << c.fragment;
    EXPECT_NE(diags[0].message.find(c.fragment), std::string::npos) << diags[0].message;
    if (c.fragment.find("a100-sx'") != std::string::npos) {
      EXPECT_NE(diags[0].hint.find("did you mean 'a100-sxm'?"), std::string::npos);
    }
  }
}

// Without fair-share keys nothing changes but the new file: one row per workload tenant.
TEST(TenantsCsv, ListsTheWorkloadsTenantsWithoutATenantsSection) {
  std::string text = scenario_with("");
  text.erase(text.find("tenants:\n"), text.find("workloads:\n") - text.find("tenants:\n"));
  const run::RunResult r = run_text(text);
  ASSERT_TRUE(r.ok());
  const Rows tenants = parse(reports::render_results(r, scenario::to_resolved_yaml(r.scenario)).tenants_csv);
  ASSERT_EQ(tenants.size(), 2u);
  EXPECT_EQ(tenants[0].at("tenant"), "a");
  EXPECT_EQ(tenants[1].at("tenant"), "b");
  EXPECT_EQ(tenants[0].at("guaranteed_gpus"), "0");
  EXPECT_EQ(tenants[0].at("max_gpus"), "");
  EXPECT_EQ(number(tenants[0].at("jobs_finished")) + number(tenants[1].at("jobs_finished")),
            static_cast<double>(r.model.jobs_completed + r.model.jobs_timed_out));
}

}  // namespace
}  // namespace dcsim
