// Builds the model, runs it, and books its costs into the ledger.
#include "sim/run/run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <tuple>

#include "sim/finance/kpis.h"
#include "sim/finance/tariff.h"
#include "sim/scenario/carbon_profile.h"

#include "sim/run/build.h"

namespace dcsim::run {

namespace {

// Facility work (power and cooling plant, fit-out) is depreciated over finance.depreciation.facility
// (20 years by default).

double mw_us_to_mwh(__int128 mw_us) {
  // 1 MWh = 1e9 mW x 3.6e9 us; split so that whole MWh convert exactly.
  constexpr __int128 kMwUsPerMwh = static_cast<__int128>(3'600'000'000'000'000LL) * 1000;
  return static_cast<double>(mw_us / kMwUsPerMwh) + static_cast<double>(mw_us % kMwUsPerMwh) / 3.6e18;
}

finance::Tariff tariff_of(const scenario::SiteSpec& site) {
  finance::Tariff t;
  t.usd_per_kwh = site.electricity_usd_per_kwh;
  t.utc_offset_h = site.tariff_utc_offset_h;
  t.demand_charge_usd_per_kw_month = site.demand_charge_usd_per_kw_month;
  for (const scenario::TariffPeriodSpec& p : site.tariff_periods) {
    const finance::TariffDays days = p.days == "weekdays"   ? finance::TariffDays::weekdays
                                     : p.days == "weekends" ? finance::TariffDays::weekends
                                                            : finance::TariffDays::all;
    t.periods.push_back(finance::TariffPeriod{p.name, p.from_hour, p.to_hour, days, p.usd_per_kwh});
  }
  return t;
}

// Energy priced by time-of-use period and the monthly demand charges, from the 15-minute
// facility energy the model records for sites that have them.
void book_tariffs(RunResult& r, const model::ModelConfig& cfg, const engine::Calendar& calendar) {
  const std::vector<std::vector<double>>& bins = r.model.hall_quarter_facility_kwh;
  if (bins.size() != cfg.halls.size()) return;  // no site uses them
  r.site_demand_peaks.resize(cfg.sites.size());
  for (std::size_t s = 0; s < cfg.sites.size(); ++s) {
    const finance::Tariff tariff = tariff_of(r.scenario.sites[s]);
    std::vector<double> site_kwh;
    for (std::size_t h = 0; h < cfg.halls.size(); ++h) {
      if (cfg.halls[h].site != s) continue;
      if (!tariff.periods.empty()) {
        finance::add_energy_by_period(r.ledger, calendar, tariff, bins[h], cfg.sites[s].name, cfg.halls[h].name);
      }
      site_kwh.resize(std::max(site_kwh.size(), bins[h].size()), 0.0);
      for (std::size_t q = 0; q < bins[h].size(); ++q) site_kwh[q] += bins[h][q];
    }
    if (tariff.demand_charge_usd_per_kw_month <= 0) continue;
    r.site_demand_peaks[s] = finance::monthly_peaks(calendar, site_kwh, r.model.end_time);
    finance::add_demand_charge(r.ledger, r.site_demand_peaks[s], tariff.demand_charge_usd_per_kw_month,
                               cfg.sites[s].name);
  }
}

// Reserved contracts are committed volume: wherever the contracts on a GPU type commit more GPUs
// than the fleet has installed of that type (online rack groups; failures do not count), the
// shortfall GPUs x time is owed to them, shared pro rata by their GPUs. Per contract and month.
using ContractShortfall = std::vector<std::map<engine::YearMonth, double>>;
ContractShortfall contract_shortfall(const RunResult& r, const model::ModelConfig& cfg, const engine::Calendar& calendar) {
  const scenario::FinanceSpec& fin = r.scenario.finance;
  const engine::SimTime end = r.model.end_time;
  ContractShortfall out(fin.contracts.size());
  if (fin.contracts.empty()) return out;
  std::vector<engine::SimTime> from(fin.contracts.size()), to(fin.contracts.size());
  std::vector<engine::SimTime> cuts{0, end};
  for (std::size_t i = 0; i < fin.contracts.size(); ++i) {
    const double from_s = static_cast<double>(fin.contracts[i].start_unix_s - cfg.start_unix_s);
    from[i] = std::clamp<engine::SimTime>(engine::from_seconds(from_s), 0, end);
    to[i] = std::clamp<engine::SimTime>(engine::from_seconds(from_s + fin.contracts[i].term_s), 0, end);
    cuts.push_back(from[i]);
    cuts.push_back(to[i]);
  }
  for (const model::RackGroupConfig& g : cfg.rack_groups) cuts.push_back(std::clamp<engine::SimTime>(g.online, 0, end));
  for (engine::SimTime t = 0; t < end; t = calendar.start_of_next_month(t)) cuts.push_back(t);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const engine::SimTime a = cuts[k];
    const double hours = engine::to_hours(cuts[k + 1] - a);
    std::map<std::string, double> committed;
    for (std::size_t i = 0; i < fin.contracts.size(); ++i) {
      if (from[i] <= a && a < to[i]) committed[fin.contracts[i].gpu] += fin.contracts[i].gpus;
    }
    for (const auto& [gpu, gpus] : committed) {
      double installed = 0.0;
      for (const model::RackGroupConfig& g : cfg.rack_groups) {
        const model::ServerType& type = cfg.server_types[g.server_type];
        if (g.online <= a && cfg.gpu_types[cfg.server_gpu_type[g.server_type]].name == gpu) {
          installed += static_cast<double>(g.racks) * g.servers_per_rack * type.gpus;
        }
      }
      if (installed >= gpus) continue;
      for (std::size_t i = 0; i < fin.contracts.size(); ++i) {
        if (fin.contracts[i].gpu != gpu || !(from[i] <= a && a < to[i])) continue;
        out[i][calendar.month_of(a)] += (gpus - installed) * fin.contracts[i].gpus / gpus * hours;
      }
    }
  }
  return out;
}

// The scenario's service of each model service (same name); null when none matches.
std::vector<const scenario::ServiceSpec*> service_specs(const RunResult& r, const model::ModelConfig& cfg) {
  std::vector<const scenario::ServiceSpec*> out(cfg.services.size(), nullptr);
  for (std::size_t i = 0; i < cfg.services.size(); ++i) {
    for (const scenario::WorkloadSpec& w : r.scenario.workloads) {
      if (w.kind == scenario::WorkloadKind::inference && w.name == cfg.services[i].name) out[i] = &w.service;
    }
  }
  return out;
}

// Workloads whose GPU time is sold per million tokens (their service has a token price), so
// not also per GPU-hour.
std::vector<bool> token_priced_workloads(const RunResult& r, const model::ModelConfig& cfg) {
  std::vector<bool> out(cfg.workloads.size(), false);
  const std::vector<const scenario::ServiceSpec*> specs = service_specs(r, cfg);
  for (std::size_t i = 0; i < cfg.services.size(); ++i) {
    if (specs[i] && specs[i]->price_per_million_tokens_usd) out[cfg.services[i].workload] = true;
  }
  return out;
}

// Revenue by GPU type (docs/scenario-format.md, "Revenue by GPU type and contracts"): each
// contract bills gpus x its hours within the run at the reserved price ("reserved"); in each
// month a tenant's GPU-hours on a type beyond its contracts' committed GPU-hours of that month
// are billed on demand ("on_demand"). Prices step down by price_decline_per_year each 1 January.
// Without finance.cloud_burst, a contract's shortfall hours are not billed: revenue lost.
void book_revenue_by_gpu_type(RunResult& r, const model::ModelConfig& cfg, const engine::Calendar& calendar,
                              const ContractShortfall& shortfall, std::map<engine::YearMonth, double>& lost_usd) {
  const scenario::FinanceSpec& fin = r.scenario.finance;
  const engine::SimTime end = r.model.end_time;
  const int start_year = calendar.month_of(0).year;
  const auto price_of = [&](const std::string& gpu, bool reserved) {
    for (const scenario::GpuPriceSpec& p : fin.prices) {
      if (p.gpu == gpu) return reserved ? p.reserved_usd_per_gpu_hour : p.on_demand_usd_per_gpu_hour;
    }
    return fin.usd_per_gpu_hour;
  };
  const auto declined = [&](engine::YearMonth month) {
    return finance::escalation_factor(-fin.price_decline_per_year, start_year, month);
  };
  using Key = std::tuple<engine::YearMonth, std::string, std::string>;  // month, tenant, GPU type
  std::map<Key, double> committed_h;
  for (std::size_t i = 0; i < fin.contracts.size(); ++i) {
    const scenario::ContractSpec& c = fin.contracts[i];
    const double from_s = static_cast<double>(c.start_unix_s - cfg.start_unix_s);
    const engine::SimTime from = std::clamp<engine::SimTime>(engine::from_seconds(from_s), 0, end);
    const engine::SimTime to = std::clamp<engine::SimTime>(engine::from_seconds(from_s + c.term_s), 0, end);
    const double price = price_of(c.gpu, true);
    for (engine::SimTime t = from; t < to;) {
      const engine::SimTime piece_end = std::min(to, calendar.start_of_next_month(t));
      const engine::YearMonth month = calendar.month_of(t);
      const double hours = c.gpus * engine::to_hours(piece_end - t);
      committed_h[Key{month, c.tenant, c.gpu}] += hours;
      r.revenue_ledger.add(month, "reserved", "", c.tenant, hours * price * declined(month), c.gpu);
      t = piece_end;
    }
    if (fin.cloud_burst) continue;  // the cloud served the shortfall; billed as committed
    for (const auto& [month, short_h] : shortfall[i]) {
      r.revenue_ledger.add(month, "reserved", "", c.tenant, -short_h * price * declined(month), c.gpu);
      lost_usd[month] += short_h * price * declined(month);
    }
  }
  std::map<Key, double> used_h;
  const std::vector<bool> per_token = token_priced_workloads(r, cfg);
  for (const model::WorkloadTypeMonthUse& u : r.model.workload_type_months) {
    if (per_token[u.workload]) continue;
    used_h[Key{u.month, cfg.workloads[u.workload].tenant, cfg.gpu_types[u.gpu_type].name}] += u.gpu_hours();
  }
  for (const auto& [key, hours] : used_h) {
    const auto it = committed_h.find(key);
    const double beyond = std::max(0.0, hours - (it == committed_h.end() ? 0.0 : it->second));
    const auto& [month, tenant, gpu] = key;
    if (beyond > 0) r.revenue_ledger.add(month, "on_demand", "", tenant, beyond * price_of(gpu, false) * declined(month), gpu);
  }
}

// Tokens served = requests served x tokens_per_request, per autoscaler interval; with a price,
// revenue "inference" (subcategory: the service) in the month each interval starts. The service's
// cost share is its GPU-hours (cold start included) x the run's cost per allocated GPU-hour.
void book_service_tokens(RunResult& r, const model::ModelConfig& cfg, const engine::Calendar& calendar) {
  const std::vector<const scenario::ServiceSpec*> specs = service_specs(r, cfg);
  if (std::none_of(specs.begin(), specs.end(), [](const scenario::ServiceSpec* s) { return s && s->tokens_per_request; })) return;
  r.service_tokens.assign(cfg.services.size(), RunResult::ServiceTokens{});
  std::map<std::pair<std::uint32_t, engine::YearMonth>, double> tokens_by_month;
  for (const model::ServiceIntervalRow& row : r.model.service_rows) {
    const scenario::ServiceSpec* spec = specs[row.service];
    if (!spec || !spec->tokens_per_request) continue;
    const double tokens = row.served_requests * *spec->tokens_per_request;
    r.service_tokens[row.service].tokens_served += tokens;
    if (spec->price_per_million_tokens_usd) tokens_by_month[{row.service, calendar.month_of(row.start)}] += tokens;
  }
  for (const auto& [key, tokens] : tokens_by_month) {
    const std::uint32_t s = key.first;
    r.revenue_ledger.add(key.second, "inference", "", cfg.workloads[cfg.services[s].workload].tenant,
                         tokens / 1e6 * *specs[s]->price_per_million_tokens_usd, cfg.services[s].name);
  }
  const double seconds = engine::to_seconds(r.model.end_time);
  const double usd_per_allocated_gpu_hour =
      r.gpu_hours_allocated > 0 ? static_cast<double>(r.total_cost_cents) / 100.0 / r.gpu_hours_allocated : 0.0;
  for (std::size_t s = 0; s < cfg.services.size(); ++s) {
    if (!specs[s] || !specs[s]->tokens_per_request) continue;
    RunResult::ServiceTokens& t = r.service_tokens[s];
    t.counted = true;
    t.tokens_per_request = *specs[s]->tokens_per_request;
    t.tokens_per_second_mean = seconds > 0 ? t.tokens_served / seconds : 0.0;
    const double gpu_hours = s < r.model.services.size() ? r.model.services[s].gpu_hours : 0.0;
    t.cost_per_million_tokens_usd = t.tokens_served > 0 ? gpu_hours * usd_per_allocated_gpu_hour / t.tokens_served * 1e6 : 0.0;
    t.priced = specs[s]->price_per_million_tokens_usd.has_value();
    if (t.priced) t.revenue_usd = t.tokens_served / 1e6 * *specs[s]->price_per_million_tokens_usd;
  }
}

// Cost per training run: a fiscal year's cost (opex and depreciation, kpis.csv's cost_usd) over
// its allocated GPU-hours is its fully loaded cost per allocated GPU-hour; a job completed in the
// year costs the GPU-hours it held over its whole run times that rate (hours held in an earlier
// year too: a run is charged at the rate of the year it completed in).
void book_training_runs(RunResult& r, const model::ModelConfig& cfg) {
  if (r.model.workload_completed_runs.empty()) return;
  const int start_month = r.scenario.finance.fiscal_year_start_month;
  const auto fy = [start_month](engine::YearMonth m) { return finance::fiscal_year_of(m, start_month); };
  std::vector<bool> service(cfg.workloads.size(), false);
  for (const model::ServiceConfig& s : cfg.services) service[s.workload] = true;
  std::map<int, std::int64_t> cost_cents;
  std::map<int, double> allocated_h;
  for (const PnlMonth& m : r.pnl) cost_cents[fy(m.month)] += m.opex_cents + m.depreciation_cents;
  for (const model::WorkloadMonthUse& u : r.model.workload_months) allocated_h[fy(u.month)] += u.gpu_hours();
  std::map<std::pair<int, std::uint32_t>, RunResult::TrainingRunCost> cells;  // (year, workload)
  for (const model::WorkloadCompletedRuns& c : r.model.workload_completed_runs) {
    if (service[c.workload]) continue;
    RunResult::TrainingRunCost& cell = cells[{fy(c.month), c.workload}];
    cell.workload = c.workload;
    cell.year = fy(c.month);
    cell.runs += c.runs;
    cell.gpu_hours += c.gpu_hours();
  }
  for (auto& [key, cell] : cells) {
    const double held_h = allocated_h[key.first];
    const double usd_per_gpu_hour = held_h > 0 ? static_cast<double>(cost_cents[key.first]) / 100.0 / held_h : 0.0;
    cell.cost_cents = finance::round_to_cents(cell.gpu_hours * usd_per_gpu_hour);
    r.training_run_costs.push_back(cell);
  }
}

// Carbon: facility energy x grid intensity per site and month. A site with a carbon_profile is
// charged hour by hour: each hourly row's facility energy at the intensity of the UTC hour its
// row starts in (rows are hours from the scenario's start).
void book_carbon(RunResult& r, const engine::Calendar& calendar) {
  std::map<std::pair<std::uint32_t, engine::YearMonth>, double> profiled_g;  // (site, month)
  for (const model::IntervalRow& h : r.model.hours) {
    for (std::size_t s = 0; s < h.site_facility_kw.size() && s < r.scenario.sites.size(); ++s) {
      const std::vector<double>& profile = r.scenario.sites[s].carbon_profile_g_per_kwh;
      if (profile.empty()) continue;
      const double kwh = h.site_facility_kw[s] * engine::to_hours(h.length);
      profiled_g[{static_cast<std::uint32_t>(s), calendar.month_of(h.start)}] +=
          kwh * scenario::carbon_intensity_at(profile, calendar.unix_seconds(h.start));
    }
  }
  for (const model::SiteMonthEnergy& e : r.model.site_months) {
    const scenario::SiteSpec& site = r.scenario.sites[e.site];
    const auto it = profiled_g.find({e.site, e.month});
    const double carbon_t = !site.carbon_profile_g_per_kwh.empty() ? (it == profiled_g.end() ? 0.0 : it->second / 1e6)
                                                                  : e.facility_kwh * site.carbon_g_per_kwh / 1e6;
    r.carbon_months.push_back(RunResult::SiteMonthCarbon{e.site, e.month, e.facility_kwh, carbon_t});
    r.carbon_t += carbon_t;
  }
}

void book_costs(RunResult& r, const model::ModelConfig& cfg) {
  const engine::Calendar calendar(cfg.start_unix_s);
  const scenario::FinanceSpec& fin = r.scenario.finance;
  const engine::SimTime end = r.model.end_time;
  for (const model::HallMonthEnergy& e : r.model.hall_months) {
    const model::HallConfig& hall = cfg.halls[e.hall];
    const model::SiteConfig& site = cfg.sites[hall.site];
    if (!r.scenario.sites[hall.site].tariff_periods.empty()) continue;  // priced by period below
    r.ledger.add(e.month, "energy", site.name, "shared", e.facility_kwh * site.usd_per_kwh, "", hall.name);
  }
  book_tariffs(r, cfg, calendar);
  // Servers: bought at the start, depreciated straight-line, maintained at a share of their price.
  // Servers of planned expansions: bought at delivery, depreciated and maintained from online.
  std::map<engine::YearMonth, double> expansion_capex;  // by month of delivery
  double expansion_capex_at_start_usd = 0.0;  // the part delivered at the start: paid then in NPV
  const bool declining = fin.depreciation_method == "declining-balance";
  for (const model::RackGroupConfig& group : cfg.rack_groups) {
    const model::ServerType& type = cfg.server_types[group.server_type];
    const model::HallConfig& hall = cfg.halls[group.hall];
    const std::string& site = cfg.sites[hall.site].name;
    const double price = static_cast<double>(group.racks) * group.servers_per_rack * type.price_usd;
    const engine::SimTime from = std::min(group.online, end);
    if (group.leased) {
      // Leased servers: a monthly lease from online; no capex, depreciation or maintenance.
      finance::add_monthly_charge(r.ledger, calendar, from, end,
                                  static_cast<double>(group.racks) * group.servers_per_rack * group.lease_usd_per_server_month,
                                  "lease", site, "shared", type.name, hall.name);
      continue;
    }
    const double life_years = fin.servers_life_years.value_or(type.useful_life_years);
    // Servers owned since before the start (installed < 0): their price is sunk (no capex in the
    // horizon) and they depreciate from their install date, booked only for the rest of their life.
    const engine::SimTime in_service = group.installed < 0 ? group.installed : from;
    if (declining) {
      r.residual_value_usd += finance::add_depreciation(r.ledger, calendar, finance::DepreciationMethod::declining_balance,
                                                        in_service, end, price, life_years, site, "shared", type.name, hall.name);
    } else {
      finance::add_straight_line_depreciation(r.ledger, calendar, in_service, end, price, life_years, site, "shared",
                                              type.name, hall.name);
    }
    finance::add_monthly_charge(r.ledger, calendar, from, end, price * fin.maintenance_per_year / 12.0, "maintenance",
                                site, "shared", type.name, hall.name);
    // An expansion's servers are its capex at delivery even when it is online at the start
    // (delivered then too: the loader refuses a decision before the start).
    if (group.online > 0 || group.from_expansion) {
      expansion_capex[calendar.month_of(group.delivered)] += price;
      if (group.delivered == 0) expansion_capex_at_start_usd += price;
    } else if (group.installed == 0) {
      r.capex_usd += price;
    }
    const double life_s = life_years * 365.0 * 86400.0;
    if (!declining && life_s > 0) r.residual_value_usd += price * std::max(0.0, 1.0 - engine::to_seconds(end - in_service) / life_s);
  }
  // Network fabrics: switches, optics and cables bought at the start, depreciated over
  // finance.depreciation.network (default 5 years, the server lives of REFERENCE.md's
  // hyperscalers, 5 to 6 years, at their short end) as "depreciation/network" of their hall.
  for (const model::HallConfig& hall : cfg.halls) {
    if (!hall.fabric) continue;
    const double price = model::fabric_capex_usd(*hall.fabric);
    const std::string& site = cfg.sites[hall.site].name;
    r.capex_usd += price;
    if (declining) {
      r.residual_value_usd += finance::add_depreciation(r.ledger, calendar, finance::DepreciationMethod::declining_balance,
                                                        0, end, price, fin.network_life_years, site, "shared", "network",
                                                        hall.name);
      continue;
    }
    finance::add_straight_line_depreciation(r.ledger, calendar, 0, end, price, fin.network_life_years, site, "shared",
                                            "network", hall.name);
    r.residual_value_usd += price * std::max(0.0, 1.0 - engine::to_seconds(end) / (fin.network_life_years * 365.0 * 86400.0));
  }
  // Facility work of planned expansions: paid at delivery, depreciated from online.
  for (const scenario::ExpansionSpec& x : r.scenario.expansions) {
    const double price = x.capex_usd.value_or(0.0);
    if (price <= 0) continue;
    const auto at = [&](std::int64_t unix_s) {
      return std::min(end, engine::from_seconds(static_cast<double>(unix_s - cfg.start_unix_s)));
    };
    const engine::SimTime delivered = std::max<engine::SimTime>(0, at(x.delivery_unix_s()));
    expansion_capex[calendar.month_of(delivered)] += price;
    if (delivered == 0) expansion_capex_at_start_usd += price;
    const engine::SimTime from = at(x.online_unix_s);
    const double facility_life_years = fin.facility_life_years;
    if (declining) {
      r.residual_value_usd += finance::add_depreciation(r.ledger, calendar, finance::DepreciationMethod::declining_balance,
                                                        from, end, price, facility_life_years, x.site, "shared",
                                                        "facility:" + x.name, x.hall);
      continue;
    }
    finance::add_straight_line_depreciation(r.ledger, calendar, from, end, price, facility_life_years, x.site, "shared",
                                            "facility:" + x.name, x.hall);
    r.residual_value_usd += price * std::max(0.0, 1.0 - engine::to_seconds(end - from) / (facility_life_years * 365.0 * 86400.0));
  }
  for (const auto& [month, usd] : expansion_capex) r.expansion_capex_usd += usd;
  for (const scenario::SiteSpec& site : r.scenario.sites) {
    for (const scenario::HallSpec& hall : site.halls) {
      if (!hall.colocation) continue;
      finance::add_monthly_charge(r.ledger, calendar, 0, end,
                                  hall.colocation->usd_per_kw_month * hall.colocation->contracted_w / 1000.0,
                                  "colocation", site.name, "shared", "", hall.name);
    }
  }
  finance::add_monthly_charge(r.ledger, calendar, 0, end, fin.staff_usd_per_month, "staff", "", "shared");
  // Software licences per installed GPU from each rack group's online date; network transit.
  if (fin.software_usd_per_gpu_month > 0) {
    for (const model::RackGroupConfig& group : cfg.rack_groups) {
      const model::ServerType& type = cfg.server_types[group.server_type];
      const model::HallConfig& hall = cfg.halls[group.hall];
      const double gpus = static_cast<double>(group.racks) * group.servers_per_rack * type.gpus;
      finance::add_monthly_charge(r.ledger, calendar, std::min(group.online, end), end,
                                  gpus * fin.software_usd_per_gpu_month, "software", cfg.sites[hall.site].name, "shared",
                                  type.name, hall.name);
    }
  }
  finance::add_monthly_charge(r.ledger, calendar, 0, end, fin.transit_usd_per_month, "transit", "", "shared");
  // Contracts' committed GPU-hours beyond the installed fleet: rented from the cloud with
  // finance.cloud_burst (subcategory contract), else owed the contract's penalty.
  const ContractShortfall shortfall = contract_shortfall(r, cfg, calendar);
  std::map<engine::YearMonth, double> shortfall_h, burst_h;
  for (std::size_t i = 0; i < shortfall.size(); ++i) {
    const scenario::ContractSpec& c = fin.contracts[i];
    for (const auto& [month, hours] : shortfall[i]) {
      shortfall_h[month] += hours;
      r.contract_shortfall_gpu_hours += hours;
      if (fin.cloud_burst) {
        burst_h[month] += hours;
        r.cloud_burst_gpu_hours += hours;
        r.ledger.add(month, "cloud", "", c.tenant, hours * fin.cloud_burst->usd_per_gpu_hour, "contract");
      } else if (c.penalty_usd_per_gpu_hour > 0) {
        r.ledger.add(month, "penalty", "", c.tenant, hours * c.penalty_usd_per_gpu_hour, c.gpu);
      }
    }
  }
  // Jobs sent to a rented cloud: GPUs x duration at its price, in the month they left.
  if (fin.cloud_burst) {
    for (const model::WorkloadMonthUse& u : r.model.workload_cloud_months) {
      r.cloud_burst_gpu_hours += u.gpu_hours();
      burst_h[u.month] += u.gpu_hours();
      r.ledger.add(u.month, "cloud", "", cfg.workloads[u.workload].tenant, u.gpu_hours() * fin.cloud_burst->usd_per_gpu_hour);
    }
  }
  if (fin.escalates()) {
    finance::escalate(r.ledger, calendar.month_of(0).year,
                      {{"energy", fin.escalation_electricity.value_or(fin.inflation)},
                       {"staff", fin.escalation_staff.value_or(fin.inflation)},
                       {"maintenance", fin.escalation_maintenance.value_or(fin.inflation)},
                       {"colocation", fin.escalation_colocation.value_or(fin.inflation)},
                       {"software", fin.inflation},
                       {"lease", fin.inflation},
                       {"transit", fin.inflation}});
  }
  r.monthly_costs = finance::monthly_pivot(r.ledger);
  r.total_cost_cents = finance::total_cents(r.monthly_costs);
  for (const finance::MonthlyCost& c : r.monthly_costs) {
    if (c.category == "cloud") r.cloud_cost_cents += c.cents;
  }

  // Revenue: GPU-hours each tenant held, at the price per GPU-hour; by GPU type and contract
  // when finance has prices, contracts or a price decline.
  const std::vector<bool> per_token = token_priced_workloads(r, cfg);
  for (const model::WorkloadMonthUse& u : r.model.workload_months) {
    r.gpu_hours_allocated += u.gpu_hours();
    if (fin.usd_per_gpu_hour > 0 && !fin.detailed_revenue() && !per_token[u.workload]) {
      r.revenue_ledger.add(u.month, "gpu_hours", "", cfg.workloads[u.workload].tenant, u.gpu_hours() * fin.usd_per_gpu_hour);
    }
  }
  std::map<engine::YearMonth, double> lost_usd;  // by month: unmet demand and unserved contract hours
  if (fin.detailed_revenue()) book_revenue_by_gpu_type(r, cfg, calendar, shortfall, lost_usd);
  // The cloud's GPU-hours sell as usual: at price (on demand, subcategory cloud, when detailed).
  for (const model::WorkloadMonthUse& u : r.model.workload_cloud_months) {
    const std::string& tenant = cfg.workloads[u.workload].tenant;
    if (!fin.detailed_revenue()) {
      if (fin.usd_per_gpu_hour > 0) r.revenue_ledger.add(u.month, "gpu_hours", "", tenant, u.gpu_hours() * fin.usd_per_gpu_hour);
      continue;
    }
    const double declined = finance::escalation_factor(-fin.price_decline_per_year, calendar.month_of(0).year, u.month);
    r.revenue_ledger.add(u.month, "on_demand", "", tenant, u.gpu_hours() * fin.usd_per_gpu_hour * declined, "cloud");
  }
  if (fin.unmet_max_wait_s) r.unmet_gpu_hours = static_cast<double>(r.model.unmet_gpu_us) / 3.6e9;
  // Unmet demand would have sold at the price in effect in its month: finance.price stepped down
  // by price_decline_per_year each 1 January, as on-demand revenue is.
  std::map<engine::YearMonth, double> unmet_h;
  for (const model::WorkloadMonthUse& u : r.model.workload_unmet_months) {
    unmet_h[u.month] += u.gpu_hours();
    const double usd = u.gpu_hours() * fin.usd_per_gpu_hour *
                       finance::escalation_factor(-fin.price_decline_per_year, calendar.month_of(0).year, u.month);
    lost_usd[u.month] += usd;
    r.lost_revenue_usd += usd;
  }
  // GPUs count from their online date.
  const bool planned = std::any_of(cfg.rack_groups.begin(), cfg.rack_groups.end(),
                                   [](const model::RackGroupConfig& g) { return g.online > 0; });
  r.gpu_hours_available = planned ? static_cast<double>(r.model.installed_gpu_us) / 3.6e9
                                  : static_cast<double>(r.model.gpus_total - r.model.spare_gpus) * engine::to_hours(end);
  book_service_tokens(r, cfg, calendar);
  r.monthly_revenue = finance::monthly_pivot(r.revenue_ledger);
  r.total_revenue_cents = finance::total_cents(r.monthly_revenue);

  book_carbon(r, calendar);

  // Monthly P&L over every month of the run, from the rounded cells.
  std::map<engine::YearMonth, PnlMonth> months;
  for (engine::SimTime t = 0; t < end; t = calendar.start_of_next_month(t)) months[calendar.month_of(t)].month = calendar.month_of(t);
  for (const finance::MonthlyCost& c : r.monthly_costs) {
    PnlMonth& m = months[c.month];
    m.month = c.month;
    (c.category == "depreciation" ? m.depreciation_cents : m.opex_cents) += c.cents;
  }
  for (const finance::MonthlyCost& c : r.monthly_revenue) months[c.month].revenue_cents += c.cents;
  for (const finance::MonthlyCost& c : r.monthly_costs) {
    if (c.category == "cloud") months[c.month].cloud_burst_cents += c.cents;
  }
  const auto memo = [&](const std::map<engine::YearMonth, double>& by_month, double PnlMonth::*field) {
    for (const auto& [month, v] : by_month) months[month].*field += v;
  };
  memo(unmet_h, &PnlMonth::unmet_gpu_hours);
  memo(burst_h, &PnlMonth::cloud_burst_gpu_hours);
  memo(shortfall_h, &PnlMonth::contract_shortfall_gpu_hours);
  for (const auto& [month, usd] : lost_usd) months[month].revenue_lost_cents += finance::round_to_cents(usd);
  for (auto& [month, m] : months) {
    m.month = month;
    r.lost_revenue_cents += m.revenue_lost_cents;
    r.pnl.push_back(m);
  }
  if (!r.pnl.empty()) r.pnl.front().capex_cents = finance::round_to_cents(r.capex_usd);
  for (PnlMonth& m : r.pnl) {
    const auto it = expansion_capex.find(m.month);
    if (it != expansion_capex.end()) m.capex_cents += finance::round_to_cents(it->second);
  }

  // Income tax by fiscal year on the profit before tax (EBIT), in the fiscal year's last month.
  if (fin.tax_rate > 0) {
    std::vector<engine::YearMonth> pnl_months;
    std::vector<std::int64_t> profit;
    for (const PnlMonth& m : r.pnl) {
      pnl_months.push_back(m.month);
      profit.push_back(m.ebit_cents());
    }
    const std::vector<std::int64_t> tax =
        finance::fiscal_year_tax_cents(pnl_months, profit, fin.tax_rate, fin.fiscal_year_start_month);
    for (std::size_t i = 0; i < r.pnl.size(); ++i) r.pnl[i].tax_cents = tax[i];
  }

  // NPV, IRR and payback: capex at the start, EBITDA less income tax at each month's end, the
  // residual value of the servers at the last month's end.
  std::vector<double> monthly;
  // Expansions' capex is a cash flow at the end of its month of delivery.
  for (const PnlMonth& m : r.pnl) {
    const auto it = expansion_capex.find(m.month);
    monthly.push_back(static_cast<double>(m.ebitda_cents() - m.tax_cents) / 100.0 -
                      (it == expansion_capex.end() ? 0.0 : it->second));
  }
  if (!monthly.empty()) monthly.back() += r.residual_value_usd;
  // An expansion delivered at the start is paid then, with the initial fleet, not a month later.
  if (!monthly.empty()) monthly.front() += expansion_capex_at_start_usd;
  const double outlay_at_start_usd = r.capex_usd + (monthly.empty() ? 0.0 : expansion_capex_at_start_usd);
  r.npv_usd = finance::npv(fin.discount_rate, -outlay_at_start_usd, monthly);
  const finance::IrrResult irr = finance::irr(-outlay_at_start_usd, monthly);
  r.irr = irr.annual_rate;
  r.irr_note = irr.why_none;
  r.payback_month = finance::payback_month(-outlay_at_start_usd, monthly);
  book_training_runs(r, cfg);
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

  for (std::size_t h = 0; h < cfg.halls.size(); ++h) {
    if (!cfg.halls[h].fabric) continue;
    r.hall_bisection_gbps.resize(cfg.halls.size(), 0.0);
    // Max-flow only: describe() would also search the diameter, which the run does not report.
    r.hall_bisection_gbps[h] = model::bisection_gbps(*cfg.halls[h].fabric, {});
  }

  const auto t0 = std::chrono::steady_clock::now();
  r.model = model::simulate(cfg, request.progress);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  r.simulated_hours = engine::to_hours(r.model.end_time);
  r.it_energy_mwh = mw_us_to_mwh(r.model.it_energy_mw_us);
  for (const model::SiteMonthEnergy& e : r.model.site_months) {
    r.facility_energy_mwh += e.facility_kwh / 1000.0;
  }
  const bool planned = std::any_of(cfg.rack_groups.begin(), cfg.rack_groups.end(),
                                   [](const model::RackGroupConfig& g) { return g.online > 0; });
  if (planned && r.model.installed_gpu_us > 0) {
    // Only installed GPUs count in the denominator.
    r.gpu_utilization = static_cast<double>(r.model.busy_gpu_us) / static_cast<double>(r.model.installed_gpu_us);
  } else if (r.model.end_time > 0 && r.model.gpus_total > r.model.spare_gpus) {
    // Hot spares are installed but not available: not in the denominator.
    r.gpu_utilization = static_cast<double>(r.model.busy_gpu_us) /
                        (static_cast<double>(r.model.gpus_total - r.model.spare_gpus) * static_cast<double>(r.model.end_time));
  }
  book_costs(r, cfg);
  return r;
}

}  // namespace dcsim::run
