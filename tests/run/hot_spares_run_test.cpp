// Hot spares end to end (hall key hot_spares): the summary fields, spares out of the GPU-hours
// available (so used never exceeds available), and the same run as before without the key.
#include <gtest/gtest.h>

#include <string>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "tests/support/run_text.h"
#include "tests/support/json_number.h"

namespace dcsim {
namespace {

using test_support::run_text;
using test_support::json_number;

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
  EXPECT_EQ(json_number(files.summary_json, "spare_gpus"), 16.0);
  EXPECT_EQ(json_number(files.summary_json, "spare_swaps"), static_cast<double>(r.model.spare_swaps));
  EXPECT_DOUBLE_EQ(json_number(files.summary_json, "hours_without_spare"), r.model.hours_without_spare);
  EXPECT_DOUBLE_EQ(json_number(files.summary_json, "gpu_hours_available"), 48.0 * 720.0);
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

// Three halls of 8 DGX H100: one spare in the first, two by the map form in the second, none in
// the third. Servers fail at 1 per 3 days each, so the spares are used and sometimes run out.
std::string three_halls() {
  std::string text = "name: spares-per-hall\nstart: 2026-01-01\nhorizon: 30 d\nseed: 11\nsites:\n  - name: s\n    halls:\n";
  for (const char* hall : {"h1", "h2", "h3"}) {
    text += std::string("      - name: ") + hall + "\n";
    if (std::string(hall) == "h1") text += "        hot_spares: 1\n";
    if (std::string(hall) == "h2") text += "        hot_spares: {dgx-h100: 2}\n";
    text += "        racks: [{count: 2, server: dgx-h100, servers_per_rack: 4}]\n";
  }
  return text + R"(workloads:
  - name: w
    arrivals: {process: poisson, rate: 12 /day}
    gpus: 16
    duration: {exponential: {mean: 2 d}}
    checkpoint: {interval: 1 h, restart: 10 min}
failures:
  - {name: host, per: server, time_between: {exponential: {mean: 3 d}}, repair: {exponential: {mean: 18 h}}}
)";
}

TEST(HotSparesRun, PerHallFiguresAddUpToTheTotals) {
  const run::RunResult r = run_text(three_halls());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.model.hall_spares.size(), 3u);
  EXPECT_EQ(r.model.hall_spares[0].spare_gpus, 8);
  EXPECT_EQ(r.model.hall_spares[1].spare_gpus, 16);
  EXPECT_EQ(r.model.hall_spares[2].spare_gpus, 0);
  EXPECT_EQ(r.model.hall_spares[2].spare_swaps, 0u);
  EXPECT_EQ(r.model.hall_spares[2].hours_without_spare, 0.0);  // a hall without spares never counts
  EXPECT_EQ(r.model.spare_gpus, 24);
  EXPECT_GT(r.model.hall_spares[0].spare_swaps, 0u);
  EXPECT_GT(r.model.hall_spares[1].spare_swaps, 0u);
  EXPECT_EQ(r.model.hall_spares[0].spare_swaps + r.model.hall_spares[1].spare_swaps, r.model.spare_swaps);
  // The one-spare hall runs out now and then; hall-hours add up (sums in another order: rounding only).
  EXPECT_GT(r.model.hall_spares[0].hours_without_spare, 0.0);
  EXPECT_NEAR(r.model.hall_spares[0].hours_without_spare + r.model.hall_spares[1].hours_without_spare,
              r.model.hours_without_spare, 1e-9 * r.model.hours_without_spare);
  EXPECT_LE(r.model.hall_spares[0].hours_without_spare, 720.0);
  const reports::ResultsFiles files = reports::render_results(r, "");
  const std::string& json = files.summary_json;
  const auto list = json.find("\"hall_spares\": [");
  ASSERT_NE(list, std::string::npos) << json;
  const std::string h1 = "{\"site\": \"s\", \"hall\": \"h1\", \"spare_gpus\": 8, \"spare_swaps\": " +
                         std::to_string(r.model.hall_spares[0].spare_swaps) + ", \"hours_without_spare\": ";
  EXPECT_NE(json.find(h1, list), std::string::npos) << json;
  EXPECT_NE(json.find("\"hall\": \"h2\", \"spare_gpus\": 16", list), std::string::npos) << json;
  EXPECT_EQ(json.find("\"hall\": \"h3\", \"spare_gpus\"", list), std::string::npos) << json;  // no spares, not listed
}

TEST(HotSparesRun, MapFormSparesOnlyTheTypesItNames) {
  // One type in the hall: the map form is the whole number, event for event.
  const run::RunResult number = run_text(hall_with("        hot_spares: 2\n"));
  const run::RunResult map = run_text(hall_with("        hot_spares: {dgx-h100: 2}\n"));
  ASSERT_TRUE(number.ok() && map.ok());
  EXPECT_EQ(number.model.fingerprint, map.model.fingerprint);
  EXPECT_EQ(map.model.spare_gpus, 16);
  // Two types: only the named one holds spares (8 DGX H100 and 4 HGX H200; one H200 spare).
  std::string two = hall_with("        hot_spares: {hgx-h200: 1}\n");
  const std::string racks = "racks: [{count: 2, server: dgx-h100, servers_per_rack: 4}]";
  two.replace(two.find(racks), racks.size(),
              "racks: [{count: 2, server: dgx-h100, servers_per_rack: 4}, {count: 1, server: hgx-h200, servers_per_rack: 4}]");
  const run::RunResult mixed = run_text(two);
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed.model.gpus_total, 96);
  EXPECT_EQ(mixed.model.spare_gpus, 8);
  EXPECT_DOUBLE_EQ(mixed.gpu_hours_available, 88.0 * 720.0);
}

}  // namespace
}  // namespace dcsim
