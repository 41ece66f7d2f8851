// dcsim run --replications, sweep, sensitivity and compare as a user meets them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/cli/cli_test_support.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/json_number.h"

namespace fs = std::filesystem;

namespace {

const fs::path kSource = DCSIM_SOURCE_DIR;
const std::string kScenario = (kSource / "scenarios/default.yaml").string();

using dcsim::cli_test::dcsim;
using dcsim::cli_test::Outcome;
using dcsim::test_support::json_number;
const auto read = dcsim::cli_test::read_file;

// The file without its timing lines (wall_seconds, events_per_second).
std::string without_timing(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.find("\"wall_seconds\"") != std::string::npos || line.find("\"events_per_second\"") != std::string::npos) continue;
    out += line + "\n";
  }
  return out;
}

std::vector<std::string> files_under(const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void expect_same_tree(const fs::path& a, const fs::path& b) {
  const auto fa = files_under(a), fb = files_under(b);
  ASSERT_EQ(fa, fb);
  for (const std::string& f : fa) EXPECT_EQ(without_timing(read(a / f)), without_timing(read(b / f))) << f;
}


TEST(ManyRuns, ReplicationsAreTheSameOnOneOrTwoThreads) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-many"};
  const std::string base = kScenario + " --quiet --replications 3 --set horizon=20d";
  ASSERT_EQ(dcsim("run " + base + " --threads 1 -o " + (tmp / "t1")).exit_code, 0);
  const Outcome two = dcsim("run " + base + " --threads 2 -o " + (tmp / "t2"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  expect_same_tree(tmp / "t1", tmp / "t2");
  for (const char* f : {"summary.json", "timeseries_bands.csv", "scenario.resolved.yaml", "replications/rep-0001/summary.json",
                        "replications/rep-0003/timeseries.csv"}) {
    EXPECT_TRUE(fs::exists(fs::path(tmp / "t1") / f)) << f;
  }
  const std::string summary = read(fs::path(tmp / "t1") / "summary.json");
  EXPECT_NE(summary.find("\"replications\": 3"), std::string::npos);
  EXPECT_NE(summary.find("\"total_cost_usd\": {\"mean\": "), std::string::npos);
  EXPECT_NE(summary.find("\"ci95_low\""), std::string::npos);
  // Replication 0 is the plain run.
  ASSERT_EQ(dcsim("run " + kScenario + " --quiet --set horizon=20d -o " + (tmp / "plain")).exit_code, 0);
  EXPECT_EQ(without_timing(read(fs::path(tmp / "plain") / "summary.json")),
            without_timing(read(fs::path(tmp / "t1") / "replications/rep-0001/summary.json")));
  // Replacing needs --force, as for a plain run.
  EXPECT_EQ(dcsim("run " + base + " -o " + (tmp / "t1")).exit_code, 2);
  EXPECT_EQ(dcsim("run " + base + " --force -o " + (tmp / "t1")).exit_code, 0);
}

TEST(ManyRuns, SweepVariantsEqualSeparateRuns) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-many"};
  const Outcome o = dcsim("sweep " + kScenario + " --quiet --set horizon=20d --vary scheduler.policy=fifo,easy-backfill -o " +
                          (tmp / "sweep"));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string csv = read(fs::path(tmp / "sweep") / "sweep.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')).rfind("variant,scheduler.policy,status,", 0), 0u) << csv;
  EXPECT_NE(csv.find("\nv0001,fifo,ok,"), std::string::npos);
  EXPECT_NE(csv.find("\nv0002,easy-backfill,ok,"), std::string::npos);
  int v = 1;
  for (const char* policy : {"fifo", "easy-backfill"}) {
    const std::string out = tmp / policy;
    ASSERT_EQ(dcsim("run " + kScenario + " --quiet --set horizon=20d --set scheduler.policy=" + policy + " -o " + out).exit_code, 0);
    expect_same_tree(out, fs::path(tmp / "sweep") / "variants" / ("v000" + std::to_string(v++)));
  }
}

TEST(ManyRuns, SweepWithReplicationsAndAFailedVariant) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-many"};
  const Outcome o = dcsim("sweep " + kScenario + " --quiet --set horizon=10d --replications 2 --vary scheduler.policy=fifo,nonsense -o " +
                          (tmp / "sweep"));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("nonsense"), std::string::npos);
  const std::string csv = read(fs::path(tmp / "sweep") / "sweep.csv");
  EXPECT_NE(csv.find("total_cost_usd_ci95_low"), std::string::npos);
  EXPECT_NE(csv.find("\nv0002,nonsense,failed,"), std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(tmp / "sweep") / "variants/v0001/replications/rep-0002/summary.json"));
  EXPECT_FALSE(fs::exists(fs::path(tmp / "sweep") / "variants/v0002"));
}

