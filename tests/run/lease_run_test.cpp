// Lease vs buy: the same fleet bought (capex, depreciation, maintenance) or leased (a monthly
// lease line), with totals worked out by hand.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/run/run.h"
#include "sim/scenario/loader.h"

namespace dcsim {
namespace {

std::string scenario_text(const std::string& head, const std::string& racks, const std::string& rest) {
  return head + R"(catalog:
  gpus: [{name: h100, idle_power: 70 W, tdp: 700 W}]
  servers: [{name: s8, gpu: h100, gpus: 8, price: 250000 USD, useful_life: 5 y}]
sites:
  - name: s
    halls:
      - name: h
        racks:
)" + racks + R"(workloads:
  - name: w
    arrivals: {process: poisson, rate: 1 /day}
    gpus: 8
    duration: 1 h
)" + rest;
}

struct Totals {
  run::RunResult r;
  std::map<std::string, std::int64_t> by_category;  // cents
  std::map<std::string, std::int64_t> by_month_category;
};

Totals run_text(const std::string& text) {
  scenario::LoadResult loaded = scenario::load_scenario_text(text, "lease.yaml");
  EXPECT_TRUE(loaded.ok()) << (loaded.diagnostics.empty() ? "" : scenario::format_diagnostic(loaded.diagnostics[0]));
  Totals t;
  if (!loaded.ok()) return t;
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  t.r = run::run(std::move(req));
  EXPECT_TRUE(t.r.ok());
  for (const finance::MonthlyCost& c : t.r.monthly_costs) {
    t.by_category[c.category] += c.cents;
    t.by_month_category[engine::Calendar::month_label(c.month) + "/" + c.category] += c.cents;
  }
  return t;
}

TEST(LeaseVsBuy, TheSameFourServersBoughtOrLeasedForAYearByHand) {
  const std::string head = "name: lease or buy\nstart: 2026-01-01\nhorizon: 365 d\n";
  const std::string finance = "finance: {maintenance_per_year: 0.06}\n";
  const Totals bought = run_text(scenario_text(head, "          - {count: 2, server: s8, servers_per_rack: 2}\n", finance));
  const Totals leased = run_text(scenario_text(
      head, "          - {count: 2, server: s8, servers_per_rack: 2, lease: {per_server_month: 12000 USD}}\n", finance));
  // Bought: 4 x 250,000 = 1,000,000 USD capex; a fifth of it depreciated in the year, by days
  // of each month (Jan 31/1,825 x 1e6 = 16,986.30; Feb 15,342.47; 30-day months 16,438.36),
  // whose rounded cells add up to 200,000.01; maintenance 6 % a year = 5,000 USD a month.
  EXPECT_DOUBLE_EQ(bought.r.capex_usd, 1'000'000.0);
  EXPECT_EQ(bought.by_category.at("depreciation"), 200'000'01);
  EXPECT_EQ(bought.by_category.at("maintenance"), 60'000'00);
  EXPECT_EQ(bought.by_category.count("lease"), 0u);
  EXPECT_NEAR(bought.r.residual_value_usd, 800'000.0, 1e-6);
  EXPECT_EQ(bought.r.total_cost_cents, 260'000'01);
  // Leased: 4 x 12,000 USD x 12 months, and nothing else.
  EXPECT_DOUBLE_EQ(leased.r.capex_usd, 0.0);
  EXPECT_EQ(leased.by_category.at("lease"), 576'000'00);
  EXPECT_EQ(leased.by_category.count("depreciation"), 0u);
  EXPECT_EQ(leased.by_category.count("maintenance"), 0u);
  EXPECT_DOUBLE_EQ(leased.r.residual_value_usd, 0.0);
  EXPECT_EQ(leased.r.total_cost_cents, 576'000'00);
  ASSERT_EQ(leased.r.pnl.size(), 12u);
  for (const run::PnlMonth& m : leased.r.pnl) {
    EXPECT_EQ(m.capex_cents, 0);
    EXPECT_EQ(m.opex_cents, 48'000'00);
  }
  // The fleet itself runs the same either way.
  EXPECT_EQ(bought.r.model.fingerprint, leased.r.model.fingerprint);
}

TEST(LeaseVsBuy, ExpansionRacksLeaseProRataFromOnlineAndEscalateWithInflation) {
  const Totals t = run_text(scenario_text(
      "name: leased expansion\nstart: 2026-12-01\nhorizon: 62 d\n",
      "          - {count: 1, server: s8, servers_per_rack: 4, lease: {per_server_month: 12000 USD}}\n",
      "finance: {inflation: 0.1}\n"
      "expansions:\n"
      "  - name: more\n    site: s\n    hall: h\n    online: 2026-12-11\n"
      "    racks: [{count: 1, server: s8, lease: {per_server_month: 12000 USD}}]\n"));
  // December: 4 x 12,000 + 21/31 of 12,000 for the expansion's server online on the 11th;
  // January 2027: 5 x 12,000 x 1.1.
  EXPECT_EQ(t.by_month_category.at("2026-12/lease"), 48'000'00 + 812'903);  // 8,129.03 USD
  EXPECT_EQ(t.by_month_category.at("2027-01/lease"), 66'000'00);
  EXPECT_DOUBLE_EQ(t.r.expansion_capex_usd, 0.0);
  EXPECT_DOUBLE_EQ(t.r.capex_usd, 0.0);
}

}  // namespace
}  // namespace dcsim
