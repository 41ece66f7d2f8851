// The simulator against queueing theory: M/M/c mean wait and P(wait) from Erlang C, and
// Little's law, on single-GPU servers with single-GPU jobs under FIFO.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

struct ErlangC {
  double p_wait;
  double mean_wait_s;
};

// Erlang B by its stable recursion, then Erlang C (as in ../shared/benchmarks/mmc-gang.md).
ErlangC erlang_c(int c, double lambda_per_s, double mean_service_s) {
  const double a = lambda_per_s * mean_service_s;
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  const double p_wait = b / (1.0 - (a / c) * (1.0 - b));
  return {p_wait, p_wait / (c / mean_service_s - lambda_per_s)};
}

TEST(ErlangC, MatchesThePublishedTable) {
  EXPECT_NEAR(erlang_c(10, 0.0025, 3600).p_wait, 0.6687, 1e-4);
  EXPECT_NEAR(erlang_c(10, 0.0025, 3600).mean_wait_s, 2407.4, 0.1);
  EXPECT_NEAR(erlang_c(100, 0.025, 3600).mean_wait_s, 78.1, 0.1);
  EXPECT_NEAR(erlang_c(10000, 2.75, 3600).p_wait, 0.2228, 1e-4);
}

struct MmcCase {
  int servers;
  double load;
  std::uint64_t jobs;
};

class MmcAgainstErlangC : public ::testing::TestWithParam<MmcCase> {};

TEST_P(MmcAgainstErlangC, MeanWaitShareWaitedAndLittlesLaw) {
  const MmcCase k = GetParam();
  const double mean_service_s = 3600.0;
  const double lambda = k.load * k.servers / mean_service_s;
  ModelConfig cfg = testing::single_pool_config(k.servers, 1, lambda, engine::Distribution::constant(1),
                                                engine::Distribution::exponential(mean_service_s),
                                                SchedulingPolicy::fifo);
  cfg.horizon = 1000 * 365 * engine::kMicrosPerDay;
  cfg.stop_jobs_completed = k.jobs;
  cfg.record_jobs = true;
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.stop_reason, StopReason::jobs_completed);
  const ErlangC theory = erlang_c(k.servers, lambda, mean_service_s);

  // Waits are strongly correlated in time: the standard error comes from batch means.
  std::vector<double> waits_s;
  for (const JobRecord& j : r.jobs) {
    if (j.start >= 0) waits_s.push_back(engine::to_seconds(j.start - j.arrival));
  }
  const std::size_t batches = 50;
  const std::size_t per_batch = waits_s.size() / batches;
  std::vector<double> means;
  for (std::size_t b = 0; b < batches; ++b) {
    double sum = 0.0;
    for (std::size_t i = b * per_batch; i < (b + 1) * per_batch; ++i) sum += waits_s[i];
    means.push_back(sum / static_cast<double>(per_batch));
  }
  double grand = 0.0;
  for (double m : means) grand += m;
  grand /= static_cast<double>(batches);
  double var = 0.0;
  for (double m : means) var += (m - grand) * (m - grand);
  var /= static_cast<double>(batches - 1);
  const double standard_error = std::sqrt(var / static_cast<double>(batches));
  // 4 standard errors (a false alarm about once in 16,000 runs), plus the -0.7% bias of
  // starting empty that the reference notes.
  EXPECT_NEAR(grand, theory.mean_wait_s, 4.0 * standard_error + 0.01 * theory.mean_wait_s)
      << "standard error " << standard_error;
  EXPECT_NEAR(r.mean_wait_hours * 3600.0, theory.mean_wait_s, 4.0 * standard_error + 0.01 * theory.mean_wait_s);
  EXPECT_NEAR(r.share_waited, theory.p_wait, 0.01);

  // Little's law holds exactly for the time integral of the queue: L = (sum of waits) / T,
  // up to the waits of jobs still queued at the end.
  const double t_s = engine::to_seconds(r.end_time);
  const double little = grand * static_cast<double>(waits_s.size()) / t_s;
  EXPECT_NEAR(r.mean_queue_length, little, 0.002 * little + 50.0 / t_s * k.servers);
  // And against theory: L_q = lambda W_q.
  EXPECT_NEAR(r.mean_queue_length, lambda * theory.mean_wait_s, 4.0 * standard_error * lambda + 0.01 * lambda * theory.mean_wait_s);
}

INSTANTIATE_TEST_SUITE_P(CheckPoints, MmcAgainstErlangC,
                         ::testing::Values(MmcCase{10, 0.9, 1'000'000}, MmcCase{100, 0.9, 1'000'000},
                                           MmcCase{4, 0.7, 400'000}));

}  // namespace
}  // namespace dcsim::model
