// Trace replay: every job of a trace arrives at its submission time with its GPUs and runs for
// its duration; a broken trace is a scenario error with the file's line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/run/run.h"
#include "sim/scenario/loader.h"

namespace dcsim {
namespace {

namespace fs = std::filesystem;

const char* kScenario = R"(name: replay
start: 2026-01-01
horizon: 2 d
sites:
  - name: s
    halls:
      - name: h
        racks: [{count: 1, server: dgx-h100, servers_per_rack: 2}]
workloads:
  - name: traced
    arrivals: {process: trace, file: jobs.csv, format: csv}
scheduler: {policy: fifo}
)";

run::RunResult replay(const std::string& csv) {
  const fs::path dir = fs::temp_directory_path() / ("dcsim-replay-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "jobs.csv") << csv;
  std::ofstream(dir / "replay.yaml") << kScenario;
  scenario::LoadResult loaded = scenario::load_scenario_file((dir / "replay.yaml").string());
  EXPECT_TRUE(loaded.ok()) << (loaded.diagnostics.empty() ? "" : scenario::format_diagnostic(loaded.diagnostics[0]));
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  req.record_jobs = true;
  run::RunResult r = run::run(std::move(req));
  fs::remove_all(dir);
  return r;
}

TEST(TraceReplay, JobsArriveAndRunAsTheTraceSays) {
  // 16 GPUs: the 16-GPU job at 60 s must wait for the 8-GPU job to end at 100 + 3600 s.
  const run::RunResult r = replay("submit_s,gpus,duration_s\n100,8,3600\n60,16,600\n7200,0.5,60\n");
  ASSERT_TRUE(r.ok()) << scenario::format_diagnostic(r.diagnostics[0]);
  ASSERT_EQ(r.model.jobs.size(), 3u);
  const auto& first = r.model.jobs[0];  // sorted by submission: the 16-GPU job at 60 s
  EXPECT_EQ(first.arrival, 0);          // times count from the trace's first submission
  EXPECT_EQ(first.gpus, 16);
  EXPECT_EQ(first.end - first.start, 600 * engine::kMicrosPerSecond);
  const auto& second = r.model.jobs[1];
  EXPECT_EQ(second.arrival, 40 * engine::kMicrosPerSecond);
  EXPECT_EQ(second.start, 600 * engine::kMicrosPerSecond) << "waits for the 16-GPU job";
  EXPECT_EQ(r.model.jobs[2].gpus, 1) << "a shared-GPU request gets a whole GPU";
  EXPECT_EQ(r.model.jobs_completed, 3u);
}

TEST(TraceReplay, ABadRowIsAScenarioErrorNamingTheLine) {
  const run::RunResult r = replay("submit_s,gpus,duration_s\n100,8,3600\n200,eight,60\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics[0].code, "S118");
  EXPECT_NE(r.diagnostics[0].message.find(":3"), std::string::npos) << r.diagnostics[0].message;
}

}  // namespace
}  // namespace dcsim
