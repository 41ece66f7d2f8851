// The Scenario value: a scenario file after loading and validation, every quantity converted to
// base units (seconds, watts, USD, per-second rates), every default filled in. Plain data; the
// builder in sim/run turns it into a model.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/engine/distribution.h"
#include "sim/scenario/diagnostics.h"

namespace dcsim::scenario {

// What a distribution's values measure, so the loader knows which units fit and the writer of
// the resolved file knows which unit to print.
enum class Dimension { count, time_s };

struct DistributionSpec {
  engine::Distribution dist;  // values in base units of `dimension`
  Dimension dimension = Dimension::count;
  // Empirical distributions remember where their samples came from (resolved file prints them).
  std::string empirical_file;    // as written in the scenario (relative to the scenario's folder)
  std::string empirical_column;
  std::string empirical_unit;    // e.g. "h"; empty for counts
  SourcePos pos;
};

struct GpuTypeSpec {
  std::string name;
  double idle_w = 0.0;
  double tdp_w = 0.0;
  double bf16_tflops = 0.0;
  double memory_gb = 0.0;
  double price_usd = 0.0;  // per GPU; the default price of inline servers built from it
  SourcePos pos;
};

struct ServerTypeSpec {
  std::string name;          // empty for an inline server
  std::string gpu;           // a GPU type name
  int gpus = 1;
  std::optional<double> overhead_w;   // CPUs, NICs, fans, always drawn; builder default 0
  std::optional<double> price_usd;    // builder default: gpus x the GPU's price
  std::optional<double> useful_life_years;  // builder default 5
  SourcePos pos;
  SourcePos gpu_pos;
};

struct RackGroupSpec {
  int count = 1;               // racks in this group
  std::string server;          // catalog name, or empty when inline_server is set
  std::optional<ServerTypeSpec> inline_server;
  int servers_per_rack = 1;
  std::optional<double> power_limit_w;  // none: no rack limit
  // Fraction of the servers' nameplate draw the rack limit must carry at load: 1 plans to the
  // nameplate; less oversubscribes the rack and relies on capping at run time.
  double plan_to = 1.0;
  std::string cooling;  // air, rear-door, direct-liquid; "" = the hall's plant type (checked only if known)
  // Leased servers (lease:): charged per server and month instead of bought; none: bought.
  std::optional<double> lease_usd_per_server_month;
  // Servers already owned (installed: a date, or age_months: before the start, here or on the
  // hall): installed at this time, UTC, at or before the start; none: bought at the start.
  std::optional<std::int64_t> installed_unix_s;
  SourcePos pos;
  SourcePos server_pos;
  SourcePos power_limit_pos;
  SourcePos cooling_pos;
};

// Outdoor temperature of a site: a named sinusoidal preset, or an hourly EPW weather file.
struct ClimateSpec {
  std::string preset;    // temperate, hot, cool, cold; empty when epw is set
  std::string epw_file;  // as written, relative to the scenario's folder
  double utc_offset_h = 0.0;  // presets: local time of the daily cycle
  SourcePos pos;
};

// A hall's cooling plant; with it the hall's PUE follows load and outdoor temperature.
struct CoolingSpec {
  std::string type = "air";            // air, rear-door, direct-liquid
  std::optional<double> capacity_w;    // installed heat rejection; none: never limits
  std::string redundancy = "N";        // N, N+1, 2N
  int units = 1;
  SourcePos pos;
};

// A leased hall: colocation charged per kW of contracted capacity per month.
struct ColocationSpec {
  double usd_per_kw_month = 0.0;
  double contracted_w = 0.0;
};

// A hall's network fabric (docs/fabric.md): the builder sizes it to the hall's servers.
struct FabricSpec {
  std::string topology = "fat-tree";  // fat-tree, rail-optimized
  int radix = 64;                     // ports per switch
  int tiers = 2;                      // 2 (leaf-spine) or 3 (leaf-aggregation-core)
  double oversubscription = 1.0;      // downlink:uplink at the top switch boundary ("4:1" -> 4)
  double link_gbps = 400.0;
  double link_latency_ns = 500.0;
  double switch_price_usd = 36'000.0;
  double optic_price_usd = 1'000.0;
  double cable_price_usd = 150.0;
  std::string placement = "pack";     // pack, spread
  SourcePos pos;
};

struct HallSpec {
  std::string name;
  std::optional<double> power_capacity_w;  // installed UPS/PDU capacity for IT load; none: unlimited
  std::string ups_redundancy = "N";        // N, N+1, 2N: the usable share of power_capacity
  int ups_units = 1;
  std::optional<CoolingSpec> cooling;
  std::optional<ColocationSpec> colocation;
  std::optional<FabricSpec> fabric;  // none: no network modelled
  std::vector<RackGroupSpec> racks;
  // Hot spares: servers of each server type in the hall standing by for failed ones (fewer than
  // the hall has of that type at the start).
  int hot_spares = 0;
  // The map form `hot_spares: {dgx-h100: 2}`: spares per named server type, in file order; types
  // it leaves out keep none. Replaces hot_spares (then 0) when given.
  std::vector<std::pair<std::string, int>> hot_spares_by_type;
  SourcePos pos;
};

// A time-of-use period of a site's electricity tariff: local hours [from_hour, to_hour) (wrapping
// past midnight when from_hour > to_hour) on the given days, at its own price.
struct TariffPeriodSpec {
  std::string name;
  int from_hour = 0;   // 0..23
  int to_hour = 24;    // 1..24
  std::string days = "all";  // all, weekdays (Mon-Fri), weekends
  double usd_per_kwh = 0.0;
  SourcePos pos;
};

struct SiteSpec {
  std::string name;
  double pue = 1.0;
  double electricity_usd_per_kwh = 0.0;  // the flat price, or the price outside every period
  double tariff_utc_offset_h = 0.0;      // local time of the tariff's periods
  std::vector<TariffPeriodSpec> tariff_periods;  // first match wins
  double demand_charge_usd_per_kw_month = 0.0;   // on the month's peak 15-minute mean facility kW
  std::optional<double> utility_feed_w;  // utility feed for IT load; none: unlimited
  std::optional<double> backup_generation_w;  // gensets for the critical IT load; reported only
  std::optional<ClimateSpec> climate;    // needed by halls with a cooling plant (default: temperate)
  double carbon_g_per_kwh = 0.0;         // grid carbon intensity
  // Hourly grid carbon intensity (site carbon_profile), replacing carbon_g_per_kwh: the file as
  // written (relative to the scenario's folder) and its 8760 or 8784 values, g CO2 per kWh.
  std::string carbon_profile_file;
  std::vector<double> carbon_profile_g_per_kwh;
  std::vector<HallSpec> halls;
  SourcePos pos;
};

enum class ArrivalProcess { poisson, trace };

// Jobs replayed from a GPU-cluster trace file (sim/traces): submission times, GPUs, durations.
struct TraceArrivalsSpec {
  std::string file;    // as written, relative to the scenario's folder
  std::string format;  // alibaba-2023, alibaba-2020, helios, philly, csv
  std::string task_table;  // alibaba-2020 only
  bool skip_bad_rows = false;
  SourcePos pos;
};
enum class WorkloadKind { training, inference };

// A long-lived inference service (kind: inference): replicas on the shared GPUs, a demand curve
// and an autoscaler (docs/scenario-format.md, "Inference services").
struct ServiceSpec {
  int gpus_per_replica = 1;
  double replica_rps = 0.0;          // throughput of one replica, requests/s
  double latency_objective_ns = 2e8; // queueing wait target
  double slo_target = 0.99;
  double base_rps = 0.0;
  double daily_amplitude = 0.0;
  double weekly_amplitude = 0.0;
  double peak_hour = 14.0;           // UTC
  double growth_per_year = 0.0;
  double noise = 0.0;
  double target_utilization = 0.7;
  double scale_up_delay_s = 60.0;
  double cold_start_s = 120.0;
  int min_replicas = 1;
  int max_replicas = 10;
  double interval_s = 300.0;
  std::optional<double> tokens_per_request;       // absent: no token figures
  std::optional<double> price_per_million_tokens_usd;  // replaces GPU-hour billing of its GPU time
  // The workload's `priority` key: ranks the service among training priorities for power capping
  // and inference_preempts, and among services. None: above every training priority.
  std::optional<int> priority;
  SourcePos pos;
};

struct TimeLimitSpec {
  enum class Mode { exact, factor, distribution };
  Mode mode = Mode::exact;          // default: the true duration
  double factor = 1.0;              // Mode::factor: limit = factor x true duration (>= 1)
  std::optional<DistributionSpec> distribution;  // Mode::distribution, in seconds
  SourcePos pos;
};

// A job already in the system at the start (initial.running / initial.queued of a workload).
struct InitialJobSpec {
  bool running = false;
  int gpus = 1;
  double waited_s = 0.0;     // queued before its start (running) or before the scenario's start (queued)
  double elapsed_s = 0.0;    // running: time it has run before the start
  double remaining_s = 0.0;  // work left at full speed: running, `remaining`; queued, `duration`
  std::optional<double> time_limit_s;  // wall-clock limit of its whole run; none: its true run time
  SourcePos pos;
};

// A workload's warm start (initial:): listed jobs, and/or jobs drawn from its steady state.
struct InitialSpec {
  std::vector<InitialJobSpec> jobs;  // running ones, then queued ones, each in file order
  bool steady_state = false;
  std::optional<double> lookback_s;  // steady state: arrivals drawn over this span before the start
  SourcePos pos;
};

struct WorkloadSpec {
  std::string name;
  WorkloadKind kind = WorkloadKind::training;
  std::string tenant = "shared";
  ArrivalProcess process = ArrivalProcess::poisson;
  TraceArrivalsSpec trace;     // ArrivalProcess::trace
  double rate_per_s = 0.0;     // at the start of the run
  bool follows_market = false; // the rate then grows with the market demand (Scenario::market)
  double gpu_power_fraction = 1.0;  // share of the GPUs' idle-to-TDP span drawn while running
  double checkpoint_interval_s = 0.0;  // 0: no checkpoints (an interrupted job starts over)
  double restart_s = 0.0;              // time an interrupted job needs to get going again
  int priority = 0;                    // scheduler.policy priority: higher first
  bool preemptible = false;            // may be preempted by jobs of strictly higher priority
  std::string gpu_type;                // jobs / replicas run only on this GPU type; empty: any
  SourcePos gpu_type_pos;
  SourcePos tenant_pos;
  // Communication profile (docs/fabric.md): all-reduce of gradient_gb per step of step_s compute;
  // 0: none (the network never slows its jobs).
  double comm_gradient_gb = 0.0;
  double comm_step_s = 0.0;
  DistributionSpec gpus;      // Dimension::count, values >= 1
  DistributionSpec duration;  // Dimension::time_s, values > 0
  // duration_basis: h100: durations (and warm-start work) are run times on H100 SXM GPUs, so a
  // job's work is reference GPU-hours, done faster or slower by each part's BF16 throughput.
  bool duration_on_h100 = false;
  SourcePos duration_basis_pos;
  TimeLimitSpec time_limit;
  std::optional<InitialSpec> initial;  // warm start; none: the workload starts empty
  ServiceSpec service;         // WorkloadKind::inference
  SourcePos pos;
};

// A failure process on every server: time between failures per GPU or per server, repair time.
struct FailureSpec {
  std::string name;    // the cause reported
  bool per_gpu = true;
  int switch_tier = 0;  // per: leaf_switch (1) or spine_switch (2); 0 for gpu and server
  // per: ups (1): each UPS unit of the halls with a power_capacity; per: cooling_unit (2): each
  // unit of the halls' cooling plants with a capacity; 0 for the others.
  int facility_unit = 0;
  bool per_link = false;  // per: link: every link of the halls with a fabric
  DistributionSpec time_between;  // Dimension::time_s
  DistributionSpec repair;        // Dimension::time_s
  SourcePos pos;
  SourcePos per_pos;  // of the `per` value (S211 points at it); pos when absent
};

enum class SchedulerPolicy { fifo, easy_backfill, priority, fair_share };

// A tenant's quota (tenants:) under scheduler.policy fair-share.
struct TenantSpec {
  std::string name;
  std::int64_t guaranteed_gpus = 0;
  bool borrow = true;                   // may hold idle GPUs beyond its guarantee
  std::optional<std::int64_t> max_gpus; // with borrow: the most it may hold (none: no bound)
  SourcePos pos;
};

// What happens when a rack, hall or site would exceed its power limit.
struct PowerSpec {
  enum class Policy { cap, admission };
  Policy policy = Policy::cap;          // cap GPUs and slow jobs down, or hold jobs in the queue
  double throughput_exponent = 0.4;     // throughput = (power / TDP)^exponent for capped GPUs
  // Who is capped at a limit: every busy GPU to one level, or the lowest workload priority first
  // (inference replicas last).
  enum class CapOrder { uniform, priority };
  CapOrder cap_order = CapOrder::uniform;
};

// The market projection and our share of it (sim/finance/market.h holds the model).
struct MarketInputSpec {
  std::string scenario_case = "base";          // low, base, high
  std::vector<std::pair<int, double>> anchors;  // (year, USD bn); empty: the reference figures
  double low_growth_offset = -0.04;
  double high_growth_offset = 0.04;
  std::string demand_dimension = "total";       // which slice of the market we sell into
  std::string demand_segment = "total";
  double market_share = 0.001;
  double usd_per_gpu_hour = 3.5;
  double price_decline_per_year = 0.0;
  SourcePos pos;
};

// The GPU-hour prices of one GPU type (finance.prices), overriding finance.price for it.
struct GpuPriceSpec {
  std::string gpu;
  double on_demand_usd_per_gpu_hour = 0.0;
  double reserved_usd_per_gpu_hour = 0.0;  // loader default: on_demand
  SourcePos pos;
  SourcePos gpu_pos;
};

// A reserved contract (finance.contracts): `gpus` GPUs of one type committed to a tenant from
// `start` for `term`, billed at the reserved price whether used or not.
struct ContractSpec {
  std::string tenant;
  std::string gpu;
  int gpus = 1;
  std::int64_t start_unix_s = 0;  // UTC; default: the scenario's start
  double term_s = 0.0;
  // Owed per committed GPU-hour the fleet could not serve and no cloud took (cost "penalty").
  double penalty_usd_per_gpu_hour = 0.0;
  SourcePos pos;
  SourcePos gpu_pos;
};

// finance.cloud_burst: jobs queued after_wait since their arrival run in a rented cloud instead.
struct CloudBurstSpec {
  double usd_per_gpu_hour = 0.0;
  double after_wait_s = 0.0;  // > 0
};

// Company-level money: revenue, opex lines beyond energy and depreciation, discounting.
struct FinanceSpec {
  double usd_per_gpu_hour = 0.0;       // revenue per allocated GPU-hour (0: no revenue)
  std::vector<GpuPriceSpec> prices;    // per GPU type; types not listed sell at usd_per_gpu_hour
  std::vector<ContractSpec> contracts;
  double price_decline_per_year = 0.0; // every GPU-hour price falls by it each 1 January after the start
  std::optional<double> unmet_max_wait_s;  // set: measure unmet demand (finance.unmet)
  std::optional<CloudBurstSpec> cloud_burst;
  // Revenue by GPU type and contract: booked as on_demand/reserved by GPU type instead of gpu_hours.
  bool detailed_revenue() const { return !prices.empty() || !contracts.empty() || price_decline_per_year != 0; }
  double maintenance_per_year = 0.0;   // share of server capex per year
  double staff_usd_per_month = 0.0;
  double software_usd_per_gpu_month = 0.0;  // licences per installed GPU per month
  double transit_usd_per_month = 0.0;
  double tax_rate = 0.0;                    // on each positive fiscal year's profit before tax
  int fiscal_year_start_month = 1;          // 1..12; a fiscal year is labelled by its end year
  double discount_rate = 0.08;         // per year, for NPV
  // Yearly escalation, stepping up each 1 January after the start; lines not given follow inflation.
  double inflation = 0.0;
  std::optional<double> escalation_electricity;
  std::optional<double> escalation_staff;
  std::optional<double> escalation_maintenance;
  std::optional<double> escalation_colocation;
  // Depreciation: "straight-line" or "declining-balance"; useful lives in years.
  std::string depreciation_method = "straight-line";
  std::optional<double> servers_life_years;  // none: each server type's useful_life
  double facility_life_years = 20.0;
  double network_life_years = 5.0;  // switches, optics and cables of hall fabrics
  bool escalates() const {
    return inflation != 0 || escalation_electricity || escalation_staff || escalation_maintenance ||
           escalation_colocation;
  }
};

// Bounds on the size of a run, raised explicitly by `limits:` (docs/errors.md, S208 and S209).
struct LimitsSpec {
  static constexpr std::uint64_t default_max_gpus = 10'000'000;
  static constexpr std::uint64_t default_max_servers = 5'000'000;
  static constexpr std::uint64_t default_max_hours = 1'752'000;  // 200 years of hourly output
  std::optional<std::uint64_t> max_gpus;
  std::optional<std::uint64_t> max_servers;
  std::optional<std::uint64_t> max_hours;
  SourcePos pos;  // of the limits map
  std::uint64_t gpus() const { return max_gpus.value_or(default_max_gpus); }
  std::uint64_t servers() const { return max_servers.value_or(default_max_servers); }
  std::uint64_t hours() const { return max_hours.value_or(default_max_hours); }
};

// A planned expansion (docs/scenario-format.md, expansions): rack groups added to a hall and/or
// more UPS capacity for it, online at a date after procurement and construction lead times.
struct ExpansionSpec {
  std::string name;
  std::string site;
  std::string hall;                         // an existing hall of `site`; empty: the site's feed only
  std::int64_t online_unix_s = 0;           // UTC
  double procurement_lead_s = 0.0;          // ordering to delivery of the equipment
  double build_lead_s = 0.0;                // delivery to online (installation, construction)
  std::optional<double> power_capacity_w;   // added to the hall's UPS capacity at the online date
  std::optional<double> utility_feed_w;     // added to the site's utility feed at the online date
  std::optional<double> capex_usd;          // facility work; default: per MW of power_capacity added
  std::vector<RackGroupSpec> racks;
  SourcePos pos;
  SourcePos site_pos;
  SourcePos hall_pos;
  SourcePos online_pos;
  std::int64_t delivery_unix_s() const { return online_unix_s - static_cast<std::int64_t>(build_lead_s); }
  std::int64_t decision_unix_s() const { return delivery_unix_s() - static_cast<std::int64_t>(procurement_lead_s); }
};

// Facility capex per MW of critical IT capacity an expansion adds, when it gives no capex:
// 11.7M USD per MW, the US average of Cushman & Wakefield's Data Center Development Cost Guide 2025.
inline constexpr double kFacilityCapexUsdPerMw = 11.7e6;

struct CatalogSpec {
  std::vector<GpuTypeSpec> gpus;
  std::vector<ServerTypeSpec> servers;
};

// One `uncertain:` entry: a scenario value (named by a --set path) drawn once per replication.
struct UncertainInput {
  std::string path;       // as written, e.g. "sites.ashburn.pue"
  DistributionSpec spec;  // plain numbers (uniform, normal)
  double value = 0.0;     // applied: the draw of this replication, or the mean for a single run
  SourcePos pos;          // the entry's key in the file
};

struct Scenario {
  std::string name;
  std::string description;
  std::int64_t start_unix_s = 0;   // UTC
  double horizon_s = 0.0;          // required, > 0
  SourcePos horizon_pos;
  double warmup_s = 0.0;           // jobs arriving before start + warmup are left out of job stats
  std::uint64_t seed = 1;
  std::vector<UncertainInput> uncertain;  // in file order; empty when the scenario has none
  std::optional<std::uint64_t> stop_jobs_completed;
  CatalogSpec catalog;             // entries of the scenario's own (override built-ins by name)
  std::vector<SiteSpec> sites;
  std::vector<WorkloadSpec> workloads;
  std::vector<FailureSpec> failures;
  std::vector<ExpansionSpec> expansions;  // planned, in file order
  SchedulerPolicy scheduler = SchedulerPolicy::easy_backfill;
  SourcePos scheduler_pos;
  double scheduler_restart_cost_s = 0.0;  // restart time of a preempted job without checkpoints
  bool scheduler_reclaim = false;          // fair-share: tenants below their guarantee preempt borrowers
  bool scheduler_inference_preempts = false;  // a replica short of GPUs preempts preemptible training
  std::vector<TenantSpec> tenants;         // quotas for fair-share, in file order
  PowerSpec power;
  std::optional<MarketInputSpec> market;
  FinanceSpec finance;
  std::optional<LimitsSpec> limits;  // set only when the scenario has `limits:`
  std::string source_file;         // path the scenario was loaded from ("" if from text)
};

std::string to_string(SchedulerPolicy p);  // "fifo", "easy-backfill"

}  // namespace dcsim::scenario
