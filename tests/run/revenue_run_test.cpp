// Revenue by GPU type, reserved contracts and price decline (finance.prices, contracts,
// price_decline_per_year), against GPU-hours replayed from a trace and priced by hand.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "reports/reconcile.h"
#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/scratch_dir.h"

namespace dcsim {
namespace {

// Two halls: h100s (2 servers x 8 GPUs) and a100s (1 server x 8 GPUs), free of charge.
const char* kFleet = R"(catalog:
  gpus: [{name: h100, idle_power: 70 W, tdp: 700 W}, {name: a100, idle_power: 50 W, tdp: 400 W}]
  servers: [{name: s-h100, gpu: h100, gpus: 8, price: 0 USD}, {name: s-a100, gpu: a100, gpus: 8, price: 0 USD}]
sites:
  - name: s
    halls:
      - name: hh
        racks: [{count: 1, server: s-h100, servers_per_rack: 2}]
      - name: ha
        racks: [{count: 1, server: s-a100}]
scheduler: {policy: fifo}
)";

struct Revenue {
  run::RunResult result;
  std::map<std::string, std::int64_t> cents;  // "month/category/tenant/gpu" -> cents
};

Revenue run_with(const test_support::ScratchDir& dir, const std::string& head, const std::string& workloads,
                 const std::string& finance) {
  const std::string text = head + kFleet + workloads + finance;
  const std::string path = dir.write("revenue.yaml", text);
  scenario::LoadResult loaded = scenario::load_scenario_file(path);
  EXPECT_TRUE(loaded.ok()) << (loaded.diagnostics.empty() ? "" : scenario::format_diagnostic(loaded.diagnostics[0]));
  Revenue out;
  if (!loaded.ok()) return out;
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  out.result = run::run(std::move(req));
  EXPECT_TRUE(out.result.ok()) << (out.result.diagnostics.empty() ? "" : scenario::format_diagnostic(out.result.diagnostics[0]));
  for (const finance::MonthlyCost& c : out.result.monthly_revenue) {
    out.cents[engine::Calendar::month_label(c.month) + "/" + c.category + "/" + c.tenant + "/" + c.subcategory] += c.cents;
  }
  return out;
}

const char* kTwoTenants = R"(workloads:
  - name: acme-jobs
    tenant: acme
    arrivals: {process: trace, file: acme.csv, format: csv}
  - name: beta-jobs
    tenant: beta
    arrivals: {process: trace, file: beta.csv, format: csv}
)";

