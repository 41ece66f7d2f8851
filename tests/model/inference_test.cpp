// Inference services: Erlang C waits against an independent formula and a hand-computed value,
// an autoscaler that follows a daily cycle, and energy / GPU-hour invariants beside training.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model_test_support.h"

namespace dcsim::model {
namespace {

// Erlang C from its textbook form: (a^c/c! x c/(c-a)) / (sum_{k<c} a^k/k! + a^c/c! x c/(c-a)).
double erlang_c_direct(int c, double a) {
  double term = 1.0;  // a^k / k!
  double sum = 0.0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / static_cast<double>(k + 1);
  }
  const double top = term * static_cast<double>(c) / (static_cast<double>(c) - a);
  return top / (sum + top);
}

ServiceConfig service(double base_rps, int min_replicas, int max_replicas) {
  ServiceConfig s;
  s.name = "chat";
  s.workload = 0;
  s.gpus_per_replica = 2;
  s.replica_rps = 10.0;
  s.latency_objective_s = 0.2;
  s.slo_target = 0.99;
  s.base_rps = base_rps;
  s.min_replicas = min_replicas;
  s.max_replicas = max_replicas;
  s.target_utilization = 0.7;
  s.interval = 5 * 60 * engine::kMicrosPerSecond;
  return s;
}

TEST(ServiceQueue, ErlangCMatchesHandComputedPublishedAndTextbookValues) {
  // Three servers, two Erlangs: B = (4/3) / (19/3) = 4/19, C = 3B / (3 - 2(1 - B)) = 4/9.
  EXPECT_NEAR(erlang_c(3, 2.0), 4.0 / 9.0, 1e-12);
  // Published Erlang C table: 10 agents, 9 Erlangs offered: P(wait) = 0.6687.
  EXPECT_NEAR(erlang_c(10, 9.0), 0.6687, 1e-4);
  // M/M/1: the probability of waiting is the utilization.
  EXPECT_NEAR(erlang_c(1, 0.3), 0.3, 1e-12);
  for (int c : {2, 5, 17, 60}) {
    for (double share : {0.1, 0.5, 0.9, 0.99}) {
      const double a = share * c;
      EXPECT_NEAR(erlang_c(c, a), erlang_c_direct(c, a), 1e-9) << c << " servers, " << a << " Erlangs";
    }
  }
}

TEST(ServiceQueue, OverloadedQueueServesCapacityAndMissesTheObjective) {
  const QueueOutcome q = evaluate_queue(50.0, 4, 10.0, 0.2);
  EXPECT_TRUE(q.overloaded);
  EXPECT_EQ(q.served_rps, 40.0);
  EXPECT_EQ(q.unserved_rps, 10.0);
  EXPECT_EQ(q.p_late, 1.0);
}

TEST(Inference, ConstantDemandOnFixedReplicasWaitsAsErlangCSays) {
  ModelConfig cfg = testing::single_pool_config(4, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600), SchedulingPolicy::fifo);
  cfg.horizon = 2 * engine::kMicrosPerDay;
  cfg.services.push_back(service(25.0, 4, 4));
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.service_rows.size(), 2u * 24u * 12u);
  const double c = erlang_c_direct(4, 2.5);
  const double wait_ms = 1000.0 * c / (40.0 - 25.0);
  const double p_late = c * std::exp(-15.0 * 0.2);
  for (const ServiceIntervalRow& row : r.service_rows) {
    EXPECT_DOUBLE_EQ(row.demand_rps, 25.0);
    EXPECT_DOUBLE_EQ(row.replicas, 4.0);
    EXPECT_DOUBLE_EQ(row.utilization, 25.0 / 40.0);
    EXPECT_NEAR(row.wait_ms, wait_ms, 1e-9);
    EXPECT_EQ(row.slo_met, p_late <= 0.01);
  }
  ASSERT_EQ(r.services.size(), 1u);
  const ServiceResults& s = r.services[0];
  EXPECT_NEAR(s.requests_served, 25.0 * 2 * 86400, 1e-6);
  EXPECT_EQ(s.unserved_share, 0.0);
  EXPECT_NEAR(s.slo_request_share, 1.0 - p_late, 1e-12);
  EXPECT_NEAR(s.gpu_hours, 8.0 * 48.0, 1e-9);
  // Power: 8 GPUs at 62.5 % of the 630 W idle-to-TDP span above a 4 x (8 x 70 W + 1 kW) idle fleet.
  const __int128 idle_mw = 4 * (8 * 70'000 + 1'000'000);
  EXPECT_TRUE(r.it_energy_mw_us == (idle_mw + 8 * 393'750) * cfg.horizon);
  EXPECT_TRUE(r.busy_gpu_us == static_cast<__int128>(8) * cfg.horizon);
}

TEST(Inference, ReplicasUnderAHallLimitAreCappedToItEveryInterval) {
  // The fleet of the test above draws 6,240 W idle + 8 x 630 W x u with u about 0.625 (25 rps on
  // 40 rps, with 5% noise each interval: hourly means above 9 kW). A hall limit of 8 kW caps the 8
  // replica GPUs all the time: the hall draws its limit (less at most 1 mW of rounding per rack)
  // and the capped GPU-hours are 8 x 48.
  ModelConfig cfg = testing::single_pool_config(4, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600), SchedulingPolicy::fifo);
  cfg.horizon = 2 * engine::kMicrosPerDay;
  ServiceConfig s = service(25.0, 4, 4);
  s.noise_sd = 0.05;
  cfg.services.push_back(s);
  cfg.halls[0].power_limit_w = 8000.0;
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.hours.size(), 48u);
  for (const IntervalRow& h : r.hours) {
    EXPECT_LE(h.hall_it_power_kw[0], 8.0);
    EXPECT_GE(h.hall_it_power_kw[0], 8.0 - 4e-6);
    EXPECT_GT(h.hall_demand_kw[0], 9.0);
  }
  EXPECT_NEAR(r.capped_gpu_hours, 8.0 * 48.0, 1e-9);
  EXPECT_EQ(r.hours_capped, 48u);
}

