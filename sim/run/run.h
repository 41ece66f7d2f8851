// One entry point for runs: the CLI and the GUI both call run(RunRequest) -> RunResult.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/finance/ledger.h"
#include "sim/finance/market.h"
#include "sim/finance/tariff.h"
#include "sim/model/model.h"
#include "sim/scenario/scenario.h"

namespace dcsim::run {

struct RunRequest {
  scenario::Scenario scenario;   // loaded and validated; the builder resolves it further
  bool record_jobs = false;      // keep one record per job (jobs.csv)
  model::ProgressFn progress;    // optional; return false to cancel
};

// One month of the profit and loss, in cents (sums of the rounded report cells, so the P&L
// reconciles with cost_monthly.csv to the cent).
struct PnlMonth {
  engine::YearMonth month;
  std::int64_t revenue_cents = 0;
  std::int64_t opex_cents = 0;          // every cost but depreciation
  std::int64_t depreciation_cents = 0;
  std::int64_t capex_cents = 0;         // servers bought at the start, paid in the first month
  std::int64_t tax_cents = 0;           // income tax of a fiscal year, in its last month (finance.tax_rate)
  // Demand not served here (memo columns; the cloud's cost is already in opex_cents):
  double unmet_gpu_hours = 0.0;               // finance.unmet: queueing beyond max_wait in the month
  std::int64_t revenue_lost_cents = 0;        // unmet x price + unserved contract hours x reserved price
  double cloud_burst_gpu_hours = 0.0;         // jobs sent to the cloud + contract shortfall bursted
  std::int64_t cloud_burst_cents = 0;         // the month's cost category cloud
  double contract_shortfall_gpu_hours = 0.0;  // committed GPU-hours beyond the installed GPUs of the type
  std::int64_t ebitda_cents() const { return revenue_cents - opex_cents; }
  std::int64_t ebit_cents() const { return ebitda_cents() - depreciation_cents; }
  std::int64_t net_income_cents() const { return ebit_cents() - tax_cents; }
  std::int64_t cash_flow_cents() const { return ebitda_cents() - capex_cents - tax_cents; }
};

struct RunResult {
  std::vector<scenario::Diagnostic> diagnostics;  // non-empty: nothing was run
  scenario::Scenario scenario;                    // resolved: every default filled in
  model::ModelResults model;
  std::vector<std::string> site_names;
  std::vector<std::string> workload_names;
  std::vector<std::string> workload_tenants;
  finance::Ledger ledger;
  std::vector<finance::MonthlyCost> monthly_costs;  // the pivot, rounded to cents
  std::int64_t total_cost_cents = 0;
  // Per site: the peak 15-minute facility demand of each month, for sites with a demand charge.
  std::vector<std::vector<finance::MonthPeak>> site_demand_peaks;
  finance::Ledger revenue_ledger;                     // GPU-hours sold, by tenant
  std::vector<finance::MonthlyCost> monthly_revenue;  // its pivot, rounded to cents
  std::int64_t total_revenue_cents = 0;
  std::vector<PnlMonth> pnl;
  double capex_usd = 0.0;           // servers in service at the start, bought then
  double expansion_capex_usd = 0.0; // planned expansions: servers and facility work, paid at delivery
  double residual_value_usd = 0.0;  // their undepreciated value at the end
  double npv_usd = 0.0;             // -capex + discounted monthly EBITDA + discounted residual value
  std::optional<double> irr;        // yearly; empty when the cash flows never change sign
  std::string irr_note;
  std::optional<int> payback_month; // 0-based month index of the run
  double carbon_t = 0.0;            // facility energy x grid intensity: the sum of carbon_months
  // Per site and month (model::ModelResults::site_months' order): facility energy and its carbon,
  // hour by hour at the hour's intensity for a site with a carbon_profile.
  struct SiteMonthCarbon {
    std::uint32_t site = 0;
    engine::YearMonth month;
    double facility_kwh = 0.0;
    double carbon_t = 0.0;
  };
  std::vector<SiteMonthCarbon> carbon_months;
  // finance.unmet: GPU-hours queued beyond max_wait, and their revenue at finance.price as it
  // stood in their month (after price_decline_per_year).
  double unmet_gpu_hours = 0.0;
  double lost_revenue_usd = 0.0;
  // The sum of pnl's revenue_lost_cents: with contracts, also the reserved revenue of the
  // committed GPU-hours the fleet could not serve and no cloud took.
  std::int64_t lost_revenue_cents = 0;
  double contract_shortfall_gpu_hours = 0.0;  // finance.contracts: committed beyond installed GPUs
  // finance.cloud_burst: GPU-hours of the jobs sent to the cloud, and their cost (category cloud).
  double cloud_burst_gpu_hours = 0.0;
  std::int64_t cloud_cost_cents = 0;
  double gpu_hours_available = 0.0;
  double gpu_hours_allocated = 0.0;
  double it_energy_mwh = 0.0;
  double facility_energy_mwh = 0.0;
  double gpu_utilization = 0.0;   // allocated GPU-time / (GPUs x simulated time)
  double simulated_hours = 0.0;
  // The market projection and our demand, when the scenario has a market section.
  std::vector<finance::MarketRow> market;
  std::vector<finance::DemandPoint> demand;
  double wall_seconds = 0.0;      // simulation proper
  bool jobs_recorded = false;
  // Per model.services entry: token figures, set only for a service with tokens_per_request.
  struct ServiceTokens {
    bool counted = false;
    double tokens_per_request = 0.0;
    double tokens_served = 0.0;
    double tokens_per_second_mean = 0.0;   // over the simulated time
    double cost_per_million_tokens_usd = 0.0;  // its GPU-hours x cost per allocated GPU-hour
    bool priced = false;                   // price_per_million_tokens set
    double revenue_usd = 0.0;              // price_per_million_tokens x tokens / 1e6
  };
  std::vector<ServiceTokens> service_tokens;
  // Cost per training run (docs/scenario-format.md, "Cost per training run"): per fiscal year and
  // training workload (every job workload, not an inference service's), the jobs that completed
  // in the year, the GPU-hours they held over their whole run (restarts and lost work included)
  // and their cost at the year's fully loaded cost per allocated GPU-hour (kpis.csv's
  // cost_per_allocated_gpu_hour_usd), rounded to the cent. Cells with completed runs only.
  struct TrainingRunCost {
    std::uint32_t workload = 0;
    int year = 0;
    std::uint64_t runs = 0;
    double gpu_hours = 0.0;
    std::int64_t cost_cents = 0;
  };
  std::vector<TrainingRunCost> training_run_costs;
  // Per hall in model order: bisection bandwidth of its fabric (model::describe), 0 without one;
  // empty when no hall has a fabric.
  std::vector<double> hall_bisection_gbps;
  bool ok() const { return diagnostics.empty(); }
};

RunResult run(RunRequest request);

}  // namespace dcsim::run
