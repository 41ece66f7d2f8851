// Builds the model, runs it, and books its costs into the ledger.
#include "sim/run/run.h"

#include <chrono>

#include "sim/run/build.h"

namespace dcsim::run {

namespace {

double mw_us_to_mwh(__int128 mw_us) {
  // 1 MWh = 1e9 mW x 3.6e9 us; split so that whole MWh convert exactly.
  constexpr __int128 kMwUsPerMwh = static_cast<__int128>(3'600'000'000'000'000LL) * 1000;
  return static_cast<double>(mw_us / kMwUsPerMwh) + static_cast<double>(mw_us % kMwUsPerMwh) / 3.6e18;
}

void book_costs(RunResult& r, const model::ModelConfig& cfg) {
  const engine::Calendar calendar(cfg.start_unix_s);
  for (const model::SiteMonthEnergy& e : r.model.site_months) {
    const model::SiteConfig& site = cfg.sites[e.site];
    r.ledger.add(e.month, "energy", site.name, "shared", e.facility_kwh * site.usd_per_kwh);
  }
  // Depreciation of every server in service over the simulated span, by site and server type.
  for (const model::RackGroupConfig& group : cfg.rack_groups) {
    const model::ServerType& type = cfg.server_types[group.server_type];
    const std::string& site = cfg.sites[cfg.halls[group.hall].site].name;
    const double servers = static_cast<double>(group.racks) * group.servers_per_rack;
    finance::add_straight_line_depreciation(r.ledger, calendar, 0, r.model.end_time, servers * type.price_usd,
                                            type.useful_life_years, site, "shared");
  }
  r.monthly_costs = finance::monthly_pivot(r.ledger);
  r.total_cost_cents = finance::total_cents(r.monthly_costs);
}

}  // namespace

RunResult run(RunRequest request) {
  RunResult r;
  r.scenario = std::move(request.scenario);
  BuildResult built = build_model(r.scenario);
  if (!built.config) {
    r.diagnostics = std::move(built.diagnostics);
    return r;
  }
  model::ModelConfig& cfg = *built.config;
  r.market = std::move(built.market);
  r.demand = std::move(built.demand);
  cfg.record_jobs = request.record_jobs;
  r.jobs_recorded = request.record_jobs;
  for (const auto& s : cfg.sites) r.site_names.push_back(s.name);
  for (const auto& w : cfg.workloads) {
    r.workload_names.push_back(w.name);
    r.workload_tenants.push_back(w.tenant);
  }

  const auto t0 = std::chrono::steady_clock::now();
  r.model = model::simulate(cfg, request.progress);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  r.simulated_hours = engine::to_hours(r.model.end_time);
  r.it_energy_mwh = mw_us_to_mwh(r.model.it_energy_mw_us);
  for (const model::SiteMonthEnergy& e : r.model.site_months) {
    r.facility_energy_mwh += e.facility_kwh / 1000.0;
  }
  if (r.model.end_time > 0 && r.model.gpus_total > 0) {
    r.gpu_utilization = static_cast<double>(r.model.busy_gpu_us) /
                        (static_cast<double>(r.model.gpus_total) * static_cast<double>(r.model.end_time));
  }
  book_costs(r, cfg);
  return r;
}

}  // namespace dcsim::run
