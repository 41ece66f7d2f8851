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

// A service's `priority` reaches the run: on the one 8-GPU server, two services of one 8-GPU
// replica each; only one fits. Without priorities the first listed takes the server; with
// priorities 1 and 5 the second does; with 5 on the second only, the first (without a priority,
// above every priority) still does.
TEST(PriorityRun, AServicesPriorityDecidesWhichServiceTakesTheServer) {
  const test_support::ScratchDir dir;
  const auto services = [](const std::string& first_priority, const std::string& second_priority) {
    std::string text;
    for (const char* name : {"first", "second"}) {
      text += std::string("  - name: ") + name + "\n    kind: inference\n";
      text += std::string(name) == "first" ? first_priority : second_priority;
      text += "    service: {gpus_per_replica: 8, throughput: 10 /s, base_rate: 5 /s,"
              " autoscaler: {min_replicas: 1, max_replicas: 1}}\n";
    }
    return text;
  };
  const std::string head = test_support::one_server_head("svc-prio", "2026-01-01", "1 d");
  const run::RunResult plain = test_support::run_scenario_text(dir, "plain.yaml", head + services("", ""));
  const run::RunResult ranked = test_support::run_scenario_text(
      dir, "ranked.yaml", head + services("    priority: 1\n", "    priority: 5\n"));
  const run::RunResult half = test_support::run_scenario_text(dir, "half.yaml", head + services("", "    priority: 5\n"));
  ASSERT_TRUE(plain.ok() && ranked.ok() && half.ok());
  for (const run::RunResult* r : {&plain, &ranked, &half}) ASSERT_EQ(r->model.services.size(), 2u);
  EXPECT_DOUBLE_EQ(plain.model.services[0].mean_replicas, 1.0);
  EXPECT_DOUBLE_EQ(plain.model.services[1].mean_replicas, 0.0);
  EXPECT_DOUBLE_EQ(ranked.model.services[0].mean_replicas, 0.0);
  EXPECT_DOUBLE_EQ(ranked.model.services[1].mean_replicas, 1.0);
  EXPECT_DOUBLE_EQ(half.model.services[0].mean_replicas, 1.0);
  EXPECT_DOUBLE_EQ(half.model.services[1].mean_replicas, 0.0);
}

}  // namespace
}  // namespace dcsim
