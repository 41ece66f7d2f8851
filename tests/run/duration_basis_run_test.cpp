// duration_basis: h100 end to end: a job's duration is H100 work, done faster on B200 and slower
// on A100 by the ratio of dense BF16 throughput (end times by hand); the default is unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/model/catalog.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/one_server_run.h"

namespace dcsim {
namespace {

// One 8-GPU server of a GPU type of `tflops` dense BF16 (none when empty), one 10-hour 8-GPU job
// at the start, with the given duration_basis line (or none).
std::string scenario_text(const std::string& tflops, const std::string& basis_line) {
  return std::string(R"(name: basis
start: 2026-01-01
horizon: 2 d
catalog:
  gpus: [{name: part, idle_power: 70 W, tdp: 700 W)") +
         (tflops.empty() ? "" : ", bf16_tflops: " + tflops) + R"(}]
  servers: [{name: s8, gpu: part, gpus: 8, price: 0 USD}]
sites:
  - name: s
    halls: [{name: h, racks: [{count: 1, server: s8}]}]
workloads:
  - name: train
    arrivals: {process: trace, file: jobs.csv, format: csv}
)" + basis_line;
}

engine::SimTime end_of_only_job(const std::string& tflops, const std::string& basis_line) {
  const test_support::ScratchDir dir;
  dir.write("jobs.csv", "submit_s,gpus,duration_s\n0,8,36000\n");
  const run::RunResult r = test_support::run_scenario_text(dir, "basis.yaml", scenario_text(tflops, basis_line), true);
  EXPECT_EQ(r.model.jobs.size(), 1u);
  if (r.model.jobs.size() != 1) return -1;
  EXPECT_EQ(r.model.jobs[0].start, 0);
  return r.model.jobs[0].end;
}

TEST(DurationBasis, ReferenceIsTheBuiltinH100) {
  EXPECT_DOUBLE_EQ(model::builtin_catalog().find_gpu(model::kReferenceGpu)->bf16_tflops, 989.0);
  EXPECT_DOUBLE_EQ(model::relative_speed(*model::builtin_catalog().find_gpu("b200")), 2250.0 / 989.0);
}

TEST(DurationBasis, B200RunsShorterA100Longer) {
  const double work_us = 36000e6;  // 10 h on H100s
  // B200: 2250 TFLOPS against the H100's 989: 10 h x 989 / 2250 = 4.3956 h.
  EXPECT_EQ(end_of_only_job("2250", "    duration_basis: h100\n"),
            static_cast<engine::SimTime>(std::ceil(work_us / (2250.0 / 989.0))));
  // A100: 312 TFLOPS: 10 h x 989 / 312 = 31.7 h.
  EXPECT_EQ(end_of_only_job("312", "    duration_basis: h100\n"),
            static_cast<engine::SimTime>(std::ceil(work_us / (312.0 / 989.0))));
  // An H100 runs it in its duration.
  EXPECT_EQ(end_of_only_job("989", "    duration_basis: h100\n"), engine::SimTime{36'000'000'000});
}

// A restart stays wall time on a faster part. One B200 server under policy priority: "batch"
// (preemptible, no checkpoint, 8 GPUs, 10 H100-hours) starts at 0 and is preempted at once by
// prod's 1-GPU 1-minute job; it restarts at 1 min (30 min restart_cost, then 10 h x 989 / 2250)
// and is preempted again at 1 h by prod's 8-GPU 1-hour job, having done 30 min of restart and 29
// min of work (29 x 2250 / 989 H100-minutes lost); it starts over at 2 h: ends at 2.5 h + 4.3956 h.
TEST(DurationBasis, RestartIsWallTimeAndLostWorkIsH100Work) {
  const test_support::ScratchDir dir;
  dir.write("batch.csv", "submit_s,gpus,duration_s\n0,8,36000\n");
  dir.write("prod.csv", "submit_s,gpus,duration_s\n0,1,60\n3600,8,3600\n");
  std::string text = scenario_text("2250", "    duration_basis: h100\n    preemptible: yes\n");
  const std::string from = "file: jobs.csv";
  text.replace(text.find(from), from.size(), "file: batch.csv");
  text += R"(  - name: prod
    priority: 5
    arrivals: {process: trace, file: prod.csv, format: csv}
scheduler: {policy: priority, restart_cost: 30 min}
)";
  const run::RunResult r = test_support::run_scenario_text(dir, "restart.yaml", text, true);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.model.jobs.size(), 3u);
  const double rel = 2250.0 / 989.0;
  for (const model::JobRecord& j : r.model.jobs) {
    if (j.workload != 0) continue;
    EXPECT_EQ(j.preemptions, 2);
    EXPECT_NEAR(static_cast<double>(j.end), 2.5 * 3.6e9 + 36000e6 / rel, 2.0);
  }
  EXPECT_NEAR(r.model.restart_gpu_hours, 8 * 2 * 0.5, 1e-9);
  EXPECT_NEAR(r.model.work_lost_gpu_hours, 8 * 29.0 / 60.0 * rel, 1e-6);
}

TEST(DurationBasis, DefaultIsFullSpeedOnAnyPart) {
  EXPECT_EQ(end_of_only_job("2250", ""), engine::SimTime{36'000'000'000});
  EXPECT_EQ(end_of_only_job("2250", "    duration_basis: full-speed\n"), engine::SimTime{36'000'000'000});
}

TEST(DurationBasis, PartWithoutThroughputIsAnError) {
  const test_support::ScratchDir dir;
  dir.write("jobs.csv", "submit_s,gpus,duration_s\n0,8,36000\n");
  scenario::LoadResult loaded = scenario::load_scenario_file(dir.write("basis.yaml", scenario_text("", "    duration_basis: h100\n")));
  ASSERT_TRUE(loaded.ok());
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  const run::RunResult r = run::run(std::move(req));
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].code, "S112");
  EXPECT_NE(r.diagnostics[0].message.find("no bf16_tflops"), std::string::npos) << r.diagnostics[0].message;
  EXPECT_EQ(r.diagnostics[0].pos.line, 13);  // the duration_basis line
}

TEST(DurationBasis, UnknownChoiceSuggests) {
  const test_support::ScratchDir dir;
  dir.write("jobs.csv", "submit_s,gpus,duration_s\n0,8,36000\n");
  const scenario::LoadResult loaded =
      scenario::load_scenario_file(dir.write("basis.yaml", scenario_text("2250", "    duration_basis: h10\n")));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.diagnostics[0].code, "S116");
}

}  // namespace
}  // namespace dcsim
