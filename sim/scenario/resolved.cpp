// The resolved view of a Scenario: every key written out with its default filled in, quantities in
// units that parse back to exactly the same doubles, so load(to_resolved_yaml(s)) == s.
#include <string>

#include "sim/engine/calendar.h"
#include "sim/scenario/keys.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/units.h"

namespace dcsim::scenario {
namespace {

using units::format_number;
using units::format_quantity;

bool plain_safe(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  static const char* const reserved[] = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const char* r : reserved)
    if (lower == r) return false;
  if (units::parse_number(s)) return false;  // keep text that looks like a number text
  const char first = s.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || (first >= '0' && first <= '9') ||
        first == '_' || first == '.' || first == '/'))
    return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
                    c == '_' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '+';
    if (!ok) return false;
  }
  return true;
}

// A YAML scalar that loads back as exactly `s`, also inside flow collections.
std::string text(const std::string& s) {
  if (plain_safe(s)) return s;
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char hex[] = "0123456789abcdef";
          out += "\\x";
          out += hex[(c >> 4) & 0xf];
          out += hex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string time(double s) { return format_quantity(s, units::Dimension::time); }
std::string power(double w) { return format_quantity(w, units::Dimension::power); }
std::string money(double usd) { return format_quantity(usd, units::Dimension::money); }

std::string measure(double v, Dimension d) { return d == Dimension::count ? format_number(v) : time(v); }

std::string distribution(const DistributionSpec& spec) {
  using K = engine::Distribution::Kind;
  const engine::Distribution& d = spec.dist;
  const Dimension dim = spec.dimension;
  switch (d.kind()) {
    case K::constant: return measure(d.a(), dim);
    case K::exponential: return "{exponential: {mean: " + measure(d.a(), dim) + "}}";
    case K::normal: return "{normal: {mean: " + measure(d.a(), dim) + ", sd: " + measure(d.b(), dim) + "}}";
    case K::lognormal: return "{lognormal: {median: " + measure(d.a(), dim) + ", sigma: " + format_number(d.b()) + "}}";
    case K::weibull: return "{weibull: {shape: " + format_number(d.a()) + ", scale: " + measure(d.b(), dim) + "}}";
    case K::gamma: return "{gamma: {shape: " + format_number(d.a()) + ", scale: " + measure(d.b(), dim) + "}}";
    case K::uniform: return "{uniform: {min: " + measure(d.a(), dim) + ", max: " + measure(d.b(), dim) + "}}";
    case K::discrete: {
      std::string out = "{discrete: {";
      for (std::size_t i = 0; i < d.values().size(); ++i) {
        if (i > 0) out += ", ";
        const double p = i < d.probabilities().size() ? d.probabilities()[i] : 0.0;
        out += measure(d.values()[i], dim) + ": " + format_number(p);
      }
      return out + "}}";
    }
    case K::empirical: {
      std::string out = "{empirical: {file: " + text(spec.empirical_file) + ", column: " + text(spec.empirical_column);
      if (!spec.empirical_unit.empty()) out += ", unit: " + text(spec.empirical_unit);
      return out + "}}";
    }
  }
  return "0";
}

std::string start_text(std::int64_t unix_s) {
  std::int64_t days = unix_s / 86400;
  std::int64_t rest = unix_s % 86400;
  if (rest < 0) rest += 86400, --days;
  const engine::CivilDate date = engine::civil_from_days(days);
  std::string out = engine::Calendar::date_label(date);
  if (rest != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
                  static_cast<int>(rest % 60));
    out += buf;
  }
  return out;
}

// Server fields after "gpu"; `indent` starts the continuation lines.
void server_fields(std::string& out, const ServerTypeSpec& s, const std::string& indent) {
  out += indent + "gpu: " + text(s.gpu) + "\n";
  out += indent + "gpus: " + std::to_string(s.gpus) + "\n";
  if (s.overhead_w) out += indent + "overhead_power: " + power(*s.overhead_w) + "\n";
  if (s.price_usd) out += indent + "price: " + money(*s.price_usd) + "\n";
  if (s.useful_life_years) out += indent + "useful_life: " + format_number(*s.useful_life_years) + " y\n";
}