TEST(ManyRuns, BadVaryNamesTheArgument) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-many"};
  Outcome o = dcsim("sweep " + kScenario + " --vary scheduler.policy -o " + (tmp / "x"));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--vary scheduler.policy: error"), std::string::npos) << o.err;
  o = dcsim("sensitivity " + kScenario + " --vary scheduler.policy=fifo,easy-backfill,fifo -o " + (tmp / "x"));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--vary scheduler.policy=fifo,easy-backfill,fifo: error"), std::string::npos) << o.err;
  o = dcsim("sweep " + kScenario + " --lhs 4 --vary pue=1..x -o " + (tmp / "x"));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--vary pue=1..x: error"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(tmp / "x"));
}

TEST(ManyRuns, SensitivitySwingsHaveTheRightSigns) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-many"};
  const Outcome o = dcsim("sensitivity " + kScenario +
                          " --quiet --set horizon=20d --vary 'sites.ashburn.electricity.price=0.05 USD/kWh,0.1 USD/kWh'"
                          " --vary 'workloads.research.arrivals.rate=20/day,40/day' -o " + (tmp / "s"));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string csv = read(fs::path(tmp / "s") / "sensitivity.csv");
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "input,low_value,high_value,kpi,at_low,at_base,at_high,swing");
  int checked = 0;
  while (std::getline(in, line)) {
    const double swing = std::stod(line.substr(line.rfind(',') + 1));
    const bool price = line.rfind("sites.ashburn.electricity.price,", 0) == 0;
    if (line.find(",total_cost_usd,") != std::string::npos || line.find(",gpu_utilization,") != std::string::npos ||
        line.find(",facility_energy_mwh,") != std::string::npos) {
      const bool cost = line.find(",total_cost_usd,") != std::string::npos;
      // Dearer power costs more and changes nothing else; more arrivals: busier, more energy, more cost.
      if (price && !cost) {
        EXPECT_EQ(swing, 0) << line;
      } else {
        EXPECT_GT(swing, 0) << line;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6);
  for (const char* v : {"base", "i01-low", "i01-high", "i02-low", "i02-high"}) {
    EXPECT_TRUE(fs::exists(fs::path(tmp / "s") / "variants" / v / "summary.json")) << v;
  }
}

TEST(ManyRuns, CompareShowsDifferencesAndSignificance) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-many"};
  const std::string base = kScenario + " --quiet --replications 4 --set horizon=20d";
  ASSERT_EQ(dcsim("run " + base + " -o " + (tmp / "a")).exit_code, 0);
  ASSERT_EQ(dcsim("run " + base + " --set 'sites.ashburn.electricity.price=0.2 USD/kWh' -o " + (tmp / "b")).exit_code, 0);
  const Outcome o = dcsim("compare " + (tmp / "a") + " " + (tmp / "b"));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("run1 = " + (tmp / "a")), std::string::npos) << o.out;
  std::istringstream in(o.out);
  std::string line, cost, jobs;
  while (std::getline(in, line)) {
    if (line.rfind("total_cost_usd ", 0) == 0) cost = line;
    if (line.rfind("jobs_submitted ", 0) == 0) jobs = line;
  }
  // Same seeds, dearer power: cost differs significantly, the arrivals do not differ at all.
  EXPECT_NE(cost.find(" *"), std::string::npos) << o.out;
  EXPECT_NE(jobs.find("+0"), std::string::npos) << o.out;
  EXPECT_EQ(jobs.find(" *"), std::string::npos) << o.out;
  // A plain run compares too (no p-value); a folder that is not a run is bad input.
  ASSERT_EQ(dcsim("run " + kScenario + " --quiet --set horizon=20d -o " + (tmp / "p")).exit_code, 0);
  EXPECT_EQ(dcsim("compare " + (tmp / "a") + " " + (tmp / "p")).exit_code, 0);
  EXPECT_EQ(dcsim("compare " + (tmp / "a") + " " + (tmp / "missing")).exit_code, 2);
  EXPECT_EQ(dcsim("compare " + (tmp / "a")).exit_code, 2);
  EXPECT_GT(json_number(read(fs::path(tmp / "b") / "replications/rep-0001/summary.json"), "total_cost_usd"),
            json_number(read(fs::path(tmp / "a") / "replications/rep-0001/summary.json"), "total_cost_usd"));
}

}  // namespace