TEST(Inference, ReplicasFollowADailyCycleWithinTheScaleUpDelay) {
  ModelConfig cfg = testing::single_pool_config(16, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600), SchedulingPolicy::fifo);
  cfg.horizon = 3 * engine::kMicrosPerDay;
  ServiceConfig s = service(100.0, 1, 60);
  s.gpus_per_replica = 1;
  s.daily_amplitude = 0.5;
  s.peak_hour = 14.0;
  s.scale_up_delay = 2 * 60 * engine::kMicrosPerSecond;
  s.cold_start = 3 * 60 * engine::kMicrosPerSecond;
  cfg.services.push_back(s);
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.service_rows.size(), 3u * 288u);
  auto demand = [](engine::SimTime t) {  // the run starts at midnight UTC
    const double hour = std::fmod(engine::to_hours(t), 24.0);
    return 100.0 * (1.0 + 0.5 * std::cos(2.0 * std::numbers::pi * (hour - 14.0) / 24.0));
  };
  auto desired = [](double lambda) { return std::clamp(std::ceil(lambda / 7.0 - 1e-9), 1.0, 60.0); };
  double lowest = 1e9, highest = 0.0;
  for (std::size_t k = 0; k < r.service_rows.size(); ++k) {
    const ServiceIntervalRow& row = r.service_rows[k];
    EXPECT_NEAR(row.demand_rps, demand(row.start), 1e-9);
    // A scale-up decided at one tick is ready at the next (2 min delay + 3 min cold start); a
    // scale-down is at once.
    const double expected = k == 0 ? desired(demand(0))
                                   : std::min(desired(demand(r.service_rows[k - 1].start)), desired(demand(row.start)));
    EXPECT_DOUBLE_EQ(row.replicas, expected) << "interval " << k;
    lowest = std::min(lowest, row.replicas);
    highest = std::max(highest, row.replicas);
  }
  EXPECT_EQ(lowest, std::ceil(50.0 / 7.0));
  EXPECT_EQ(highest, std::ceil(150.0 / 7.0));
  EXPECT_EQ(r.services[0].replicas_unplaced, 0u);
}

