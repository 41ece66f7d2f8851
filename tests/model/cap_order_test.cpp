// Capping by priority (power.cap_order: priority): the lowest workload priority gives up power
// first, inference replicas last; levels, completion times and energy computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

// GPUs of the test fleet: idle 70 W, TDP 700 W, so 630 W above idle and idle / TDP = 0.1; a
// server is 8 GPUs and 1 kW of overhead: 1,560 W idle, 5,040 W more with all 8 GPUs busy.
constexpr double kServerIdleW = 1560.0;
constexpr double kServerBusyW = 5040.0;
constexpr double kHours = 10.0;  // each job's work at full speed

// Speed of a GPU capped to `level` of its idle-to-TDP span (a job drawing TDP when uncapped).
double speed_at(double level) { return std::pow(0.1 + 0.9 * level, 0.4); }

enum class LimitAt { hall, rack, site };

// Two servers, one 8-GPU job each at time 0: workload "low" (priority 1) and "high" (priority 5),
// 10 h of work each; the limit `busy_room_w` above the idle draw at the given level.
ModelConfig two_priorities(CapOrder order, double busy_room_w, LimitAt at, int low_priority = 1) {
  ModelConfig cfg = testing::single_pool_config(2, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.cap_order = order;
  cfg.workloads[0].name = "low";
  cfg.workloads[0].priority = low_priority;
  cfg.workloads[0].trace = {TraceArrival{0, 8, static_cast<engine::SimTime>(kHours * engine::kMicrosPerHour)}};
  WorkloadConfig high = cfg.workloads[0];
  high.name = "high";
  high.priority = 5;
  cfg.workloads.push_back(high);
  const double limit_w = 2 * kServerIdleW + busy_room_w;
  switch (at) {
    case LimitAt::hall: cfg.halls[0].power_limit_w = limit_w; break;
    case LimitAt::site: cfg.sites[0].feed_limit_w = limit_w; break;
    case LimitAt::rack:  // both servers in one rack
      cfg.rack_groups[0].racks = 1;
      cfg.rack_groups[0].servers_per_rack = 2;
      cfg.rack_groups[0].rack_power_limit_w = limit_w;
      break;
  }
  return cfg;
}

const JobRecord& job_of(const ModelResults& r, std::uint32_t workload) {
  for (const JobRecord& j : r.jobs)
    if (j.workload == workload) return j;
  ADD_FAILURE() << "no job of workload " << workload;
  return r.jobs.front();
}

double hours(engine::SimTime t) { return engine::to_hours(t); }

// Exact energy of a piecewise-constant draw, in mW x us, from (start, watts) steps to `end`.
__int128 energy_mw_us(const std::vector<std::pair<engine::SimTime, double>>& steps, engine::SimTime end) {
  __int128 e = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const engine::SimTime to = i + 1 < steps.size() ? steps[i + 1].first : end;
    e += static_cast<__int128>(std::llround(steps[i].second * 1000.0)) * (to - steps[i].first);
  }
  return e;
}

class CapOrderAtEachLevel : public ::testing::TestWithParam<LimitAt> {};

