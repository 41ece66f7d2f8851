// The builder: the one place that knows both the scenario format and the model.
#include "sim/run/build.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "sim/model/climate.h"
#include "sim/model/cooling.h"
#include "sim/model/warm_start.h"
#include "sim/traces/epw.h"
#include "sim/traces/trace.h"

namespace dcsim::run {

namespace {

using scenario::Diagnostic;
using scenario::SourcePos;

std::string format_kw(double watts) {
  std::ostringstream os;
  os << watts / 1000.0 << " kW";
  return os.str();
}

model::GpuType to_model(const scenario::GpuTypeSpec& g) {
  model::GpuType t;
  t.name = g.name;
  t.idle_w = g.idle_w;
  t.tdp_w = g.tdp_w;
  t.bf16_tflops = g.bf16_tflops;
  t.memory_gb = g.memory_gb;
  t.price_usd = g.price_usd;
  t.source = "scenario";
  return t;
}

scenario::GpuTypeSpec to_spec(const model::GpuType& g) {
  scenario::GpuTypeSpec s;
  s.name = g.name;
  s.idle_w = g.idle_w;
  s.tdp_w = g.tdp_w;
  s.bf16_tflops = g.bf16_tflops;
  s.memory_gb = g.memory_gb;
  s.price_usd = g.price_usd;
  return s;
}

scenario::ServerTypeSpec to_spec(const model::ServerType& t) {
  scenario::ServerTypeSpec s;
  s.name = t.name;
  s.gpu = t.gpu;
  s.gpus = t.gpus;
  s.overhead_w = t.overhead_w;
  s.price_usd = t.price_usd;
  s.useful_life_years = t.useful_life_years;
  return s;
}

class Builder {
 public:
  Builder(scenario::Scenario& sc, const model::Catalog& builtin) : sc_(sc), builtin_(builtin) {}