TEST(Inference, EnergyAndGpuHoursBalanceWithAServiceBesideTraining) {
  ModelConfig cfg = testing::single_pool_config(8, 8, 12.0 / 86400.0, engine::Distribution::constant(8),
                                                engine::Distribution::exponential(6 * 3600.0),
                                                SchedulingPolicy::easy_backfill);
  cfg.horizon = 20 * engine::kMicrosPerDay;
  cfg.record_jobs = true;
  WorkloadConfig serving;
  serving.name = "serving";
  cfg.workloads.push_back(serving);
  ServiceConfig s = service(60.0, 1, 16);
  s.workload = 1;
  s.gpus_per_replica = 1;
  s.daily_amplitude = 0.6;
  s.scale_up_delay = 2 * 60 * engine::kMicrosPerSecond;
  s.cold_start = 3 * 60 * engine::kMicrosPerSecond;
  cfg.services.push_back(s);
  const ModelResults r = simulate(cfg);
  ASSERT_GT(r.jobs_completed, 50u);

  const __int128 idle_mw = 8 * (8 * 70'000 + 1'000'000);
  double expected_mw_us = static_cast<double>(idle_mw * cfg.horizon);
  double gpu_us = 0.0;
  for (const JobRecord& j : r.jobs) {
    if (j.start < 0) continue;
    const engine::SimTime end = j.end >= 0 ? j.end : cfg.horizon;
    expected_mw_us += 8.0 * 630'000.0 * static_cast<double>(end - j.start);
    gpu_us += 8.0 * static_cast<double>(end - j.start);
  }
  double service_gpu_us = 0.0;
  double replica_us = 0.0;
  for (const ServiceIntervalRow& row : r.service_rows) {
    // Ready replicas draw the span times their utilization: served / mu GPUs' worth.
    expected_mw_us += row.utilization * row.replicas * 630'000.0 * static_cast<double>(row.length);
    service_gpu_us += row.gpus_held * static_cast<double>(row.length);
    replica_us += row.replicas * static_cast<double>(row.length);
  }
  // Per-GPU draw is rounded to the milliwatt: at most 0.5 mW per replica GPU.
  EXPECT_NEAR(static_cast<double>(r.it_energy_mw_us), expected_mw_us, 0.5 * replica_us + 1.0);
  EXPECT_NEAR(static_cast<double>(r.busy_gpu_us), gpu_us + service_gpu_us, 1e-6 * (gpu_us + service_gpu_us));
  EXPECT_NEAR(r.services[0].gpu_hours, service_gpu_us / 3.6e9, 1e-9 * service_gpu_us);
  double booked = 0.0;
  for (const WorkloadMonthUse& m : r.workload_months) {
    if (m.workload == 1) booked += m.gpu_hours();
  }
  EXPECT_NEAR(booked, r.services[0].gpu_hours, 1e-6);
  for (const IntervalRow& h : r.hours) EXPECT_LE(h.gpus_busy, h.gpus_total);
  EXPECT_GT(r.services[0].mean_replicas, 1.0);
}

TEST(Inference, RackLimitsThatDoNotBindLeaveTheDrawAsWithoutLimits) {
  // A rack limit above the rack's maximum draw switches on the per-rack power bookkeeping; the
  // energy must be exactly what the unlimited run gives.
  ModelConfig cfg = testing::single_pool_config(4, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600), SchedulingPolicy::fifo);
  cfg.horizon = engine::kMicrosPerDay;
  ServiceConfig s = service(25.0, 1, 8);
  s.daily_amplitude = 0.5;
  cfg.services.push_back(s);
  const ModelResults free_run = simulate(cfg);
  cfg.rack_groups[0].rack_power_limit_w = 1e6;
  const ModelResults limited = simulate(cfg);
  EXPECT_TRUE(limited.it_energy_mw_us == free_run.it_energy_mw_us);
  EXPECT_TRUE(limited.busy_gpu_us == free_run.busy_gpu_us);
  EXPECT_EQ(limited.capped_gpu_hours, 0.0);
}

