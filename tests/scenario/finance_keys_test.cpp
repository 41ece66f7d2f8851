// Finance keys of revenue detail (prices by GPU type, reserved contracts, price decline): they
// load, default as documented, print back the same in the resolved view, and bad values are
// reported at the value.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.h"

namespace dcsim::scenario {
namespace {

std::string with_finance(const std::string& finance) {
  return "name: t\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n    halls:\n      - name: h\n"
         "        racks: [{count: 1, server: dgx-h100}]\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n"
         "finance:\n" +
         finance;
}

TEST(FinanceKeys, PricesContractsAndDeclineLoadWithTheirDefaults) {
  const LoadResult r = load_scenario_text(with_finance("  prices:\n"
                                                       "    - {gpu: h100, on_demand: 2.5 USD/GPU-hour, reserved: 1.9 USD/GPU-hour}\n"
                                                       "    - {gpu: a100, on_demand: 1.2 USD/GPU-hour}\n"
                                                       "  contracts:\n"
                                                       "    - {tenant: acme, gpu: h100, gpus: 512, term: 1 y}\n"
                                                       "    - {tenant: beta, gpu: a100, gpus: 8, start: 2026-03-01, term: 90 d}\n"
                                                       "  price_decline_per_year: 0.1\n"
                                                       "  unmet: {max_wait: 24 h}\n"
                                                       "  cloud_burst: {price: 4 USD/GPU-hour, after_wait: 2 h}\n"),
                                          "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const FinanceSpec& f = r.scenario->finance;
  ASSERT_EQ(f.prices.size(), 2u);
  EXPECT_DOUBLE_EQ(f.prices[0].reserved_usd_per_gpu_hour, 1.9);
  EXPECT_DOUBLE_EQ(f.prices[1].reserved_usd_per_gpu_hour, 1.2) << "reserved defaults to on_demand";
  ASSERT_EQ(f.contracts.size(), 2u);
  EXPECT_EQ(f.contracts[0].start_unix_s, r.scenario->start_unix_s) << "start defaults to the scenario's start";
  EXPECT_EQ(f.contracts[0].gpus, 512);
  EXPECT_DOUBLE_EQ(f.contracts[0].term_s, 365.0 * 86400.0);
  EXPECT_EQ(f.contracts[1].start_unix_s, r.scenario->start_unix_s + 59 * 86400);  // Jan + Feb 2026
  EXPECT_DOUBLE_EQ(f.price_decline_per_year, 0.1);
  EXPECT_TRUE(f.detailed_revenue());
  EXPECT_EQ(f.unmet_max_wait_s, 86400.0);
  ASSERT_TRUE(f.cloud_burst.has_value());
  EXPECT_DOUBLE_EQ(f.cloud_burst->usd_per_gpu_hour, 4.0);
  EXPECT_DOUBLE_EQ(f.cloud_burst->after_wait_s, 7200.0);

  const std::string resolved = to_resolved_yaml(*r.scenario);
  EXPECT_NE(resolved.find("    - {tenant: beta, gpu: a100, gpus: 8, start: 2026-03-01, term: 90 d}\n"), std::string::npos)
      << resolved;
  EXPECT_NE(resolved.find("  unmet: {max_wait: 1 d}\n  cloud_burst: {price: 4 USD/GPU-hour, after_wait: 2 h}\n"),
            std::string::npos)
      << resolved;
  const LoadResult again = load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(again.ok()) << format_diagnostic(again.diagnostics[0]);
  EXPECT_EQ(to_resolved_yaml(*again.scenario), resolved);
}

TEST(FinanceKeys, WithoutThemRevenueIsNotDetailedAndTheResolvedViewOmitsThem) {
  const LoadResult r = load_scenario_text(with_finance("  price: 2 USD/GPU-hour\n"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  EXPECT_FALSE(r.scenario->finance.detailed_revenue());
  const std::string resolved = to_resolved_yaml(*r.scenario);
  EXPECT_EQ(resolved.find("prices"), std::string::npos);
  EXPECT_EQ(resolved.find("contracts"), std::string::npos);
  EXPECT_EQ(resolved.find("price_decline_per_year"), std::string::npos);
  EXPECT_EQ(resolved.find("unmet"), std::string::npos);
  EXPECT_EQ(resolved.find("cloud_burst"), std::string::npos);
  EXPECT_FALSE(r.scenario->finance.unmet_max_wait_s.has_value());
}

TEST(FinanceKeys, BadValuesAreReportedAtTheValue) {
  struct Case {
    std::string finance;
    std::string code;
    int line;
    int column;
  };
  // The finance map starts on line 14, its first key on line 15.
  const Case cases[] = {
      {"  price_decline_per_year: 1\n", "S112", 15, 27},
      {"  prices:\n    - {gpu: h100, on_demand: 2 USD/GPU-hour}\n    - {gpu: h100, on_demand: 3 USD/GPU-hour}\n", "S117",
       17, 13},
      {"  prices: [{gpu: h100, on_demand: 2 USD/kWh}]\n", "S111", 15, 35},
      {"  contracts: [{tenant: a, gpu: h100, gpus: 0, term: 1 y}]\n", "S112", 15, 44},
      {"  contracts: [{tenant: a, gpu: h100, gpus: 8}]\n", "S101", 15, 15},
      {"  contracts: [{tenant: a, gpu: h100, gpus: 8, term: 1 y, start: 2026-13-01}]\n", "S115", 15, 65},
      {"  cloud_burst: {price: 4 USD/GPU-hour}\n", "S101", 15, 16},
      {"  cloud_burst: {price: 4 USD/GPU-hour, after_wait: 0 h}\n", "S112", 15, 52},
      {"  unmet: {max_wait: 2 USD}\n", "S111", 15, 21},
  };
  for (const Case& c : cases) {
    const LoadResult r = load_scenario_text(with_finance(c.finance), "t.yaml");
    ASSERT_FALSE(r.ok()) << c.finance;
    EXPECT_EQ(r.diagnostics[0].code, c.code) << c.finance << format_diagnostic(r.diagnostics[0]);
    EXPECT_EQ(r.diagnostics[0].pos.line, c.line) << c.finance << format_diagnostic(r.diagnostics[0]);
    EXPECT_EQ(r.diagnostics[0].pos.column, c.column) << c.finance << format_diagnostic(r.diagnostics[0]);
  }
}

TEST(FinanceKeys, LeasedRackGroupsLoadAndPrintBack) {
  const std::string text =
      "name: t\nstart: 2026-01-01\nhorizon: 60 d\nsites:\n  - name: s\n    halls:\n      - name: h\n"
      "        racks: [{count: 2, server: dgx-h100, lease: {per_server_month: 12000 USD}}, {server: dgx-h100}]\n"
      "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n"
      "expansions:\n  - {name: x, site: s, hall: h, online: 2026-02-01, racks: [{server: dgx-h100, lease: {per_server_month: 9000 USD}}]}\n";
  const LoadResult r = load_scenario_text(text, "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const auto& racks = r.scenario->sites[0].halls[0].racks;
  ASSERT_EQ(racks.size(), 2u);
  EXPECT_EQ(racks[0].lease_usd_per_server_month, 12000.0);
  EXPECT_FALSE(racks[1].lease_usd_per_server_month.has_value());
  EXPECT_EQ(r.scenario->expansions[0].racks[0].lease_usd_per_server_month, 9000.0);
  const std::string resolved = to_resolved_yaml(*r.scenario);
  EXPECT_NE(resolved.find("            lease: {per_server_month: 12000 USD}\n"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("        lease: {per_server_month: 9000 USD}\n"), std::string::npos) << resolved;
  const LoadResult again = load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(again.ok()) << format_diagnostic(again.diagnostics[0]);
  EXPECT_EQ(to_resolved_yaml(*again.scenario), resolved);

  std::string missing = text;
  missing.replace(missing.find("lease: {per_server_month: 12000 USD}"), 36, "lease: {per_server: 12000 USD}");
  const LoadResult bad = load_scenario_text(missing, "t.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.diagnostics[0].code, "S101") << format_diagnostic(bad.diagnostics[0]);  // missing per_server_month
  EXPECT_NE(format_diagnostic(bad.diagnostics[0]).find("per_server_month"), std::string::npos)
      << format_diagnostic(bad.diagnostics[0]);
}

}  // namespace
}  // namespace dcsim::scenario