TEST_P(CapOrderAtEachLevel, TheCutFitsInTheLowPriorityJobAndTheHighOneRunsAtFullSpeed) {
  // Room above idle: 7,560 W for 10,080 W of busy draw. "high" (5,040 W) fits whole; "low" gets
  // the 2,520 W left, level 0.5: speed 0.55^0.4 while "high" runs, full speed after it ends at
  // 10 h, so it ends at 10 + 10 (1 - 0.55^0.4) h.
  const ModelResults r = simulate(two_priorities(CapOrder::priority, 1.5 * kServerBusyW, GetParam()));
  ASSERT_EQ(r.jobs.size(), 2u);
  const JobRecord& low = job_of(r, 0);
  const JobRecord& high = job_of(r, 1);
  ASSERT_EQ(high.state, JobState::completed);
  ASSERT_EQ(low.state, JobState::completed);
  EXPECT_EQ(high.start, 0);
  EXPECT_EQ(low.start, 0);
  EXPECT_EQ(high.end, static_cast<engine::SimTime>(kHours * engine::kMicrosPerHour));
  const double s = speed_at(0.5);
  EXPECT_NEAR(hours(low.end), kHours + kHours * (1.0 - s), 1e-6);
  // Only the low job's 8 GPUs were capped, for the 10 h the high one ran.
  EXPECT_NEAR(r.capped_gpu_hours, 8 * kHours, 1e-6);
  EXPECT_NEAR(r.lost_gpu_hours, 8 * kHours * (1.0 - s), 1e-6);
  // Energy: exactly the limit while both run, the low job uncapped after, idle at the end.
  const __int128 expected = energy_mw_us({{0, 2 * kServerIdleW + 1.5 * kServerBusyW},
                                          {high.end, 2 * kServerIdleW + kServerBusyW},
                                          {low.end, 2 * kServerIdleW}},
                                         r.end_time);
  EXPECT_EQ(static_cast<double>(r.it_energy_mw_us), static_cast<double>(expected));
  for (const IntervalRow& h : r.hours) {
    EXPECT_LE(h.hall_it_power_kw[0], (2 * kServerIdleW + 1.5 * kServerBusyW) / 1000.0 + 1e-9);
    if (h.start < high.end) {
      EXPECT_DOUBLE_EQ(h.power_capped_gpus, 8.0);
    }
  }
}

TEST_P(CapOrderAtEachLevel, ACutDeeperThanTheLowClassTakesItToIdleAndCapsTheNextOne) {
  // Room above idle: 2,520 W. "high" gets it all (level 0.5), "low" falls to idle (level 0,
  // speed 0.1^0.4). When "high" ends at 10 / 0.55^0.4 h, "low" alone gets level 0.5.
  const ModelResults r = simulate(two_priorities(CapOrder::priority, 0.5 * kServerBusyW, GetParam()));
  const JobRecord& low = job_of(r, 0);
  const JobRecord& high = job_of(r, 1);
  ASSERT_EQ(low.state, JobState::completed);
  const double half = speed_at(0.5);
  const double idle = speed_at(0.0);
  const double t1 = kHours / half;
  EXPECT_NEAR(hours(high.end), t1, 1e-6);
  const double left = kHours - t1 * idle;  // low's work at t1
  EXPECT_NEAR(hours(low.end), t1 + left / half, 1e-6);
  // 16 GPUs capped until t1, then 8.
  EXPECT_NEAR(r.capped_gpu_hours, 16 * t1 + 8 * (hours(low.end) - t1), 1e-5);
  const __int128 expected = energy_mw_us({{0, 2 * kServerIdleW + 0.5 * kServerBusyW},
                                          {high.end, 2 * kServerIdleW + 0.5 * kServerBusyW},
                                          {low.end, 2 * kServerIdleW}},
                                         r.end_time);
  EXPECT_EQ(static_cast<double>(r.it_energy_mw_us), static_cast<double>(expected));
}

INSTANTIATE_TEST_SUITE_P(Levels, CapOrderAtEachLevel, ::testing::Values(LimitAt::hall, LimitAt::rack, LimitAt::site),
                         [](const ::testing::TestParamInfo<LimitAt>& p) {
                           return p.param == LimitAt::hall ? "Hall" : p.param == LimitAt::rack ? "Rack" : "Site";
                         });

TEST(CapOrder, UniformCapsBothJobsAlikeAsBefore) {
  // Same fleet and limit, uniform: both at level 7,560 / 10,080 = 0.75, both end at 10 / 0.775^0.4 h.
  const ModelResults r = simulate(two_priorities(CapOrder::uniform, 1.5 * kServerBusyW, LimitAt::hall));
  const double s = speed_at(0.75);
  for (const JobRecord& j : r.jobs) EXPECT_NEAR(hours(j.end), kHours / s, 1e-6) << j.workload;
  EXPECT_NEAR(r.capped_gpu_hours, 16 * kHours / s, 1e-5);
  const __int128 expected =
      energy_mw_us({{0, 2 * kServerIdleW + 1.5 * kServerBusyW}, {r.jobs[0].end, 2 * kServerIdleW}}, r.end_time);
  EXPECT_EQ(static_cast<double>(r.it_energy_mw_us), static_cast<double>(expected));
}