  BuildResult build() {
    model::ModelConfig cfg;
    cfg.start_unix_s = sc_.start_unix_s;
    cfg.horizon = engine::from_seconds(sc_.horizon_s);
    cfg.warmup = engine::from_seconds(sc_.warmup_s);
    cfg.seed = sc_.seed;
    cfg.stop_jobs_completed = sc_.stop_jobs_completed.value_or(0);
    cfg.policy = sc_.scheduler == scenario::SchedulerPolicy::fifo         ? model::SchedulingPolicy::fifo
                 : sc_.scheduler == scenario::SchedulerPolicy::priority   ? model::SchedulingPolicy::priority
                 : sc_.scheduler == scenario::SchedulerPolicy::fair_share ? model::SchedulingPolicy::fair_share
                                                                          : model::SchedulingPolicy::easy_backfill;
    cfg.preempt_restart_s = sc_.scheduler_restart_cost_s;
    cfg.reclaim_borrowed = sc_.scheduler_reclaim;
    cfg.inference_preempts = sc_.scheduler_inference_preempts;
    // Tenants: those listed (in file order), then the workloads' other tenants (guaranteed
    // nothing, borrowing freely) in order of first use.
    for (const scenario::TenantSpec& t : sc_.tenants) {
      cfg.tenants.push_back(model::TenantQuota{t.name, t.guaranteed_gpus,
                                               t.borrow ? t.max_gpus.value_or(INT64_MAX) : t.guaranteed_gpus});
    }
    for (const scenario::WorkloadSpec& w : sc_.workloads) {
      if (std::none_of(cfg.tenants.begin(), cfg.tenants.end(), [&](const model::TenantQuota& q) { return q.name == w.tenant; }))
        cfg.tenants.push_back(model::TenantQuota{w.tenant, 0, INT64_MAX});
    }
    cfg.power_policy = sc_.power.policy == scenario::PowerSpec::Policy::admission ? model::PowerPolicy::admission
                                                                                  : model::PowerPolicy::cap;
    cfg.throughput_exponent = sc_.power.throughput_exponent;
    cfg.cap_order = sc_.power.cap_order == scenario::PowerSpec::CapOrder::priority ? model::CapOrder::priority
                                                                                  : model::CapOrder::uniform;

    if (!check_run_size()) {
      BuildResult refused;
      refused.diagnostics = std::move(diagnostics_);
      return refused;
    }

    std::int64_t largest_pool_gpus = 0;
    for (scenario::SiteSpec& site : sc_.sites) {
      const auto site_index = static_cast<std::uint32_t>(cfg.sites.size());
      cfg.sites.push_back(
          model::SiteConfig{site.name, site.pue, site.electricity_usd_per_kwh, site.utility_feed_w.value_or(0.0), {}});
      // Time-of-use prices and demand charges are priced on 15-minute facility energy.
      if (!site.tariff_periods.empty() || site.demand_charge_usd_per_kw_month > 0) cfg.record_quarter_hours = true;
      for (scenario::HallSpec& hall : site.halls) {
        const auto hall_index = static_cast<std::uint32_t>(cfg.halls.size());
        // The usable UPS capacity follows from its redundancy.
        const double ups_w = hall.power_capacity_w.value_or(0.0) *
                             model::usable_fraction(*model::parse_redundancy(hall.ups_redundancy), hall.ups_units);
        cfg.halls.push_back(model::HallConfig{hall.name, site_index, ups_w, {}, nullptr, false,
                                              *model::parse_redundancy(hall.ups_redundancy), hall.ups_units});
        cfg.halls.back().hot_spares = hall.hot_spares;
        for (scenario::RackGroupSpec& group : hall.racks) add_rack_group(cfg, hall_index, hall, group, 0, 0);
        // Spares per server type: the loader checked each name against the hall's rack groups.
        for (const auto& [name, n] : hall.hot_spares_by_type) {
          for (std::uint32_t t = 0; t < cfg.server_types.size(); ++t) {
            if (cfg.server_types[t].name == name) cfg.halls[hall_index].hot_spares_by_type.emplace_back(t, n);
          }
        }
      }
    }
    build_expansions(cfg);
    for (std::int64_t g : pool_gpus_) largest_pool_gpus = std::max(largest_pool_gpus, g);
    build_cooling(cfg);
    build_fabrics(cfg);
    check_priced_gpus(cfg);
    if (sc_.finance.unmet_max_wait_s) cfg.unmet_max_wait = engine::from_seconds(*sc_.finance.unmet_max_wait_s);
    if (sc_.finance.cloud_burst) cfg.cloud_burst_after = engine::from_seconds(sc_.finance.cloud_burst->after_wait_s);

    for (const scenario::WorkloadSpec& w : sc_.workloads) {
      model::WorkloadConfig wc;
      wc.name = w.name;
      wc.tenant = w.tenant;
      wc.busy_power_fraction = w.gpu_power_fraction;
      wc.checkpoint_interval_s = w.checkpoint_interval_s;
      wc.comm_gradient_bytes = w.comm_gradient_gb * 1e9;
      wc.comm_step_s = w.comm_step_s;
      wc.restart_s = w.restart_s;
      wc.priority = w.priority;
      wc.preemptible = w.preemptible;
      wc.tenant_index = static_cast<std::uint32_t>(
          std::find_if(cfg.tenants.begin(), cfg.tenants.end(), [&](const model::TenantQuota& q) { return q.name == w.tenant; }) -
          cfg.tenants.begin());
      // A GPU type constraint narrows the pools, and the largest job or replica, to that type.
      std::int64_t largest_allowed = largest_pool_gpus;
      if (!w.gpu_type.empty()) {
        wc.gpu_type = fleet_gpu_type(cfg, w.gpu_type, w.gpu_type_pos);
        largest_allowed = 0;
        for (std::size_t k = 0; k < pool_keys_.size(); ++k) {
          if (static_cast<int>(cfg.server_gpu_type[pool_keys_[k].second]) == wc.gpu_type)
            largest_allowed = std::max(largest_allowed, pool_gpus_[k]);
        }
        if (wc.gpu_type < 0) largest_allowed = largest_pool_gpus;  // reported already
      }
      if (w.kind == scenario::WorkloadKind::inference) {
        // The workload entry books the service's GPU time and power; it has no arrivals.
        cfg.services.push_back(service_config(w, static_cast<std::uint32_t>(cfg.workloads.size()), largest_allowed));
        cfg.workloads.push_back(std::move(wc));
        continue;
      }
      wc.rate_per_s = w.rate_per_s;
      wc.gpus = w.gpus.dist;
      wc.duration_s = w.duration.dist;
      wc.duration_on_h100 = w.duration_on_h100;
      // Work in H100 GPU-hours needs a throughput for every GPU type its jobs may run on.
      for (std::size_t k = 0; w.duration_on_h100 && k < pool_keys_.size(); ++k) {
        const int type = static_cast<int>(cfg.server_gpu_type[pool_keys_[k].second]);
        const model::GpuType& g = cfg.gpu_types[static_cast<std::size_t>(type)];
        if ((wc.gpu_type < 0 || wc.gpu_type == type) && !(g.bf16_tflops > 0.0)) {
          diagnostics_.push_back(Diagnostic{w.duration_basis_pos, "S112",
                                            "'duration_basis: h100' scales work by BF16 throughput, but GPU type '" +
                                                g.name + "' that workload '" + w.name + "' may run on has no bf16_tflops",
                                            "give the GPU type its bf16_tflops in catalog.gpus, or set gpu_type"});
          break;
        }
      }
      switch (w.time_limit.mode) {
        case scenario::TimeLimitSpec::Mode::exact: wc.time_limit_mode = model::TimeLimitMode::exact; break;
        case scenario::TimeLimitSpec::Mode::factor:
          wc.time_limit_mode = model::TimeLimitMode::factor;
          wc.time_limit_factor = w.time_limit.factor;
          break;
        case scenario::TimeLimitSpec::Mode::distribution:
          wc.time_limit_mode = model::TimeLimitMode::distribution;
          wc.time_limit_s = w.time_limit.distribution->dist;
          break;
      }
      if (w.process == scenario::ArrivalProcess::trace) load_trace_arrivals(w, wc);
      const double largest_job = w.process == scenario::ArrivalProcess::trace ? largest_trace_job(wc)
                                                                              : std::round(w.gpus.dist.max_value());
      if (diagnostics_.empty() && std::isfinite(largest_job) && largest_job > static_cast<double>(largest_allowed)) {
        std::ostringstream msg;
        msg << "workload '" << w.name << "' asks for jobs of up to " << largest_job
            << " GPUs, but the largest hall has " << largest_allowed << " GPUs of one server type"
            << (w.gpu_type.empty() ? "" : " of GPU type " + w.gpu_type) << "; a job runs within one hall";
        diagnostics_.push_back(Diagnostic{w.gpus.pos, "S201", msg.str(),
                                          "add racks to a hall or lower the largest job size"});
      }
      if (w.initial) add_initial_jobs(*w.initial, w.name, largest_allowed, wc);
      cfg.workloads.push_back(std::move(wc));
    }
    bool any_fabric = false;
    for (const scenario::SiteSpec& site : sc_.sites)
      for (const scenario::HallSpec& hall : site.halls) any_fabric = any_fabric || hall.fabric.has_value();
    for (const scenario::FailureSpec& f : sc_.failures) {
      if ((f.switch_tier != 0 || f.per_link) && !any_fabric)  // the class would fail nothing: surely a mistake
        diagnostics_.push_back(Diagnostic{f.per_pos, "S211",
                                          "failure '" + f.name + "' is per " +
                                              (f.per_link ? "link" : f.switch_tier == 1 ? "leaf_switch" : "spine_switch") +
                                              ", but no hall has a fabric",
                                          "give a hall a fabric: map (docs/fabric.md), or use per: server or gpu"});
      // Likewise UPS or cooling unit failures where no hall (from the start or by an expansion)
      // has such units: a power_capacity for UPS units, a cooling plant with a capacity for
      // cooling units.
      const bool has_units = std::any_of(cfg.halls.begin(), cfg.halls.end(), [&](const model::HallConfig& h) {
        return f.facility_unit == 1 ? h.power_limit_w > 0 : h.cooling.enabled && h.cooling.installed_heat_kw > 0;
      });
      if (f.facility_unit != 0 && !has_units)
        diagnostics_.push_back(Diagnostic{
            f.per_pos, "S211",
            "failure '" + f.name + "' is per " + (f.facility_unit == 1 ? "ups" : "cooling_unit") + ", but no hall has " +
                (f.facility_unit == 1 ? "a power_capacity (UPS)" : "a cooling plant with a capacity"),
            f.facility_unit == 1 ? "give a hall power_capacity: (e.g. 2 MW), or use per: server or gpu"
                                 : "give a hall cooling: {type: air, capacity: 2 MW}, or use per: server or gpu"});
      cfg.failures.push_back(
          model::FailureClass{f.name, f.per_gpu, f.time_between.dist, f.repair.dist, f.switch_tier, f.facility_unit, f.per_link});
    }
    BuildResult result;
    build_market(cfg, result);
    result.diagnostics = std::move(diagnostics_);
    if (result.diagnostics.empty()) result.config = std::move(cfg);
    return result;
  }

