// Cost per training run (kpis.csv, summary.json) and lost revenue at the price of its month
// (issue #6), on tiny replayed traces worked out by hand to the cent.
#include <gtest/gtest.h>

#include <string>

#include "reports/reconcile.h"
#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "tests/support/one_server_run.h"

namespace dcsim {
namespace {

run::RunResult run_trace(const test_support::ScratchDir& dir, const std::string& start, const std::string& horizon,
                         const std::string& trace, const std::string& finance) {
  dir.write("jobs.csv", "submit_s,gpus,duration_s\n" + trace);
  return test_support::run_scenario_text(dir, "s.yaml",
                                         test_support::one_server_head("runs", start, horizon) +
                                             "  - name: pretrain\n    tenant: acme\n"
                                             "    arrivals: {process: trace, file: jobs.csv, format: csv}\n"
                                             "scheduler: {policy: fifo}\n" +
                                             finance);
}

TEST(TrainingRunCost, CompletedRunsCarryTheirGpuHoursAtTheYearsCostPerAllocatedGpuHour) {
  const test_support::ScratchDir dir;
  // One 8-GPU server, one day of January 2026, staff 3100 USD a month: 100.00 USD of cost (the
  // servers are free, electricity unpriced). j1: 8 GPUs 0-5 h (40 GPU-hours); j2 (arrives 1 h,
  // 4 GPUs, 2 h) runs 5-7 h (8); j3 (arrives 2 h, 8 GPUs, 30 h) runs 7-24 h and does not
  // complete (136). Allocated: 184 GPU-hours, so 100 / 184 USD each; the two completed runs
  // held 48: 48 x 100 / 184 = 26.0869... -> 26.09 USD, 13.045 USD a run.
  const run::RunResult r = run_trace(dir, "2026-01-01", "1 d", "0,8,18000\n3600,4,7200\n7200,8,108000\n",
                                     "finance: {staff_per_month: 3100 USD}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.total_cost_cents, 10'000);
  EXPECT_DOUBLE_EQ(r.gpu_hours_allocated, 184.0);
  ASSERT_EQ(r.training_run_costs.size(), 1u);
  EXPECT_EQ(r.training_run_costs[0].year, 2026);
  EXPECT_EQ(r.training_run_costs[0].runs, 2u);
  EXPECT_DOUBLE_EQ(r.training_run_costs[0].gpu_hours, 48.0);
  EXPECT_EQ(r.training_run_costs[0].cost_cents, 2'609);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.kpis_csv.find("cost_per_allocated_gpu_hour_usd,training_runs,training_run_cost_usd,cost_per_training_run_usd,"
                                "revenue_usd"),
            std::string::npos)
      << files.kpis_csv;
  EXPECT_NE(files.kpis_csv.find(",2,26.09,13.045,"), std::string::npos) << files.kpis_csv;
  EXPECT_NE(files.summary_json.find("\"training_runs\": 2,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.summary_json.find("\"training_run_cost_usd\": 26.09,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.summary_json.find("\"cost_per_training_run_usd\": 13.045,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.summary_json.find("{\"workload\": \"pretrain\", \"runs\": 2, \"gpu_hours\": 48, \"cost_usd\": 26.09, "
                                    "\"cost_per_run_usd\": 13.045}"),
            std::string::npos)
      << files.summary_json;
  // kpis.csv's training_run_cost_usd adds up to summary.json's (dcsim report --reconcile).
  ASSERT_TRUE(reports::write_results_folder(files, dir / "out", false).ok);
  const reports::ReconcileOutcome rec = reports::reconcile_results_folder(dir / "out");
  ASSERT_TRUE(rec.error.empty()) << rec.error;
  int training_lines = 0;
  for (const reports::ReconcileLine& line : rec.lines) {
    EXPECT_EQ(line.report_cents, line.expected_cents) << line.report << " vs " << line.against;
    if (line.report.find("training_run_cost_usd") != std::string::npos) ++training_lines;
  }
  EXPECT_EQ(training_lines, 1);
}

TEST(TrainingRunCost, EachFiscalYearChargesItsRunsAtItsOwnRate) {
  const test_support::ScratchDir dir;
  // From 2026-12-31, two days, staff 3100 USD a month: 100.00 USD in each day (December and
  // January both have 31 days). j1: 8 GPUs 0-20 h, completes in 2026 (160 GPU-hours); j2
  // (arrives 1 h, 8 GPUs, 10 h) runs 20-30 h, completes in 2027 (80: 32 in 2026, 48 in 2027).
  // 2026: 192 GPU-hours allocated, j1 costs 160 x 100 / 192 = 83.333 -> 83.33 USD.
  // 2027: 48 allocated, j2 costs 80 x 100 / 48 = 166.666 -> 166.67 USD (its 2026 hours at the
  // rate of the year it completed).
  const run::RunResult r = run_trace(dir, "2026-12-31", "2 d", "0,8,72000\n3600,8,36000\n",
                                     "finance: {staff_per_month: 3100 USD}\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.training_run_costs.size(), 2u);
  EXPECT_EQ(r.training_run_costs[0].year, 2026);
  EXPECT_EQ(r.training_run_costs[0].cost_cents, 8'333);
  EXPECT_EQ(r.training_run_costs[1].year, 2027);
  EXPECT_DOUBLE_EQ(r.training_run_costs[1].gpu_hours, 80.0);
  EXPECT_EQ(r.training_run_costs[1].cost_cents, 16'667);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.kpis_csv.find("\n2026,192,192,1,100.00,"), std::string::npos) << files.kpis_csv;
  EXPECT_NE(files.kpis_csv.find(",1,83.33,83.33,"), std::string::npos)
      << files.kpis_csv;
  EXPECT_NE(files.kpis_csv.find(",1,166.67,166.67,"), std::string::npos) << files.kpis_csv;
  EXPECT_NE(files.summary_json.find("\"cost_per_training_run_usd\": 125,"), std::string::npos) << files.summary_json;
}

TEST(TrainingRunCost, WithoutCompletedRunsThereAreNoTrainingFigures) {
  const test_support::ScratchDir dir;
  // One run of 8 GPUs for 50 h, still running at the end of the day.
  const run::RunResult r = run_trace(dir, "2026-01-01", "1 d", "0,8,180000\n", "finance: {staff_per_month: 3100 USD}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.training_run_costs.empty());
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_EQ(files.summary_json.find("training_run"), std::string::npos);
  EXPECT_NE(files.kpis_csv.find(",0,0.00,0,"), std::string::npos) << files.kpis_csv;
}

TEST(UnmetDemand, LostRevenueTakesThePriceInEffectInItsMonth) {
  const test_support::ScratchDir dir;
  // From 2026-12-31: j1 holds all 8 GPUs 0-30 h; j2 (8 GPUs, arrives 2 h) waits until 30 h.
  // Beyond max_wait (from 3 h): 21 h in December x 8 = 168 GPU-hours at 2 USD = 336.00, and
  // 6 h in January 2027 x 8 = 48 at 2 x (1 - 0.25) = 1.50 USD = 72.00. Before the fix the
  // January hours were lost at 2 USD (96.00).
  const run::RunResult r = run_trace(dir, "2026-12-31", "2 d", "0,8,108000\n7200,8,3600\n",
                                     "finance: {price: 2 USD/GPU-hour, price_decline_per_year: 0.25, unmet: {max_wait: 1 h}}\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.pnl.size(), 2u);
  EXPECT_EQ(r.pnl[0].revenue_lost_cents, 33'600);
  EXPECT_EQ(r.pnl[1].revenue_lost_cents, 7'200);
  EXPECT_EQ(r.lost_revenue_cents, 40'800);
  EXPECT_DOUBLE_EQ(r.lost_revenue_usd, 408.0);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.summary_json.find("\"lost_revenue_usd\": 408.00,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.kpis_csv.find(",48,72.00,0,0.00,0\n"), std::string::npos) << files.kpis_csv;
}

}  // namespace
}  // namespace dcsim
