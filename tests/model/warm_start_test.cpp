// Steady-state warm start (sim/model/warm_start.h): the jobs in the system at the start of an
// M/G/inf workload, against the queueing formulas: their number is Poisson with mean
// rate x E[S] (Little's law) and their remaining times are residual lifetimes, of mean
// E[S^2] / (2 E[S]), not fresh durations (the inspection paradox).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/engine/random.h"
#include "sim/model/warm_start.h"

namespace dcsim::model {
namespace {

constexpr double kHourUs = 3.6e9;

// Durations uniform on 2-18 h: E[S] = 10 h, E[S^2] = 16^2 / 12 + 10^2 h^2, residual mean 6.0667 h.
WorkloadConfig uniform_workload(double rate_per_hour) {
  WorkloadConfig w;
  w.name = "w";
  w.rate_per_s = rate_per_hour / 3600.0;
  w.gpus = engine::Distribution::constant(1.0);
  w.duration_s = engine::Distribution::uniform(2.0 * 3600.0, 18.0 * 3600.0);
  return w;
}

TEST(SteadyState, NumberInSystemIsPoissonWithMeanRateTimesMeanDuration) {
  const WorkloadConfig w = uniform_workload(2.0);
  const engine::SimTime lookback = default_steady_state_lookback(w);
  EXPECT_EQ(lookback, engine::from_seconds(18.0 * 3600.0));  // bounded: the longest duration
  const int seeds = 2000;
  double sum = 0.0, sum_sq = 0.0;
  double remaining_sum_h = 0.0, elapsed_sum_h = 0.0;
  double jobs = 0.0;
  for (int seed = 1; seed <= seeds; ++seed) {
    engine::RandomStream rng(static_cast<std::uint64_t>(seed), "workload.w.initial");
    const std::vector<InitialJob> in = draw_steady_state(w, lookback, rng);
    const double n = static_cast<double>(in.size());
    sum += n;
    sum_sq += n * n;
    for (std::size_t k = 0; k < in.size(); ++k) {
      const InitialJob& j = in[k];
      ASSERT_TRUE(j.running);
      ASSERT_GT(j.remaining, 0);
      ASSERT_EQ(j.arrival, -j.elapsed);  // never waited: the cluster has room for all
      ASSERT_EQ(j.limit, 0);             // time_limit exact: nothing to enforce
      if (k > 0) {
        ASSERT_LE(in[k - 1].arrival, j.arrival);  // oldest first
      }
      remaining_sum_h += static_cast<double>(j.remaining) / kHourUs;
      elapsed_sum_h += static_cast<double>(j.elapsed) / kHourUs;
    }
    jobs += n;
  }
  // Mean lambda E[S] = 2 /h x 10 h = 20; the count is Poisson, so its variance is 20 too and the
  // mean of 2000 counts has a standard deviation of sqrt(20 / 2000) = 0.1: 4 of them.
  const double mean = sum / seeds;
  EXPECT_NEAR(mean, 20.0, 4.0 * std::sqrt(20.0 / seeds));
  const double variance = sum_sq / seeds - mean * mean;
  EXPECT_NEAR(variance / mean, 1.0, 0.15);  // Poisson: variance equals the mean
  // Residual life R of S uniform on [a, b]: density (1 - F(x)) / E[S]; E[R] = E[S^2] / (2 E[S]),
  // E[R^2] = E[S^3] / (3 E[S]). Over ~40,000 jobs its mean has a standard deviation of
  // sd(R) / sqrt(jobs) (the jobs of one draw are independent given their number).
  const double a = 2.0, b = 18.0;
  const double es = (a + b) / 2, es2 = (a * a + a * b + b * b) / 3, es3 = (a + b) * (a * a + b * b) / 4;
  const double er = es2 / (2 * es), er2 = es3 / (3 * es);
  const double sd_r = std::sqrt(er2 - er * er);
  EXPECT_NEAR(remaining_sum_h / jobs, er, 4.0 * sd_r / std::sqrt(jobs));
  // A fresh duration would average 10 h: the draw is far from it.
  EXPECT_LT(remaining_sum_h / jobs, 7.0);
  // The age has the same law as the residual life in a stationary renewal process.
  EXPECT_NEAR(elapsed_sum_h / jobs, er, 4.0 * sd_r / std::sqrt(jobs));
}

TEST(SteadyState, TimeLimitsEndJobsEarlyAndAreLeftAsTimeToGo) {
  WorkloadConfig w = uniform_workload(4.0);
  w.time_limit_mode = TimeLimitMode::distribution;
  w.time_limit_s = engine::Distribution::constant(6.0 * 3600.0);  // every job ends by 6 h
  engine::RandomStream rng(7, "workload.w.initial");
  const std::vector<InitialJob> in = draw_steady_state(w, default_steady_state_lookback(w), rng);
  ASSERT_FALSE(in.empty());
  for (const InitialJob& j : in) {
    EXPECT_LT(j.elapsed, engine::from_seconds(6.0 * 3600.0));           // older ones timed out
    EXPECT_EQ(j.limit, engine::from_seconds(6.0 * 3600.0) - j.elapsed);  // limit left from the start
  }
}

TEST(SteadyState, UnboundedDurationsLookBackTwentyMeansAndNoRateDrawsNothing) {
  WorkloadConfig w = uniform_workload(1.0);
  w.duration_s = engine::Distribution::exponential(3.0 * 3600.0);
  EXPECT_EQ(default_steady_state_lookback(w), engine::from_seconds(60.0 * 3600.0));
  w.rate_per_s = 0.0;
  engine::RandomStream rng(1, "workload.w.initial");
  EXPECT_TRUE(draw_steady_state(w, default_steady_state_lookback(w), rng).empty());
}

}  // namespace
}  // namespace dcsim::model
