// The shipped reference workloads (../shared/benchmarks/mmc-gang.md) against their theory.
#include <gtest/gtest.h>

#include "sim/run/run.h"
#include "sim/scenario/loader.h"

namespace dcsim {
namespace {

run::RunResult run_reference(const std::string& name, const std::vector<scenario::Override>& overrides = {}) {
  scenario::LoadResult loaded =
      scenario::load_scenario_file(std::string(DCSIM_SOURCE_DIR) + "/scenarios/reference/" + name, overrides);
  EXPECT_TRUE(loaded.ok());
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  return run::run(std::move(req));
}

// C = 10, rho = 0.9, N = 1,000,000: Erlang C gives P(wait) = 0.6687, W_q = 2,407.4 s. The
// reference's acceptance: |W_sim / W_q - 1| <= 5%, |share waited - P(wait)| <= 0.01.
TEST(ReferenceWorkloads, MmcCheckPointMatchesErlangC) {
  const run::RunResult r = run_reference("mmc-check.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.model.jobs_completed, 1'000'000u);
  EXPECT_NEAR(r.model.mean_wait_hours * 3600.0 / 2407.4, 1.0, 0.05);
  EXPECT_NEAR(r.model.share_waited, 0.6687, 0.01);
  EXPECT_NEAR(r.gpu_utilization, 0.9, 0.01);
}

// At the speed point nobody waits and the fleet is 90% busy: E[g] = 2.7, lambda = 80,000/day.
TEST(ReferenceWorkloads, MmcGangSpeedPointRunsAtNinetyPercentLoad) {
  const run::RunResult r = run_reference("mmc-gang.yaml", {{"stop.jobs_completed", "300000"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.model.jobs_completed, 300'000u);
  EXPECT_LT(r.model.share_waited, 1e-3);
  // Starting empty, the fleet fills within a few hours of the ~90 h run.
  EXPECT_NEAR(r.gpu_utilization, 0.9, 0.03);
  EXPECT_EQ(r.model.events, r.model.jobs_submitted + r.model.jobs_completed + r.model.jobs_timed_out);
}

}  // namespace
}  // namespace dcsim