 private:
  // A workload's warm start: listed jobs (running ones first), and whether to draw more from
  // its steady state. A listed job larger than every hall it may use is S201, as for arrivals.
  void add_initial_jobs(const scenario::InitialSpec& in, const std::string& workload, std::int64_t largest_allowed,
                        model::WorkloadConfig& wc) {
    for (const scenario::InitialJobSpec& j : in.jobs) {
      if (j.gpus > largest_allowed) {
        std::ostringstream msg;
        msg << "a job of workload '" << workload << "' in the system at the start holds " << j.gpus
            << " GPUs, but the largest hall it may use has " << largest_allowed << " GPUs of one server type";
        diagnostics_.push_back(Diagnostic{j.pos, "S201", msg.str(), "add racks to a hall or lower the job's gpus"});
        continue;
      }
      model::InitialJob job;
      job.running = j.running;
      job.gpus = j.gpus;
      job.elapsed = engine::from_seconds(j.elapsed_s);
      job.arrival = -(job.elapsed + engine::from_seconds(j.waited_s));
      job.remaining = std::max<engine::SimTime>(1, engine::from_seconds(j.remaining_s));
      if (j.time_limit_s) job.limit = std::max<engine::SimTime>(1, engine::from_seconds(*j.time_limit_s) - job.elapsed);
      wc.initial_jobs.push_back(job);
    }
    wc.initial_steady_state = in.steady_state;
    if (in.steady_state) {
      wc.steady_state_lookback = in.lookback_s ? engine::from_seconds(*in.lookback_s) : model::default_steady_state_lookback(wc);
    }
  }

  // Bounds on the run's size (S208 fleet, S209 hourly horizon), checked before anything is sized
  // by them: the model allocates per server and per hour. Counts in double, so no product overflows.
  bool check_run_size() {
    const scenario::LimitsSpec limits = sc_.limits.value_or(scenario::LimitsSpec{});
    const double hours = std::ceil(sc_.horizon_s / 3600.0);
    if (hours > static_cast<double>(limits.hours())) {
      std::ostringstream msg;
      msg << "the horizon is " << static_cast<std::uint64_t>(hours) << " hours, more than the bound of "
          << limits.hours() << " hours (" << limits.hours() / 8760 << " years) of hourly output";
      diagnostics_.push_back(Diagnostic{sc_.horizon_pos, "S209", msg.str(),
                                        "shorten the horizon, or raise the bound with limits: {max_hours: N}"});
    }
    double servers = 0.0, gpus = 0.0;
    SourcePos last_group;
    const auto count = [&](const scenario::RackGroupSpec& group) {
      const double group_servers = static_cast<double>(group.count) * group.servers_per_rack;
      servers += group_servers;
      gpus += group_servers * gpus_per_server(group);
      last_group = group.pos;
    };
    for (const scenario::SiteSpec& site : sc_.sites) {
      for (const scenario::HallSpec& hall : site.halls) {
        for (const scenario::RackGroupSpec& group : hall.racks) count(group);
      }
    }
    for (const scenario::ExpansionSpec& x : sc_.expansions) {
      for (const scenario::RackGroupSpec& group : x.racks) count(group);
    }
    const auto refuse = [&](const char* what, double count, std::uint64_t bound, const char* key) {
      std::ostringstream msg;
      msg.precision(0);
      msg << std::fixed << "the fleet has " << count << " " << what << " in its rack groups, more than the bound of " << bound;
      diagnostics_.push_back(Diagnostic{sc_.limits ? sc_.limits->pos : last_group, "S208", msg.str(),
                                        std::string("use fewer racks, or raise the bound with limits: {") + key + ": N}"});
    };
    if (servers > static_cast<double>(limits.servers())) refuse("servers", servers, limits.servers(), "max_servers");
    if (gpus > static_cast<double>(limits.gpus())) refuse("GPUs", gpus, limits.gpus(), "max_gpus");
    return diagnostics_.empty();
  }

