// `dcsim plan` as a user meets it: it writes plan.csv and plan.yaml, `dcsim run` accepts the
// plan, and a bad target is explained with exit 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/cli/cli_test_support.h"
#include "tests/support/scratch_dir.h"

namespace fs = std::filesystem;

namespace {

using dcsim::cli_test::Outcome;
using dcsim::cli_test::read_file;

// From the source folder, where the example scenarios are.
Outcome dcsim(const std::string& args) { return dcsim::cli_test::dcsim(args, dcsim::cli_test::kSource); }

TEST(PlanCli, WritesPlanCsvAndAPlanYamlThatRunAccepts) {
  const fs::path dir = fs::temp_directory_path() / ("dcsim-plan-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const Outcome o = dcsim("plan scenarios/examples/growth-with-expansions.yaml --target 'utilization<=0.85' -o '" +
                          (dir / "plan").string() + "'");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("chosen: "), std::string::npos) << o.out;
  const std::string csv = read_file(dir / "plan" / "plan.csv");
  ASSERT_EQ(csv.rfind("expansion,site,hall,decide,online,capex_usd,why\n", 0), 0u) << csv;
  // Every row is an expansion of the example's hall, decided before it comes online.
  std::size_t rows = 0;
  for (std::size_t at = csv.find('\n') + 1; at < csv.size(); at = csv.find('\n', at) + 1) {
    const std::string row = csv.substr(at, csv.find('\n', at) - at);
    EXPECT_NE(row.find(",quincy,h200-hall,"), std::string::npos) << row;
    const std::size_t decide = row.find(",h200-hall,") + 11;
    EXPECT_LT(row.substr(decide, 10), row.substr(decide + 11, 10)) << row;  // ISO dates sort as text
    // Last, why it was chosen: what its step tried and how the targets moved.
    EXPECT_NE(row.find(" tried alone: "), std::string::npos) << row;
    ++rows;
  }
  EXPECT_GE(rows, 1u);
  ASSERT_TRUE(fs::exists(dir / "plan" / "plan.yaml"));
  const Outcome r = dcsim("run '" + (dir / "plan" / "plan.yaml").string() + "' -q -o '" + (dir / "run").string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "run" / "summary.json"));
  // The folder exists now: a second plan into it refuses and leaves it alone.
  const Outcome again = dcsim("plan scenarios/examples/growth-with-expansions.yaml --target 'utilization<=0.85' -o '" +
                              (dir / "plan").string() + "'");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("use --force"), std::string::npos) << again.err;
  EXPECT_EQ(read_file(dir / "plan" / "plan.csv"), csv);
  fs::remove_all(dir);
}

TEST(PlanCli, ForceReplacesAnEarlierPlanFolderAndNothingElse) {
  const dcsim::test_support::ScratchDir scratch;
  const fs::path plan = scratch.folder() / "plan";
  fs::create_directories(plan);
  const std::string stale = "expansion,site,hall,decide,online,capex_usd\nstale,quincy,h200-hall,2026-01-01,2026-02-01,1.00\n";
  scratch.write("plan/plan.csv", stale);
  scratch.write("plan/plan.yaml", "name: stale\n");
  const std::string args = "plan scenarios/examples/growth-with-expansions.yaml --target 'utilization<=0.85' -o '";
  const Outcome o = dcsim(args + plan.string() + "' --force");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string csv = read_file(plan / "plan.csv");
  EXPECT_EQ(csv.rfind("expansion,site,hall,decide,online,capex_usd,why\n", 0), 0u) << csv;
  EXPECT_EQ(csv.find("stale"), std::string::npos) << csv;
  EXPECT_NE(read_file(plan / "plan.yaml"), "name: stale\n");
  // A folder that is neither a plan nor a results folder is refused before any search, untouched.
  const fs::path other = scratch.folder() / "notes";
  fs::create_directories(other);
  scratch.write("notes/notes.txt", "mine\n");
  const Outcome refused = dcsim(args + other.string() + "' --force");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("is not a dcsim plan folder"), std::string::npos) << refused.err;
  EXPECT_EQ(read_file(other / "notes.txt"), "mine\n");
  EXPECT_FALSE(fs::exists(other / "plan.csv"));
}

TEST(PlanCli, ABadTargetIsExplainedWithExit2) {
  const Outcome o = dcsim("plan scenarios/examples/growth-with-expansions.yaml --target 'utilisation<=0.85' -o /tmp/never");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("unknown target metric 'utilisation'"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists("/tmp/never"));
}

}  // namespace
