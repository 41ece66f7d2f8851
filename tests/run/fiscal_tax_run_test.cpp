// Fiscal years, income tax, software licences and transit end to end, checked against hand
// computations and against the sums of the monthly P&L.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "reports/results_folder.h"
#include "sim/finance/kpis.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/run_text.h"

namespace dcsim {
namespace {

// Two servers of 8 GPUs (16 GPUs), free to buy, through 2026 (365 days: 12 whole months).
const char* kSixteenGpus = R"(name: sixteen gpus
start: 2026-01-01
horizon: 365 d
catalog:
  gpus: [{name: flat, idle_power: 100 W, tdp: 100 W}]
  servers: [{name: block, gpu: flat, gpus: 8, overhead_power: 200 W, price: 0 USD}]
sites:
  - name: s
    electricity: {price: 0.1 USD/kWh}
    halls:
      - name: h
        racks: [{count: 2, server: block}]
workloads:
  - name: w
    tenant: team
    arrivals: {process: poisson, rate: 4 /day}
    gpus: 8
    duration: 3 h
finance: {price: 2 USD/GPU-hour, software_per_gpu_month: 40 USD, transit_per_month: 20000 USD, FINANCE_EXTRA}
)";

run::RunResult run_text(std::string text, const std::string& extra) {
  text.replace(text.find("FINANCE_EXTRA"), 13, extra);
  return test_support::run_text(text);
}

// Rows of a CSV: label -> the cells after it, in cents.
std::map<std::string, std::vector<std::int64_t>> csv_cents(const std::string& csv, std::vector<std::string>& header) {
  std::map<std::string, std::vector<std::int64_t>> rows;
  std::istringstream in(csv);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string cell, label;
    std::vector<std::int64_t> values;
    std::getline(cells, label, ',');
    while (std::getline(cells, cell, ',')) {
      if (first) header.push_back(cell);
      else values.push_back(std::llround(std::stod(cell) * 100.0));
    }
    if (!first) rows[label] = values;
    first = false;
  }
  return rows;
}

TEST(FiscalTaxRun, SoftwareIsGpusTimesPriceTimesMonthsAndTransitEveryMonth) {
  const run::RunResult r = run_text(kSixteenGpus, "tax_rate: 0");
  ASSERT_TRUE(r.ok());
  std::int64_t software = 0, transit = 0;
  for (const auto& c : r.monthly_costs) {
    if (c.category == "software") software += c.cents;
    if (c.category == "transit") transit += c.cents;
  }
  EXPECT_EQ(software, 16 * 40 * 12 * 100LL);  // 16 GPUs x 40 USD x 12 months = 7,680 USD
  EXPECT_EQ(transit, 12 * 20000 * 100LL);     // 240,000 USD
}