  // Resolves a rack group's server, checks its power and density, adds it to the model (installed
  // at `online`, bought at `delivered`; 0 for racks there from the start) and to the size of its
  // pool, which decides whether every job fits some hall.
  void add_rack_group(model::ModelConfig& cfg, std::uint32_t hall_index, const scenario::HallSpec& hall,
                      scenario::RackGroupSpec& group, engine::SimTime online, engine::SimTime delivered,
                      bool from_expansion = false) {
    const int type = resolve_rack_server(group, cfg);
    if (type < 0) return;
    const model::ServerType& server = cfg.server_types[static_cast<std::size_t>(type)];
    const model::GpuType& gpu = cfg.gpu_types[cfg.server_gpu_type[static_cast<std::size_t>(type)]];
    check_power_limit(group, server, gpu);
    check_density(group, hall, server, gpu);
    model::RackGroupConfig rg{hall_index, static_cast<std::uint32_t>(type), group.count, group.servers_per_rack,
                              group.power_limit_w.value_or(0.0)};
    rg.online = online;
    rg.delivered = delivered;
    rg.from_expansion = from_expansion;
    rg.lease_usd_per_server_month = group.lease_usd_per_server_month.value_or(0.0);
    rg.leased = group.lease_usd_per_server_month.has_value();
    if (group.installed_unix_s && online == 0)
      rg.installed = engine::from_seconds(static_cast<double>(*group.installed_unix_s - sc_.start_unix_s));
    cfg.rack_groups.push_back(rg);
    const auto key = std::make_pair(hall_index, static_cast<std::uint32_t>(type));
    const auto it = std::find(pool_keys_.begin(), pool_keys_.end(), key);
    const std::int64_t gpus = static_cast<std::int64_t>(group.count) * group.servers_per_rack * server.gpus;
    if (it == pool_keys_.end()) {
      pool_keys_.push_back(key);
      pool_gpus_.push_back(gpus);
    } else {
      pool_gpus_[static_cast<std::size_t>(it - pool_keys_.begin())] += gpus;
    }
  }

  // Planned expansions: their rack groups join the hall's, installed at the online date and
  // bought at delivery (online - build lead time); their UPS capacity steps the hall's limit up.
  void build_expansions(model::ModelConfig& cfg) {
    for (scenario::ExpansionSpec& x : sc_.expansions) {
      // A utility feed upgrade raises its site's feed limit at the online date.
      for (std::uint32_t s = 0; s < sc_.sites.size() && x.utility_feed_w; ++s) {
        if (sc_.sites[s].name != x.site) continue;
        cfg.site_feed_steps.push_back(model::SiteFeedStep{
            s, engine::from_seconds(static_cast<double>(x.online_unix_s - sc_.start_unix_s)), *x.utility_feed_w});
      }
      if (x.hall.empty()) continue;
      std::uint32_t hall_index = 0;
      scenario::HallSpec* hall = nullptr;
      for (scenario::SiteSpec& site : sc_.sites) {
        for (scenario::HallSpec& h : site.halls) {
          if (site.name == x.site && h.name == x.hall) hall = &h;
          if (hall == nullptr) ++hall_index;
        }
      }
      if (hall == nullptr) continue;  // reported by the loader
      const engine::SimTime online = engine::from_seconds(static_cast<double>(x.online_unix_s - sc_.start_unix_s));
      const engine::SimTime delivered =
          std::max<engine::SimTime>(0, engine::from_seconds(static_cast<double>(x.delivery_unix_s() - sc_.start_unix_s)));
      if (x.power_capacity_w) {
        if (!x.capex_usd) x.capex_usd = *x.power_capacity_w / 1e6 * scenario::kFacilityCapexUsdPerMw;
        const double usable = model::usable_fraction(*model::parse_redundancy(hall->ups_redundancy), hall->ups_units);
        cfg.hall_power_steps.push_back(model::HallPowerStep{hall_index, online, *x.power_capacity_w * usable});
      }
      for (scenario::RackGroupSpec& group : x.racks) add_rack_group(cfg, hall_index, *hall, group, online, delivered, true);
    }
    std::stable_sort(cfg.hall_power_steps.begin(), cfg.hall_power_steps.end(),
                     [](const model::HallPowerStep& a, const model::HallPowerStep& b) { return a.at < b.at; });
    std::stable_sort(cfg.site_feed_steps.begin(), cfg.site_feed_steps.end(),
                     [](const model::SiteFeedStep& a, const model::SiteFeedStep& b) { return a.at < b.at; });
  }

  // GPUs per server of a rack group, without resolving it into the model (0 if unknown: the
  // builder reports unknown server types later).
  double gpus_per_server(const scenario::RackGroupSpec& group) const {
    if (group.inline_server) return group.inline_server->gpus;
    for (const scenario::ServerTypeSpec& own : sc_.catalog.servers)
      if (own.name == group.server) return own.gpus;
    const model::ServerType* builtin = builtin_.find_server(group.server);
    return builtin == nullptr ? 0.0 : builtin->gpus;
  }

