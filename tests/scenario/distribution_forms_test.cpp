// Every way of writing a distribution, for GPU counts and for durations, and their errors.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "sim/scenario/loader.h"
#include "example.h"
#include "tests/support/scratch_dir.h"

namespace dcsim::scenario {
namespace {

using K = engine::Distribution::Kind;

std::string with(const std::string& gpus, const std::string& duration) {
  std::string text = testing::kExample;
  const std::string g = "gpus: {discrete: {8: 0.5, 16: 0.3, 64: 0.2}}";
  const std::string d = "duration: {lognormal: {median: 6 h, sigma: 1.0}}";
  text.replace(text.find(g), g.size(), "gpus: " + gpus);
  text.replace(text.find(d), d.size(), "duration: " + duration);
  return text;
}

struct Loaded {
  LoadResult r;
  const WorkloadSpec& w() const { return r.scenario->workloads[0]; }
};

Loaded load(const std::string& gpus, const std::string& duration, const std::string& dir = ".") {
  return {load_scenario_text(with(gpus, duration), "x.yaml", dir)};
}

std::string first_code(const Loaded& l) { return l.r.diagnostics.empty() ? "" : l.r.diagnostics[0].code; }

TEST(DistributionForms, Constants) {
  const Loaded l = load("8", "6 h");
  ASSERT_TRUE(l.r.ok());
  EXPECT_EQ(l.w().gpus.dist.kind(), K::constant);
  EXPECT_EQ(l.w().gpus.dist.a(), 8.0);
  EXPECT_EQ(l.w().duration.dist.kind(), K::constant);
  EXPECT_EQ(l.w().duration.dist.a(), 21600.0);
}

TEST(DistributionForms, Exponential) {
  const Loaded l = load("{exponential: {mean: 12}}", "{exponential: {mean: 90 min}}");
  ASSERT_TRUE(l.r.ok());
  EXPECT_EQ(l.w().gpus.dist.kind(), K::exponential);
  EXPECT_EQ(l.w().gpus.dist.a(), 12.0);
  EXPECT_EQ(l.w().duration.dist.a(), 5400.0);
}

TEST(DistributionForms, LognormalNormalWeibullGammaUniform) {
  Loaded l = load("{normal: {mean: 16, sd: 4}}", "{normal: {mean: 4 h, sd: 30 min}}");
  ASSERT_TRUE(l.r.ok());
  EXPECT_EQ(l.w().duration.dist.kind(), K::normal);
  EXPECT_EQ(l.w().duration.dist.a(), 14400.0);
  EXPECT_EQ(l.w().duration.dist.b(), 1800.0);
  l = load("{lognormal: {median: 8, sigma: 0.5}}", "{weibull: {shape: 0.7, scale: 3 h}}");
  ASSERT_TRUE(l.r.ok());
  EXPECT_EQ(l.w().gpus.dist.kind(), K::lognormal);
  EXPECT_EQ(l.w().duration.dist.kind(), K::weibull);
  EXPECT_EQ(l.w().duration.dist.a(), 0.7);
  EXPECT_EQ(l.w().duration.dist.b(), 10800.0);
  l = load("{uniform: {min: 1, max: 64}}", "{gamma: {shape: 2, scale: 1 d}}");
  ASSERT_TRUE(l.r.ok());
  EXPECT_EQ(l.w().gpus.dist.kind(), K::uniform);
  EXPECT_EQ(l.w().gpus.dist.b(), 64.0);
  EXPECT_EQ(l.w().duration.dist.kind(), K::gamma);
  EXPECT_EQ(l.w().duration.dist.b(), 86400.0);
}

TEST(DistributionForms, DiscreteTimeKeysCarryUnits) {
  const Loaded l = load("8", "{discrete: {4 h: 0.25, 1 d: 0.75}}");
  ASSERT_TRUE(l.r.ok());
  EXPECT_EQ(l.w().duration.dist.values(), (std::vector<double>{14400.0, 86400.0}));
}

TEST(DistributionForms, DiscreteProbabilitiesMustSumToOne) {
  const Loaded l = load("{discrete: {8: 0.5, 16: 0.3, 64: 0.1}}", "6 h");
  ASSERT_EQ(first_code(l), "S113");
  EXPECT_EQ(l.r.diagnostics[0].message, "discrete probabilities sum to 0.9, not 1");
  EXPECT_TRUE(load("{discrete: {8: 0.3333333, 16: 0.3333333, 64: 0.3333334}}", "6 h").r.ok());
}

TEST(DistributionForms, GpuCountsAreWholeAndAtLeastOne) {
  EXPECT_EQ(first_code(load("0", "6 h")), "S112");
  EXPECT_EQ(first_code(load("2.5", "6 h")), "S102");
  EXPECT_EQ(first_code(load("{discrete: {0: 0.5, 8: 0.5}}", "6 h")), "S112");
  EXPECT_EQ(first_code(load("{discrete: {7.5: 0.5, 8: 0.5}}", "6 h")), "S102");
  EXPECT_EQ(first_code(load("{uniform: {min: 0, max: 8}}", "6 h")), "S112");
  EXPECT_EQ(first_code(load("8 GPUs", "6 h")), "S111");
}

TEST(DistributionForms, DurationsNeedTimeUnits) {
  EXPECT_EQ(first_code(load("8", "6")), "S110");
  EXPECT_EQ(first_code(load("8", "{exponential: {mean: 5}}")), "S110");
  EXPECT_EQ(first_code(load("8", "{exponential: {mean: 5 kW}}")), "S111");
  EXPECT_EQ(first_code(load("8", "{lognormal: {median: 6 h, sigma: -1}}")), "S112");
  EXPECT_EQ(first_code(load("8", "{uniform: {min: 2 h, max: 1 h}}")), "S112");
}

TEST(DistributionForms, MalformedDistributions) {
  Loaded l = load("8", "{lognormall: {median: 6 h, sigma: 1}}");
  ASSERT_EQ(first_code(l), "S114");
  EXPECT_EQ(l.r.diagnostics[0].message, "unknown distribution kind 'lognormall'");
  EXPECT_EQ(l.r.diagnostics[0].hint, "did you mean 'lognormal'?");
  l = load("8", "{lognormal: {median: 6 h}}");
  ASSERT_EQ(first_code(l), "S114");
  EXPECT_EQ(l.r.diagnostics[0].message, "missing required key 'sigma' in lognormal");
  l = load("8", "{lognormal: {median: 6 h, sigma: 1, mean: 2 h}}");
  EXPECT_EQ(first_code(l), "S104");
  l = load("8", "{exponential: {mean: 1 h}, normal: {mean: 1 h, sd: 1 h}}");
  EXPECT_EQ(first_code(l), "S114");
  l = load("8", "{}");
  EXPECT_EQ(first_code(l), "S114");
}

class EmpiricalFile : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_.write("durations.csv", "job,hours,gpus\n1,2.5,8\n2,4,16\n3,0.5,8\n");
    scratch_.write("bad.csv", "hours\n1\nabc\n");
    dir_ = scratch_.folder().string();
  }
  test_support::ScratchDir scratch_;
  std::string dir_;
};

