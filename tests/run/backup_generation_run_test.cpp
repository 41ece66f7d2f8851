// Backup generation end to end: reported against the site's peak critical (IT) load in
// summary.json and capacity.csv, without changing the run.
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

using test_support::run_text;
using test_support::json_number;

// Two DGX H100 (16 GPUs, 10.2 kW each at full draw) kept full by month-long 8-GPU jobs
// arriving every few minutes: the critical load peaks at 2 x 10.2 = 20.4 kW.
std::string site_with(const std::string& backup) {
  return R"(name: backup
start: 2026-01-01
horizon: 3 d
sites:
  - name: s
)" + backup + R"(
    halls:
      - name: h
        racks: [{count: 1, server: dgx-h100, servers_per_rack: 2}]
workloads:
  - name: w
    arrivals: {process: poisson, rate: 500 /day}
    gpus: 8
    duration: 30 d
)";
}

std::string capacity_row(const std::string& csv, const std::string& envelope) {
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("," + envelope + ",") != std::string::npos) return line;
  }
  return "";
}

TEST(BackupGeneration, CoverageIsGenerationOverPeakCriticalLoad) {
  const run::RunResult r = run_text(site_with("    backup_generation: 15 kW"));
  ASSERT_TRUE(r.ok());
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_DOUBLE_EQ(json_number(files.summary_json, "backup_generation_kw"), 15.0);
  EXPECT_NEAR(json_number(files.summary_json, "peak_critical_load_kw"), 20.4, 1e-9);
  EXPECT_NEAR(json_number(files.summary_json, "backup_coverage"), 15.0 / 20.4, 1e-12);
  // capacity.csv: month,envelope,site,hall,unit,peak_demand,limit,headroom,headroom_fraction
  const std::string row = capacity_row(files.capacity_csv, "backup_generation");
  ASSERT_EQ(row.rfind("2026-01,backup_generation,s,,kW,", 0), 0u) << row;
  std::istringstream fields(row.substr(std::string("2026-01,backup_generation,s,,kW,").size()));
  double peak = 0, limit = 0, headroom = 0;
  char comma = 0;
  fields >> peak >> comma >> limit >> comma >> headroom;
  EXPECT_NEAR(peak, 20.4, 1e-9);
  EXPECT_DOUBLE_EQ(limit, 15.0);
  EXPECT_NEAR(headroom, 15.0 - 20.4, 1e-9);
  // The first month it ran short is the envelope's first_month_short.
  EXPECT_NE(files.summary_json.find("{\"envelope\": \"backup_generation\", \"site\": \"s\""), std::string::npos);
  EXPECT_NE(files.summary_json.find("\"first_month_short\": \"2026-01\""), std::string::npos);
}

TEST(BackupGeneration, IsReportedOnlyAndLeavesTheRunUnchanged) {
  const run::RunResult with = run_text(site_with("    backup_generation: 15 kW"));
  const run::RunResult without = run_text(site_with(""));
  ASSERT_TRUE(with.ok() && without.ok());
  EXPECT_EQ(with.model.fingerprint, without.model.fingerprint);
  EXPECT_EQ(with.model.lost_gpu_hours, 0.0);
  const reports::ResultsFiles files = reports::render_results(without, "");
  EXPECT_EQ(files.summary_json.find("backup_generation"), std::string::npos);
  EXPECT_EQ(files.capacity_csv.find("backup_generation"), std::string::npos);
}

}  // namespace
}  // namespace dcsim
