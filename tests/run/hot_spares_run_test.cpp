// Hot spares end to end (hall key hot_spares): the summary fields, spares out of the GPU-hours
// available (so used never exceeds available), and the same run as before without the key.
#include <gtest/gtest.h>

#include <string>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "tests/support/run_text.h"

namespace dcsim {
namespace {

using test_support::run_text;

// 8 DGX H100 (64 GPUs) kept busy by 16-GPU jobs, servers failing at 1 per 5 days each.
std::string hall_with(const std::string& extra) {
  return R"(name: spares
start: 2026-01-01
horizon: 30 d
seed: 7
sites:
  - name: s
    halls:
      - name: h
)" + extra + R"(        racks: [{count: 2, server: dgx-h100, servers_per_rack: 4}]
workloads:
  - name: w
    arrivals: {process: poisson, rate: 4 /day}
    gpus: 16
    duration: {exponential: {mean: 2 d}}
    checkpoint: {interval: 1 h, restart: 10 min}
failures:
  - {name: host, per: server, time_between: {exponential: {mean: 5 d}}, repair: {exponential: {mean: 12 h}}}
)";
}

double number_after(const std::string& text, const std::string& key) {
  const auto at = text.find("\"" + key + "\": ");
  EXPECT_NE(at, std::string::npos) << key;
  if (at == std::string::npos) return -1.0;
  return std::stod(text.substr(at + key.size() + 4));
}

TEST(HotSparesRun, SummaryReportsSparesAndAvailableGpuHoursLeaveThemOut) {
  const run::RunResult r = run_text(hall_with("        hot_spares: 2\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.model.gpus_total, 64);
  EXPECT_EQ(r.model.spare_gpus, 16);
  // 48 GPUs available for 720 h; the busy GPU-hours stay within them, hour by hour too.
  EXPECT_DOUBLE_EQ(r.gpu_hours_available, 48.0 * 720.0);
  EXPECT_LE(static_cast<double>(r.model.busy_gpu_us) / 3.6e9, r.gpu_hours_available);
  EXPECT_LE(r.gpu_utilization, 1.0);
  for (const model::IntervalRow& row : r.model.hours) {
    EXPECT_DOUBLE_EQ(row.gpus_total, 48.0);
    EXPECT_LE(row.gpus_busy, 48.0 + 1e-9);
  }
  EXPECT_GT(r.model.spare_swaps, 0u);
  EXPECT_LE(r.model.spare_swaps, r.model.interruptions_by_cause[0]);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_EQ(number_after(files.summary_json, "spare_gpus"), 16.0);
  EXPECT_EQ(number_after(files.summary_json, "spare_swaps"), static_cast<double>(r.model.spare_swaps));
  EXPECT_DOUBLE_EQ(number_after(files.summary_json, "hours_without_spare"), r.model.hours_without_spare);
  EXPECT_DOUBLE_EQ(number_after(files.summary_json, "gpu_hours_available"), 48.0 * 720.0);
}

TEST(HotSparesRun, ZeroSparesIsTheRunWithoutTheKey) {
  // hot_spares: 0 is the default: the same run event for event, and no spare fields.
  const run::RunResult none = run_text(hall_with(""));
  const run::RunResult zero = run_text(hall_with("        hot_spares: 0\n"));
  ASSERT_TRUE(none.ok() && zero.ok());
  EXPECT_EQ(none.model.fingerprint, zero.model.fingerprint);
  EXPECT_EQ(none.model.spare_gpus, 0);
  const reports::ResultsFiles files = reports::render_results(none, "");
  EXPECT_EQ(files.summary_json.find("spare_"), std::string::npos);
  EXPECT_EQ(files.summary_json.find("hours_without_spare"), std::string::npos);
}

}  // namespace
}  // namespace dcsim
