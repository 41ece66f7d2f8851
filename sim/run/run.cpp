// Builds the model, runs it, and books its costs into the ledger.
#include "sim/run/run.h"

#include <chrono>
#include <cmath>
#include <map>

#include "sim/finance/kpis.h"

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
  const scenario::FinanceSpec& fin = r.scenario.finance;
  const engine::SimTime end = r.model.end_time;
  for (const model::HallMonthEnergy& e : r.model.hall_months) {
    const model::HallConfig& hall = cfg.halls[e.hall];
    const model::SiteConfig& site = cfg.sites[hall.site];
    r.ledger.add(e.month, "energy", site.name, "shared", e.facility_kwh * site.usd_per_kwh, "", hall.name);
  }
  // Servers: bought at the start, depreciated straight-line, maintained at a share of their price.
  for (const model::RackGroupConfig& group : cfg.rack_groups) {
    const model::ServerType& type = cfg.server_types[group.server_type];
    const model::HallConfig& hall = cfg.halls[group.hall];
    const std::string& site = cfg.sites[hall.site].name;
    const double price = static_cast<double>(group.racks) * group.servers_per_rack * type.price_usd;
    finance::add_straight_line_depreciation(r.ledger, calendar, 0, end, price, type.useful_life_years, site, "shared",
                                            type.name, hall.name);
    finance::add_monthly_charge(r.ledger, calendar, 0, end, price * fin.maintenance_per_year / 12.0, "maintenance",
                                site, "shared", type.name, hall.name);
    r.capex_usd += price;
    const double life_s = type.useful_life_years * 365.0 * 86400.0;
    if (life_s > 0) r.residual_value_usd += price * std::max(0.0, 1.0 - engine::to_seconds(end) / life_s);
  }
  for (const scenario::SiteSpec& site : r.scenario.sites) {
    for (const scenario::HallSpec& hall : site.halls) {
      if (!hall.colocation) continue;
      finance::add_monthly_charge(r.ledger, calendar, 0, end,
                                  hall.colocation->usd_per_kw_month * hall.colocation->contracted_w / 1000.0,
                                  "colocation", site.name, "shared", "", hall.name);
    }
  }
  finance::add_monthly_charge(r.ledger, calendar, 0, end, fin.staff_usd_per_month, "staff", "", "shared");
  r.monthly_costs = finance::monthly_pivot(r.ledger);
  r.total_cost_cents = finance::total_cents(r.monthly_costs);

  // Revenue: GPU-hours each tenant held, at the price per GPU-hour.
  for (const model::WorkloadMonthUse& u : r.model.workload_months) {
    r.gpu_hours_allocated += u.gpu_hours();
    if (fin.usd_per_gpu_hour > 0) {
      r.revenue_ledger.add(u.month, "gpu_hours", "", cfg.workloads[u.workload].tenant, u.gpu_hours() * fin.usd_per_gpu_hour);
    }
  }
  r.gpu_hours_available = static_cast<double>(r.model.gpus_total) * engine::to_hours(end);
  r.monthly_revenue = finance::monthly_pivot(r.revenue_ledger);
  r.total_revenue_cents = finance::total_cents(r.monthly_revenue);

  for (const model::SiteMonthEnergy& e : r.model.site_months) {
    r.carbon_t += e.facility_kwh * r.scenario.sites[e.site].carbon_g_per_kwh / 1e6;
  }

  // Monthly P&L over every month of the run, from the rounded cells.
  std::map<engine::YearMonth, PnlMonth> months;
  for (engine::SimTime t = 0; t < end; t = calendar.start_of_next_month(t)) months[calendar.month_of(t)].month = calendar.month_of(t);
  for (const finance::MonthlyCost& c : r.monthly_costs) {
    PnlMonth& m = months[c.month];
    m.month = c.month;
    (c.category == "depreciation" ? m.depreciation_cents : m.opex_cents) += c.cents;
  }
  for (const finance::MonthlyCost& c : r.monthly_revenue) months[c.month].revenue_cents += c.cents;
  for (auto& [month, m] : months) r.pnl.push_back(m);
  if (!r.pnl.empty()) r.pnl.front().capex_cents = finance::round_to_cents(r.capex_usd);

  // NPV, IRR and payback: capex at the start, EBITDA at each month's end, the residual value
  // of the servers at the last month's end.
  std::vector<double> monthly;
  for (const PnlMonth& m : r.pnl) monthly.push_back(static_cast<double>(m.ebitda_cents()) / 100.0);
  if (!monthly.empty()) monthly.back() += r.residual_value_usd;
  r.npv_usd = finance::npv(fin.discount_rate, -r.capex_usd, monthly);
  const finance::IrrResult irr = finance::irr(-r.capex_usd, monthly);
  r.irr = irr.annual_rate;
  r.irr_note = irr.why_none;
  r.payback_month = finance::payback_month(-r.capex_usd, monthly);
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
