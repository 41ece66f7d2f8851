// Failed UPS and cooling units (failures with per: ups / cooling_unit) and planned utility feed
// upgrades: the hall's or site's limit moves at the event and the capping pass applies it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "model_test_support.h"
#include "sim/engine/random.h"

namespace dcsim::model {
namespace {

constexpr engine::SimTime kHour = engine::kMicrosPerHour;

// 4 servers of 8 GPUs (idle 70 W, TDP 700 W, overhead 1 kW): 6.24 kW idle, 26.4 kW all busy.
// One 32-GPU job arrives within seconds and runs past the horizon, so the hall asks for 26.4 kW
// from then on.
ModelConfig full_hall(double horizon_h) {
  ModelConfig cfg = testing::single_pool_config(4, 8, 1.0, engine::Distribution::constant(32),
                                                engine::Distribution::constant(1e9), SchedulingPolicy::fifo);
  cfg.horizon = static_cast<engine::SimTime>(horizon_h * kHour);
  cfg.workloads[0].rate_per_s = 0.0;  // one job only, from a one-row trace
  cfg.workloads[0].trace.push_back(TraceArrival{1, 32, engine::from_seconds(1e9)});
  return cfg;
}

FailureClass unit_class(int kind, engine::Distribution between, engine::Distribution repair) {
  FailureClass fc;
  fc.cause = kind == 1 ? "ups" : "chiller";
  fc.per_gpu = false;
  fc.time_between_s = std::move(between);
  fc.repair_s = std::move(repair);
  fc.facility_unit = kind;
  return fc;
}

TEST(UnitFailureCapacity, UsableShareFollowsRedundancyAndFailedUnits) {
  // N: every failure takes one unit's share; N+1 (4 units, 3/4 usable): the first failure costs
  // nothing, the second leaves 2/4; 2N: half usable, nothing lost until half the units are out.
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::n, 4, 0), 1.0);
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::n, 4, 1), 0.75);
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::n, 1, 1), 0.0);
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::n_plus_1, 4, 1), 0.75);
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::n_plus_1, 4, 2), 0.5);
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::n_plus_1, 2, 1), 0.5);
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::n_plus_1, 2, 2), 0.0);
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::two_n, 4, 2), 0.5);
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::two_n, 4, 3), 0.25);
  EXPECT_EQ(failure_units(Redundancy::two_n, 1), 2);  // one unit per side at least
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::two_n, 1, 1), 0.5);
  EXPECT_EQ(usable_fraction_with_failed(Redundancy::two_n, 1, 2), 0.0);
}

TEST(UnitFailure, AFailedUpsUnitWithoutRedundancyCapsTheHallForItsRepairTime) {
  // One UPS unit (N) of 30 kW fails every 100 h after its last repair and is out for 10 h: out
  // over [100, 110), [210, 220), [320, 330) of 400 h. Out, the hall keeps only its idle draw.
  ModelConfig cfg = full_hall(400);
  cfg.halls[0].power_limit_w = 30000.0;
  cfg.failures.push_back(unit_class(1, engine::Distribution::constant(100 * 3600.0), engine::Distribution::constant(10 * 3600.0)));
  const ModelResults r = simulate(cfg);
  EXPECT_EQ(r.ups_failures, 3u);
  EXPECT_EQ(r.failures_by_cause[0], 3u);
  EXPECT_DOUBLE_EQ(r.ups_unit_down_hours, 30.0);
  EXPECT_DOUBLE_EQ(r.hall_hours_ups_reduced, 30.0);
  ASSERT_EQ(r.hours.size(), 400u);
  ASSERT_EQ(r.hours[0].hall_ups_limit_kw.size(), 1u);
  EXPECT_NEAR(r.hours[99].hall_it_power_kw[0], 26.4, 1e-9);
  EXPECT_DOUBLE_EQ(r.hours[99].hall_ups_limit_kw[0], 30.0);
  for (int h : {100, 105, 109, 215, 329}) {
    EXPECT_NEAR(r.hours[h].hall_it_power_kw[0], 6.24, 1e-9) << "hour " << h;
    EXPECT_NEAR(r.hours[h].hall_ups_limit_kw[0], 0.0, 1e-6) << "hour " << h;
    EXPECT_DOUBLE_EQ(r.hours[h].power_capped_gpus, 32.0) << "hour " << h;
  }
  EXPECT_NEAR(r.hours[110].hall_it_power_kw[0], 26.4, 1e-9);
  EXPECT_DOUBLE_EQ(r.hours[110].hall_ups_limit_kw[0], 30.0);
  // 30 outage hours x 32 GPUs capped to idle: speed (70/700)^0.4 of full.
  EXPECT_NEAR(r.lost_gpu_hours, 30 * 32 * (1.0 - std::pow(0.1, 0.4)), 1e-6);
}

