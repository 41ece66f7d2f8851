// The planner: a plan it returns, run again as a scenario, meets the target it was asked for,
// and its expansions honour their lead times.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/engine/calendar.h"
#include "sim/run/plan.h"
#include "sim/scenario/loader.h"

namespace dcsim {
namespace {

// Two 8-GPU servers; 8-GPU jobs of 6 h at 4 a day rising with the market over two years
// (192 of 384 GPU-hours a day offered at the start, more than that by the end).
// Candidates: three one-rack expansions of two servers, each with 60 d procurement and 30 d build.
const char* kGrowing = R"(name: growing
start: 2026-01-01
horizon: 730 d
seed: 5
catalog:
  gpus: [{name: g, idle_power: 70 W, tdp: 700 W, price: 20000 USD}]
  servers: [{name: box, gpu: g, gpus: 8, overhead_power: 1 kW}]
sites:
  - name: s
    halls:
      - name: h
        racks: [{count: 1, server: box, servers_per_rack: 2}]
workloads:
  - name: w
    arrivals: {process: poisson, rate: 4 /day, follows: market}
    gpus: 8
    duration: 6 h
finance: {price: 2 USD/GPU-hour}
market:
  demand: {market_share: 0.0005, price: 3.5 USD/GPU-hour, price_decline_per_year: 0.3}
expansions:
  - {name: a, site: s, hall: h, online: 2026-04-01, procurement_lead_time: 60 d, build_lead_time: 30 d, racks: [{count: 1, server: box, servers_per_rack: 2}]}
  - {name: b, site: s, hall: h, online: 2026-04-01, procurement_lead_time: 60 d, build_lead_time: 30 d, racks: [{count: 1, server: box, servers_per_rack: 2}]}
  - {name: c, site: s, hall: h, online: 2026-04-01, procurement_lead_time: 60 d, build_lead_time: 30 d, racks: [{count: 1, server: box, servers_per_rack: 2}]}
)";

// 2026-04-01T00:00Z: the candidates' earliest online date, and also start + 90 days of lead time.
constexpr std::int64_t kApril2026 = 1775001600;

// Highest monthly utilization of installed GPUs over the months from `from_unix_s` on, from the
// hourly rows of a fresh run.
double worst_month_utilization(const run::RunResult& r, std::int64_t start_unix_s, std::int64_t from_unix_s) {
  const engine::Calendar calendar(start_unix_s);
  std::map<engine::YearMonth, std::pair<double, double>> use;
  for (const model::IntervalRow& h : r.model.hours) {
    if (start_unix_s + h.start / engine::kMicrosPerSecond < from_unix_s) continue;
    auto& u = use[calendar.month_of(h.start)];
    u.first += h.gpus_busy * static_cast<double>(h.length);
    u.second += h.gpus_total * static_cast<double>(h.length);
  }
  double worst = 0.0;
  for (const auto& [m, u] : use) worst = std::max(worst, u.first / u.second);
  return worst;
}

TEST(Plan, APlanRunAgainAsAScenarioMeetsItsTarget) {
  scenario::LoadResult loaded = scenario::load_scenario_text(kGrowing, "growing.yaml");
  ASSERT_TRUE(loaded.ok()) << scenario::format_diagnostic(loaded.diagnostics[0]);
  const std::int64_t start = loaded.scenario->start_unix_s;
  // Without expansions the target is broken: otherwise the test would prove nothing.
  {
    scenario::Scenario bare = *loaded.scenario;
    bare.expansions.clear();
    run::RunRequest req;
    req.scenario = bare;
    ASSERT_GT(worst_month_utilization(run::run(std::move(req)), start, kApril2026), 0.6);
  }
  run::PlanRequest request;
  request.scenario = *loaded.scenario;
  request.targets.push_back(run::PlanTarget{run::PlanTarget::Metric::utilization, 0.6});
  const run::PlanResult p = run::plan(request);
  ASSERT_TRUE(p.diagnostics.empty());
  EXPECT_EQ(p.judged_from_unix_s, kApril2026);
  ASSERT_TRUE(p.met);
  ASSERT_FALSE(p.chosen.empty());
  EXPECT_LT(p.chosen.size(), 4u);
  // The plan as a scenario file, loaded and run again from scratch.
  const std::string yaml = scenario::to_resolved_yaml(p.plan);
  scenario::LoadResult again = scenario::load_scenario_text(yaml, "plan.yaml");
  ASSERT_TRUE(again.ok()) << scenario::format_diagnostic(again.diagnostics[0]);
  run::RunRequest req;
  req.scenario = std::move(*again.scenario);
  const run::RunResult r = run::run(std::move(req));
  ASSERT_TRUE(r.ok());
  EXPECT_LE(worst_month_utilization(r, start, kApril2026), 0.6);
  // The same run as the planner's own final run: the plan file loses nothing.
  EXPECT_EQ(r.model.fingerprint, p.final_run.model.fingerprint);
}

TEST(Plan, ChosenExpansionsHonourTheirLeadTimes) {
  scenario::LoadResult loaded = scenario::load_scenario_text(kGrowing, "growing.yaml");
  ASSERT_TRUE(loaded.ok());
  run::PlanRequest request;
  request.scenario = *loaded.scenario;
  request.targets.push_back(run::PlanTarget{run::PlanTarget::Metric::utilization, 0.6});
  const run::PlanResult p = run::plan(request);
  for (const scenario::ExpansionSpec& x : p.chosen) {
    // 2026-04-01 is the earliest online date; decided 90 days before online, not before the start.
    EXPECT_GE(x.online_unix_s, kApril2026);
    EXPECT_EQ(x.decision_unix_s(), x.online_unix_s - 90 * 86400);
    EXPECT_GE(x.decision_unix_s(), loaded.scenario->start_unix_s);
  }
}

// One 8-GPU server; 8-GPU jobs of 1 h at 3.6 an hour: 28.8 GPUs of demand. Each candidate adds
// 16 GPUs: alone (24 GPUs) the fleet is still swamped, busy all the time in every month, so no
// single candidate moves the first bad month; together (40 GPUs) utilization is about 0.72.
// Both are online at the start with no lead times: their servers are still their capex.
const char* kSwamped = R"(name: swamped
start: 2026-01-01
horizon: 60 d
seed: 11
catalog:
  gpus: [{name: g, idle_power: 70 W, tdp: 700 W, price: 20000 USD}]
  servers: [{name: box, gpu: g, gpus: 8}]
sites:
  - name: s
    halls:
      - name: h
        racks: [{count: 1, server: box}]
workloads:
  - name: w
    arrivals: {process: poisson, rate: 3.6 /h}
    gpus: 8
    duration: 1 h
expansions:
  - {name: a, site: s, hall: h, online: 2026-01-01, racks: [{count: 1, server: box, servers_per_rack: 2}]}
  - {name: b, site: s, hall: h, online: 2026-01-01, racks: [{count: 1, server: box, servers_per_rack: 2}]}
)";

