// compare_kpis: the rows `dcsim compare` prints and the GUI's compare table shows, checked
// against hand computations.
#include <gtest/gtest.h>

#include <cmath>

#include "reports/many_runs.h"

namespace dcsim::reports {
namespace {

RunKpis runOf(const std::string& scenario, std::vector<std::pair<std::string, std::vector<double>>> kpis) {
  RunKpis r;
  r.scenario = scenario;
  for (auto& [name, samples] : kpis) {
    RunKpi k;
    k.name = name;
    double sum = 0.0;
    for (double v : samples) sum += v;
    k.value = sum / static_cast<double>(samples.size());
    r.replications = samples.size() > 1 ? static_cast<int>(samples.size()) : 0;
    k.samples = std::move(samples);
    r.kpis.push_back(std::move(k));
  }
  return r;
}

TEST(CompareKpis, ValuesAndDifferencesAgainstTheFirstRunInTheOrderRunsNameThem) {
  const std::vector<RunKpis> runs = {runOf("a", {{"x", {10.0}}, {"y", {0.0}}}),
                                     runOf("b", {{"x", {12.0}}, {"z", {5.0}}}),
                                     runOf("c", {{"y", {3.0}}, {"x", {7.5}}})};
  const std::vector<CompareRow> rows = compare_kpis(runs);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].kpi, "x");
  EXPECT_EQ(rows[1].kpi, "y");
  EXPECT_EQ(rows[2].kpi, "z");
  // x: 10, 12, 7.5 -> +2 (+20%), -2.5 (-25%); plain runs have no p-value.
  ASSERT_EQ(rows[0].values.size(), 3u);
  EXPECT_EQ(rows[0].values[1], 12.0);
  ASSERT_EQ(rows[0].vs_first.size(), 2u);
  EXPECT_DOUBLE_EQ(rows[0].vs_first[0].diff, 2.0);
  EXPECT_DOUBLE_EQ(rows[0].vs_first[0].change, 0.2);
  EXPECT_DOUBLE_EQ(rows[0].vs_first[1].diff, -2.5);
  EXPECT_DOUBLE_EQ(rows[0].vs_first[1].change, -0.25);
  EXPECT_TRUE(std::isnan(rows[0].vs_first[0].p_value));
  EXPECT_FALSE(rows[0].vs_first[0].significant);
  // y: b lacks it (no difference); c has 3 against a's 0 (no relative change from zero).
  EXPECT_TRUE(std::isnan(rows[1].values[1]));
  EXPECT_TRUE(std::isnan(rows[1].vs_first[0].diff));
  EXPECT_DOUBLE_EQ(rows[1].vs_first[1].diff, 3.0);
  EXPECT_TRUE(std::isnan(rows[1].vs_first[1].change));
  // z: the first run lacks it.
  EXPECT_TRUE(std::isnan(rows[2].values[0]));
  EXPECT_TRUE(std::isnan(rows[2].vs_first[0].diff));
}

TEST(CompareKpis, ReplicatedRunsGetWelchsTwoSidedP) {
  // a = {0, 2}, b = {1, 3}: t = 1 / sqrt(2/2 + 2/2) = 1/sqrt(2) with 2 degrees of freedom, whose
  // two-sided p is 1 - t / sqrt(2 + t^2) = 1 - 1/sqrt(5).
  const std::vector<RunKpis> runs = {runOf("a", {{"x", {0.0, 2.0}}}), runOf("b", {{"x", {1.0, 3.0}}}),
                                     runOf("c", {{"x", {101.0, 101.5, 99.0, 100.5}}})};
  const std::vector<CompareRow> rows = compare_kpis(runs);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].vs_first[0].diff, 1.0);
  EXPECT_NEAR(rows[0].vs_first[0].p_value, 1.0 - 1.0 / std::sqrt(5.0), 1e-9);
  EXPECT_FALSE(rows[0].vs_first[0].significant);
  // c is a hundred above a, with small spread: significant.
  EXPECT_LT(rows[0].vs_first[1].p_value, 0.05);
  EXPECT_TRUE(rows[0].vs_first[1].significant);
}

}  // namespace
}  // namespace dcsim::reports
