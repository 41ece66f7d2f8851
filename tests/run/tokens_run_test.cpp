// Inference services counted and priced in tokens (tokens_per_request, price_per_million_tokens):
// tokens served, token revenue in the ledger, cost per million tokens.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/run_text.h"
#include "tests/support/json_number.h"

namespace dcsim {
namespace {

// One DGX-H100 (8 GPUs), one service fixed at 2 replicas of 4 GPUs serving 10 /s each, constant
// demand of 5 /s (never above capacity), no cold start: every request is served, all day.
std::string scenario_with(const std::string& service_extra, const std::string& tail = "") {
  return R"(name: tokens
start: 2026-01-01
horizon: 1 d
seed: 1
sites:
  - name: s
    pue: 1.2
    electricity: {price: 0.08 USD/kWh}
    halls:
      - name: h
        racks: [{count: 1, server: dgx-h100, servers_per_rack: 1}]
workloads:
  - name: chat
    kind: inference
    tenant: acme
    service:
      gpus_per_replica: 4
      throughput: 10 /s
      base_rate: 5 /s
      autoscaler: {min_replicas: 2, max_replicas: 2, scale_up_delay: 0 s, cold_start: 0 s}
)" + service_extra + tail;
}

using test_support::run_text;
using test_support::json_number;

TEST(ServiceTokens, ConstantDemandServesRateTimesTokensTimesTime) {
  const run::RunResult r = run_text(scenario_with("      tokens_per_request: 500\n"));
  ASSERT_TRUE(r.ok());
  const reports::ResultsFiles files = reports::render_results(r, scenario::to_resolved_yaml(r.scenario));
  // 5 requests/s x 500 tokens x 86,400 s.
  EXPECT_NEAR(json_number(files.summary_json, "tokens_served"), 5.0 * 500 * 86400, 1.0);
  EXPECT_NEAR(json_number(files.summary_json, "tokens_per_second_mean"), 2500.0, 1e-6);
  // The service is the only user of GPUs: its share is the whole cost, over 216 M tokens.
  const double cost_usd = json_number(files.summary_json, "total_cost_usd");
  EXPECT_GT(cost_usd, 0.0);
  EXPECT_NEAR(json_number(files.summary_json, "cost_per_million_tokens_usd"), cost_usd / 216.0, 1e-3);
  // Without a price, nothing is billed per token.
  EXPECT_EQ(files.summary_json.find("\"token_revenue_usd\": 0") != std::string::npos, true);
  // inference.csv gains the tokens column; its cells add up to the total.
  std::istringstream in(files.inference_csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.substr(line.rfind(',') + 1), "tokens");
  double sum = 0.0;
  while (std::getline(in, line)) sum += std::stod(line.substr(line.rfind(',') + 1));
  EXPECT_NEAR(sum, 2.16e8, 1.0);
}

TEST(ServiceTokens, PricePerMillionTokensIsTheServicesRevenue) {
  // finance.price would bill the service's 2 x 4 GPUs x 24 h = 192 GPU-hours at 3 USD (576 USD);
  // with a token price, its GPU time is sold per token instead: 216 M tokens x 2 USD = 432 USD.
  const run::RunResult r = run_text(scenario_with("      tokens_per_request: 500\n      price_per_million_tokens: 2 USD\n",
                                                  "finance: {price: 3 USD/GPU-hour}\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.total_revenue_cents, 43200);
  const reports::ResultsFiles files = reports::render_results(r, scenario::to_resolved_yaml(r.scenario));
  EXPECT_NEAR(json_number(files.summary_json, "token_revenue_usd"), 432.0, 1e-6);
  EXPECT_NE(files.revenue_monthly_csv.find("inference"), std::string::npos);
  EXPECT_NE(files.revenue_monthly_csv.find("chat"), std::string::npos);
  EXPECT_NEAR(json_number(files.summary_json, "total_revenue_usd"), 432.0, 1e-9);
}

TEST(ServiceTokens, WithoutTheKeysNothingChanges) {
  const run::RunResult r = run_text(scenario_with("", "finance: {price: 3 USD/GPU-hour}\n"));
  ASSERT_TRUE(r.ok());
  const reports::ResultsFiles files = reports::render_results(r, scenario::to_resolved_yaml(r.scenario));
  EXPECT_EQ(files.summary_json.find("tokens_served"), std::string::npos);
  EXPECT_EQ(files.inference_csv.substr(0, files.inference_csv.find('\n')),
            "time,service,interval_s,demand_rps,replicas,gpus_held,utilization,wait_ms,slo_met");
  EXPECT_EQ(r.total_revenue_cents, 192 * 300);  // 2 x 4 GPUs x 24 h at 3 USD
}

TEST(ServiceTokens, PriceWithoutTokensPerRequestIsAnError) {
  const scenario::LoadResult loaded =
      scenario::load_scenario_text(scenario_with("      price_per_million_tokens: 2 USD\n"), "t.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.diagnostics[0].code, "S112");
  EXPECT_NE(loaded.diagnostics[0].message.find("tokens_per_request"), std::string::npos);
  EXPECT_EQ(loaded.diagnostics[0].pos.line, 21);
}

// A service's gpu_power_fraction scales its replicas' draw above idle like a job's: the busy part
// of the IT energy is linear in it (the loader once skipped the key for inference workloads).
TEST(ServicePower, GpuPowerFractionScalesTheReplicasBusyDraw) {
  const auto it_mwh = [](const char* fraction) {
    const run::RunResult r = run_text(scenario_with(std::string("    gpu_power_fraction: ") + fraction + "\n"));
    EXPECT_TRUE(r.ok());
    return r.it_energy_mwh;
  };
  const double full = it_mwh("1");
  const double half = it_mwh("0.5");
  const double quarter = it_mwh("0.25");
  EXPECT_GT(full, half);
  // E(f) = idle + f x busy: E(1) - E(0.5) = 2 x (E(0.5) - E(0.25)), to the mW rounding of draws.
  EXPECT_NEAR(full - half, 2.0 * (half - quarter), 1e-6 * full);
}

}  // namespace
}  // namespace dcsim
