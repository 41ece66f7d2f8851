// Servers owned at the start (rack group installed: / age_months:, docs/scenario-format.md
// "Servers owned at the start"): no capex in the horizon, depreciation for the rest of their
// useful life only, residual value from the remaining book value, to the cent by hand.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/support/run_text.h"

namespace dcsim {
namespace {

// One server of 182,500 USD with a 5-year life (1,825 days: 100 USD of straight-line
// depreciation a day), no maintenance; `racks` is the rack group's map body.
std::string fleet(const std::string& horizon, const std::string& racks, const std::string& extra = "") {
  return "name: owned\nstart: 2027-01-01\nhorizon: " + horizon + R"(
catalog:
  gpus: [{name: h100, idle_power: 70 W, tdp: 700 W}]
  servers: [{name: s8, gpu: h100, gpus: 8, price: 182500 USD, useful_life: 5 y}]
sites:
  - name: s
    halls:
      - name: h
        racks: [{count: 1, server: s8)" + racks + R"(}]
workloads:
  - name: w
    arrivals: {rate: 0.0001 /day}
    gpus: 1
    duration: 1 h
)" + extra;
}

struct Depreciation {
  run::RunResult r;
  std::int64_t total_cents = 0;
  std::map<std::string, std::int64_t> by_month;  // "2027-01" -> cents
};

Depreciation depreciation_of(const std::string& text) {
  Depreciation d;
  d.r = test_support::run_text(text);
  EXPECT_TRUE(d.r.ok());
  for (const finance::MonthlyCost& c : d.r.monthly_costs) {
    if (c.category != "depreciation") continue;
    d.total_cents += c.cents;
    d.by_month[engine::Calendar::month_label(c.month)] += c.cents;
  }
  return d;
}

TEST(OwnedServers, TwoYearOldServerWithFiveYearLifeDepreciatesItsLastThreeYears) {
  // 24 months before 2027-01-01 is 2025-01-01: 730 days, so 1,095 days (3 years) of life are
  // left, until 2029-12-31. A one-year run books 365 days x 100 USD and keeps 730 days of book.
  const Depreciation aged = depreciation_of(fleet("365 d", ", age_months: 24"));
  EXPECT_DOUBLE_EQ(aged.r.capex_usd, 0.0);  // sunk: bought before the start
  EXPECT_EQ(aged.total_cents, 3'650'000);
  EXPECT_EQ(aged.by_month.at("2027-01"), 310'000);
  EXPECT_EQ(aged.by_month.at("2027-02"), 280'000);
  EXPECT_NEAR(aged.r.residual_value_usd, 73'000.0, 1e-6);
  EXPECT_EQ(aged.r.pnl.front().capex_cents, 0);

  // The same server bought at the start: capex, the same yearly charge, a larger book value.
  const Depreciation bought = depreciation_of(fleet("365 d", ""));
  EXPECT_DOUBLE_EQ(bought.r.capex_usd, 182'500.0);
  EXPECT_EQ(bought.total_cents, 3'650'000);
  EXPECT_NEAR(bought.r.residual_value_usd, 146'000.0, 1e-6);
}

TEST(OwnedServers, DepreciationStopsAtTheEndOfTheUsefulLife) {
  // Over four years the charge runs to 2029-12-31 (its last 30 days of December), then stops.
  const Depreciation d = depreciation_of(fleet("1461 d", ", installed: 2025-01-01"));
  EXPECT_EQ(d.total_cents, 10'950'000);  // 1,095 days x 100 USD: the 3/5 of the price left
  EXPECT_EQ(d.by_month.at("2029-11"), 300'000);
  EXPECT_EQ(d.by_month.at("2029-12"), 300'000);
  EXPECT_EQ(d.by_month.count("2030-01"), 0u);
  EXPECT_NEAR(d.r.residual_value_usd, 0.0, 1e-6);
  EXPECT_DOUBLE_EQ(d.r.capex_usd, 0.0);
}

TEST(OwnedServers, ServersPastTheirUsefulLifeCarryNoDepreciation) {
  const Depreciation d = depreciation_of(fleet("365 d", ", age_months: 72"));
  EXPECT_EQ(d.total_cents, 0);
  EXPECT_DOUBLE_EQ(d.r.capex_usd, 0.0);
  EXPECT_NEAR(d.r.residual_value_usd, 0.0, 1e-6);
}

TEST(OwnedServers, DecliningBalanceContinuesFromTheThirdYearOfTheSchedule) {
  // Double declining over 5 years of 182,500: 73,000, 43,800, then 26,280 (40 % of 65,700),
  // 19,710 and 19,710. Two years old, a one-year run books the third year and ends with a book
  // value of 39,420.
  const Depreciation d = depreciation_of(
      fleet("365 d", ", age_months: 24", "finance: {depreciation: {method: declining-balance}}\n"));
  EXPECT_EQ(d.total_cents, 2'628'000);
  EXPECT_NEAR(d.r.residual_value_usd, 39'420.0, 1e-6);
  EXPECT_DOUBLE_EQ(d.r.capex_usd, 0.0);
}

TEST(OwnedServers, AHallsAgeAppliesToItsRackGroupsWithoutTheirOwn) {
  const std::string text = "name: owned\nstart: 2027-01-01\nhorizon: 365 d\n"
                           "catalog:\n"
                           "  gpus: [{name: h100, idle_power: 70 W, tdp: 700 W}]\n"
                           "  servers: [{name: s8, gpu: h100, gpus: 8, price: 182500 USD, useful_life: 5 y}]\n"
                           "sites:\n  - name: s\n    halls:\n      - name: h\n        age_months: 24\n"
                           "        racks: [{count: 1, server: s8}, {count: 1, server: s8, installed: 2027-01-01}]\n"
                           "workloads:\n  - {name: w, arrivals: {rate: 0.0001 /day}, gpus: 1, duration: 1 h}\n";
  const Depreciation d = depreciation_of(text);
  // The first group is two years old (sunk); the second, installed at the start, is bought.
  EXPECT_DOUBLE_EQ(d.r.capex_usd, 182'500.0);
  EXPECT_EQ(d.total_cents, 2 * 3'650'000);
  EXPECT_NEAR(d.r.residual_value_usd, 73'000.0 + 146'000.0, 1e-6);
}

}  // namespace
}  // namespace dcsim