TEST(CapOrder, OnePriorityIsTheSameAsUniform) {
  // Both workloads at priority 5: one class, cut uniformly, to the microsecond and milliwatt.
  for (LimitAt at : {LimitAt::hall, LimitAt::rack, LimitAt::site}) {
    const ModelResults u = simulate(two_priorities(CapOrder::uniform, 1.5 * kServerBusyW, at, 5));
    const ModelResults p = simulate(two_priorities(CapOrder::priority, 1.5 * kServerBusyW, at, 5));
    ASSERT_EQ(u.jobs.size(), p.jobs.size());
    for (std::size_t i = 0; i < u.jobs.size(); ++i) EXPECT_EQ(u.jobs[i].end, p.jobs[i].end);
    EXPECT_EQ(static_cast<double>(u.it_energy_mw_us), static_cast<double>(p.it_energy_mw_us));
    EXPECT_DOUBLE_EQ(u.capped_gpu_hours, p.capped_gpu_hours);
    EXPECT_DOUBLE_EQ(u.lost_gpu_hours, p.lost_gpu_hours);
  }
}

// Two servers x 8 GPUs under a hall limit: workload 0 is a service of one 8-GPU replica at
// utilization 0.5 (priority `service_priority`, none: cut last), and a priority-100 training job
// of 8 GPUs for kHours arrives at 1 h.
ModelConfig replica_and_job(CapOrder order, double hall_limit_w, std::optional<int> service_priority) {
  ModelConfig cfg = testing::single_pool_config(2, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600.0), SchedulingPolicy::fifo);
  cfg.horizon = engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.cap_order = order;
  cfg.halls[0].power_limit_w = hall_limit_w;
  cfg.workloads[0].priority = service_priority.value_or(0);
  ServiceConfig s;
  s.name = "chat";
  s.workload = 0;
  s.gpus_per_replica = 8;
  s.replica_rps = 10.0;
  s.base_rps = 5.0;
  s.min_replicas = 1;
  s.max_replicas = 1;
  s.priority = service_priority;
  cfg.services.push_back(s);
  WorkloadConfig train = cfg.workloads[0];
  train.name = "train";
  train.priority = 100;
  train.trace = {TraceArrival{engine::kMicrosPerHour, 8, static_cast<engine::SimTime>(kHours * engine::kMicrosPerHour)}};
  cfg.workloads.push_back(train);
  return cfg;
}

TEST(CapOrder, InferenceReplicasAreCutLast) {
  // Workload 0 books one 8-GPU replica at utilization 0.5 (2,520 W above idle); a training job
  // of 8 GPUs arrives at 1 h. Room above idle: 5,040 W. Priority: the replica keeps its 2,520 W,
  // the job gets 2,520 W (level 0.5). Uniform: both at 5,040 / 7,560 = 2/3.
  for (CapOrder order : {CapOrder::priority, CapOrder::uniform}) {
    // The job's priority 100 is above the service's workload entry: inference is still cut last.
    const ModelConfig cfg = replica_and_job(order, 2 * kServerIdleW + kServerBusyW, std::nullopt);
    const ModelResults r = simulate(cfg);
    ASSERT_EQ(r.jobs.size(), 1u);
    const JobRecord& j = r.jobs.front();
    ASSERT_EQ(j.state, JobState::completed);
    const double s_expected = order == CapOrder::priority ? speed_at(0.5) : speed_at(2.0 / 3.0);
    EXPECT_NEAR(hours(j.end - j.start), kHours / s_expected, 1e-6) << (order == CapOrder::priority ? "priority" : "uniform");
    // Capped GPUs while the job runs: its 8 under priority, all 16 under uniform.
    const double run_h = hours(j.end - j.start);
    EXPECT_NEAR(r.capped_gpu_hours, (order == CapOrder::priority ? 8 : 16) * run_h, 1e-5);
  }
}

