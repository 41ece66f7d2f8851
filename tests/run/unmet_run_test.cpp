// Unmet demand (finance.unmet) and cloud burst (finance.cloud_burst) on a tiny replayed trace
// whose queue is worked out by hand.
#include <gtest/gtest.h>

#include <string>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "tests/support/one_server_run.h"

namespace dcsim {
namespace {

// One server of 8 GPUs, FIFO, one day. Jobs (arrival h, GPUs, duration h):
// j1 (0, 8, 5.5), j2 (1, 8, 3), j3 (2, 4, 5), j4 (3, 8, 20), j5 (4, 8, 1).
const char* kTrace =
    "submit_s,gpus,duration_s\n"
    "0,8,19800\n"
    "3600,8,10800\n"
    "7200,4,18000\n"
    "10800,8,72000\n"
    "14400,8,3600\n";

run::RunResult run_finance(const test_support::ScratchDir& dir, const std::string& finance) {
  dir.write("jobs.csv", kTrace);
  return test_support::run_scenario_text(dir, "unmet.yaml",
                                         test_support::one_server_head("unmet", "2026-01-01", "1 d") + R"(  - name: traced
    tenant: acme
    arrivals: {process: trace, file: jobs.csv, format: csv}
scheduler: {policy: fifo}
)" + finance,
                                         /*record_jobs=*/true);
}

TEST(UnmetDemand, QueueingBeyondMaxWaitCountsUntilStartOrTheEndByHand) {
  const test_support::ScratchDir dir;
  const run::RunResult r = run_finance(dir, "finance: {price: 2 USD/GPU-hour, unmet: {max_wait: 1 h}}\n");
  ASSERT_TRUE(r.ok());
  // j1 runs 0-5.5 h; j2 5.5-8.5 (waited 4.5 h); j3 8.5-13.5 (6.5 h); j4 needs all 8 GPUs:
  // 13.5-33.5 (10.5 h); j5 never starts (queued 4-24 h: 20 h). Beyond 1 h:
  // 8 x 3.5 + 4 x 5.5 + 8 x 9.5 + 8 x 19 = 28 + 22 + 76 + 152 = 278 GPU-hours.
  EXPECT_DOUBLE_EQ(r.unmet_gpu_hours, 278.0);
  EXPECT_DOUBLE_EQ(r.lost_revenue_usd, 556.0);
  EXPECT_EQ(r.model.jobs_sent_to_cloud, 0u);
  const std::string summary = reports::render_results(r, "").summary_json;
  EXPECT_NE(summary.find("\"unmet_gpu_hours\": 278,"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"lost_revenue_usd\": 556.00"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("cloud_cost_usd"), std::string::npos);
}

TEST(CloudBurst, JobsQueuedPastAfterWaitLeaveForTheCloudAndAreCostedAndSoldByHand) {
  const test_support::ScratchDir dir;
  const run::RunResult r = run_finance(
      dir, "finance:\n  price: 2 USD/GPU-hour\n  unmet: {max_wait: 1 h}\n  cloud_burst: {price: 4 USD/GPU-hour, after_wait: 5 h}\n");
  ASSERT_TRUE(r.ok());
  // j2 starts at 5.5 h, before its 6 h burst; j3 (7 h) and j4 (8 h) are still queued behind j2
  // and leave; j5 then heads the queue and starts when j2 ends at 8.5 h, before 9 h.
  ASSERT_EQ(r.model.jobs.size(), 5u);
  EXPECT_EQ(r.model.jobs[1].state, model::JobState::completed);
  EXPECT_EQ(r.model.jobs[2].state, model::JobState::cloud);
  EXPECT_EQ(r.model.jobs[2].end, 7 * engine::kMicrosPerHour);
  EXPECT_EQ(r.model.jobs[3].state, model::JobState::cloud);
  EXPECT_EQ(r.model.jobs[4].start, 8 * engine::kMicrosPerHour + engine::kMicrosPerHour / 2);
  EXPECT_EQ(r.model.jobs_sent_to_cloud, 2u);
  // Cloud: j3 4 x 5 + j4 8 x 20 = 180 GPU-hours at 4 USD.
  EXPECT_DOUBLE_EQ(r.cloud_burst_gpu_hours, 180.0);
  EXPECT_EQ(r.cloud_cost_cents, 72'000);
  std::int64_t cloud_rows = 0;
  for (const finance::MonthlyCost& c : r.monthly_costs) {
    if (c.category == "cloud") {
      EXPECT_EQ(c.tenant, "acme");
      cloud_rows += c.cents;
    }
  }
  EXPECT_EQ(cloud_rows, 72'000);
  EXPECT_EQ(r.total_cost_cents, 72'000) << "the fleet is free; energy is not priced";
  // Revenue: here 8 x 5.5 + 8 x 3 + 8 x 1 = 76 GPU-hours, and the cloud's 180, at 2 USD.
  EXPECT_DOUBLE_EQ(r.gpu_hours_allocated, 76.0);
  EXPECT_EQ(r.total_revenue_cents, (76 + 180) * 200);
  // Unmet: j2 8 x 3.5 + j3 4 x (5 - 1) + j4 8 x (5 - 1) + j5 8 x 3.5 = 104 GPU-hours.
  EXPECT_DOUBLE_EQ(r.unmet_gpu_hours, 104.0);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.summary_json.find("\"jobs_sent_to_cloud\": 2,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.summary_json.find("\"cloud_cost_usd\": 720.00"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.jobs_csv.find(",cloud,"), std::string::npos) << files.jobs_csv;
}

TEST(CloudBurst, WithoutTheKeysNothingLeavesAndTheSummaryIsUnchanged) {
  const test_support::ScratchDir dir;
  const run::RunResult r = run_finance(dir, "finance: {price: 2 USD/GPU-hour}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.model.jobs_sent_to_cloud, 0u);
  EXPECT_EQ(r.model.jobs_waiting_at_end, 1u);  // j5
  const std::string summary = reports::render_results(r, "").summary_json;
  for (const char* key : {"unmet_gpu_hours", "lost_revenue_usd", "jobs_sent_to_cloud", "cloud_burst_gpu_hours", "cloud_cost_usd"})
    EXPECT_EQ(summary.find(key), std::string::npos) << key;
}

}  // namespace
}  // namespace dcsim
