// `uncertain:` inputs: the mean for a single run, one draw per replication, errors at the entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/scenario/loader.h"
#include "example.h"

namespace dcsim::scenario {
namespace {

// The example with an `uncertain:` map appended; the entry sits on line entry_line(), column 3.
std::string with_uncertain(const std::string& entry) { return testing::kExample + "uncertain:\n  " + entry + "\n"; }
int entry_line() { return static_cast<int>(std::count(testing::kExample.begin(), testing::kExample.end(), '\n')) + 2; }

std::string dump(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format_diagnostic(d);
  return out;
}

const std::string kUniformPue = "sites.ashburn.pue: {uniform: {min: 1.2, max: 1.5}}";

TEST(Uncertain, SingleRunTakesTheMean) {
  const LoadResult r = load_scenario_text(with_uncertain(kUniformPue), "x.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.scenario->uncertain.size(), 1u);
  EXPECT_EQ(r.scenario->uncertain[0].path, "sites.ashburn.pue");
  EXPECT_DOUBLE_EQ(r.scenario->uncertain[0].value, (1.2 + 1.5) / 2);
  EXPECT_DOUBLE_EQ(r.scenario->sites[0].pue, (1.2 + 1.5) / 2);
  const LoadResult n = load_scenario_text(with_uncertain("sites.ashburn.pue: {normal: {mean: 1.4, sd: 0.05}}"), "x.yaml");
  ASSERT_TRUE(n.ok()) << dump(n);
  EXPECT_DOUBLE_EQ(n.scenario->sites[0].pue, 1.4);
}

TEST(Uncertain, ReplicationsDrawWithinTheRangeAroundTheMean) {
  // Uniform(1.2, 1.5): mean 1.35, sd 0.3 / sqrt(12); the mean of n draws is within 3 sd / sqrt(n).
  const std::string text = with_uncertain(kUniformPue);
  const int n = 200;
  double sum = 0.0;
  std::set<double> distinct;
  for (int i = 0; i < n; ++i) {
    const LoadResult r = load_scenario_text(text, "x.yaml", ".", {}, i);
    ASSERT_TRUE(r.ok()) << dump(r);
    const double v = r.scenario->sites[0].pue;
    EXPECT_EQ(v, r.scenario->uncertain[0].value);
    EXPECT_GE(v, 1.2);
    EXPECT_LE(v, 1.5);
    sum += v;
    distinct.insert(v);
  }
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(n));
  const double sd = 0.3 / std::sqrt(12.0);
  EXPECT_NEAR(sum / n, 1.35, 3 * sd / std::sqrt(static_cast<double>(n)));
}

TEST(Uncertain, DrawDependsOnSeedAndReplicationOnly) {
  const std::string text = with_uncertain(kUniformPue);
  const double a = load_scenario_text(text, "x.yaml", ".", {}, 3).scenario->sites[0].pue;
  EXPECT_EQ(load_scenario_text(text, "x.yaml", ".", {}, 3).scenario->sites[0].pue, a);
  EXPECT_NE(load_scenario_text(text, "x.yaml", ".", {}, 4).scenario->sites[0].pue, a);
  EXPECT_NE(load_scenario_text(text, "x.yaml", ".", {{"seed", "8"}}, 3).scenario->sites[0].pue, a);
}

TEST(Uncertain, BadPathIsRejectedAtTheEntry) {
  const LoadResult r = load_scenario_text(with_uncertain("sites.nowhere.pue: {uniform: {min: 1.2, max: 1.5}}"), "x.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  const Diagnostic& d = r.diagnostics[0];
  EXPECT_EQ(d.pos.file, "x.yaml");
  EXPECT_EQ(d.pos.line, entry_line());
  EXPECT_EQ(d.pos.column, 3);
  EXPECT_NE(d.message.find("no item named 'nowhere'"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("uncertain: sites.nowhere.pue"), std::string::npos) << d.message;
}

TEST(Uncertain, ValueThatFailsValidationIsRejectedAtTheEntry) {
  const LoadResult r = load_scenario_text(with_uncertain("sites.ashburn.pue: {uniform: {min: 0.5, max: 0.7}}"), "x.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].pos.file, "x.yaml");
  EXPECT_EQ(r.diagnostics[0].pos.line, entry_line());
  EXPECT_NE(r.diagnostics[0].message.find("(in uncertain: sites.ashburn.pue, value 0.6)"), std::string::npos)
      << dump(r);
}

TEST(Uncertain, OnlyUniformAndNormalAreAccepted) {
  const LoadResult r = load_scenario_text(with_uncertain("sites.ashburn.pue: {exponential: {mean: 1.3}}"), "x.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics[0].code, "S114");
  EXPECT_EQ(r.diagnostics[0].pos.line, entry_line());
}

TEST(Uncertain, ResolvedYamlLoadsBackToTheSameText) {
  const LoadResult r = load_scenario_text(with_uncertain(kUniformPue), "x.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  const std::string once = to_resolved_yaml(*r.scenario);
  EXPECT_NE(once.find("uncertain:\n  sites.ashburn.pue: {uniform: {min: 1.2, max: 1.5}}\n"), std::string::npos) << once;
  const LoadResult again = load_scenario_text(once, "resolved.yaml");
  ASSERT_TRUE(again.ok()) << dump(again);
  EXPECT_EQ(to_resolved_yaml(*again.scenario), once);
}

}  // namespace
}  // namespace dcsim::scenario
