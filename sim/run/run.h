// One entry point for runs: the CLI and the GUI both call run(RunRequest) -> RunResult.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/finance/ledger.h"
#include "sim/finance/market.h"
#include "sim/model/model.h"
#include "sim/scenario/scenario.h"

namespace dcsim::run {

struct RunRequest {
  scenario::Scenario scenario;   // loaded and validated; the builder resolves it further
  bool record_jobs = false;      // keep one record per job (jobs.csv)
  model::ProgressFn progress;    // optional; return false to cancel
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
  double it_energy_mwh = 0.0;
  double facility_energy_mwh = 0.0;
  double gpu_utilization = 0.0;   // allocated GPU-time / (GPUs x simulated time)
  double simulated_hours = 0.0;
  // The market projection and our demand, when the scenario has a market section.
  std::vector<finance::MarketRow> market;
  std::vector<finance::DemandPoint> demand;
  double wall_seconds = 0.0;      // simulation proper
  bool jobs_recorded = false;
  bool ok() const { return diagnostics.empty(); }
};

RunResult run(RunRequest request);

}  // namespace dcsim::run
