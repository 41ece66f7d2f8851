// Demand not served in the P&L (pnl_monthly.csv, kpis.csv memo columns): unmet demand, cloud
// burst and reserved contracts the installed fleet cannot serve, by month and worked out by hand;
// the columns add up to summary.json's totals to the cent (dcsim report --reconcile).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "reports/reconcile.h"
#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "tests/support/one_server_run.h"

namespace dcsim {
namespace {

// One server of 8 H100s, FIFO, free of charge, from 2026-01-31 so that runs cross into February.
run::RunResult run_one_server(const test_support::ScratchDir& dir, const std::string& horizon, const std::string& trace,
                              const std::string& tenant, const std::string& finance) {
  dir.write("jobs.csv", "submit_s,gpus,duration_s\n" + trace);
  return test_support::run_scenario_text(dir, "s.yaml",
                                         test_support::one_server_head("not served", "2026-01-31", horizon) +
                                             "  - name: traced\n    tenant: " + tenant +
                                             "\n    arrivals: {process: trace, file: jobs.csv, format: csv}\n"
                                             "scheduler: {policy: fifo}\n" +
                                             finance);
}

// Writes the folder and checks every reconcile line; returns how many compared the memo columns'
// money (and, in `memo_hour_lines`, their GPU-hours).
int reconcile_memo_lines(const test_support::ScratchDir& dir, const run::RunResult& r, int* memo_hour_lines = nullptr) {
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_TRUE(reports::write_results_folder(files, dir / "out", false).ok);
  const reports::ReconcileOutcome rec = reports::reconcile_results_folder(dir / "out");
  EXPECT_TRUE(rec.error.empty()) << rec.error;
  int memo = 0;
  if (memo_hour_lines) *memo_hour_lines = 0;
  for (const reports::ReconcileLine& line : rec.lines) {
    EXPECT_TRUE(line.ok()) << line.report << " vs " << line.against;
    if (line.gpu_hours) {
      if (memo_hour_lines && line.against.find("gpu_hours_a") == std::string::npos) ++*memo_hour_lines;
      continue;
    }
    if (line.report.find("revenue_lost_usd") != std::string::npos || line.report.find("cloud_burst_usd") != std::string::npos) {
      ++memo;
    }
  }
  return memo;
}

std::map<std::string, std::int64_t> cells(const std::vector<finance::MonthlyCost>& rows) {
  std::map<std::string, std::int64_t> out;
  for (const finance::MonthlyCost& c : rows) {
    out[engine::Calendar::month_label(c.month) + "/" + c.category + "/" + c.tenant + "/" + c.subcategory] += c.cents;
  }
  return out;
}

constexpr const char* kMemoHeader =
    "unmet_gpu_hours,revenue_lost_usd,cloud_burst_gpu_hours,cloud_burst_usd,contract_shortfall_gpu_hours\n";

TEST(DemandNotServed, UnmetQueueingIsSplitByCalendarMonthAndAddsUpToTheSummary) {
  const test_support::ScratchDir dir;
  // j1: 8 GPUs 0-30 h; j2 (8 GPUs, arrives at 2 h) waits until 30 h. Beyond max_wait (from 3 h):
  // 21 h in January (to midnight) x 8 = 168 GPU-hours, 6 h in February x 8 = 48; at 2 USD.
  const run::RunResult r =
      run_one_server(dir, "2 d", "0,8,108000\n7200,8,3600\n", "acme", "finance: {price: 2 USD/GPU-hour, unmet: {max_wait: 1 h}}\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.pnl.size(), 2u);
  EXPECT_DOUBLE_EQ(r.pnl[0].unmet_gpu_hours, 168.0);
  EXPECT_DOUBLE_EQ(r.pnl[1].unmet_gpu_hours, 48.0);
  EXPECT_EQ(r.pnl[0].revenue_lost_cents, 33'600);
  EXPECT_EQ(r.pnl[1].revenue_lost_cents, 9'600);
  EXPECT_EQ(r.lost_revenue_cents, 43'200);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.pnl_monthly_csv.find(std::string("cumulative_cash_usd,") + kMemoHeader), std::string::npos)
      << files.pnl_monthly_csv;
  EXPECT_NE(files.pnl_monthly_csv.find(",168,336.00,0,0.00,0\n"), std::string::npos) << files.pnl_monthly_csv;
  EXPECT_NE(files.pnl_monthly_csv.find(",48,96.00,0,0.00,0\n"), std::string::npos) << files.pnl_monthly_csv;
  EXPECT_NE(files.pnl_quarterly_csv.find("2026-Q1,"), std::string::npos);
  EXPECT_NE(files.pnl_quarterly_csv.find(",216,432.00,0,0.00,0\n"), std::string::npos) << files.pnl_quarterly_csv;
  EXPECT_NE(files.pnl_yearly_csv.find(",216,432.00,0,0.00,0\n"), std::string::npos) << files.pnl_yearly_csv;
  EXPECT_NE(files.kpis_csv.find(std::string("carbon_t,") + kMemoHeader), std::string::npos) << files.kpis_csv;
  EXPECT_NE(files.kpis_csv.find(",216,432.00,0,0.00,0\n"), std::string::npos) << files.kpis_csv;
  EXPECT_NE(files.summary_json.find("\"unmet_gpu_hours\": 216,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.summary_json.find("\"lost_revenue_usd\": 432.00,"), std::string::npos) << files.summary_json;
  int hour_lines = 0;
  EXPECT_EQ(reconcile_memo_lines(dir, r, &hour_lines), 2);  // pnl_monthly.csv and kpis.csv revenue_lost_usd
  EXPECT_EQ(hour_lines, 2);                                  // and their unmet_gpu_hours
  // An hour more in one year of kpis.csv: --reconcile must notice it, on that line only.
  std::ifstream in(dir / "out/kpis.csv");
  std::string kpis((std::istreambuf_iterator<char>(in)), {});
  in.close();
  const auto at = kpis.find(",216,432.00,");
  ASSERT_NE(at, std::string::npos);
  kpis.replace(at, 5, ",217,");
  dir.write("out/kpis.csv", kpis);
  const reports::ReconcileOutcome rec = reports::reconcile_results_folder(dir / "out");
  ASSERT_TRUE(rec.error.empty()) << rec.error;
  EXPECT_FALSE(rec.ok());
  for (const reports::ReconcileLine& line : rec.lines) {
    EXPECT_EQ(line.ok(), line.report != "kpis.csv unmet_gpu_hours") << line.report;
  }
}

TEST(DemandNotServed, CloudBurstColumnsHoldTheMonthsCloudCostAndGpuHours) {
  const test_support::ScratchDir dir;
  // j2 leaves for the cloud at 7 h (5 h after arriving): 8 GPU-hours at 4 USD in January;
  // unmet from 3 h to 7 h: 32 GPU-hours, 64 USD at 2 USD.
  const run::RunResult r = run_one_server(dir, "2 d", "0,8,108000\n7200,8,3600\n", "acme", R"(finance:
  price: 2 USD/GPU-hour
  unmet: {max_wait: 1 h}
  cloud_burst: {price: 4 USD/GPU-hour, after_wait: 5 h}
)");
  ASSERT_TRUE(r.ok());
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.pnl_monthly_csv.find("\n2026-01,"), std::string::npos);
  EXPECT_NE(files.pnl_monthly_csv.find(",32,64.00,8,32.00,0\n2026-02,"), std::string::npos) << files.pnl_monthly_csv;
  EXPECT_NE(files.pnl_monthly_csv.find(",0,0.00,0,0.00,0\n"), std::string::npos) << files.pnl_monthly_csv;  // February
  EXPECT_NE(files.kpis_csv.find(",32,64.00,8,32.00,0\n"), std::string::npos) << files.kpis_csv;
  EXPECT_NE(files.summary_json.find("\"cloud_cost_usd\": 32.00,"), std::string::npos) << files.summary_json;
  EXPECT_EQ(reconcile_memo_lines(dir, r), 4);  // revenue_lost_usd and cloud_burst_usd, in both files
}

TEST(DemandNotServed, WithoutTheKeysTheColumnsAreThereAndZero) {
  const test_support::ScratchDir dir;
  const run::RunResult r = run_one_server(dir, "2 d", "0,8,108000\n7200,8,3600\n", "acme", "finance: {price: 2 USD/GPU-hour}\n");
  ASSERT_TRUE(r.ok());
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.pnl_monthly_csv.find(kMemoHeader), std::string::npos);
  EXPECT_EQ(files.pnl_monthly_csv.find(",0,0.00,0,0.00,0\n2026-02,"), files.pnl_monthly_csv.find(",0,0.00,0,0.00,0\n"));
  EXPECT_EQ(files.summary_json.find("lost_revenue_usd"), std::string::npos);
  EXPECT_EQ(reconcile_memo_lines(dir, r), 0);  // summary.json has no totals to compare them with
}

// Contracts on 8 installed H100s: acme 12 GPUs from 2026-01-31 for 2 days, beta 4 GPUs on
// 1 February. Shortfall: 31 January 12 - 8 = 4 GPUs x 24 h = 96 GPU-hours (acme); 1 February
// 16 - 8 = 8 x 24 = 192, shared pro rata: acme 144, beta 48; 2 February none.
const char* kContracts = R"(finance:
  prices: [{gpu: h100, on_demand: 3 USD/GPU-hour, reserved: 2 USD/GPU-hour}]
  contracts:
    - {tenant: acme, gpu: h100, gpus: 12, term: 2 d, penalty: 1 USD/GPU-hour}
    - {tenant: beta, gpu: h100, gpus: 4, start: 2026-02-01, term: 1 d}
)";

TEST(DemandNotServed, ContractHoursBeyondTheInstalledFleetAreUnbilledAndOweThePenaltyByHand) {
  const test_support::ScratchDir dir;
  const run::RunResult r = run_one_server(dir, "3 d", "0,1,3600\n", "other", kContracts);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r.contract_shortfall_gpu_hours, 288.0);
  const auto revenue = cells(r.monthly_revenue);
  EXPECT_EQ(revenue.at("2026-01/reserved/acme/h100"), (288 - 96) * 200);
  EXPECT_EQ(revenue.at("2026-02/reserved/acme/h100"), (288 - 144) * 200);
  EXPECT_EQ(revenue.at("2026-02/reserved/beta/h100"), (96 - 48) * 200);
  EXPECT_EQ(revenue.at("2026-01/on_demand/other/h100"), 300);  // 1 GPU-hour, no contract
  EXPECT_EQ(r.total_revenue_cents, 38'400 + 28'800 + 9'600 + 300);
  const auto costs = cells(r.monthly_costs);
  EXPECT_EQ(costs.at("2026-01/penalty/acme/h100"), 9'600);
  EXPECT_EQ(costs.at("2026-02/penalty/acme/h100"), 14'400);
  EXPECT_EQ(costs.count("2026-02/penalty/beta/h100"), 0u) << "beta's contract has no penalty";
  ASSERT_EQ(r.pnl.size(), 2u);
  EXPECT_EQ(r.pnl[0].revenue_lost_cents, 96 * 200);
  EXPECT_EQ(r.pnl[1].revenue_lost_cents, 192 * 200);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.pnl_monthly_csv.find(",0,192.00,0,0.00,96\n"), std::string::npos) << files.pnl_monthly_csv;
  EXPECT_NE(files.pnl_monthly_csv.find(",0,384.00,0,0.00,192\n"), std::string::npos) << files.pnl_monthly_csv;
  EXPECT_NE(files.summary_json.find("\"contract_shortfall_gpu_hours\": 288,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.summary_json.find("\"lost_revenue_usd\": 576.00,"), std::string::npos) << files.summary_json;
  EXPECT_EQ(reconcile_memo_lines(dir, r), 2);
}

TEST(DemandNotServed, WithCloudBurstTheContractShortfallIsRentedAndBilledInFullByHand) {
  const test_support::ScratchDir dir;
  const run::RunResult r = run_one_server(dir, "3 d", "0,1,3600\n", "other",
                                          std::string(kContracts) + "  cloud_burst: {price: 5 USD/GPU-hour, after_wait: 10 h}\n");
  ASSERT_TRUE(r.ok());
  const auto revenue = cells(r.monthly_revenue);
  EXPECT_EQ(revenue.at("2026-01/reserved/acme/h100"), 288 * 200);
  EXPECT_EQ(revenue.at("2026-02/reserved/acme/h100"), 288 * 200);
  EXPECT_EQ(revenue.at("2026-02/reserved/beta/h100"), 96 * 200);
  const auto costs = cells(r.monthly_costs);
  EXPECT_EQ(costs.at("2026-01/cloud/acme/contract"), 96 * 500);
  EXPECT_EQ(costs.at("2026-02/cloud/acme/contract"), 144 * 500);
  EXPECT_EQ(costs.at("2026-02/cloud/beta/contract"), 48 * 500);
  for (const auto& [key, cents] : costs) EXPECT_EQ(key.find("penalty"), std::string::npos) << key;
  EXPECT_DOUBLE_EQ(r.cloud_burst_gpu_hours, 288.0);
  EXPECT_EQ(r.cloud_cost_cents, 288 * 500);
  EXPECT_EQ(r.lost_revenue_cents, 0);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.pnl_monthly_csv.find(",0,0.00,96,480.00,96\n"), std::string::npos) << files.pnl_monthly_csv;
  EXPECT_NE(files.pnl_monthly_csv.find(",0,0.00,192,960.00,192\n"), std::string::npos) << files.pnl_monthly_csv;
  EXPECT_EQ(reconcile_memo_lines(dir, r), 4);
}

TEST(DemandNotServed, AContractTheFleetCoversHasNoShortfall) {
  const test_support::ScratchDir dir;
  const run::RunResult r = run_one_server(dir, "3 d", "0,1,3600\n", "other", R"(finance:
  price: 2 USD/GPU-hour
  contracts: [{tenant: acme, gpu: h100, gpus: 8, term: 3 d, penalty: 1 USD/GPU-hour}]
)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.contract_shortfall_gpu_hours, 0.0);
  EXPECT_EQ(r.lost_revenue_cents, 0);
  EXPECT_EQ(cells(r.monthly_revenue).at("2026-02/reserved/acme/h100"), 8 * 48 * 200);
}

}  // namespace
}  // namespace dcsim