TEST(CapOrder, AServiceWithAPriorityIsCutWithThatPriorityClass) {
  // The replica of InferenceReplicasAreCutLast (2,520 W above idle) and a priority-100 training
  // job (5,040 W), with 6,300 W of room above idle. The service at priority 1 is cut first: the
  // job keeps full speed, the replica gets the 1,260 W left. At priority 100 both are one class,
  // cut uniformly to 6,300 / 7,560 = 5/6. Without a priority the replica is cut last and the job
  // gets 3,780 / 5,040 = 0.75.
  for (const std::optional<int> service_priority : {std::optional<int>(1), std::optional<int>(100), std::optional<int>()}) {
    const ModelConfig cfg = replica_and_job(CapOrder::priority, 2 * kServerIdleW + kServerBusyW + 1260.0, service_priority);
    const ModelResults r = simulate(cfg);
    ASSERT_EQ(r.jobs.size(), 1u);
    const JobRecord& j = r.jobs.front();
    ASSERT_EQ(j.state, JobState::completed);
    const double level = !service_priority ? 0.75 : *service_priority == 1 ? 1.0 : 5.0 / 6.0;
    const std::string label = service_priority ? "priority " + std::to_string(*service_priority) : "no priority";
    EXPECT_NEAR(hours(j.end - j.start), kHours / speed_at(level), 1e-6) << label;
    // Capped GPUs while the job runs: the replica's 8 when it is cut first, all 16 in one class,
    // the job's 8 when the replica is cut last.
    const double run_h = hours(j.end - j.start);
    EXPECT_NEAR(r.capped_gpu_hours, (service_priority && *service_priority == 100 ? 16 : 8) * run_h, 1e-5) << label;
  }
}

TEST(CapOrder, RackLimitsAndASiteFeedStayHonouredWithManyJobsAndTheHighPriorityLosesLess) {
  // 8 servers in 4 racks of 2 (3,120 W idle, 13,200 W all busy per rack), racks limited to
  // 10 kW and the site feed to 35 kW (52.8 kW all busy): both levels bind. Two workloads of
  // 8-GPU, 4 h jobs at 0.75 jobs/h each.
  ModelConfig cfg = testing::single_pool_config(8, 8, 0.75 / 3600.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(4 * 3600.0), SchedulingPolicy::fifo);
  cfg.rack_groups[0].racks = 4;
  cfg.rack_groups[0].servers_per_rack = 2;
  cfg.rack_groups[0].rack_power_limit_w = 10000.0;
  cfg.sites[0].feed_limit_w = 35000.0;
  cfg.horizon = 20 * engine::kMicrosPerDay;
  cfg.record_jobs = true;
  cfg.cap_order = CapOrder::priority;
  cfg.workloads[0].priority = 1;
  WorkloadConfig high = cfg.workloads[0];
  high.name = "high";
  high.priority = 5;
  cfg.workloads.push_back(high);
  const ModelResults r = simulate(cfg);
  EXPECT_GT(r.hours_capped, 24u);
  for (const IntervalRow& h : r.hours) EXPECT_LE(h.it_power_kw, 35.0 + 1e-9);
  EXPECT_LE(static_cast<double>(r.it_energy_mw_us), 35'000'000.0 * static_cast<double>(r.end_time));
  double run_h[2] = {0.0, 0.0};
  int done[2] = {0, 0};
  for (const JobRecord& j : r.jobs) {
    if (j.state != JobState::completed) continue;
    EXPECT_GE(j.end - j.start, 4 * engine::kMicrosPerHour);
    run_h[j.workload] += hours(j.end - j.start);
    ++done[j.workload];
  }
  ASSERT_GT(done[0], 50);
  ASSERT_GT(done[1], 50);
  // Each job takes 4 h at full speed: the low priority's mean stretch is the larger.
  EXPECT_LT(run_h[1] / done[1], run_h[0] / done[0]);
  EXPECT_GT(r.lost_gpu_hours, 0.0);
  EXPECT_LT(r.lost_gpu_hours, r.capped_gpu_hours);
}

}  // namespace
}  // namespace dcsim::model
