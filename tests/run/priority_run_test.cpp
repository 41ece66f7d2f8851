// scheduler.policy priority end to end: a replayed high-priority job preempts a preemptible one
// on a one-server hall; summary.json and jobs.csv report the preemption (times by hand).
#include <gtest/gtest.h>

#include <string>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "tests/support/one_server_run.h"

namespace dcsim {
namespace {

TEST(PriorityRun, PreemptionIsCountedInSummaryAndJobsCsv) {
  const test_support::ScratchDir dir;
  // One 8-GPU server. A trace's times count from its first submission, so "prod" (priority 5)
  // opens with a 1-GPU, 1-minute job at 0. "batch" (preemptible, no checkpoint, 8 GPUs for 4 h)
  // arrives first at 0 and starts; prod's 1-GPU job, arriving at the same instant, preempts it
  // (no work lost) and runs 0-1 min. Batch restarts at 1 min with 30 min restart_cost + 4 h.
  // Prod's 8-GPU 1 h job at 1 h preempts it again (59 min done: 30 min restart, 29 min of work
  // lost) and runs 1-2 h; batch starts over at 2 h with 30 min + 4 h: ends at 6.5 h.
  dir.write("batch.csv", "submit_s,gpus,duration_s\n0,8,14400\n");
  dir.write("prod.csv", "submit_s,gpus,duration_s\n0,1,60\n3600,8,3600\n");
  const run::RunResult r = test_support::run_scenario_text(dir, "prio.yaml",
                                                           test_support::one_server_head("prio", "2026-01-01", "1 d") + R"(  - name: batch
    preemptible: yes
    arrivals: {process: trace, file: batch.csv, format: csv}
  - name: prod
    priority: 5
    arrivals: {process: trace, file: prod.csv, format: csv}
scheduler: {policy: priority, restart_cost: 30 min}
)",
                                                           /*record_jobs=*/true);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.model.jobs.size(), 3u);
  EXPECT_EQ(r.model.preemptions, 2u);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.summary_json.find("\"preemptions\": 2,"), std::string::npos) << files.summary_json;
  EXPECT_NE(files.jobs_csv.find(",switches_spanned,preemptions\n"), std::string::npos) << files.jobs_csv;
  // Prod's second job runs 1-2 h; batch keeps its first start (0) and ends at 6.5 h after two
  // preemptions.
  EXPECT_NE(files.jobs_csv.find(",prod,shared,8,2026-01-01T01:00:00Z,2026-01-01T01:00:00Z,2026-01-01T02:00:00Z,0,1,"
                                "completed,1,0,0\n"),
            std::string::npos)
      << files.jobs_csv;
  EXPECT_NE(files.jobs_csv.find(",batch,shared,8,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,2026-01-01T06:30:00Z,"
                                "0,6.5,completed,1,0,2\n"),
            std::string::npos)
      << files.jobs_csv;
  EXPECT_NEAR(r.model.work_lost_gpu_hours, 8 * 29.0 / 60.0, 1e-9);
  EXPECT_NEAR(r.model.restart_gpu_hours, 8 * 2 * 0.5, 1e-9);
}

}  // namespace
}  // namespace dcsim