// Rack groups as list items; `indent` is that of the "- ".
void rack_groups(std::string& out, const std::vector<RackGroupSpec>& racks, const std::string& indent) {
  const std::string in = indent + "  ";
  for (const RackGroupSpec& r : racks) {
    out += indent + "- count: " + std::to_string(r.count) + "\n";
    if (r.inline_server) {
      out += in + "server:\n";
      server_fields(out, *r.inline_server, in + "  ");
    } else {
      out += in + "server: " + text(r.server) + "\n";
    }
    out += in + "servers_per_rack: " + std::to_string(r.servers_per_rack) + "\n";
    if (r.power_limit_w) out += in + "power_limit: " + power(*r.power_limit_w) + "\n";
    out += in + "plan_to: " + format_number(r.plan_to) + "\n";
    if (!r.cooling.empty()) out += in + "cooling: " + r.cooling + "\n";
    if (r.lease_usd_per_server_month) out += in + "lease: {per_server_month: " + money(*r.lease_usd_per_server_month) + "}\n";
    if (r.installed_unix_s) out += in + "installed: " + start_text(*r.installed_unix_s) + "\n";  // a hall's or age_months, resolved
  }
}

// A workload's warm start (initial:), under a workload item.
void initial_jobs(std::string& out, const InitialSpec& in) {
  out += "    initial:\n";
  out += std::string("      steady_state: ") + (in.steady_state ? "yes" : "no") + "\n";
  if (in.lookback_s) out += "      lookback: " + time(*in.lookback_s) + "\n";
  for (const bool running : {true, false}) {
    bool first = true;
    for (const InitialJobSpec& j : in.jobs) {
      if (j.running != running) continue;
      if (first) out += running ? "      running:\n" : "      queued:\n";
      first = false;
      out += "        - {gpus: " + std::to_string(j.gpus) + ", waited: " + time(j.waited_s);
      if (running) out += ", elapsed: " + time(j.elapsed_s) + ", remaining: " + time(j.remaining_s);
      else out += ", duration: " + time(j.remaining_s);
      if (j.time_limit_s) out += ", time_limit: " + time(*j.time_limit_s);
      out += "}\n";
    }
  }
}

}  // namespace