  // Index of the server type in cfg (adding it on first use), or -1 after reporting an error.
  int resolve_rack_server(scenario::RackGroupSpec& group, model::ModelConfig& cfg) {
    scenario::ServerTypeSpec spec;
    if (group.inline_server) {
      scenario::ServerTypeSpec& inl = *group.inline_server;
      const int gpu = resolve_gpu(inl.gpu, inl.gpu_pos, cfg);
      if (gpu < 0) return -1;
      const model::GpuType& g = cfg.gpu_types[static_cast<std::size_t>(gpu)];
      if (!inl.overhead_w) inl.overhead_w = 0.0;
      if (!inl.price_usd) inl.price_usd = g.price_usd * inl.gpus;
      if (!inl.useful_life_years) inl.useful_life_years = 5.0;
      model::ServerType t;
      t.name = "inline:" + std::to_string(inl.gpus) + "x" + inl.gpu;
      t.gpu = inl.gpu;
      t.gpus = inl.gpus;
      t.overhead_w = *inl.overhead_w;
      t.price_usd = *inl.price_usd;
      t.useful_life_years = *inl.useful_life_years;
      for (std::size_t i = 0; i < cfg.server_types.size(); ++i) {
        const model::ServerType& u = cfg.server_types[i];
        if (u.name == t.name && u.overhead_w == t.overhead_w && u.price_usd == t.price_usd &&
            u.useful_life_years == t.useful_life_years) {
          return static_cast<int>(i);  // identical inline servers share a pool
        }
      }
      cfg.server_types.push_back(t);
      cfg.server_gpu_type.push_back(static_cast<std::uint32_t>(gpu));
      return static_cast<int>(cfg.server_types.size() - 1);
    }
    for (std::size_t i = 0; i < cfg.server_types.size(); ++i) {
      if (cfg.server_types[i].name == group.server) return static_cast<int>(i);
    }
    model::ServerType t;
    auto own = std::find_if(sc_.catalog.servers.begin(), sc_.catalog.servers.end(),
                            [&](const scenario::ServerTypeSpec& s) { return s.name == group.server; });
    if (own != sc_.catalog.servers.end()) {
      if (!own->overhead_w) own->overhead_w = 0.0;
      if (!own->useful_life_years) own->useful_life_years = 5.0;
      const int gpu = resolve_gpu(own->gpu, own->gpu_pos, cfg);
      if (gpu < 0) return -1;
      if (!own->price_usd) own->price_usd = cfg.gpu_types[static_cast<std::size_t>(gpu)].price_usd * own->gpus;
      t.name = own->name;
      t.gpu = own->gpu;
      t.gpus = own->gpus;
      t.overhead_w = *own->overhead_w;
      t.price_usd = *own->price_usd;
      t.useful_life_years = *own->useful_life_years;
      t.source = "scenario";
      cfg.server_types.push_back(t);
      cfg.server_gpu_type.push_back(static_cast<std::uint32_t>(gpu));
      return static_cast<int>(cfg.server_types.size() - 1);
    }
    const model::ServerType* builtin = builtin_.find_server(group.server);
    if (builtin == nullptr) {
      std::vector<std::string> names = builtin_.server_names();
      for (const auto& s : sc_.catalog.servers) names.push_back(s.name);
      report_unknown("server", group.server, group.server_pos, names);
      return -1;
    }
    const int gpu = resolve_gpu(builtin->gpu, group.server_pos, cfg);
    if (gpu < 0) return -1;
    sc_.catalog.servers.push_back(to_spec(*builtin));
    cfg.server_types.push_back(*builtin);
    cfg.server_gpu_type.push_back(static_cast<std::uint32_t>(gpu));
    return static_cast<int>(cfg.server_types.size() - 1);
  }

  std::string relative_to_scenario(const std::string& file) const {
    std::filesystem::path path = file;
    if (path.is_relative() && !sc_.source_file.empty()) path = std::filesystem::path(sc_.source_file).parent_path() / path;
    return path.string();
  }

  // A replayed trace: jobs submitted within the horizon, times from the trace's first
  // submission; fractional GPU requests (shared GPUs) round up to whole GPUs.
  model::ServiceConfig service_config(const scenario::WorkloadSpec& w, std::uint32_t workload, std::int64_t largest_pool_gpus) {
    const scenario::ServiceSpec& v = w.service;
    if (diagnostics_.empty() && v.gpus_per_replica > largest_pool_gpus) {
      std::ostringstream msg;
      msg << "service '" << w.name << "' needs " << v.gpus_per_replica << " GPUs per replica, but the largest hall has "
          << largest_pool_gpus << " GPUs of one server type; a replica runs within one hall";
      diagnostics_.push_back(Diagnostic{v.pos, "S201", msg.str(), "lower gpus_per_replica or add racks to a hall"});
    }
    model::ServiceConfig s;
    s.name = w.name;
    s.workload = workload;
    s.gpus_per_replica = v.gpus_per_replica;
    s.replica_rps = v.replica_rps;
    s.latency_objective_s = v.latency_objective_ns / 1e9;
    s.slo_target = v.slo_target;
    s.base_rps = v.base_rps;
    s.daily_amplitude = v.daily_amplitude;
    s.weekly_amplitude = v.weekly_amplitude;
    s.peak_hour = v.peak_hour;
    s.growth_per_year = v.growth_per_year;
    s.noise_sd = v.noise;
    s.target_utilization = v.target_utilization;
    s.scale_up_delay = engine::from_seconds(v.scale_up_delay_s);
    s.cold_start = engine::from_seconds(v.cold_start_s);
    s.min_replicas = v.min_replicas;
    s.max_replicas = v.max_replicas;
    s.interval = std::max<engine::SimTime>(1, engine::from_seconds(v.interval_s));
    s.priority = v.priority;
    return s;
  }

  void load_trace_arrivals(const scenario::WorkloadSpec& w, model::WorkloadConfig& wc) {
    traces::TraceLoadOptions options;
    options.skip_bad_rows = w.trace.skip_bad_rows;
    if (!w.trace.task_table.empty()) options.task_table_path = relative_to_scenario(w.trace.task_table);
    const traces::TraceLoadResult loaded =
        traces::load_trace(relative_to_scenario(w.trace.file), *traces::parse_trace_format(w.trace.format), options);
    if (!loaded.ok()) {
      diagnostics_.push_back(Diagnostic{w.trace.pos, "S118", "cannot replay the trace: " + loaded.error,
                                        loaded.problems.empty() ? "the file is relative to the scenario file"
                                                                : "skip_bad_rows: yes leaves unreadable rows out"});
      return;
    }
    for (const traces::TraceJob& j : loaded.jobs) {
      const engine::SimTime at = engine::from_seconds(j.submit_s);
      if (at >= engine::from_seconds(sc_.horizon_s)) break;
      wc.trace.push_back(model::TraceArrival{at, std::max(1, static_cast<int>(std::ceil(j.gpus - 1e-9))),
                                             std::max<engine::SimTime>(1, engine::from_seconds(j.duration_s))});
    }
  }

