// Distributions: sample means agree with the analytic means within 5 standard errors, frequencies
// of discrete values match, and the bounds and parameter checks hold.
#include "sim/engine/distribution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace dcsim::engine {
namespace {

constexpr int kN = 200'000;

struct Case {
  std::string name;
  Distribution dist;
  double variance;  // analytic, for the standard error
  double lower;     // every draw must be >= lower
};

std::vector<Case> cases() {
  const double ln_var = [] {
    const double s2 = 0.5 * 0.5;
    return (std::exp(s2) - 1.0) * std::exp(2.0 * std::log(3.0) + s2);
  }();
  const double wb_var = [] {
    const double g1 = std::tgamma(1.0 + 1.0 / 1.5);
    const double g2 = std::tgamma(1.0 + 2.0 / 1.5);
    return 4.0 * 4.0 * (g2 - g1 * g1);
  }();
  const double inf = std::numeric_limits<double>::infinity();
  return {
      {"exponential", Distribution::exponential(2.5), 2.5 * 2.5, 0.0},
      {"normal", Distribution::normal(-1.0, 3.0), 9.0, -inf},
      {"lognormal", Distribution::lognormal(3.0, 0.5), ln_var, 0.0},
      {"weibull", Distribution::weibull(1.5, 4.0), wb_var, 0.0},
      {"weibull_shape_below_one", Distribution::weibull(0.7, 1.0),
       std::tgamma(1.0 + 2.0 / 0.7) - std::pow(std::tgamma(1.0 + 1.0 / 0.7), 2.0), 0.0},
      {"gamma_shape_3", Distribution::gamma(3.0, 2.0), 3.0 * 2.0 * 2.0, 0.0},
      {"gamma_shape_1", Distribution::gamma(1.0, 0.5), 0.25, 0.0},
      {"gamma_shape_0_4", Distribution::gamma(0.4, 2.0), 0.4 * 4.0, 0.0},
      {"uniform", Distribution::uniform(-2.0, 6.0), 64.0 / 12.0, -2.0},
      {"discrete", Distribution::discrete({1.0, 10.0, 100.0}, {0.7, 0.2, 0.1}),
       0.7 * 1.0 + 0.2 * 100.0 + 0.1 * 10'000.0 - 13.7 * 13.7, 1.0},
      {"empirical", Distribution::empirical({2.0, 4.0, 4.0, 10.0}), (4.0 + 16.0 + 16.0 + 100.0) / 4.0 - 25.0, 2.0},
  };
}

TEST(Distribution, SampleMeansMatchAnalyticMeans) {
  std::uint64_t seed = 1;
  for (const Case& c : cases()) {
    RandomStream rng(seed++, c.name);
    double sum = 0.0;
    double sum_sq = 0.0;
    for (int i = 0; i < kN; ++i) {
      const double x = c.dist.sample(rng);
      ASSERT_TRUE(std::isfinite(x)) << c.name;
      ASSERT_GE(x, c.lower) << c.name;
      ASSERT_LE(x, c.dist.max_value()) << c.name;
      sum += x;
      sum_sq += x * x;
    }
    const double mean = sum / kN;
    const double standard_error = std::sqrt(c.variance / kN);
    EXPECT_NEAR(mean, c.dist.mean(), 5.0 * standard_error) << c.name;
    // The spread must be right too (a loose 6% check: these shapes have modest kurtosis).
    const double variance = sum_sq / kN - mean * mean;
    EXPECT_NEAR(variance, c.variance, 0.06 * c.variance) << c.name;
  }
}

TEST(Distribution, AnalyticMeans) {
  EXPECT_DOUBLE_EQ(Distribution().mean(), 0.0);
  EXPECT_DOUBLE_EQ(Distribution::constant(4.5).mean(), 4.5);
  EXPECT_DOUBLE_EQ(Distribution::exponential(3.0).mean(), 3.0);
  EXPECT_DOUBLE_EQ(Distribution::normal(-2.0, 1.0).mean(), -2.0);
  EXPECT_DOUBLE_EQ(Distribution::lognormal(2.0, 1.0).mean(), 2.0 * std::exp(0.5));
  EXPECT_NEAR(Distribution::weibull(1.0, 5.0).mean(), 5.0, 1e-12);  // shape 1 is exponential
  EXPECT_NEAR(Distribution::weibull(2.0, 1.0).mean(), std::sqrt(std::numbers::pi) / 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(Distribution::gamma(2.0, 3.0).mean(), 6.0);
  EXPECT_DOUBLE_EQ(Distribution::uniform(1.0, 3.0).mean(), 2.0);
  EXPECT_DOUBLE_EQ(Distribution::discrete({1.0, 3.0}, {1.0, 3.0}).mean(), 2.5);
  EXPECT_DOUBLE_EQ(Distribution::empirical({1.0, 2.0, 6.0}).mean(), 3.0);
}

TEST(Distribution, MaxValues) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Distribution::constant(7.0).max_value(), 7.0);
  EXPECT_EQ(Distribution::uniform(1.0, 9.0).max_value(), 9.0);
  EXPECT_EQ(Distribution::discrete({5.0, 2.0, 8.0}, {1.0, 1.0, 1.0}).max_value(), 8.0);
  EXPECT_EQ(Distribution::discrete({5.0, 2.0, 8.0}, {1.0, 1.0, 0.0}).max_value(), 5.0);  // 8 never occurs
  EXPECT_EQ(Distribution::empirical({3.0, 11.0, 4.0}).max_value(), 11.0);
  EXPECT_EQ(Distribution::exponential(1.0).max_value(), inf);
  EXPECT_EQ(Distribution::normal(0.0, 1.0).max_value(), inf);
  EXPECT_EQ(Distribution::lognormal(1.0, 1.0).max_value(), inf);
  EXPECT_EQ(Distribution::weibull(1.0, 1.0).max_value(), inf);
  EXPECT_EQ(Distribution::gamma(1.0, 1.0).max_value(), inf);
}

TEST(Distribution, DiscreteFrequenciesMatchNormalisedProbabilities) {
  const Distribution d = Distribution::discrete({10.0, 20.0, 30.0, 40.0}, {2.0, 0.0, 5.0, 3.0});
  ASSERT_EQ(d.probabilities().size(), 4u);
  EXPECT_DOUBLE_EQ(d.probabilities()[0], 0.2);
  EXPECT_DOUBLE_EQ(d.probabilities()[1], 0.0);
  EXPECT_DOUBLE_EQ(d.probabilities()[2], 0.5);
  EXPECT_DOUBLE_EQ(d.probabilities()[3], 0.3);
  RandomStream rng(3, "discrete");
  int counts[4] = {0, 0, 0, 0};
  for (int i = 0; i < kN; ++i) {
    const double x = d.sample(rng);
    const int k = static_cast<int>(x / 10.0) - 1;
    ASSERT_GE(k, 0);
    ASSERT_LT(k, 4);
    ASSERT_EQ(x, d.values()[static_cast<std::size_t>(k)]);
    ++counts[k];
  }
  EXPECT_EQ(counts[1], 0);  // probability zero never drawn
  for (int k = 0; k < 4; ++k) {
    const double p = d.probabilities()[static_cast<std::size_t>(k)];
    EXPECT_NEAR(counts[k], kN * p, 5.0 * std::sqrt(kN * p * (1.0 - p)) + 0.5) << "value " << k;
  }
}

TEST(Distribution, EmpiricalDrawsOnlyGivenSamplesUniformly) {
  const Distribution d = Distribution::empirical({1.0, 2.0, 3.0, 4.0, 5.0});
  RandomStream rng(4, "empirical");
  int counts[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < 100'000; ++i) {
    const double x = d.sample(rng);
    ASSERT_EQ(x, std::floor(x));
    ASSERT_GE(x, 1.0);
    ASSERT_LE(x, 5.0);
    ++counts[static_cast<int>(x) - 1];
  }
  for (const int c : counts) EXPECT_NEAR(c, 20'000, 5.0 * std::sqrt(100'000 * 0.2 * 0.8));
}

