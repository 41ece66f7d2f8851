// Electricity tariff keys: periods, local offset and demand charge load, print back the same in
// the resolved view, and bad values point at the value with what was expected.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.h"

namespace dcsim::scenario {
namespace {

std::string with_electricity(const std::string& electricity) {
  return "name: t\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n    electricity:\n" + electricity +
         "    halls:\n      - name: h\n        racks: [{count: 1, server: dgx-h100}]\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n";
}

const char* kTariff =
    "      price: 0.06 USD/kWh\n"
    "      utc_offset_h: -5\n"
    "      periods:\n"
    "        - {name: peak, hours: 12-20, days: weekdays, price: 0.14 USD/kWh}\n"
    "        - {name: night, hours: 22-6, price: 0.04 USD/kWh}\n"
    "      demand_charge: 15 USD/kW-month\n";

TEST(TariffKeys, LoadPeriodsOffsetAndDemandCharge) {
  const LoadResult r = load_scenario_text(with_electricity(kTariff), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const SiteSpec& site = r.scenario->sites[0];
  EXPECT_DOUBLE_EQ(site.electricity_usd_per_kwh, 0.06);
  EXPECT_DOUBLE_EQ(site.tariff_utc_offset_h, -5.0);
  EXPECT_DOUBLE_EQ(site.demand_charge_usd_per_kw_month, 15.0);
  ASSERT_EQ(site.tariff_periods.size(), 2u);
  EXPECT_EQ(site.tariff_periods[0].name, "peak");
  EXPECT_EQ(site.tariff_periods[0].from_hour, 12);
  EXPECT_EQ(site.tariff_periods[0].to_hour, 20);
  EXPECT_EQ(site.tariff_periods[0].days, "weekdays");
  EXPECT_DOUBLE_EQ(site.tariff_periods[0].usd_per_kwh, 0.14);
  EXPECT_EQ(site.tariff_periods[1].from_hour, 22);
  EXPECT_EQ(site.tariff_periods[1].to_hour, 6);
  EXPECT_EQ(site.tariff_periods[1].days, "all");
}

TEST(TariffKeys, ResolvedViewLoadsBackToTheSameText) {
  const LoadResult r = load_scenario_text(with_electricity(kTariff), "t.yaml");
  ASSERT_TRUE(r.ok());
  const std::string once = to_resolved_yaml(*r.scenario);
  EXPECT_NE(once.find("demand_charge: 15 USD/kW-month"), std::string::npos) << once;
  EXPECT_NE(once.find("{name: peak, hours: 12-20, days: weekdays, price: 0.14 USD/kWh}"), std::string::npos) << once;
  const LoadResult again = load_scenario_text(once, "resolved.yaml");
  ASSERT_TRUE(again.ok()) << format_diagnostic(again.diagnostics[0]);
  EXPECT_EQ(to_resolved_yaml(*again.scenario), once);
}

TEST(FinanceKeys, EscalationAndDepreciationPrintResolvedAndLoadBack) {
  const std::string text = with_electricity("      price: 0.08 USD/kWh\n") +
                           "finance:\n  inflation: 0.02\n  escalation: {staff: 0.04}\n"
                           "  depreciation: {method: declining-balance, servers: 6 y}\n";
  const LoadResult r = load_scenario_text(text, "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  EXPECT_DOUBLE_EQ(r.scenario->finance.inflation, 0.02);
  EXPECT_DOUBLE_EQ(r.scenario->finance.escalation_staff.value(), 0.04);
  EXPECT_FALSE(r.scenario->finance.escalation_electricity.has_value());
  EXPECT_EQ(r.scenario->finance.depreciation_method, "declining-balance");
  EXPECT_DOUBLE_EQ(r.scenario->finance.servers_life_years.value(), 6.0);
  const std::string once = to_resolved_yaml(*r.scenario);
  EXPECT_NE(once.find("  escalation: {electricity: 0.02, staff: 0.04, maintenance: 0.02, colocation: 0.02}\n"),
            std::string::npos) << once;
  EXPECT_NE(once.find("  depreciation:\n    method: declining-balance\n    servers: 6 y\n    facility: 20 y\n"),
            std::string::npos) << once;
  const LoadResult again = load_scenario_text(once, "resolved.yaml");
  ASSERT_TRUE(again.ok()) << format_diagnostic(again.diagnostics[0]);
  EXPECT_EQ(to_resolved_yaml(*again.scenario), once);
  const LoadResult bad = load_scenario_text(with_electricity("      price: 0.08 USD/kWh\n") +
                                                "finance: {depreciation: {method: sum-of-years}}\n", "t.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.diagnostics[0].code, "S116");
}

TEST(TariffKeys, AFlatPriceKeepsItsOneLineForm) {
  const LoadResult r = load_scenario_text(with_electricity("      price: 0.08 USD/kWh\n"), "t.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_NE(to_resolved_yaml(*r.scenario).find("    electricity: {price: 0.08 USD/kWh}\n"), std::string::npos);
}

void expect_error(const std::string& electricity, const std::string& code, const std::string& text, int line) {
  const LoadResult r = load_scenario_text(with_electricity(electricity), "t.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  const std::string d = format_diagnostic(r.diagnostics[0]);
  EXPECT_EQ(r.diagnostics[0].code, code) << d;
  EXPECT_NE(d.find(text), std::string::npos) << d;
  EXPECT_EQ(r.diagnostics[0].pos.line, line) << d;
}

TEST(TariffKeys, BadHoursDaysNamesAndOffsetsAreReportedAtTheValue) {
  expect_error("      price: 0.06 USD/kWh\n      periods: [{name: p, hours: 12-12, price: 0.1 USD/kWh}]\n", "S112",
               "hours '12-12' is not a span of local hours", 8);
  expect_error("      price: 0.06 USD/kWh\n      periods: [{name: p, hours: noon, price: 0.1 USD/kWh}]\n", "S112",
               "expected 'from-to'", 8);
  expect_error("      price: 0.06 USD/kWh\n      periods: [{name: p, hours: 25-3, price: 0.1 USD/kWh}]\n", "S112",
               "not a span", 8);
  expect_error("      price: 0.06 USD/kWh\n      periods: [{name: p, hours: 1-3, days: mondays, price: 0.1 USD/kWh}]\n",
               "S116", "mondays", 8);
  expect_error(
      "      price: 0.06 USD/kWh\n      periods:\n        - {name: p, hours: 1-3, price: 0.1 USD/kWh}\n"
      "        - {name: p, hours: 4-5, price: 0.1 USD/kWh}\n",
      "S117", "duplicate tariff period name 'p'", 10);
  expect_error("      price: 0.06 USD/kWh\n      utc_offset_h: 15\n", "S112", "utc_offset_h 15 is out of range", 8);
  expect_error("      price: 0.06 USD/kWh\n      demand_charge: 15 USD/kWh\n", "S111", "", 8);
}

}  // namespace
}  // namespace dcsim::scenario