  static double largest_trace_job(const model::WorkloadConfig& wc) {
    int largest = 0;
    for (const model::TraceArrival& a : wc.trace) largest = std::max(largest, a.gpus);
    return largest;
  }

  // The market projection, our demand, and the daily arrival-rate multipliers of the workloads
  // that follow it (demand(t) / demand(start)).
  void build_market(model::ModelConfig& cfg, BuildResult& result) {
    bool followed = false;
    for (const auto& w : sc_.workloads) followed = followed || w.follows_market;
    if (!sc_.market && !followed) return;
    const scenario::MarketInputSpec input = sc_.market.value_or(scenario::MarketInputSpec{});
    const SourcePos at = sc_.market ? input.pos : sc_.workloads.front().pos;
    finance::MarketSpec spec = finance::default_market_spec();
    if (!input.anchors.empty()) {
      spec.anchors.clear();
      for (const auto& [year, usd] : input.anchors) spec.anchors.push_back(finance::MarketAnchor{year, usd});
      spec.first_year = std::min(spec.first_year, input.anchors.front().first);
      spec.last_year = std::max(spec.last_year, input.anchors.back().first);
    }
    spec.low_growth_offset = input.low_growth_offset;
    spec.high_growth_offset = input.high_growth_offset;
    const engine::Calendar calendar(sc_.start_unix_s);
    const int end_year = calendar.date_of(engine::from_seconds(sc_.horizon_s)).year;
    spec.last_year = std::max(spec.last_year, end_year + 1);
    finance::DemandSpec demand;
    demand.dimension = input.demand_dimension;
    demand.segment = input.demand_segment;
    demand.market_share = input.market_share;
    demand.usd_per_gpu_hour = input.usd_per_gpu_hour;
    demand.price_decline_per_year = input.price_decline_per_year;
    std::vector<std::string> problems = finance::validate_market_spec(spec);
    for (const std::string& p : finance::validate_demand_spec(demand)) problems.push_back(p);
    if (!problems.empty()) {
      std::string message = "the market section cannot be used: " + problems.front();
      for (std::size_t i = 1; i < problems.size(); ++i) message += "; " + problems[i];
      diagnostics_.push_back(Diagnostic{at, "S203", message, "see docs/market.md for the market model"});
      return;
    }
    result.market = finance::project_market(spec);
    // A slice that does not exist (a typo of a segment) gives no rows: say so.
    const auto slice = finance::market_series(result.market, input.scenario_case, demand.dimension, demand.segment);
    if (slice.empty()) {
      diagnostics_.push_back(Diagnostic{at, "S203",
                                        "the market has no segment '" + demand.segment + "' in dimension '" +
                                            demand.dimension + "'",
                                        "dimensions and segments are listed in docs/market.md; 'total' takes the whole market"});
      result.market.clear();
      return;
    }
    result.demand = finance::demand_by_year(result.market, demand, input.scenario_case);
    const double start_year = finance::fractional_year(calendar, 0);
    const auto days = static_cast<std::size_t>(std::ceil(sc_.horizon_s / 86400.0));
    std::vector<double> daily(days);
    for (std::size_t d = 0; d < days; ++d) {
      const engine::SimTime mid = static_cast<engine::SimTime>(d) * engine::kMicrosPerDay + engine::kMicrosPerDay / 2;
      daily[d] = finance::demand_multiplier(result.demand, start_year, finance::fractional_year(calendar, mid));
    }
    for (std::size_t w = 0; w < sc_.workloads.size(); ++w) {
      if (sc_.workloads[w].follows_market) cfg.workloads[w].daily_rate_multiplier = daily;
    }
  }

  // Cooling plants and the outdoor temperature of the sites that have one.
  void build_cooling(model::ModelConfig& cfg) {
    std::size_t hall_index = 0;
    const auto hours = static_cast<std::int64_t>(std::ceil(sc_.horizon_s / 3600.0));
    for (std::size_t s = 0; s < sc_.sites.size(); ++s) {
      scenario::SiteSpec& site = sc_.sites[s];
      bool any_cooling = false;
      for (const scenario::HallSpec& hall : site.halls) {
        model::HallConfig& hc = cfg.halls[hall_index++];
        if (!hall.cooling) continue;
        any_cooling = true;
        const scenario::CoolingSpec& c = *hall.cooling;
        hc.cooling.enabled = true;
        const model::CoolingType type = *model::parse_cooling_type(c.type);
        // The design IT load sets the fixed overhead: the UPS capacity, else the racks' nameplate.
        double design_kw = hall.power_capacity_w.value_or(0.0) / 1000.0;
        if (design_kw <= 0) {
          for (const model::RackGroupConfig& g : cfg.rack_groups) {
            if (g.hall != hall_index - 1) continue;
            const model::ServerType& st = cfg.server_types[g.server_type];
            design_kw += g.racks * g.servers_per_rack * model::max_power_w(st, cfg.gpu_types[cfg.server_gpu_type[g.server_type]]) / 1000.0;
          }
        }
        hc.cooling.facility = model::default_facility_model(type, design_kw);
        hc.cooling.installed_heat_kw = c.capacity_w.value_or(0.0) / 1000.0;
        hc.cooling.redundancy = *model::parse_redundancy(c.redundancy);
        hc.cooling.units = c.units;
      }
      if (!any_cooling) continue;
      if (!site.climate) {
        scenario::ClimateSpec dflt;
        dflt.preset = "temperate";
        site.climate = dflt;
      }
      const scenario::ClimateSpec& climate = *site.climate;
      if (!climate.epw_file.empty()) {
        std::filesystem::path path = climate.epw_file;
        if (path.is_relative() && !sc_.source_file.empty()) path = std::filesystem::path(sc_.source_file).parent_path() / path;
        const traces::EpwResult epw = traces::read_epw(path.string());
        if (!epw.ok()) {
          diagnostics_.push_back(Diagnostic{climate.pos, "S118", "cannot use the weather file: " + epw.error,
                                            "give an hourly EnergyPlus .epw file, relative to the scenario file"});
          continue;
        }
        cfg.sites[s].outdoor_c = model::OutdoorTemperature::hourly_series(epw.data->dry_bulb_c, epw.data->location.time_zone_hours)
                                     .hourly(sc_.start_unix_s, hours);
      } else {
        const model::SinusoidalClimate preset = *model::climate_preset(climate.preset);
        cfg.sites[s].outdoor_c = model::OutdoorTemperature::sinusoidal(preset, sc_.seed, "climate." + site.name, climate.utc_offset_h)
                                     .hourly(sc_.start_unix_s, hours);
      }
    }
  }