// Replays the class's stream the way the model draws from it: first failure per unit in unit
// order, then at each failure (in time order) its repair time and the time to the next failure.
struct Outage {
  engine::SimTime from, to;
};
std::vector<Outage> outages(const FailureClass& fc, std::uint64_t seed, int units, engine::SimTime horizon) {
  engine::RandomStream rng(seed, "failure." + fc.cause);
  auto draw = [&](const engine::Distribution& d) { return std::max<engine::SimTime>(1, engine::from_seconds(d.sample(rng))); };
  std::vector<engine::SimTime> next;
  for (int u = 0; u < units; ++u) next.push_back(draw(fc.time_between_s));
  std::vector<Outage> out;
  for (;;) {
    const auto it = std::min_element(next.begin(), next.end());
    if (*it >= horizon) break;
    const engine::SimTime repaired = *it + draw(fc.repair_s);
    out.push_back(Outage{*it, repaired});
    *it = repaired + draw(fc.time_between_s);
  }
  return out;
}

TEST(UnitFailure, NPlusOneLosesCapacityOnlyWhileTwoUnitsAreOut) {
  // N+1 of 3 units, 39.6 kW installed: 26.4 kW usable, exactly the load. One unit out leaves
  // 2/3 x 39.6 = 26.4 kW (nothing lost); two leave 13.2 kW; three leave nothing.
  ModelConfig cfg = full_hall(4000);
  cfg.halls[0].power_limit_w = 26400.0;  // the usable share the builder passes
  cfg.halls[0].ups_redundancy = Redundancy::n_plus_1;
  cfg.halls[0].ups_units = 3;
  cfg.failures.push_back(
      unit_class(1, engine::Distribution::exponential(300 * 3600.0), engine::Distribution::exponential(40 * 3600.0)));
  const ModelResults r = simulate(cfg);
  const std::vector<Outage> plan = outages(cfg.failures[0], cfg.seed, 3, cfg.horizon);
  // Units out at any time, from the replayed schedule, and the limit that follows by hand.
  auto out_at = [&](engine::SimTime t) {
    int n = 0;
    for (const Outage& o : plan) n += o.from <= t && t < o.to;
    return n;
  };
  const double limit_kw[4] = {26.4, 26.4, 13.2, 0.0};
  double down_h = 0.0;
  for (const Outage& o : plan) down_h += engine::to_hours(std::min(o.to, cfg.horizon) - o.from);
  // Time with two or more out: walk every change.
  std::vector<engine::SimTime> edges{0, cfg.horizon};
  for (const Outage& o : plan) {
    edges.push_back(o.from);
    if (o.to < cfg.horizon) edges.push_back(o.to);
  }
  std::sort(edges.begin(), edges.end());
  double reduced_h = 0.0;
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    if (out_at(edges[i]) >= 2) reduced_h += engine::to_hours(edges[i + 1] - edges[i]);
  }
  ASSERT_GT(reduced_h, 0.0) << "the seed should give overlapping outages";
  EXPECT_EQ(r.ups_failures, plan.size());
  EXPECT_NEAR(r.ups_unit_down_hours, down_h, 1e-9);
  EXPECT_NEAR(r.hall_hours_ups_reduced, reduced_h, 1e-9);
  // Hours with one count of units out throughout: the limit and the draw by hand.
  int checked_one = 0, checked_two = 0;
  for (std::size_t h = 0; h < r.hours.size(); ++h) {
    const engine::SimTime from = static_cast<engine::SimTime>(h) * kHour;
    int lo = out_at(from), hi = lo;
    for (const Outage& o : plan) {
      for (engine::SimTime t : {o.from, o.to}) {
        if (t > from && t < from + kHour) {
          lo = std::min(lo, out_at(t));
          hi = std::max(hi, out_at(t));
        }
      }
    }
    if (lo != hi || h == 0) continue;
    EXPECT_NEAR(r.hours[h].hall_ups_limit_kw[0], limit_kw[lo], 1e-6) << "hour " << h;
    if (lo <= 1) {
      EXPECT_NEAR(r.hours[h].hall_it_power_kw[0], 26.4, 1e-9) << "hour " << h;
      ++checked_one;
    } else if (lo == 2) {
      EXPECT_NEAR(r.hours[h].hall_it_power_kw[0], 13.2, 1e-5) << "hour " << h;
      ++checked_two;
    }
  }
  EXPECT_GT(checked_one, 0);
  EXPECT_GT(checked_two, 0);
  // Poisson count: each unit cycles through 300 h up and 40 h down on average.
  const double expected = 3.0 * 4000.0 / 340.0;
  EXPECT_NEAR(static_cast<double>(r.ups_failures), expected, 4.0 * std::sqrt(expected));
}

