// Warm start end to end (docs/scenario-format.md, "Initial jobs"): listed jobs running and
// queued at the start, with start and end times worked out by hand, their real past in
// jobs.csv, and jobs drawn from the workload's steady state against the M/G/inf mean.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "reports/results_folder.h"
#include "tests/support/one_server_run.h"
#include "tests/support/run_text.h"

namespace dcsim {
namespace {

constexpr engine::SimTime kHour = engine::kMicrosPerHour;

// One 8-GPU server; arrivals so rare (one per 10,000 days on average) that none comes in 2 days.
std::string one_server_with(const std::string& initial, const std::string& scheduler) {
  return test_support::one_server_head("warm", "2027-01-01", "2 d") +
         "  - name: w\n"
         "    arrivals: {rate: 0.0001 /day}\n"
         "    gpus: 1\n"
         "    duration: 1 h\n"
         "    initial:\n" +
         initial + "scheduler: {policy: " + scheduler + "}\n";
}

const model::JobRecord* job(const run::RunResult& r, std::uint64_t id) {
  for (const model::JobRecord& j : r.model.jobs)
    if (j.job_id == id) return &j;
  return nullptr;
}

const std::string kThreeJobs =
    "      running: [{gpus: 6, elapsed: 10 h, remaining: 5 h, waited: 1 h}]\n"
    "      queued: [{gpus: 4, waited: 2 h, duration: 3 h}, {gpus: 2, duration: 1 h}]\n";

TEST(WarmStart, QueuedAtStartStartsWhenTheRunningOneEndsByHand) {
  const run::RunResult r = test_support::run_text(one_server_with(kThreeJobs, "fifo"), true);
  ASSERT_TRUE(r.ok());
  // FIFO: 6 GPUs run from 0 to 5 h; the 4-GPU head does not fit in the 2 left, and holds the
  // 2-GPU job behind it; at 5 h both start (4 + 2 <= 8): 5-8 h and 5-6 h.
  const model::JobRecord* a = job(r, 1);
  const model::JobRecord* b = job(r, 2);
  const model::JobRecord* c = job(r, 3);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->arrival, -11 * kHour);
  EXPECT_EQ(a->start, 0);
  EXPECT_EQ(a->elapsed_before_start, 10 * kHour);
  EXPECT_EQ(a->end, 5 * kHour);
  EXPECT_EQ(a->state, model::JobState::completed);
  EXPECT_EQ(b->arrival, -2 * kHour);
  EXPECT_EQ(b->start, 5 * kHour);
  EXPECT_EQ(b->end, 8 * kHour);
  EXPECT_EQ(c->arrival, 0);
  EXPECT_EQ(c->start, 5 * kHour);
  EXPECT_EQ(c->end, 6 * kHour);
  EXPECT_EQ(r.model.jobs_submitted, 3u);
  EXPECT_EQ(r.model.jobs_completed, 3u);
  // GPU time inside the run: 6 x 5 + 4 x 3 + 2 x 1 = 44 GPU-hours.
  EXPECT_EQ(r.model.busy_gpu_us, static_cast<__int128>(44) * kHour);
  // Jobs that arrived before the start are outside the wait statistics, as before a warmup; the
  // third, queued with no wait before the start, arrived at it and counts.
  EXPECT_EQ(r.model.jobs_measured, 1u);

  // jobs.csv: the running job's real arrival and start, before the scenario's start.
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.jobs_csv.find("\n1,w,shared,6,2026-12-31T13:00:00Z,2026-12-31T14:00:00Z,2027-01-01T05:00:00Z,1,15,completed,"),
            std::string::npos)
      << files.jobs_csv;
  EXPECT_NE(files.jobs_csv.find("\n2,w,shared,4,2026-12-31T22:00:00Z,2027-01-01T05:00:00Z,2027-01-01T08:00:00Z,7,3,completed,"),
            std::string::npos)
      << files.jobs_csv;
}

TEST(WarmStart, BackfillStartsAQueuedJobThatFitsAtTheStart) {
  const run::RunResult r = test_support::run_text(one_server_with(kThreeJobs, "easy-backfill"), true);
  ASSERT_TRUE(r.ok());
  // EASY backfill: the 2-GPU job fits beside the running one and ends (1 h) before the head's
  // reservation at 5 h, so it starts at 0; the head still starts at 5 h.
  EXPECT_EQ(job(r, 3)->start, 0);
  EXPECT_EQ(job(r, 3)->end, 1 * kHour);
  EXPECT_EQ(job(r, 2)->start, 5 * kHour);
  EXPECT_EQ(job(r, 2)->end, 8 * kHour);
}