  int resolve_gpu(const std::string& name, const SourcePos& pos, model::ModelConfig& cfg) {
    for (std::size_t i = 0; i < cfg.gpu_types.size(); ++i) {
      if (cfg.gpu_types[i].name == name) return static_cast<int>(i);
    }
    auto own = std::find_if(sc_.catalog.gpus.begin(), sc_.catalog.gpus.end(),
                            [&](const scenario::GpuTypeSpec& g) { return g.name == name; });
    if (own != sc_.catalog.gpus.end()) {
      cfg.gpu_types.push_back(to_model(*own));
      return static_cast<int>(cfg.gpu_types.size() - 1);
    }
    const model::GpuType* builtin = builtin_.find_gpu(name);
    if (builtin == nullptr) {
      std::vector<std::string> names = builtin_.gpu_names();
      for (const auto& g : sc_.catalog.gpus) names.push_back(g.name);
      report_unknown("GPU", name, pos, names);
      return -1;
    }
    sc_.catalog.gpus.push_back(to_spec(*builtin));
    cfg.gpu_types.push_back(*builtin);
    return static_cast<int>(cfg.gpu_types.size() - 1);
  }

  // finance.prices and finance.contracts name GPU types the fleet has; revenue is then booked by
  // GPU type, which needs the model's GPU time per type.
  void check_priced_gpus(model::ModelConfig& cfg) {
    cfg.record_gpu_type_use = sc_.finance.detailed_revenue();
    std::vector<std::string> fleet;
    for (const model::GpuType& g : cfg.gpu_types) fleet.push_back(g.name);
    const auto check = [&](const std::string& gpu, const SourcePos& pos, const char* where) {
      if (std::find(fleet.begin(), fleet.end(), gpu) != fleet.end()) return;
      const std::string near = scenario::nearest_name(gpu, fleet);
      std::string hint = near.empty() ? "GPU types of the fleet:" : "did you mean '" + near + "'? GPU types of the fleet:";
      for (const std::string& f : fleet) hint += " " + f;
      diagnostics_.push_back(Diagnostic{pos, "S200", std::string(where) + " names GPU type '" + gpu +
                                                         "', which no server of the fleet has", hint});
    };
    for (const scenario::GpuPriceSpec& p : sc_.finance.prices) check(p.gpu, p.gpu_pos, "finance.prices");
    for (const scenario::ContractSpec& c : sc_.finance.contracts) check(c.gpu, c.gpu_pos, "finance.contracts");
  }

  // The index of a GPU type some server of the fleet has, or -1 after an S200 naming the nearest.
  int fleet_gpu_type(const model::ModelConfig& cfg, const std::string& gpu, const SourcePos& pos) {
    std::vector<std::string> fleet;
    for (std::uint32_t t : cfg.server_gpu_type) {
      if (std::find(fleet.begin(), fleet.end(), cfg.gpu_types[t].name) == fleet.end()) fleet.push_back(cfg.gpu_types[t].name);
    }
    for (std::size_t i = 0; i < cfg.gpu_types.size(); ++i) {
      if (cfg.gpu_types[i].name == gpu && std::find(fleet.begin(), fleet.end(), gpu) != fleet.end()) return static_cast<int>(i);
    }
    const std::string near = scenario::nearest_name(gpu, fleet);
    std::string hint = near.empty() ? "GPU types of the fleet:" : "did you mean '" + near + "'? GPU types of the fleet:";
    for (const std::string& f : fleet) hint += " " + f;
    diagnostics_.push_back(Diagnostic{pos, "S200", "gpu_type names GPU type '" + gpu + "', which no server of the fleet has", hint});
    return -1;
  }

  void report_unknown(const std::string& what, const std::string& name, const SourcePos& pos,
                      const std::vector<std::string>& known) {
    const std::string near = scenario::nearest_name(name, known);
    std::string hint;
    if (!near.empty()) {
      hint = "did you mean '" + near + "'?";
    } else {
      hint = "known " + what + " types:";
      for (const auto& k : known) hint += " " + k;
      hint += " (dcsim catalog lists them; scenarios add their own under catalog:)";
    }
    diagnostics_.push_back(Diagnostic{pos, "S200", "unknown " + what + " type '" + name + "'", hint});
  }