TEST(Inference, AFailedServerLosesItsReplicasAndTheAutoscalerReplacesThem) {
  ModelConfig cfg = testing::single_pool_config(2, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600), SchedulingPolicy::fifo);
  cfg.horizon = 10 * engine::kMicrosPerDay;
  cfg.failures.push_back(FailureClass{"host", false, engine::Distribution::exponential(86400.0),
                                      engine::Distribution::constant(3600.0)});
  ServiceConfig s = service(25.0, 4, 4);
  s.gpus_per_replica = 4;  // two replicas per server
  cfg.services.push_back(s);
  const ModelResults r = simulate(cfg);
  ASSERT_GT(r.failures_by_cause[0], 3u);
  double held_gpu_us = 0.0;
  double short_us = 0.0;
  for (const ServiceIntervalRow& row : r.service_rows) {
    held_gpu_us += row.gpus_held * static_cast<double>(row.length);
    short_us += (4.0 - row.replicas) * static_cast<double>(row.length);
  }
  EXPECT_NEAR(static_cast<double>(r.busy_gpu_us), held_gpu_us, 1e-6 * held_gpu_us);
  EXPECT_GT(short_us, 0.0) << "the service ran short while a server was out";
  EXPECT_LT(r.services[0].mean_replicas, 4.0);
  EXPECT_GT(r.services[0].mean_replicas, 3.0);
}

// One 8-GPU server and two services of one 8-GPU replica each (min = max = 1): only the first to
// act at the start gets the server, the other stays unplaced all run. Without priorities that is
// the first in file order; the higher priority otherwise; a service without a priority ranks above
// every priority.
TEST(Inference, ServicesActingAtTheSameMomentTakeGpusInPriorityOrder) {
  ModelConfig cfg = testing::single_pool_config(1, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600), SchedulingPolicy::fifo);
  cfg.horizon = engine::kMicrosPerDay;
  WorkloadConfig second = cfg.workloads[0];
  second.name = "second";
  cfg.workloads.push_back(second);
  for (std::uint32_t i = 0; i < 2; ++i) {
    ServiceConfig s = service(5.0, 1, 1);
    s.name = i == 0 ? "first" : "second";
    s.workload = i;
    s.gpus_per_replica = 8;
    cfg.services.push_back(s);
  }
  struct Case {
    std::optional<int> first, second;
    std::uint32_t served;  // the service holding the server
  };
  for (const Case& c : {Case{{}, {}, 0}, Case{1, 5, 1}, Case{5, 1, 0}, Case{2, 2, 0}, Case{{}, 5, 0}, Case{5, {}, 1}}) {
    cfg.services[0].priority = c.first;
    cfg.services[1].priority = c.second;
    const ModelResults r = simulate(cfg);
    const std::string label = "first " + (c.first ? std::to_string(*c.first) : std::string("none")) + ", second " +
                              (c.second ? std::to_string(*c.second) : std::string("none"));
    ASSERT_EQ(r.services.size(), 2u);
    EXPECT_DOUBLE_EQ(r.services[c.served].mean_replicas, 1.0) << label;
    EXPECT_EQ(r.services[c.served].replicas_unplaced, 0u) << label;
    EXPECT_DOUBLE_EQ(r.services[1 - c.served].mean_replicas, 0.0) << label;
    EXPECT_GT(r.services[1 - c.served].replicas_unplaced, 0u) << label;
  }
}

}  // namespace
}  // namespace dcsim::model

namespace dcsim::model {
namespace {

// The cache continues the Erlang B recursion for a larger c at the same load and starts over at
// a new load: every value must be bit for bit what erlang_c computes from scratch.
TEST(ErlangCache, GivesExactlyTheUncachedValueWhileGrowingShrinkingAndChangingLoad) {
  ErlangCache cache;
  const std::pair<int, double> calls[] = {{10, 7.5}, {12, 7.5}, {11, 7.5}, {40, 7.5}, {3, 7.5},
                                          {40, 31.2}, {35, 31.2}, {400, 350.0}, {401, 350.0}, {8, 9.0}};
  for (const auto& [c, a] : calls) {
    const double expected = erlang_c(c, a);
    EXPECT_EQ(cache.erlang_c(c, a), expected) << c << " servers, " << a << " Erlangs";
  }
  EXPECT_EQ(cache.erlang_c(0, 1.0), 1.0);   // no servers: everyone waits
  EXPECT_EQ(cache.erlang_c(5, 0.0), 0.0);   // no load: nobody waits
  EXPECT_NEAR(cache.erlang_c(3, 2.0), 4.0 / 9.0, 1e-12);  // by hand: C(3, 2) = 4/9
}

}  // namespace
}  // namespace dcsim::model