TEST(Distribution, SameSeedSameDraws) {
  const Distribution d = Distribution::gamma(0.5, 1.0);
  RandomStream a(11, "x");
  RandomStream b(11, "x");
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(d.sample(a), d.sample(b));
}

TEST(Distribution, ConstantAndDegenerateCasesDoNotDrawNoise) {
  RandomStream rng(1, "c");
  EXPECT_EQ(Distribution::constant(2.5).sample(rng), 2.5);
  EXPECT_EQ(Distribution().sample(rng), 0.0);
  EXPECT_EQ(Distribution::uniform(3.0, 3.0).sample(rng), 3.0);
  EXPECT_EQ(Distribution::normal(1.0, 0.0).sample(rng), 1.0);
  EXPECT_EQ(Distribution::exponential(0.0).sample(rng), 0.0);
}

TEST(Distribution, ParametersAreKeptAsGiven) {
  const Distribution w = Distribution::weibull(1.5, 4.0);
  EXPECT_EQ(w.kind(), Distribution::Kind::weibull);
  EXPECT_EQ(w.a(), 1.5);
  EXPECT_EQ(w.b(), 4.0);
  const Distribution l = Distribution::lognormal(3.0, 0.5);
  EXPECT_EQ(l.kind(), Distribution::Kind::lognormal);
  EXPECT_EQ(l.a(), 3.0);
  EXPECT_EQ(l.b(), 0.5);
}

TEST(Distribution, FactoriesRejectInvalidParameters) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(Distribution::exponential(-1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::exponential(nan), std::invalid_argument);
  EXPECT_THROW(Distribution::normal(0.0, -1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::lognormal(0.0, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::weibull(0.0, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::gamma(1.0, 0.0), std::invalid_argument);
  EXPECT_THROW(Distribution::uniform(2.0, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::discrete({}, {}), std::invalid_argument);
  EXPECT_THROW(Distribution::discrete({1.0}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(Distribution::discrete({1.0, 2.0}, {0.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(Distribution::discrete({1.0, 2.0}, {1.0, -0.5}), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({}), std::invalid_argument);
}

}  // namespace
}  // namespace dcsim::engine
