// finance.depreciation.network (the fabric's useful life) and the tax_usd column of kpis.csv.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/run_text.h"

namespace dcsim {
namespace {

using test_support::run_text;

// 32 free servers on a full radix-8 2-tier fat tree: 12 x 36,000 + 64 x (2 x 1,000 + 150) =
// 569,600 USD of network capex (tests/run/fabric_run_test.cpp), here over a 4-year life.
TEST(NetworkLife, FabricCapexIsDepreciatedOverDepreciationNetwork) {
  const std::string text = "name: net\nstart: 2026-01-01\nhorizon: 365 d\n"
                           "catalog:\n  servers: [{name: free, gpu: h100-sxm, gpus: 8, price: 0 USD}]\n"
                           "sites:\n  - name: s\n    halls:\n      - name: h\n        fabric: {radix: 8}\n"
                           "        racks: [{count: 32, server: free}]\n"
                           "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 2 /day}\n    gpus: 8\n"
                           "    duration: 3 h\n"
                           "finance: {depreciation: {network: 4 y}}\n";
  std::string resolved;
  const run::RunResult r = run_text(text, false, &resolved);
  ASSERT_TRUE(r.ok());
  const double capex_usd = 12 * 36000.0 + 64 * (2 * 1000.0 + 150.0);
  std::int64_t network = 0;
  for (const auto& c : r.monthly_costs) {
    if (c.category == "depreciation" && c.subcategory == "network") network += c.cents;
  }
  EXPECT_NEAR(static_cast<double>(network), capex_usd / 4.0 * 100.0, 12.0);  // a cent per month of rounding
  EXPECT_NEAR(r.residual_value_usd, capex_usd * 3.0 / 4.0, 1e-6);
  EXPECT_NE(resolved.find("    network: 4 y\n"), std::string::npos) << resolved;
  const scenario::LoadResult again = scenario::load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.scenario->finance.network_life_years, 4.0);
  EXPECT_EQ(scenario::to_resolved_yaml(*again.scenario), resolved);
}

// Header and the cells of the row of `label` of a CSV.
std::vector<std::string> cells_of(const std::string& csv, const std::string& label, std::vector<std::string>& header) {
  std::istringstream in(csv);
  std::string line;
  std::vector<std::string> row;
  bool first = true;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream s(line);
    std::string cell;
    while (std::getline(s, cell, ',')) cells.push_back(cell);
    if (first) header = cells;
    else if (!cells.empty() && cells[0] == label) row = cells;
    first = false;
  }
  return row;
}

const char* kProfitable = R"(name: taxed
start: 2026-01-01
horizon: 365 d
catalog:
  gpus: [{name: flat, idle_power: 100 W, tdp: 100 W}]
  servers: [{name: block, gpu: flat, gpus: 8, price: 0 USD}]
sites:
  - name: s
    halls: [{name: h, racks: [{count: 2, server: block}]}]
workloads:
  - name: w
    arrivals: {process: poisson, rate: 4 /day}
    gpus: 8
    duration: 3 h
)";

TEST(KpisTax, KpisCsvHasTheYearsTaxAfterEbitdaOnlyWithATaxRate) {
  // Costs: transit of 1 USD a month only, so the year's EBIT is revenue - 12 USD.
  const run::RunResult r =
      run_text(std::string(kProfitable) + "finance: {price: 2 USD/GPU-hour, transit_per_month: 1 USD, tax_rate: 0.2}\n");
  ASSERT_TRUE(r.ok());
  ASSERT_GT(r.total_revenue_cents, 1200);
  std::vector<std::string> header;
  const std::vector<std::string> row = cells_of(reports::render_results(r, "").kpis_csv, "2026", header);
  // The last five: demand not served (memo columns); three of training runs after the cost per
  // allocated GPU-hour.
  ASSERT_EQ(header.size(), 23u);
  EXPECT_EQ(header[12], "ebitda_usd");
  EXPECT_EQ(header[13], "tax_usd");
  EXPECT_EQ(header[18], "unmet_gpu_hours");
  ASSERT_EQ(row.size(), 23u);
  const std::int64_t tax_cents = std::llround(static_cast<double>(r.total_revenue_cents - 1200) * 0.2);
  EXPECT_EQ(std::llround(std::stod(row[13]) * 100.0), tax_cents);

  const run::RunResult untaxed =
      run_text(std::string(kProfitable) + "finance: {price: 2 USD/GPU-hour, transit_per_month: 1 USD}\n");
  cells_of(reports::render_results(untaxed, "").kpis_csv, "2026", header);
  EXPECT_EQ(header.size(), 22u);
  EXPECT_EQ(header[13], "it_energy_mwh");
}

}  // namespace
}  // namespace dcsim
