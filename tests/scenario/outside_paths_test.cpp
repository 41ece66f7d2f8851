// Files a scenario names must resolve, after `..` and symbolic links, inside the scenario file's
// folder tree (S126) unless the load allows outside paths (the CLI's --allow-outside-paths).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/scenario/loader.h"
#include "tests/scenario/example.h"
#include "tests/support/scratch_dir.h"

namespace dcsim::scenario {
namespace {

namespace fs = std::filesystem;

// kExample with its research duration drawn from the empirical file `file`.
std::string with_empirical_duration(const std::string& file) {
  std::string text = testing::kExample;
  const std::string from = "duration: {lognormal: {median: 6 h, sigma: 1.0}}";
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos);
  text.replace(at, from.size(), "duration: {empirical: {file: '" + file + "', column: hours, unit: h}}");
  return text;
}

struct Layout {
  test_support::ScratchDir dir{"outside_paths"};
  fs::path scenario_dir;
  Layout() {
    scenario_dir = dir.folder() / "scenarios";
    fs::create_directories(scenario_dir / "data");
    fs::create_directories(dir.folder() / "shared");
    dir.write("scenarios/data/in.csv", "hours\n1\n2\n3\n");
    dir.write("shared/out.csv", "hours\n1\n2\n3\n");
  }
  std::string scenario(const std::string& text) const {
    const fs::path p = scenario_dir / "s.yaml";
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

TEST(OutsidePaths, FileInsideTheScenarioFolderLoads) {
  Layout l;
  const LoadResult r = load_scenario_file(l.scenario(with_empirical_duration("data/../data/in.csv")));
  EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : format_diagnostic(r.diagnostics[0]));
}

TEST(OutsidePaths, DotDotOutOfTheFolderIsRefusedWithS126AtTheValue) {
  Layout l;
  const std::string text = with_empirical_duration("../shared/out.csv");
  const LoadResult r = load_scenario_file(l.scenario(text));
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, "S126");
  // The value's line and column, counted in the text.
  const std::size_t at = text.find("'../shared/out.csv'");
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  const int column = static_cast<int>(at - text.rfind('\n', at));
  EXPECT_EQ(r.diagnostics[0].pos.line, line);
  EXPECT_EQ(r.diagnostics[0].pos.column, column);
  EXPECT_NE(r.diagnostics[0].hint.find("--allow-outside-paths"), std::string::npos);
}

TEST(OutsidePaths, AllowOutsidePathsLoadsTheSameFile) {
  Layout l;
  LoadOptions allow;
  allow.allow_outside_paths = true;
  const LoadResult r = load_scenario_file(l.scenario(with_empirical_duration("../shared/out.csv")), {}, allow);
  ASSERT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : format_diagnostic(r.diagnostics[0]));
  EXPECT_EQ(r.scenario->workloads[0].duration.empirical_file, "../shared/out.csv");
}

TEST(OutsidePaths, AbsolutePathOutsideIsRefused) {
  Layout l;
  const LoadResult r = load_scenario_file(l.scenario(with_empirical_duration((l.dir.folder() / "shared/out.csv").string())));
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].code, "S126");
}

TEST(OutsidePaths, SymlinkInsideThatPointsOutsideIsRefused) {
  Layout l;
  fs::create_directory_symlink(l.dir.folder() / "shared", l.scenario_dir / "link");
  const std::string path = l.scenario(with_empirical_duration("link/out.csv"));
  const LoadResult refused = load_scenario_file(path);
  ASSERT_FALSE(refused.diagnostics.empty());
  EXPECT_EQ(refused.diagnostics[0].code, "S126");
  const LoadResult allowed = load_scenario_file(path, {}, LoadOptions{true});
  EXPECT_TRUE(allowed.ok());
}

TEST(OutsidePaths, TraceFileTaskTableAndEpwOutsideAreRefused) {
  Layout l;
  std::string text = testing::kExample;
  const std::string arrivals = "arrivals: {process: poisson, rate: 30 /day}";
  text.replace(text.find(arrivals), arrivals.size(),
               "arrivals: {process: trace, file: ../shared/pods.csv, format: alibaba-2020, task_table: ../t.csv}");
  const std::string pue = "pue: 1.35";
  text.replace(text.find(pue), pue.size(), "pue: 1.35\n    climate: {epw: ../../w.epw}");
  const LoadResult r = load_scenario_file(l.scenario(text));
  int s126 = 0;
  for (const Diagnostic& d : r.diagnostics) s126 += d.code == "S126" ? 1 : 0;
  EXPECT_EQ(s126, 3);
}

}  // namespace
}  // namespace dcsim::scenario