  // One fabric per hall that has a `fabric:` map, sized to the hall's servers (fat tree: one
  // endpoint per server; rail-optimized: one per GPU, which needs one GPU count in the hall).
  void build_fabrics(model::ModelConfig& cfg) {
    std::size_t hall_index = 0;
    for (const scenario::SiteSpec& site : sc_.sites) {
      for (const scenario::HallSpec& hall : site.halls) {
        model::HallConfig& hc = cfg.halls[hall_index++];
        if (!hall.fabric) continue;
        const scenario::FabricSpec& f = *hall.fabric;
        std::int64_t servers = 0;
        int gpus_per_server = 0;
        bool mixed = false;
        for (const model::RackGroupConfig& g : cfg.rack_groups) {
          if (g.hall != hall_index - 1) continue;
          servers += static_cast<std::int64_t>(g.racks) * g.servers_per_rack;
          const int gpus = cfg.server_types[g.server_type].gpus;
          mixed = mixed || (gpus_per_server != 0 && gpus != gpus_per_server);
          gpus_per_server = gpus;
        }
        if (servers == 0) continue;  // its racks failed to resolve; reported already
        model::FabricSpec spec = to_model_fabric(f);
        const bool rail = spec.topology == model::FabricSpec::Topology::rail_optimized;
        if (rail && mixed) {
          diagnostics_.push_back(Diagnostic{f.pos, "S210",
                                            "a rail-optimized fabric needs one GPU count per server in hall '" +
                                                hall.name + "'",
                                            "use topology: fat-tree, or servers of one GPU count in this hall"});
          continue;
        }
        spec.rails = rail ? gpus_per_server : spec.rails;
        const std::int64_t endpoints = rail ? servers * gpus_per_server : servers;
        const std::string unit = rail ? " GPUs" : " servers";
        std::vector<std::string> problems = model::validate(spec);
        if (problems.empty()) {
          const int most = model::max_endpoints(spec);
          const std::int64_t most_units = rail ? most / gpus_per_server * gpus_per_server : most;
          if (endpoints > most_units) {
            std::ostringstream msg;
            msg << "hall '" << hall.name << "' has " << endpoints << unit << ", more than a " << spec.tiers
                << "-tier " << f.topology << " fabric of radix " << spec.radix << " at " << f.oversubscription
                << ":1 connects (at most " << most_units << unit << ")";
            diagnostics_.push_back(Diagnostic{f.pos, "S210", msg.str(),
                                              spec.tiers == 2 ? "use tiers: 3, a larger radix or more oversubscription"
                                                              : "use a larger radix or more oversubscription"});
            continue;
          }
          spec.endpoints = static_cast<int>(endpoints);
          problems = model::validate(spec);
        }
        if (!problems.empty()) {
          for (const std::string& p : problems)
            diagnostics_.push_back(Diagnostic{f.pos, "S210", "hall '" + hall.name + "': " + p, ""});
          continue;
        }
        hc.fabric = std::make_shared<const model::Fabric>(model::build_fabric(spec));
        hc.fabric_spread = f.placement == "spread";
      }
    }
  }

  static model::FabricSpec to_model_fabric(const scenario::FabricSpec& f) {
    model::FabricSpec spec;
    spec.topology = f.topology == "rail-optimized" ? model::FabricSpec::Topology::rail_optimized
                                                   : model::FabricSpec::Topology::fat_tree;
    spec.radix = f.radix;
    spec.tiers = f.tiers;
    spec.oversubscription.assign(static_cast<std::size_t>(std::max(f.tiers - 1, 1)), 1.0);
    spec.oversubscription.back() = f.oversubscription;
    spec.link_gbps = f.link_gbps;
    spec.link_latency_ns = f.link_latency_ns;
    spec.switch_price_usd = f.switch_price_usd;
    spec.optic_price_usd = f.optic_price_usd;
    spec.cable_price_usd = f.cable_price_usd;
    return spec;
  }

  // A rack's planned draw against what its cooling can carry (REFERENCE.md rack densities).
  void check_density(const scenario::RackGroupSpec& group, const scenario::HallSpec& hall,
                     const model::ServerType& server, const model::GpuType& gpu) {
    const std::string type_name = !group.cooling.empty() ? group.cooling : hall.cooling ? hall.cooling->type : "";
    if (type_name.empty()) return;  // no cooling type known: nothing to check against
    const model::CoolingType type = *model::parse_cooling_type(type_name);
    const double planned_kw = group.servers_per_rack * model::max_power_w(server, gpu) * group.plan_to / 1000.0;
    const double limit_kw = model::rack_density_limit_kw(type);
    if (planned_kw <= limit_kw) return;
    std::ostringstream msg;
    msg << "racks of " << group.servers_per_rack << " x " << server.name << " draw up to " << planned_kw
        << " kW, more than " << type_name << " cooling carries per rack (" << limit_kw << " kW)";
    diagnostics_.push_back(Diagnostic{group.cooling.empty() ? group.pos : group.cooling_pos, "S205", msg.str(),
                                      "cool these racks with rear-door or direct-liquid cooling, or put fewer servers "
                                      "in each rack"});
  }

  void check_power_limit(const scenario::RackGroupSpec& group, const model::ServerType& server,
                         const model::GpuType& gpu) {
    if (!group.power_limit_w) return;
    const double rack_max_w = group.servers_per_rack * model::max_power_w(server, gpu);
    if (rack_max_w * group.plan_to <= *group.power_limit_w) return;
    std::ostringstream msg;
    msg << "rack draws up to " << format_kw(rack_max_w) << " (" << group.servers_per_rack << " x " << server.name
        << " at " << format_kw(model::max_power_w(server, gpu)) << ")";
    if (group.plan_to < 1.0) msg << ", planned to " << group.plan_to * 100.0 << "% = " << format_kw(rack_max_w * group.plan_to);
    msg << ", but its power_limit is " << format_kw(*group.power_limit_w);
    diagnostics_.push_back(Diagnostic{group.power_limit_pos, "S202", msg.str(),
                                      "raise power_limit, put fewer servers in each rack, or oversubscribe the rack "
                                      "with plan_to (GPUs are then capped at run time)"});
  }

  scenario::Scenario& sc_;
  const model::Catalog& builtin_;
  std::vector<Diagnostic> diagnostics_;
  // GPUs per (hall, server type), as the model will pool them.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pool_keys_;
  std::vector<std::int64_t> pool_gpus_;
};

}  // namespace

BuildResult build_model(scenario::Scenario& scenario, const model::Catalog& builtin) {
  return Builder(scenario, builtin).build();
}

}  // namespace dcsim::run