TEST(FiscalTaxRun, SoftwareAndTransitEscalateWithInflationEachFirstOfJanuary) {
  std::string text = kSixteenGpus;
  text.replace(text.find("start: 2026-01-01"), 17, "start: 2026-12-01");
  text.replace(text.find("horizon: 365 d"), 14, "horizon: 62 d");  // December and January
  const run::RunResult r = run_text(text, "inflation: 0.1");
  ASSERT_TRUE(r.ok());
  std::map<int, std::int64_t> software, transit;
  for (const auto& c : r.monthly_costs) {
    if (c.category == "software") software[c.month.year] += c.cents;
    if (c.category == "transit") transit[c.month.year] += c.cents;
  }
  EXPECT_EQ(transit[2026], 20000'00LL);
  EXPECT_EQ(transit[2027], 22000'00LL);
  EXPECT_EQ(software[2026], 16 * 40 * 100LL);  // 640 USD
  EXPECT_EQ(software[2027], 16 * 44 * 100LL);  // 704 USD
}

TEST(FiscalTaxRun, JulyFiscalYearRowsAreTheSumsOfTheirMonthsAndTaxIsAQuarterOfPositiveProfit) {
  // Transit of 1,000 USD a month leaves both fiscal years in profit.
  std::string text = kSixteenGpus;
  text.replace(text.find("transit_per_month: 20000 USD"), 28, "transit_per_month: 1000 USD");
  const run::RunResult r = run_text(text, "tax_rate: 0.25, fiscal_year_start: July");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.pnl.size(), 12u);
  const reports::ResultsFiles files = reports::render_results(r, "");
  std::vector<std::string> monthly_header, yearly_header, kpi_header;
  const auto monthly = csv_cents(files.pnl_monthly_csv, monthly_header);
  const auto yearly = csv_cents(files.pnl_yearly_csv, yearly_header);
  EXPECT_EQ(monthly_header, yearly_header);
  ASSERT_EQ(yearly_header.size(), 15u);  // and the five memo columns of demand not served, last
  EXPECT_EQ(yearly_header[5], "tax_usd");
  EXPECT_EQ(yearly_header[6], "net_income_usd");
  // January-June 2026 are FY2026, July-December 2026 FY2027.
  ASSERT_EQ(yearly.size(), 2u);
  ASSERT_TRUE(yearly.count("2026") && yearly.count("2027"));
  std::map<std::string, std::vector<std::int64_t>> sums;
  for (const auto& [month, cells] : monthly) {
    const std::string fy = std::stoi(month.substr(5, 2)) >= 7 ? "2027" : "2026";
    auto& sum = sums[fy];
    sum.resize(cells.size(), 0);
    for (std::size_t i = 0; i < 9; ++i) sum[i] += cells[i];  // every column but the cumulative cash
  }
  for (const char* fy : {"2026", "2027"}) {
    for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(yearly.at(fy)[i], sums[fy][i]) << fy << " column " << yearly_header[i];
    // Tax: 25 % of a positive EBIT (column 4), nothing on a loss.
    const std::int64_t ebit = sums[fy][4];
    EXPECT_GT(ebit, 0) << fy;
    EXPECT_EQ(yearly.at(fy)[5], ebit > 0 ? std::llround(ebit * 0.25) : 0) << fy;
    EXPECT_EQ(yearly.at(fy)[6], ebit - yearly.at(fy)[5]);
  }
  // The tax falls in June and December only.
  for (const run::PnlMonth& m : r.pnl) {
    if (m.month.month != 6 && m.month.month != 12) {
      EXPECT_EQ(m.tax_cents, 0);
    }
  }
  const auto kpis = csv_cents(files.kpis_csv, kpi_header);
  EXPECT_EQ(kpis.size(), 2u);
  EXPECT_TRUE(kpis.count("2026") && kpis.count("2027"));
  // The NPV counts the tax as an outflow at the end of its month.
  std::vector<double> monthly_cash;
  for (const run::PnlMonth& m : r.pnl) monthly_cash.push_back(static_cast<double>(m.ebitda_cents() - m.tax_cents) / 100.0);
  EXPECT_NEAR(r.npv_usd, finance::npv(0.08, 0.0, monthly_cash), 1e-6);
}

TEST(FiscalTaxRun, TaxOfAProfitableCalendarYearByHand) {
  // No costs but transit of 1 USD a month; revenue well above it, so EBIT = revenue - 12 USD.
  std::string text = kSixteenGpus;
  const std::string lines = "software_per_gpu_month: 40 USD, transit_per_month: 20000 USD";
  text.replace(text.find(lines), lines.size(), "transit_per_month: 1 USD");
  text.replace(text.find("price: 0.1 USD/kWh"), 18, "price: 0 USD/kWh");
  const run::RunResult r = run_text(text, "tax_rate: 0.2");
  ASSERT_TRUE(r.ok());
  ASSERT_GT(r.total_revenue_cents, 1200);
  std::int64_t tax = 0;
  for (const run::PnlMonth& m : r.pnl) tax += m.tax_cents;
  EXPECT_EQ(tax, std::llround((r.total_revenue_cents - 1200) * 0.2));
  EXPECT_EQ(r.pnl.back().tax_cents, tax);  // all of it in December
}

TEST(FiscalTaxRun, BadFiscalYearStartAndTaxRateAreRefusedWithTheirPosition) {
  for (const char* extra : {"fiscal_year_start: 13", "fiscal_year_start: Julyy", "tax_rate: 1.5"}) {
    std::string text = kSixteenGpus;
    text.replace(text.find("FINANCE_EXTRA"), 13, extra);
    const scenario::LoadResult loaded = scenario::load_scenario_text(text, "fy.yaml");
    ASSERT_FALSE(loaded.ok()) << extra;
    const std::string message = scenario::format_diagnostic(loaded.diagnostics[0]);
    EXPECT_NE(message.find("fy.yaml:"), std::string::npos) << message;
    EXPECT_NE(message.find("S112"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace dcsim
