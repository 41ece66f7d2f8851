// Arrivals whose rate follows a daily profile (thinning): counts match the integrated rate.
#include <gtest/gtest.h>

#include <cmath>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

TEST(Arrivals, ADailyRateProfileGivesTheIntegratedNumberOfArrivals) {
  // 100 jobs/day at the start, rising linearly to 300/day over 200 days: the expected count is
  // 100 x sum(multipliers); a Poisson count has sd sqrt(mean). Tiny 1-GPU jobs never queue.
  ModelConfig cfg = testing::single_pool_config(64, 8, 100.0 / 86400.0, engine::Distribution::constant(1),
                                                engine::Distribution::constant(60.0), SchedulingPolicy::fifo);
  cfg.horizon = 200 * engine::kMicrosPerDay;
  cfg.record_jobs = true;
  double expected = 0.0;
  for (int d = 0; d < 200; ++d) {
    const double m = 1.0 + 2.0 * (d + 0.5) / 200.0;
    cfg.workloads[0].daily_rate_multiplier.push_back(m);
    expected += 100.0 * m;
  }
  const ModelResults r = simulate(cfg);
  EXPECT_NEAR(static_cast<double>(r.jobs_submitted), expected, 5.0 * std::sqrt(expected));
  // The first 50 days get about a quarter of the later 50 days' share ratio: (1.25) vs (2.75).
  double early = 0.0, late = 0.0;
  for (const JobRecord& j : r.jobs) {
    if (j.arrival < 50 * engine::kMicrosPerDay) early += 1.0;
    if (j.arrival >= 150 * engine::kMicrosPerDay) late += 1.0;
  }
  const double early_expected = 100.0 * 50 * 1.25, late_expected = 100.0 * 50 * 2.75;
  EXPECT_NEAR(early, early_expected, 5.0 * std::sqrt(early_expected));
  EXPECT_NEAR(late, late_expected, 5.0 * std::sqrt(late_expected));
}

}  // namespace
}  // namespace dcsim::model