std::string to_resolved_yaml(const Scenario& sc) {
  std::string out;
  out += "name: " + text(sc.name) + "\n";
  out += "description: " + text(sc.description) + "\n";
  out += "start: " + start_text(sc.start_unix_s) + "\n";
  out += "horizon: " + time(sc.horizon_s) + "\n";
  out += "warmup: " + time(sc.warmup_s) + "\n";
  out += "seed: " + std::to_string(sc.seed) + "\n";
  if (!sc.uncertain.empty()) {  // the values above are those applied to this run
    out += "uncertain:\n";
    for (const UncertainInput& u : sc.uncertain) out += "  " + text(u.path) + ": " + distribution(u.spec) + "\n";
  }
  if (sc.stop_jobs_completed) out += "stop: {jobs_completed: " + std::to_string(*sc.stop_jobs_completed) + "}\n";

  if (sc.catalog.gpus.empty() && sc.catalog.servers.empty()) {
    out += "catalog: {gpus: [], servers: []}\n";
  } else {
    out += "catalog:\n";
    out += sc.catalog.gpus.empty() ? "  gpus: []\n" : "  gpus:\n";
    for (const GpuTypeSpec& g : sc.catalog.gpus) {
      out += "    - name: " + text(g.name) + "\n";
      out += "      idle_power: " + power(g.idle_w) + "\n";
      out += "      tdp: " + power(g.tdp_w) + "\n";
      out += "      bf16_tflops: " + format_number(g.bf16_tflops) + "\n";
      out += "      memory: " + format_quantity(g.memory_gb, units::Dimension::memory) + "\n";
      out += "      price: " + money(g.price_usd) + "\n";
    }
    out += sc.catalog.servers.empty() ? "  servers: []\n" : "  servers:\n";
    for (const ServerTypeSpec& s : sc.catalog.servers) {
      out += "    - name: " + text(s.name) + "\n";
      server_fields(out, s, "      ");
    }
  }

  out += "sites:\n";
  for (const SiteSpec& site : sc.sites) {
    out += "  - name: " + text(site.name) + "\n";
    out += "    pue: " + format_number(site.pue) + "\n";
    if (site.tariff_periods.empty() && site.tariff_utc_offset_h == 0 && site.demand_charge_usd_per_kw_month == 0) {
      out += "    electricity: {price: " + format_quantity(site.electricity_usd_per_kwh, units::Dimension::energy_price) +
             "}\n";
    } else {
      out += "    electricity:\n      price: " +
             format_quantity(site.electricity_usd_per_kwh, units::Dimension::energy_price) + "\n";
      out += "      utc_offset_h: " + format_number(site.tariff_utc_offset_h) + "\n";
      out += "      demand_charge: " +
             format_quantity(site.demand_charge_usd_per_kw_month, units::Dimension::capacity_price) + "\n";
      if (!site.tariff_periods.empty()) out += "      periods:\n";
      for (const TariffPeriodSpec& p : site.tariff_periods) {
        out += "        - {name: " + text(p.name) + ", hours: " + std::to_string(p.from_hour) + "-" +
               std::to_string(p.to_hour) + ", days: " + p.days +
               ", price: " + format_quantity(p.usd_per_kwh, units::Dimension::energy_price) + "}\n";
      }
    }
    if (site.utility_feed_w) out += "    utility_feed: " + power(*site.utility_feed_w) + "\n";
    if (site.backup_generation_w) out += "    backup_generation: " + power(*site.backup_generation_w) + "\n";
    if (!site.carbon_profile_file.empty()) {
      out += "    carbon_profile: " + text(site.carbon_profile_file) + "\n";
    } else {
      out += "    carbon_g_per_kwh: " + format_number(site.carbon_g_per_kwh) + "\n";
    }
    if (site.climate) {
      if (!site.climate->epw_file.empty()) {
        out += "    climate: {epw: " + text(site.climate->epw_file) + "}\n";
      } else {
        out += "    climate: {preset: " + site.climate->preset + ", utc_offset_h: " + format_number(site.climate->utc_offset_h) + "}\n";
      }
    }
    out += "    halls:\n";
    for (const HallSpec& hall : site.halls) {
      out += "      - name: " + text(hall.name) + "\n";
      if (hall.power_capacity_w) {
        out += "        power_capacity: " + power(*hall.power_capacity_w) + "\n";
        out += "        ups_redundancy: " + hall.ups_redundancy + "\n";
        out += "        ups_units: " + std::to_string(hall.ups_units) + "\n";
      }
      if (hall.hot_spares > 0) out += "        hot_spares: " + std::to_string(hall.hot_spares) + "\n";
      if (!hall.hot_spares_by_type.empty()) {
        out += "        hot_spares: {";
        for (std::size_t i = 0; i < hall.hot_spares_by_type.size(); ++i) {
          out += (i ? ", " : "") + text(hall.hot_spares_by_type[i].first) + ": " +
                 std::to_string(hall.hot_spares_by_type[i].second);
        }
        out += "}\n";
      }
      if (hall.colocation) {
        out += "        colocation: {price: " +
               format_quantity(hall.colocation->usd_per_kw_month, units::Dimension::capacity_price) +
               ", contracted: " + power(hall.colocation->contracted_w) + "}\n";
      }
      if (hall.cooling) {
        out += "        cooling: {type: " + hall.cooling->type;
        if (hall.cooling->capacity_w) out += ", capacity: " + power(*hall.cooling->capacity_w);
        out += ", redundancy: " + hall.cooling->redundancy + ", units: " + std::to_string(hall.cooling->units) + "}\n";
      }
      if (hall.fabric) {
        const FabricSpec& f = *hall.fabric;
        out += "        fabric:\n";
        out += "          topology: " + f.topology + "\n";
        out += "          radix: " + std::to_string(f.radix) + "\n";
        out += "          tiers: " + std::to_string(f.tiers) + "\n";
        out += "          oversubscription: '" + format_number(f.oversubscription) + ":1'\n";
        out += "          link_bandwidth: " + format_quantity(f.link_gbps, units::Dimension::bandwidth) + "\n";
        out += "          link_latency: " + format_quantity(f.link_latency_ns, units::Dimension::latency) + "\n";
        out += "          switch_price: " + format_quantity(f.switch_price_usd, units::Dimension::money) + "\n";
        out += "          optic_price: " + format_quantity(f.optic_price_usd, units::Dimension::money) + "\n";
        out += "          cable_price: " + format_quantity(f.cable_price_usd, units::Dimension::money) + "\n";
        out += "          placement: " + f.placement + "\n";
      }
      out += "        racks:\n";
      rack_groups(out, hall.racks, "          ");
    }
  }

  out += "workloads:\n";
  for (const WorkloadSpec& w : sc.workloads) {
    out += "  - name: " + text(w.name) + "\n";
    out += std::string("    kind: ") + (w.kind == WorkloadKind::inference ? "inference" : "training") + "\n";
    out += "    tenant: " + text(w.tenant) + "\n";
    // A service's priority prints even at 0: without it a service ranks above every priority.
    if (w.priority != 0 || (w.kind == WorkloadKind::inference && w.service.priority))
      out += "    priority: " + std::to_string(w.priority) + "\n";
    if (w.preemptible) out += "    preemptible: yes\n";
    if (!w.gpu_type.empty()) out += "    gpu_type: " + text(w.gpu_type) + "\n";
    if (w.gpu_power_fraction != 1.0) out += "    gpu_power_fraction: " + format_number(w.gpu_power_fraction) + "\n";
    if (w.kind == WorkloadKind::inference) {
      const ServiceSpec& v = w.service;
      out += "    service:\n";
      out += "      gpus_per_replica: " + std::to_string(v.gpus_per_replica) + "\n";
      out += "      throughput: " + format_quantity(v.replica_rps, units::Dimension::rate) + "\n";
      out += "      latency_objective: " + format_quantity(v.latency_objective_ns, units::Dimension::latency) + "\n";
      out += "      slo_target: " + format_number(v.slo_target) + "\n";
      out += "      base_rate: " + format_quantity(v.base_rps, units::Dimension::rate) + "\n";
      out += "      daily_amplitude: " + format_number(v.daily_amplitude) + "\n";
      out += "      weekly_amplitude: " + format_number(v.weekly_amplitude) + "\n";
      out += "      peak_hour: " + format_number(v.peak_hour) + "\n";
      out += "      growth_per_year: " + format_number(v.growth_per_year) + "\n";
      out += "      noise: " + format_number(v.noise) + "\n";
      out += "      autoscaler: {target_utilization: " + format_number(v.target_utilization) +
             ", scale_up_delay: " + format_quantity(v.scale_up_delay_s, units::Dimension::time) +
             ", cold_start: " + format_quantity(v.cold_start_s, units::Dimension::time) +
             ", min_replicas: " + std::to_string(v.min_replicas) + ", max_replicas: " + std::to_string(v.max_replicas) +
             ", interval: " + format_quantity(v.interval_s, units::Dimension::time) + "}\n";
      continue;
    }
    if (w.checkpoint_interval_s > 0) {
      out += "    checkpoint: {interval: " + format_quantity(w.checkpoint_interval_s, units::Dimension::time) +
             ", restart: " + format_quantity(w.restart_s, units::Dimension::time) + "}\n";
    }
    if (w.comm_gradient_gb > 0) {
      out += "    communication: {gradient_size: " + format_quantity(w.comm_gradient_gb, units::Dimension::memory) +
             ", step_time: " + format_quantity(w.comm_step_s, units::Dimension::time) + "}\n";
    }
    if (w.process == ArrivalProcess::trace) {
      out += "    arrivals: {process: trace, file: " + text(w.trace.file) + ", format: " + w.trace.format +
             (w.trace.task_table.empty() ? "" : ", task_table: " + text(w.trace.task_table)) +
             ", skip_bad_rows: " + (w.trace.skip_bad_rows ? "yes" : "no") + "}\n";
    } else {
      out += "    arrivals: {process: poisson, rate: " + format_quantity(w.rate_per_s, units::Dimension::rate) +
             (w.follows_market ? ", follows: market" : "") + "}\n";
      out += "    gpus: " + distribution(w.gpus) + "\n";
      out += "    duration: " + distribution(w.duration) + "\n";
    }
    if (w.duration_on_h100) out += "    duration_basis: h100\n";  // the default is left out, as before the key
    switch (w.time_limit.mode) {
      case TimeLimitSpec::Mode::exact: out += "    time_limit: " + std::string(keys::time_limit_exact) + "\n"; break;
      case TimeLimitSpec::Mode::factor:
        out += "    time_limit: {factor: " + format_number(w.time_limit.factor) + "}\n";
        break;
      case TimeLimitSpec::Mode::distribution:
        out += "    time_limit: " + (w.time_limit.distribution ? distribution(*w.time_limit.distribution) : "exact") + "\n";
        break;
    }
    if (w.initial) initial_jobs(out, *w.initial);
  }
  out += "scheduler: {policy: " + to_string(sc.scheduler) +
         (sc.scheduler_restart_cost_s > 0 ? ", restart_cost: " + format_quantity(sc.scheduler_restart_cost_s, units::Dimension::time)
                                          : std::string()) +
         (sc.scheduler_reclaim ? ", reclaim: yes" : "") + (sc.scheduler_inference_preempts ? ", inference_preempts: yes" : "") +
         "}\n";
  if (!sc.tenants.empty()) {
    out += "tenants:\n";
    for (const TenantSpec& t : sc.tenants) {
      out += "  - {name: " + text(t.name) + ", guaranteed_gpus: " + std::to_string(t.guaranteed_gpus) +
             ", borrow: " + (t.borrow ? "yes" : "no") +
             (t.max_gpus ? ", max_gpus: " + std::to_string(*t.max_gpus) : std::string()) + "}\n";
    }
  }
  out += std::string("power: {policy: ") + (sc.power.policy == PowerSpec::Policy::admission ? "admission" : "cap") +
         ", throughput_exponent: " + format_number(sc.power.throughput_exponent) +
         (sc.power.cap_order == PowerSpec::CapOrder::priority ? ", cap_order: priority" : "") + "}\n";
  if (!sc.failures.empty()) {
    out += "failures:\n";
    for (const FailureSpec& f : sc.failures) {
      out += "  - name: " + text(f.name) + "\n";
      out += std::string("    per: ") +
             (f.facility_unit == 1   ? "ups"
              : f.facility_unit == 2 ? "cooling_unit"
              : f.switch_tier == 1   ? "leaf_switch"
              : f.switch_tier == 2   ? "spine_switch"
              : f.per_link           ? "link"
              : f.per_gpu            ? "gpu"
                                     : "server") +
             "\n";
      out += "    time_between: " + distribution(f.time_between) + "\n";
      out += "    repair: " + distribution(f.repair) + "\n";
    }
  }
  out += "finance:\n";
  out += "  price: " + format_quantity(sc.finance.usd_per_gpu_hour, units::Dimension::gpu_hour_price) + "\n";
  if (!sc.finance.prices.empty()) {
    out += "  prices:\n";
    for (const GpuPriceSpec& p : sc.finance.prices) {
      out += "    - {gpu: " + text(p.gpu) +
             ", on_demand: " + format_quantity(p.on_demand_usd_per_gpu_hour, units::Dimension::gpu_hour_price) +
             ", reserved: " + format_quantity(p.reserved_usd_per_gpu_hour, units::Dimension::gpu_hour_price) + "}\n";
    }
  }
  if (!sc.finance.contracts.empty()) {
    out += "  contracts:\n";
    for (const ContractSpec& c : sc.finance.contracts) {
      out += "    - {tenant: " + text(c.tenant) + ", gpu: " + text(c.gpu) + ", gpus: " + std::to_string(c.gpus) +
             ", start: " + text(start_text(c.start_unix_s)) + ", term: " + time(c.term_s) +
             (c.penalty_usd_per_gpu_hour > 0
                  ? ", penalty: " + format_quantity(c.penalty_usd_per_gpu_hour, units::Dimension::gpu_hour_price)
                  : std::string()) +
             "}\n";
    }
  }
  if (sc.finance.price_decline_per_year != 0) {
    out += "  price_decline_per_year: " + format_number(sc.finance.price_decline_per_year) + "\n";
  }
  if (sc.finance.unmet_max_wait_s) out += "  unmet: {max_wait: " + time(*sc.finance.unmet_max_wait_s) + "}\n";
  if (sc.finance.cloud_burst) {
    out += "  cloud_burst: {price: " +
           format_quantity(sc.finance.cloud_burst->usd_per_gpu_hour, units::Dimension::gpu_hour_price) +
           ", after_wait: " + time(sc.finance.cloud_burst->after_wait_s) + "}\n";
  }
  out += "  maintenance_per_year: " + format_number(sc.finance.maintenance_per_year) + "\n";
  out += "  staff_per_month: " + format_quantity(sc.finance.staff_usd_per_month, units::Dimension::money) + "\n";
  out += "  discount_rate: " + format_number(sc.finance.discount_rate) + "\n";
  if (sc.finance.software_usd_per_gpu_month != 0) {
    out += "  software_per_gpu_month: " + format_quantity(sc.finance.software_usd_per_gpu_month, units::Dimension::money) + "\n";
  }
  if (sc.finance.transit_usd_per_month != 0) {
    out += "  transit_per_month: " + format_quantity(sc.finance.transit_usd_per_month, units::Dimension::money) + "\n";
  }
  if (sc.finance.tax_rate != 0) out += "  tax_rate: " + format_number(sc.finance.tax_rate) + "\n";
  if (sc.finance.fiscal_year_start_month != 1) {
    out += "  fiscal_year_start: " + std::to_string(sc.finance.fiscal_year_start_month) + "\n";
  }
  if (sc.finance.depreciation_method != "straight-line" || sc.finance.servers_life_years ||
      sc.finance.facility_life_years != 20.0 || sc.finance.network_life_years != 5.0) {
    out += "  depreciation:\n    method: " + sc.finance.depreciation_method + "\n";
    if (sc.finance.servers_life_years) out += "    servers: " + format_number(*sc.finance.servers_life_years) + " y\n";
    out += "    facility: " + format_number(sc.finance.facility_life_years) + " y\n";
    // Printed only when not the default, so resolved files of scenarios without it stay as they were.
    if (sc.finance.network_life_years != 5.0) {
      out += "    network: " + format_number(sc.finance.network_life_years) + " y\n";
    }
  }
  if (sc.finance.escalates()) {
    const FinanceSpec& f = sc.finance;
    out += "  inflation: " + format_number(f.inflation) + "\n";
    out += "  escalation: {electricity: " + format_number(f.escalation_electricity.value_or(f.inflation)) +
           ", staff: " + format_number(f.escalation_staff.value_or(f.inflation)) +
           ", maintenance: " + format_number(f.escalation_maintenance.value_or(f.inflation)) +
           ", colocation: " + format_number(f.escalation_colocation.value_or(f.inflation)) + "}\n";
  }
  if (sc.market) {
    const MarketInputSpec& m = *sc.market;
    out += "market:\n";
    out += "  case: " + m.scenario_case + "\n";
    if (!m.anchors.empty()) {
      out += "  anchors:\n";
      for (const auto& [year, usd] : m.anchors) out += "    - {year: " + std::to_string(year) + ", usd_bn: " + format_number(usd) + "}\n";
    }
    out += "  low_growth_offset: " + format_number(m.low_growth_offset) + "\n";
    out += "  high_growth_offset: " + format_number(m.high_growth_offset) + "\n";
    out += "  demand: {dimension: " + text(m.demand_dimension) + ", segment: " + text(m.demand_segment) +
           ", market_share: " + format_number(m.market_share) +
           ", price: " + format_quantity(m.usd_per_gpu_hour, units::Dimension::gpu_hour_price) +
           ", price_decline_per_year: " + format_number(m.price_decline_per_year) + "}\n";
  }
  if (!sc.expansions.empty()) {
    out += "expansions:\n";
    for (const ExpansionSpec& x : sc.expansions) {
      out += "  - name: " + text(x.name) + "\n";
      out += "    site: " + text(x.site) + "\n";
      if (!x.hall.empty()) out += "    hall: " + text(x.hall) + "\n";
      out += "    online: " + start_text(x.online_unix_s) + "\n";
      out += "    procurement_lead_time: " + time(x.procurement_lead_s) + "\n";
      out += "    build_lead_time: " + time(x.build_lead_s) + "\n";
      if (x.power_capacity_w) out += "    power_capacity: " + power(*x.power_capacity_w) + "\n";
      if (x.utility_feed_w) out += "    utility_feed: " + power(*x.utility_feed_w) + "\n";
      if (x.capex_usd) out += "    capex: " + money(*x.capex_usd) + "\n";
      if (!x.racks.empty()) {
        out += "    racks:\n";
        rack_groups(out, x.racks, "      ");
      }
    }
  }
  if (sc.limits) {  // only when the scenario raised (or restated) its bounds
    out += "limits: {max_gpus: " + std::to_string(sc.limits->gpus()) + ", max_servers: " +
           std::to_string(sc.limits->servers()) + ", max_hours: " + std::to_string(sc.limits->hours()) + "}\n";
  }
  return out;
}

}  // namespace dcsim::scenario