TEST(RevenueRun, ContractsBillCommittedHoursAtReservedAndUseBeyondOnDemandByHand) {
  const test_support::ScratchDir dir;
  // acme: 16 GPUs for 400 h (only the h100 hall holds 16); beta: 8 GPUs for 100 h (the a100s).
  dir.write("acme.csv", "submit_s,gpus,duration_s\n0,16,1440000\n");
  dir.write("beta.csv", "submit_s,gpus,duration_s\n0,8,360000\n");
  const Revenue r = run_with(dir, "name: contracts\nstart: 2026-01-01\nhorizon: 31 d\n", kTwoTenants, R"(finance:
  price: 3 USD/GPU-hour
  prices: [{gpu: h100, on_demand: 2.5 USD/GPU-hour, reserved: 1.9 USD/GPU-hour}]
  contracts:
    - {tenant: acme, gpu: h100, gpus: 4, term: 31 d}
    - {tenant: beta, gpu: a100, gpus: 2, start: 2026-01-11, term: 10 d}
)");
  ASSERT_TRUE(r.result.ok());
  // acme: 4 GPUs x 744 h = 2,976 reserved h100 GPU-hours at 1.9 = 5,654.40 USD; it held
  // 16 x 400 = 6,400, so 3,424 beyond the contract at 2.5 = 8,560 USD.
  EXPECT_EQ(r.cents.at("2026-01/reserved/acme/h100"), 565'440);
  EXPECT_EQ(r.cents.at("2026-01/on_demand/acme/h100"), 856'000);
  // beta: a100 has no prices entry, so both kinds sell at price (3 USD): 2 x 240 h = 480
  // reserved GPU-hours (1,440 USD); 8 x 100 = 800 held, 320 beyond (960 USD).
  EXPECT_EQ(r.cents.at("2026-01/reserved/beta/a100"), 144'000);
  EXPECT_EQ(r.cents.at("2026-01/on_demand/beta/a100"), 96'000);
  EXPECT_EQ(r.cents.size(), 4u);
  EXPECT_EQ(r.result.total_revenue_cents, 565'440 + 856'000 + 144'000 + 96'000);
  ASSERT_EQ(r.result.pnl.size(), 1u);
  EXPECT_EQ(r.result.pnl[0].revenue_cents, r.result.total_revenue_cents);
}

TEST(RevenueRun, AContractBillsItsHoursEvenWhenItsTenantUsesNothing) {
  const test_support::ScratchDir dir;
  dir.write("acme.csv", "submit_s,gpus,duration_s\n0,16,3600\n");
  dir.write("beta.csv", "submit_s,gpus,duration_s\n0,8,3600\n");
  const Revenue r = run_with(dir, "name: idle contract\nstart: 2026-01-01\nhorizon: 31 d\n", kTwoTenants, R"(finance:
  prices: [{gpu: h100, on_demand: 2.5 USD/GPU-hour, reserved: 1.9 USD/GPU-hour}]
  contracts: [{tenant: gamma, gpu: h100, gpus: 8, start: 2025-12-01, term: 45 d}]
)");
  ASSERT_TRUE(r.result.ok());
  // gamma's contract runs 2025-12-01 + 45 d = 2026-01-15: 14 days (336 h) inside the run, 8 GPUs.
  EXPECT_EQ(r.cents.at("2026-01/reserved/gamma/h100"), 8 * 336 * 190);
  EXPECT_EQ(r.cents.at("2026-01/on_demand/acme/h100"), 16 * 250);  // no contract: all on demand
  EXPECT_EQ(r.cents.count("2026-01/on_demand/beta/a100"), 0u) << "a100 falls back to price, 0 here";
}

TEST(RevenueRun, PricesStepDownByTheDeclineEachFirstOfJanuary) {
  const test_support::ScratchDir dir;
  // 16 h100 GPUs held through December 2026 and January 2027 (744 h each).
  dir.write("acme.csv", "submit_s,gpus,duration_s\n0,16,10000000\n");
  dir.write("beta.csv", "submit_s,gpus,duration_s\n0,1,3600\n");
  const Revenue r = run_with(dir, "name: decline\nstart: 2026-12-01\nhorizon: 62 d\n", kTwoTenants, R"(finance:
  price: 2 USD/GPU-hour
  price_decline_per_year: 0.25
)");
  ASSERT_TRUE(r.result.ok());
  EXPECT_EQ(r.cents.at("2026-12/on_demand/acme/h100"), 16 * 744 * 200);
  EXPECT_EQ(r.cents.at("2027-01/on_demand/acme/h100"), 16 * 744 * 150);  // 2 x (1 - 0.25)
}

TEST(RevenueRun, RevenueMonthlyCsvReconcilesWithTheSummaryAndIsAbsentWithoutDetail) {
  const test_support::ScratchDir dir;
  dir.write("acme.csv", "submit_s,gpus,duration_s\n0,16,360000\n");
  dir.write("beta.csv", "submit_s,gpus,duration_s\n0,8,360000\n");
  const std::string head = "name: folder\nstart: 2026-01-01\nhorizon: 10 d\n";
  Revenue detailed = run_with(dir, head, kTwoTenants, R"(finance:
  price: 3 USD/GPU-hour
  contracts: [{tenant: acme, gpu: h100, gpus: 3, term: 5 d}]
)");
  ASSERT_TRUE(detailed.result.ok());
  const reports::ResultsFiles files = reports::render_results(detailed.result, "");
  ASSERT_FALSE(files.revenue_monthly_csv.empty());
  EXPECT_NE(files.revenue_monthly_csv.find("2026-01,reserved,,acme,1080.00,h100,"), std::string::npos)
      << files.revenue_monthly_csv;  // 3 GPUs x 120 h x 3 USD
  ASSERT_TRUE(reports::write_results_folder(files, dir / "out", false).ok);
  const reports::ReconcileOutcome rec = reports::reconcile_results_folder(dir / "out");
  ASSERT_TRUE(rec.error.empty()) << rec.error;
  bool checked = false;
  for (const auto& line : rec.lines) {
    EXPECT_EQ(line.report_cents, line.expected_cents) << line.report;
    checked = checked || line.report.find("revenue_monthly.csv") != std::string::npos;
  }
  EXPECT_TRUE(checked);
  Revenue plain = run_with(dir, head, kTwoTenants, "finance: {price: 3 USD/GPU-hour}\n");
  EXPECT_TRUE(reports::render_results(plain.result, "").revenue_monthly_csv.empty());
  // Without contracts the same GPU-hours bring the same revenue either way.
  EXPECT_EQ(plain.result.total_revenue_cents, (16 + 8) * 100 * 300);
}

TEST(RevenueRun, APriceForAGpuTypeTheFleetLacksIsAnError) {
  const test_support::ScratchDir dir;
  dir.write("acme.csv", "submit_s,gpus,duration_s\n0,8,3600\n");
  dir.write("beta.csv", "submit_s,gpus,duration_s\n0,8,3600\n");
  const std::string text = std::string("name: bad\nstart: 2026-01-01\nhorizon: 1 d\n") + kFleet + kTwoTenants +
                           "finance:\n  prices: [{gpu: h10, on_demand: 2 USD/GPU-hour}]\n";
  scenario::LoadResult loaded = scenario::load_scenario_file(dir.write("bad.yaml", text));
  ASSERT_TRUE(loaded.ok());
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  const run::RunResult r = run::run(std::move(req));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics[0].code, "S200");
  EXPECT_NE(r.diagnostics[0].hint.find("did you mean 'h100'"), std::string::npos) << r.diagnostics[0].hint;
  EXPECT_EQ(r.diagnostics[0].pos.line, 23);
}

}  // namespace
}  // namespace dcsim