namespace {

// A copy of the default scenario with an `uncertain:` PUE, written into `dir`.
std::string uncertain_scenario(const std::string& dir, const std::string& entry) {
  const std::string path = dir + "/uncertain.yaml";
  std::ofstream(path) << read(kScenario) << "\nuncertain:\n  " << entry << "\n";
  return path;
}

TEST(ManyRuns, UncertainInputsAreDrawnPerReplicationTheSameOnAnyThreadCount) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-many"};
  const std::string scenario =
      uncertain_scenario(tmp / "", "sites.ashburn.pue: {uniform: {min: 1.2, max: 1.5}}");
  const std::string base = scenario + " --quiet --replications 3 --set horizon=10d";
  const Outcome one = dcsim("run " + base + " --threads 1 -o " + (tmp / "t1"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const Outcome two = dcsim("run " + base + " --threads 2 -o " + (tmp / "t2"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  expect_same_tree(tmp / "t1", tmp / "t2");
  std::vector<double> pues;
  for (const char* rep : {"rep-0001", "rep-0002", "rep-0003"}) {
    const std::string summary = read(fs::path(tmp / "t1") / "replications" / rep / "summary.json");
    const std::string key = "\"uncertain\": {\"sites.ashburn.pue\": ";
    const auto at = summary.find(key);
    ASSERT_NE(at, std::string::npos) << summary;
    const std::string text = summary.substr(at + key.size(), summary.find('}', at) - at - key.size());
    pues.push_back(std::stod(text));
    EXPECT_GE(pues.back(), 1.2);
    EXPECT_LE(pues.back(), 1.5);
    // The drawn PUE is the one the run used.
    EXPECT_NE(read(fs::path(tmp / "t1") / "replications" / rep / "scenario.resolved.yaml").find("pue: " + text + "\n"),
              std::string::npos) << text;
  }
  EXPECT_NE(pues[0], pues[1]);
  EXPECT_NE(pues[1], pues[2]);
  const std::string csv = read(fs::path(tmp / "t1") / "replications.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "replication,seed,sites.ashburn.pue");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
  // The replicated summary gives the drawn inputs' spread, computed here from the three draws.
  const std::string top = read(fs::path(tmp / "t1") / "summary.json");
  const auto u = top.find("\"uncertain\": {\n    \"sites.ashburn.pue\": {");
  ASSERT_NE(u, std::string::npos) << top;
  const std::string stats = top.substr(u, top.find('}', u + 40) - u);
  const double mean = (pues[0] + pues[1] + pues[2]) / 3.0;
  EXPECT_NEAR(json_number(stats, "mean"), mean, 1e-9);
  EXPECT_NEAR(json_number(stats, "min"), std::min({pues[0], pues[1], pues[2]}), 1e-12);
  EXPECT_NEAR(json_number(stats, "max"), std::max({pues[0], pues[1], pues[2]}), 1e-12);
  double ss = 0.0;
  for (double p : pues) ss += (p - mean) * (p - mean);
  EXPECT_NEAR(json_number(stats, "sd"), std::sqrt(ss / 2.0), 1e-9);
  // A single run takes the mean.
  ASSERT_EQ(dcsim("run " + scenario + " --quiet --set horizon=10d -o " + (tmp / "plain")).exit_code, 0);
  EXPECT_NE(read(fs::path(tmp / "plain") / "summary.json").find("\"uncertain\": {\"sites.ashburn.pue\": 1.35"),
            std::string::npos);
}

TEST(ManyRuns, UncertainBadPathExitsTwoWithItsPosition) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-many"};
  const std::string scenario = uncertain_scenario(tmp / "", "sites.nowhere.pue: {uniform: {min: 1.2, max: 1.5}}");
  const Outcome o = dcsim("run " + scenario + " --quiet --replications 2 -o " + (tmp / "out"));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("uncertain.yaml:"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("no item named 'nowhere'"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(fs::path(tmp / "out")));
}

}  // namespace