TEST(WarmStart, TimeLimitsCountFromEachJobsOwnStart) {
  const run::RunResult r = test_support::run_text(
      one_server_with("      running: [{gpus: 8, elapsed: 10 h, remaining: 5 h, time_limit: 12 h}]\n"
                      "      queued: [{gpus: 8, duration: 1 h, time_limit: 30 min}]\n",
                      "fifo"),
      true);
  ASSERT_TRUE(r.ok());
  // 12 h limit, 10 h gone: it is ended at 2 h with 3 h of work left; the next runs 2-2.5 h.
  EXPECT_EQ(job(r, 1)->end, 2 * kHour);
  EXPECT_EQ(job(r, 1)->state, model::JobState::timed_out);
  EXPECT_EQ(job(r, 2)->start, 2 * kHour);
  EXPECT_EQ(job(r, 2)->end, 2 * kHour + kHour / 2);
  EXPECT_EQ(job(r, 2)->state, model::JobState::timed_out);
  EXPECT_EQ(r.model.jobs_timed_out, 2u);
}

TEST(WarmStart, ARunningJobWithoutRoomWaitsAtTheHeadWithItsWorkLeft) {
  const run::RunResult r = test_support::run_text(
      one_server_with("      running: [{gpus: 8, elapsed: 1 h, remaining: 2 h}, {gpus: 4, elapsed: 1 h, remaining: 1 h}]\n",
                      "fifo"),
      true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(job(r, 1)->end, 2 * kHour);
  EXPECT_EQ(job(r, 2)->start, 2 * kHour);  // placed second, no room: queued until the first ends
  EXPECT_EQ(job(r, 2)->end, 3 * kHour);
  EXPECT_EQ(job(r, 2)->elapsed_before_start, 0);
}

TEST(WarmStart, AListedJobLargerThanEveryHallIsS201) {
  const run::RunResult r = test_support::run_text(
      one_server_with("      queued: [{gpus: 16, duration: 1 h}]\n", "fifo"), true);
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].code, "S201");
  EXPECT_NE(r.diagnostics[0].message.find("holds 16 GPUs"), std::string::npos) << r.diagnostics[0].message;
}

// 64 GPUs (room for every job), 1-GPU jobs at 2 /h lasting 2-18 h uniformly: 20 in the system
// on average at the start.
std::string steady_state_scenario(int seed, bool warm) {
  return "name: steady\nstart: 2027-01-01\nhorizon: 1 h\nseed: " + std::to_string(seed) + R"(
catalog:
  gpus: [{name: h100, idle_power: 70 W, tdp: 700 W}]
  servers: [{name: s8, gpu: h100, gpus: 8, price: 0 USD}]
sites:
  - name: s
    halls: [{name: h, racks: [{count: 8, server: s8}]}]
workloads:
  - name: w
    arrivals: {rate: 2 /h}
    gpus: 1
    duration: {uniform: {min: 2 h, max: 18 h}}
)" + (warm ? "    initial: {steady_state: yes}\n" : "");
}

TEST(WarmStart, SteadyStateMeanInSystemAtTheStartIsRateTimesMeanDuration) {
  const int seeds = 200;
  double in_system = 0.0;
  for (int seed = 1; seed <= seeds; ++seed) {
    const run::RunResult r = test_support::run_text(steady_state_scenario(seed, true), true);
    ASSERT_TRUE(r.ok());
    for (const model::JobRecord& j : r.model.jobs) {
      if (j.arrival >= 0) continue;
      in_system += 1.0;
      // Room for all: each runs from the start, having run since its arrival.
      ASSERT_EQ(j.start, 0);
      ASSERT_EQ(j.elapsed_before_start, -j.arrival);
    }
  }
  // Poisson with mean 2 /h x 10 h = 20: the mean of 200 runs has sd sqrt(20 / 200); 4 of them.
  EXPECT_NEAR(in_system / seeds, 20.0, 4.0 * std::sqrt(20.0 / seeds));
}

TEST(WarmStart, SteadyStateLeavesTheRunsOwnArrivalsUnchanged) {
  const run::RunResult cold = test_support::run_text(steady_state_scenario(5, false), true);
  const run::RunResult warm = test_support::run_text(steady_state_scenario(5, true), true);
  ASSERT_TRUE(cold.ok() && warm.ok());
  std::vector<engine::SimTime> cold_arrivals, warm_arrivals;
  for (const model::JobRecord& j : cold.model.jobs) cold_arrivals.push_back(j.arrival);
  for (const model::JobRecord& j : warm.model.jobs)
    if (j.arrival >= 0) warm_arrivals.push_back(j.arrival);
  std::sort(cold_arrivals.begin(), cold_arrivals.end());
  std::sort(warm_arrivals.begin(), warm_arrivals.end());
  EXPECT_FALSE(cold_arrivals.empty());
  EXPECT_EQ(cold_arrivals, warm_arrivals);
  EXPECT_GT(warm.model.jobs.size(), cold.model.jobs.size());
  // Same scenario, same seed: the same run.
  EXPECT_EQ(test_support::run_text(steady_state_scenario(5, true), true).model.fingerprint, warm.model.fingerprint);
}

}  // namespace
}  // namespace dcsim
