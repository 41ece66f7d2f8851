// Planned expansions end to end: scenario -> model -> money, checked against hand computations.
#include <gtest/gtest.h>

#include <string>

#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/run_text.h"

namespace dcsim {
namespace {

// One 10 kW server (8 flat 100 W GPUs + 9.2 kW overhead, idle = busy) from the start, one
// more online on 2026-02-15 (day 45 of 90), delivered 10 days earlier (2026-02-05).
std::string scenario_text(const std::string& procurement = "30 d") {
  return R"(name: one expansion
start: 2026-01-01
horizon: 90 d
catalog:
  gpus: [{name: flat, idle_power: 100 W, tdp: 100 W}]
  servers: [{name: block, gpu: flat, gpus: 8, overhead_power: 9.2 kW, price: 100000 USD, useful_life: 5 y}]
sites:
  - name: s
    halls:
      - name: h
        racks: [{count: 1, server: block}]
workloads:
  - name: w
    arrivals: {process: poisson, rate: 2 /day}
    gpus: 8
    duration: 3 h
expansions:
  - name: second
    site: s
    hall: h
    online: 2026-02-15
    procurement_lead_time: )" + procurement + R"(
    build_lead_time: 10 d
    capex: 50000 USD
    racks: [{count: 1, server: block}]
)";
}

using test_support::run_text;

TEST(ExpansionsRun, GpuHoursAvailableAndEnergyCountTheExpansionFromOnline) {
  const run::RunResult r = run_text(scenario_text());
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r.gpu_hours_available, 8.0 * 2160 + 8.0 * 1080);  // 8 GPUs x 90 d + 8 GPUs x 45 d
  EXPECT_DOUBLE_EQ(r.it_energy_mwh, 10.0 * 2160 / 1000 + 10.0 * 1080 / 1000);  // 21.6 + 10.8 MWh
  EXPECT_NEAR(r.gpu_utilization, r.gpu_hours_allocated / r.gpu_hours_available, 1e-9);
}