TEST(Plan, WhenNoSingleCandidateHelpsAPairIsTriedAndChosenTogether) {
  scenario::LoadResult loaded = scenario::load_scenario_text(kSwamped, "swamped.yaml");
  ASSERT_TRUE(loaded.ok()) << scenario::format_diagnostic(loaded.diagnostics[0]);
  const std::int64_t start = loaded.scenario->start_unix_s;
  run::PlanRequest request;
  request.scenario = *loaded.scenario;
  request.targets.push_back(run::PlanTarget{run::PlanTarget::Metric::utilization, 0.85});
  const run::PlanResult p = run::plan(request);
  ASSERT_TRUE(p.diagnostics.empty());
  EXPECT_TRUE(p.met);
  // Runs: the scenario as it is, a alone, b alone (both still January-bad), then a and b.
  ASSERT_EQ(p.trials.size(), 5u);
  EXPECT_EQ(p.trials[1].first_bad_month, "2026-01");
  EXPECT_EQ(p.trials[2].first_bad_month, "2026-01");
  // Alone, each candidate shortens the p95 wait; with no p95 target that is no progress, so the
  // planner goes on to the pair instead of building one that leaves the target broken.
  EXPECT_EQ(p.trials[3].schedule, "a@2026-01-01, b@2026-01-01");
  EXPECT_TRUE(p.trials[3].meets);
  EXPECT_EQ(p.trials.back().note, "chosen together: a and b");
  ASSERT_EQ(p.chosen.size(), 2u);
  ASSERT_EQ(p.chosen_why.size(), 2u);
  EXPECT_EQ(p.chosen_why[0], "with b, best of 1 pair (none of 2 alone came closer to the targets): meets the targets");
  EXPECT_EQ(p.chosen_why[1], "with a: chosen together");
  ASSERT_EQ(p.chosen_capex_usd.size(), 2u);
  // Each: two servers of eight 20,000 USD GPUs, online (and bought) at the start.
  EXPECT_DOUBLE_EQ(p.chosen_capex_usd[0], 320000.0);
  EXPECT_DOUBLE_EQ(p.chosen_capex_usd[1], 320000.0);
  // The plan, run again as a scenario from its file, meets the target.
  scenario::LoadResult again = scenario::load_scenario_text(scenario::to_resolved_yaml(p.plan), "plan.yaml");
  ASSERT_TRUE(again.ok()) << scenario::format_diagnostic(again.diagnostics[0]);
  run::RunRequest req;
  req.scenario = std::move(*again.scenario);
  EXPECT_LE(worst_month_utilization(run::run(std::move(req)), start, start), 0.85);
}