TEST(UnitFailure, AFailedCoolingUnitThrottlesTheHallLikeHeat) {
  // Air plant of 2 units (N) rejecting 50 kW of heat, i.e. 50 / (1 + electrical losses) kW of IT
  // at 15 C (no weather): above the 26.4 kW load. Both units draw the same constant times, so
  // both are out over [100, 110) and [210, 220) of 300 h, and the hall has no cooling then.
  ModelConfig cfg = full_hall(300);
  HallCooling& c = cfg.halls[0].cooling;
  c.enabled = true;
  c.facility = default_facility_model(CoolingType::air, 26.4);
  c.installed_heat_kw = 50.0;
  c.units = 2;
  cfg.failures.push_back(unit_class(2, engine::Distribution::constant(100 * 3600.0), engine::Distribution::constant(10 * 3600.0)));
  const ModelResults r = simulate(cfg);
  EXPECT_EQ(r.cooling_unit_failures, 4u);
  EXPECT_DOUBLE_EQ(r.cooling_unit_down_hours, 40.0);
  EXPECT_DOUBLE_EQ(r.hall_hours_cooling_reduced, 20.0);
  const double it_cap_kw = 50.0 / (1.0 + c.facility.electrical_loss_fraction);
  ASSERT_GT(it_cap_kw, 26.4);
  EXPECT_NEAR(r.hours[99].hall_it_power_kw[0], 26.4, 1e-9);
  EXPECT_NEAR(r.hours[99].hall_cooling_limit_kw[0], it_cap_kw, 1e-9);
  EXPECT_NEAR(r.hours[105].hall_it_power_kw[0], 6.24, 1e-9);  // no cooling: idle draw only
  EXPECT_NEAR(r.hours[105].hall_cooling_limit_kw[0], 0.0, 1e-9);
  EXPECT_NEAR(r.hours[110].hall_it_power_kw[0], 26.4, 1e-9);
  EXPECT_NEAR(r.lost_gpu_hours_heat, 20 * 32 * (1.0 - std::pow(0.1, 0.4)), 1e-6);
}

TEST(FeedGrowth, AFeedUpgradeLiftsTheSiteCapAtItsDate) {
  // Feed 16.32 kW caps the 26.4 kW hall until 10.08 kW more arrives at 100.5 h.
  ModelConfig cfg = full_hall(200);
  cfg.sites[0].feed_limit_w = 16320.0;
  cfg.site_feed_steps.push_back(SiteFeedStep{0, 100 * kHour + kHour / 2, 10080.0});
  const ModelResults r = simulate(cfg);
  ASSERT_EQ(r.hours[0].site_feed_limit_kw.size(), 1u);
  EXPECT_NEAR(r.hours[50].it_power_kw, 16.32, 1e-5);  // capped draws round down by under 1 mW
  EXPECT_DOUBLE_EQ(r.hours[50].site_feed_limit_kw[0], 16.32);
  EXPECT_DOUBLE_EQ(r.hours[50].power_capped_gpus, 32.0);
  // The hour of the step: half at each limit and each draw.
  EXPECT_NEAR(r.hours[100].site_feed_limit_kw[0], (16.32 + 26.4) / 2, 1e-9);
  EXPECT_NEAR(r.hours[100].it_power_kw, (16.32 + 26.4) / 2, 1e-5);
  EXPECT_DOUBLE_EQ(r.hours[101].site_feed_limit_kw[0], 26.4);
  EXPECT_NEAR(r.hours[101].it_power_kw, 26.4, 1e-9);
  EXPECT_DOUBLE_EQ(r.hours[101].power_capped_gpus, 0.0);
}

TEST(FeedGrowth, NoStepsNoFailuresLeaveTheRowsWithoutLimitColumns) {
  ModelConfig cfg = full_hall(10);
  cfg.sites[0].feed_limit_w = 30000.0;
  cfg.halls[0].power_limit_w = 30000.0;
  const ModelResults r = simulate(cfg);
  EXPECT_TRUE(r.hours[0].site_feed_limit_kw.empty());
  EXPECT_TRUE(r.hours[0].hall_ups_limit_kw.empty());
}

}  // namespace
}  // namespace dcsim::model