namespace dcsim::model {
namespace {

// Several recursions side by side (fill_erlang_caches, 32 lanes a batch) must leave each cache
// exactly as one ErlangCache::erlang_c call alone would, and the cache must then answer, shrink
// and extend as after that call.
TEST(ErlangCache, FilledSideBySideHoldsExactlyWhatOneAtATimeHolds) {
  std::vector<std::pair<int, double>> cases = {{1, 0.5}, {2, 1.9}, {7, 6.99}, {40, 7.5}, {400, 350.0},
                                               {401, 350.0}, {1000, 699.3}, {2000, 1999.0}, {3, 0.001}};
  for (int i = 0; i < 40; ++i) cases.emplace_back(5 + 37 * i, 0.7 * (5 + 37 * i) + 0.013 * i);  // a second batch
  std::vector<ErlangCache> filled(cases.size());
  std::vector<ErlangLane> lanes;
  for (std::size_t i = 0; i < cases.size(); ++i) lanes.push_back(ErlangLane{&filled[i], cases[i].second, cases[i].first});
  fill_erlang_caches(lanes);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto [c, a] = cases[i];
    ErlangCache alone;
    const double expected = alone.erlang_c(c, a);
    EXPECT_EQ(filled[i].b, alone.b) << c << " servers, " << a << " Erlangs";
    EXPECT_EQ(filled[i].erlang_c(c, a), expected) << c << " servers, " << a << " Erlangs";
    EXPECT_EQ(filled[i].erlang_c(c, a), erlang_c(c, a));
    EXPECT_EQ(filled[i].erlang_c(c / 2 + 1, a), erlang_c(c / 2 + 1, a));
    EXPECT_EQ(filled[i].erlang_c(c + 7, a), erlang_c(c + 7, a));  // extended past the fill
  }
}

// prefill_erlang draws each service's demand ahead of its tick when services tick together: every
// interval must still carry its own tick's draw of its own service's noise stream. Intervals of 5
// and 15 minutes tick together every quarter hour and apart in between.
TEST(Inference, DemandDrawnAheadOfATickIsThatTicksOwnDraw) {
  ModelConfig cfg = testing::single_pool_config(40, 8, 0.0, engine::Distribution::constant(8),
                                                engine::Distribution::constant(3600), SchedulingPolicy::fifo);
  cfg.horizon = 2 * engine::kMicrosPerDay;
  cfg.seed = 11;
  const engine::SimTime minute = 60 * engine::kMicrosPerSecond;
  const std::pair<const char*, engine::SimTime> kinds[] = {{"chat", 5 * minute}, {"code", 15 * minute}, {"search", 15 * minute}};
  for (const auto& [name, interval] : kinds) {
    ServiceConfig s = service(120.0, 2, 60);
    s.name = name;
    s.interval = interval;
    s.noise_sd = 0.2;
    s.daily_amplitude = 0.5;
    s.scale_up_delay = 2 * minute;
    s.cold_start = 3 * minute;
    cfg.services.push_back(s);
  }
  const ModelResults r = simulate(cfg);
  for (std::uint32_t k = 0; k < cfg.services.size(); ++k) {
    const ServiceConfig& s = cfg.services[k];
    engine::RandomStream noise(cfg.seed, "service." + s.name + ".noise");
    std::size_t rows = 0;
    for (engine::SimTime t = 0; t < cfg.horizon; t += s.interval) {
      double lambda = service_demand_rps(s, cfg.start_unix_s, t);
      const double u1 = noise.uniform01();
      const double u2 = noise.uniform01();
      lambda *= std::max(0.0, 1.0 + s.noise_sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
      const auto row = std::find_if(r.service_rows.begin(), r.service_rows.end(),
                                    [&](const ServiceIntervalRow& x) { return x.service == k && x.start == t; });
      ASSERT_NE(row, r.service_rows.end()) << s.name << " at " << t;
      EXPECT_NEAR(row->demand_rps, lambda, 1e-12 * lambda) << s.name << " at " << t;
      ++rows;
    }
    EXPECT_EQ(rows, static_cast<std::size_t>(cfg.horizon / s.interval));
  }
}

}  // namespace
}  // namespace dcsim::model