TEST_F(EmpiricalFile, ReadsColumnRelativeToScenarioFolder) {
  const Loaded l = load("{empirical: {file: durations.csv, column: gpus}}",
                        "{empirical: {file: durations.csv, column: hours, unit: h}}", dir_);
  ASSERT_TRUE(l.r.ok()) << l.r.diagnostics[0].message;
  EXPECT_EQ(l.w().duration.dist.kind(), K::empirical);
  EXPECT_EQ(l.w().duration.dist.values(), (std::vector<double>{9000.0, 14400.0, 1800.0}));
  EXPECT_EQ(l.w().duration.empirical_file, "durations.csv");
  EXPECT_EQ(l.w().duration.empirical_column, "hours");
  EXPECT_EQ(l.w().duration.empirical_unit, "h");
  EXPECT_EQ(l.w().gpus.dist.values(), (std::vector<double>{8.0, 16.0, 8.0}));
}

TEST_F(EmpiricalFile, ClearErrorsForMissingFileColumnAndNonNumbers) {
  Loaded l = load("8", "{empirical: {file: nope.csv, column: hours, unit: h}}", dir_);
  ASSERT_EQ(first_code(l), "S118");
  EXPECT_NE(l.r.diagnostics[0].message.find("cannot read empirical file"), std::string::npos);
  l = load("8", "{empirical: {file: durations.csv, column: hour, unit: h}}", dir_);
  ASSERT_EQ(first_code(l), "S118");
  EXPECT_EQ(l.r.diagnostics[0].hint, "did you mean 'hours'?");
  l = load("8", "{empirical: {file: bad.csv, column: hours, unit: h}}", dir_);
  ASSERT_EQ(first_code(l), "S118");
  EXPECT_NE(l.r.diagnostics[0].message.find("line 3: 'abc'"), std::string::npos);
  l = load("8", "{empirical: {file: durations.csv, column: hours}}", dir_);
  EXPECT_EQ(first_code(l), "S114");
  l = load("8", "{empirical: {file: durations.csv, column: hours, unit: kW}}", dir_);
  EXPECT_EQ(first_code(l), "S111");
}

TEST(TimeLimit, ExactFactorAndDistribution) {
  std::string base = testing::kExample;
  const auto with_limit = [&](const std::string& v) {
    std::string t = base;
    const std::string anchor = "\nscheduler:";
    t.replace(t.find(anchor), anchor.size(), "    time_limit: " + v + "\n" + anchor);
    return load_scenario_text(t, "x.yaml");
  };
  LoadResult r = with_limit("exact");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.scenario->workloads[0].time_limit.mode, TimeLimitSpec::Mode::exact);
  r = with_limit("{factor: 1.5}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.scenario->workloads[0].time_limit.mode, TimeLimitSpec::Mode::factor);
  EXPECT_EQ(r.scenario->workloads[0].time_limit.factor, 1.5);
  r = with_limit("12 h");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.scenario->workloads[0].time_limit.mode, TimeLimitSpec::Mode::distribution);
  EXPECT_EQ(r.scenario->workloads[0].time_limit.distribution->dist.a(), 43200.0);
  r = with_limit("{factor: 0.5}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics[0].code, "S112");
  r = with_limit("forever");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics[0].code, "S116");
}

}  // namespace
}  // namespace dcsim::scenario