// The same single candidate that was no progress above (no p95 target) is progress when the p95
// wait is the target: alone it shortens the wait from weeks to days, so it is chosen alone.
TEST(Plan, AShorterP95WaitIsProgressOnlyWhenItIsATarget) {
  scenario::LoadResult loaded = scenario::load_scenario_text(kSwamped, "swamped.yaml");
  ASSERT_TRUE(loaded.ok());
  run::PlanRequest request;
  request.scenario = *loaded.scenario;
  request.targets.push_back(run::PlanTarget{run::PlanTarget::Metric::p95_wait_hours, 2.0});
  const run::PlanResult p = run::plan(request);
  ASSERT_TRUE(p.diagnostics.empty());
  EXPECT_TRUE(p.met);
  ASSERT_GE(p.trials.size(), 4u);
  EXPECT_EQ(p.trials[3].note, "chosen: a");
  ASSERT_EQ(p.chosen_why.size(), 2u);
  EXPECT_EQ(p.chosen_why[0].rfind("best of 2 tried alone: p95 wait ", 0), 0u) << p.chosen_why[0];
  EXPECT_EQ(p.chosen_why[1], "best of 1 tried alone: meets the targets");
}

// Eleven candidates of one 8-GPU server each against 28.8 GPUs of demand on one server: alone
// (16 GPUs) or in pairs (24 GPUs) every month stays busy, so no step helps. Of the 55 pairs the
// planner tries the first 45 in the candidates' order and says how many it left.
TEST(Plan, PairsBeyondTheBoundAreNotTriedAndTheStopSaysHowMany) {
  std::string text = kSwamped;
  text = text.substr(0, text.find("expansions:"));
  text.replace(text.find("horizon: 60 d"), 13, "horizon: 20 d");
  text += "expansions:\n";
  for (int i = 0; i < 11; ++i) {
    text += "  - {name: x" + std::to_string(i) + ", site: s, hall: h, online: 2026-01-01, racks: [{count: 1, server: box}]}\n";
  }
  scenario::LoadResult loaded = scenario::load_scenario_text(text, "eleven.yaml");
  ASSERT_TRUE(loaded.ok()) << scenario::format_diagnostic(loaded.diagnostics[0]);
  run::PlanRequest request;
  request.scenario = *loaded.scenario;
  request.targets.push_back(run::PlanTarget{run::PlanTarget::Metric::utilization, 0.85});
  const run::PlanResult p = run::plan(request);
  ASSERT_TRUE(p.diagnostics.empty());
  EXPECT_FALSE(p.met);
  EXPECT_TRUE(p.chosen.empty());
  // The scenario as it is, 11 alone, 45 pairs, then the stop.
  ASSERT_EQ(p.trials.size(), 1u + 11u + 45u + 1u);
  // The last pair tried is the 45th in order: (x0..x9 with every later one) = 10+9+8+7+6 = 40,
  // then x5 with x6..x10 (5 more).
  EXPECT_EQ(p.trials[1 + 11 + 44].schedule, "x5@2026-01-01, x10@2026-01-01");
  EXPECT_EQ(p.trials.back().note,
            "no unused candidate, alone or paired, improves on this: stop without meeting the targets (10 pairs over "
            "the bound of 45 not tried)");
}

TEST(Plan, TargetsParseAndBadOnesAreExplained) {
  std::string why;
  run::PlanTarget t = run::parse_plan_target("utilization<=0.85", why);
  EXPECT_TRUE(why.empty());
  EXPECT_DOUBLE_EQ(t.at_most, 0.85);
  t = run::parse_plan_target("p95_wait<=2d", why);
  EXPECT_TRUE(why.empty());
  EXPECT_EQ(t.metric, run::PlanTarget::Metric::p95_wait_hours);
  EXPECT_DOUBLE_EQ(t.at_most, 48.0);
  run::parse_plan_target("utilisation<=0.8", why);
  EXPECT_NE(why.find("unknown target metric"), std::string::npos);
  run::parse_plan_target("p95_wait<=soon", why);
  EXPECT_NE(why.find("not a number"), std::string::npos);
}

}  // namespace
}  // namespace dcsim
