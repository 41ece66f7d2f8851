// --set overrides: by list-item name, by index, new keys, and bad paths or values (S120).
#include <gtest/gtest.h>

#include "sim/scenario/loader.h"
#include "example.h"

namespace dcsim::scenario {
namespace {

LoadResult load_with(std::vector<Override> overrides) {
  return load_scenario_text(testing::kExample, "x.yaml", ".", overrides);
}

std::string dump(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format_diagnostic(d);
  return out;
}

TEST(Overrides, ScalarAtTopLevelPath) {
  const LoadResult r = load_with({{"scheduler.policy", "fifo"}, {"seed", "42"}, {"horizon", "30 d"}});
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.scenario->scheduler, SchedulerPolicy::fifo);
  EXPECT_EQ(r.scenario->seed, 42u);
  EXPECT_EQ(r.scenario->horizon_s, 30 * 86400.0);
}

TEST(Overrides, ListItemsByName) {
  const LoadResult r = load_with({{"sites.ashburn.pue", "1.2"}, {"workloads.research.arrivals.rate", "40/day"},
                                  {"sites.ashburn.halls.hall-a.racks.0.power_limit", "50 kW"}});
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.scenario->sites[0].pue, 1.2);
  EXPECT_EQ(r.scenario->workloads[0].rate_per_s, 40.0 / 86400.0);
  EXPECT_EQ(*r.scenario->sites[0].halls[0].racks[0].power_limit_w, 50000.0);
}

TEST(Overrides, ListItemsByIndexWithFlowValue) {
  const LoadResult r = load_with({{"workloads.0.gpus", "{discrete: {8: 1}}"}});
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.scenario->workloads[0].gpus.dist.values(), std::vector<double>{8.0});
}

TEST(Overrides, NewKeysAndIntermediateMapsAreCreated) {
  const LoadResult r = load_with({{"stop.jobs_completed", "100"}, {"workloads.research.tenant", "lab"},
                                  {"warmup", "2 d"}});
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.scenario->stop_jobs_completed, 100u);
  EXPECT_EQ(r.scenario->workloads[0].tenant, "lab");
  EXPECT_EQ(r.scenario->warmup_s, 2 * 86400.0);
}

TEST(Overrides, UnknownKeyInPathIsS120WithNearestKey) {
  const LoadResult r = load_with({{"sites.ashburn.peu", "1.2"}});
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  const Diagnostic& d = r.diagnostics[0];
  EXPECT_EQ(d.code, "S120");
  EXPECT_EQ(d.pos.file, "--set");
  EXPECT_EQ(d.pos.line, 1);
  EXPECT_EQ(d.pos.column, 15);
  EXPECT_EQ(d.hint, "did you mean 'pue'?");
  const LoadResult top = load_with({{"schedular.policy", "fifo"}});
  ASSERT_EQ(top.diagnostics.size(), 1u);
  EXPECT_EQ(top.diagnostics[0].hint, "did you mean 'scheduler'?");
}

TEST(Overrides, MissingListItemIsS120NamingTheItems) {
  LoadResult r = load_with({{"sites.boston.pue", "1.2"}});
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, "S120");
  EXPECT_EQ(r.diagnostics[0].message, "no item named 'boston' in 'sites' (--set sites.boston.pue=1.2)");
  EXPECT_EQ(r.diagnostics[0].hint, "items: ashburn; or an index 0..0");
  r = load_with({{"sites.ashbrun.pue", "1.2"}});
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].hint, "did you mean 'ashburn'?");
  r = load_with({{"workloads.3.tenant", "x"}});
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, "S120");
}

TEST(Overrides, UnparsableValueIsS120) {
  const LoadResult r = load_with({{"workloads.0.gpus", "{discrete: {8: 1}"}});
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].code, "S120");
  EXPECT_EQ(r.diagnostics[0].pos.file, "--set");
}

TEST(Overrides, BadOverriddenValuePointsIntoTheOverrideText) {
  const LoadResult r = load_with({{"seed", "1"}, {"workloads.research.arrivals.rate", "40"}});
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  const Diagnostic& d = r.diagnostics[0];
  EXPECT_EQ(d.code, "S110");
  EXPECT_EQ(d.pos.file, "--set");
  EXPECT_EQ(d.pos.line, 2);
  EXPECT_EQ(d.pos.column, 34);  // the '4' of "workloads.research.arrivals.rate=40"
  EXPECT_EQ(format_diagnostic(d).substr(0, 32), "--set:2:34: error[S110]: missing");
  EXPECT_NE(d.message.find("(in --set workloads.research.arrivals.rate=40)"), std::string::npos);
}

TEST(Overrides, SetProblemsComeBeforeFileProblems) {
  std::string text = testing::kExample;
  text.replace(text.find("pue: 1.35"), 9, "pue: 0.5");
  const LoadResult r = load_scenario_text(text, "x.yaml", ".", {{"horizon", "-1 d"}});
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].pos.file, "--set");
  EXPECT_EQ(r.diagnostics[1].pos.file, "x.yaml");
}

TEST(Overrides, CannotDescendIntoASingleValue) {
  const LoadResult r = load_with({{"seed.value", "3"}});
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, "S120");
}

}  // namespace
}  // namespace dcsim::scenario