TEST(ExpansionsRun, CapexAppearsInTheMonthOfDeliveryAndDepreciationStartsOnline) {
  const run::RunResult r = run_text(scenario_text());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.pnl.size(), 3u);
  EXPECT_EQ(r.pnl[0].capex_cents, 100'000'00);           // the first server, at the start
  EXPECT_EQ(r.pnl[1].capex_cents, 150'000'00);           // server + facility, delivered 5 Feb
  EXPECT_EQ(r.pnl[2].capex_cents, 0);
  EXPECT_DOUBLE_EQ(r.capex_usd, 100'000.0);
  EXPECT_DOUBLE_EQ(r.expansion_capex_usd, 150'000.0);
  std::int64_t jan = 0, feb_servers = 0, feb_facility = 0;
  for (const finance::MonthlyCost& c : r.monthly_costs) {
    if (c.category != "depreciation") continue;
    if (c.month.month == 1) jan += c.cents;
    if (c.month.month == 2 && c.subcategory == "block") feb_servers += c.cents;
    if (c.month.month == 2 && c.subcategory == "facility:second") feb_facility += c.cents;
  }
  // January: only the first server, 31 of 1,825 days. February: the first server 28 days,
  // the second 14 (15 Feb to 1 Mar); the facility 14 of 20 x 365 days.
  EXPECT_EQ(jan, finance::round_to_cents(100'000.0 * 31 / 1825));
  EXPECT_EQ(feb_servers, finance::round_to_cents(100'000.0 * 28 / 1825 + 100'000.0 * 14 / 1825));
  EXPECT_EQ(feb_facility, finance::round_to_cents(50'000.0 * 14 / 7300));
}

TEST(ExpansionsRun, WithoutExpansionsNothingChanges) {
  std::string text = scenario_text();
  text = text.substr(0, text.find("expansions:"));
  const run::RunResult r = run_text(text);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r.gpu_hours_available, 8.0 * 2160);
  EXPECT_DOUBLE_EQ(r.expansion_capex_usd, 0.0);
  EXPECT_EQ(r.model.installed_gpu_us, static_cast<__int128>(8) * 90 * engine::kMicrosPerDay);
}

// An expansion online at the start (no lead times) is still the expansion's capex, delivered and
// paid at the start: 100,000 USD of servers in expansion_capex_usd (not 0, not the initial
// fleet's capex_usd), in the first month's capex, and in NPV exactly as if the same server had
// been in the hall from the start.
TEST(ExpansionsRun, AnExpansionOnlineAtTheStartIsItsOwnCapexPaidAtTheStart) {
  std::string text = scenario_text();
  text.replace(text.find("2026-02-15"), 10, "2026-01-01");
  text.replace(text.find("    procurement_lead_time: 30 d\n    build_lead_time: 10 d\n    capex: 50000 USD\n"), 79, "");
  const run::RunResult r = run_text(text);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r.capex_usd, 100'000.0);
  EXPECT_DOUBLE_EQ(r.expansion_capex_usd, 100'000.0);
  ASSERT_EQ(r.pnl.size(), 3u);
  EXPECT_EQ(r.pnl[0].capex_cents, 200'000'00);
  EXPECT_EQ(r.pnl[1].capex_cents, 0);
  std::string in_hall = scenario_text();
  in_hall = in_hall.substr(0, in_hall.find("expansions:"));
  in_hall.replace(in_hall.find("racks: [{count: 1, server: block}]"), 34,
                  "racks: [{count: 1, server: block}, {count: 1, server: block}]");
  const run::RunResult both = run_text(in_hall);
  ASSERT_TRUE(both.ok());
  EXPECT_DOUBLE_EQ(both.capex_usd, 200'000.0);
  EXPECT_NEAR(r.npv_usd, both.npv_usd, 1e-6);
  EXPECT_EQ(r.payback_month, both.payback_month);
}

TEST(ExpansionsRun, ADecisionDateBeforeTheStartIsAnError) {
  // 2026-02-15 - 10 d - 40 d = 2025-12-27: five days before the start.
  const scenario::LoadResult loaded = scenario::load_scenario_text(scenario_text("40 d"), "x.yaml");
  ASSERT_FALSE(loaded.ok());
  const std::string message = scenario::format_diagnostic(loaded.diagnostics[0]);
  EXPECT_NE(message.find("S125"), std::string::npos) << message;
  EXPECT_NE(message.find("decided 5 d before the start"), std::string::npos) << message;
  EXPECT_NE(message.find("x.yaml:21:13"), std::string::npos) << message;  // the online value
}

TEST(ExpansionsRun, DecisionDateHonoursBothLeadTimes) {
  const scenario::LoadResult loaded = scenario::load_scenario_text(scenario_text("35 d"), "x.yaml");
  ASSERT_TRUE(loaded.ok());
  const scenario::ExpansionSpec& x = loaded.scenario->expansions.at(0);
  // 2026-02-15 = 1771113600; delivery 10 d earlier, decision 35 d before that: exactly the start.
  EXPECT_EQ(x.delivery_unix_s(), 1771113600 - 10 * 86400);
  EXPECT_EQ(x.decision_unix_s(), 1767225600);
}

TEST(ExpansionsRun, UnknownHallAndOnlineAfterTheHorizonAreErrors) {
  std::string text = scenario_text();
  text.replace(text.find("    hall: h\n    online"), 11, "    hall: hx");
  text.replace(text.find("2026-02-15"), 10, "2026-05-01");
  const scenario::LoadResult loaded = scenario::load_scenario_text(text, "x.yaml");
  ASSERT_EQ(loaded.diagnostics.size(), 2u);
  EXPECT_NE(scenario::format_diagnostic(loaded.diagnostics[0]).find("unknown hall 'hx'"), std::string::npos);
  EXPECT_NE(scenario::format_diagnostic(loaded.diagnostics[1]).find("outside the horizon"), std::string::npos);
}

TEST(ExpansionsRun, ResolvedScenarioRoundTrips) {
  const run::RunResult r = run_text(scenario_text());
  ASSERT_TRUE(r.ok());
  const std::string once = scenario::to_resolved_yaml(r.scenario);
  EXPECT_NE(once.find("expansions:"), std::string::npos);
  const scenario::LoadResult again = scenario::load_scenario_text(once, "resolved.yaml");
  ASSERT_TRUE(again.ok()) << scenario::format_diagnostic(again.diagnostics[0]);
  EXPECT_EQ(scenario::to_resolved_yaml(*again.scenario), once);
}

}  // namespace
}  // namespace dcsim
