// The built model's configuration (what the builder in sim/run produces from a Scenario) and
// the results a simulation returns. Plain values; units in the names.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/engine/calendar.h"
#include "sim/engine/distribution.h"
#include "sim/engine/time.h"
#include "sim/model/catalog.h"
#include "sim/model/cooling.h"
#include "sim/model/fabric.h"
#include "sim/model/inference.h"

namespace dcsim::model {

struct SiteConfig {
  std::string name;
  double pue = 1.0;
  double usd_per_kwh = 0.0;
  double feed_limit_w = 0.0;  // utility feed for IT load; 0: unlimited
  // Outdoor temperature for each hour from the start (hour k covers [k h, (k+1) h)); empty when
  // no hall of the site has a cooling plant.
  std::vector<double> outdoor_c;
};

struct HallCooling {
  bool enabled = false;  // without a plant the hall uses its site's constant PUE
  FacilityPowerModel facility;
  double installed_heat_kw = 0.0;  // 0: the plant never limits the hall
  Redundancy redundancy = Redundancy::n;
  int units = 1;
};

struct HallConfig {
  std::string name;
  std::uint32_t site = 0;
  double power_limit_w = 0.0;  // UPS/PDU capacity; 0: unlimited
  HallCooling cooling;
  // The hall's network (docs/fabric.md), sized to its servers; null when none is modelled.
  std::shared_ptr<const Fabric> fabric;
  bool fabric_spread = false;  // placement policy on the fabric: spread instead of pack
  // The UPS behind power_limit_w (already its usable share), for UPS unit failures.
  Redundancy ups_redundancy = Redundancy::n;
  int ups_units = 1;
  // Hot spares (docs/scenario-format.md, "Hot spares"): of each server type in the hall, this many
  // servers (the last ones there at the start) stand by powered and idle, out of the scheduler's
  // reach; a failed server's jobs restart at once on a free spare of their pool instead of waiting
  // for its repair, and the repaired server becomes a spare.
  int hot_spares = 0;
  // hot_spares per server type (index into ModelConfig::server_types) instead, when not empty:
  // types it leaves out keep none.
  std::vector<std::pair<std::uint32_t, int>> hot_spares_by_type = {};
  int spares_of(std::uint32_t server_type) const {
    if (hot_spares_by_type.empty()) return hot_spares;
    for (const auto& [type, n] : hot_spares_by_type)
      if (type == server_type) return n;
    return 0;
  }
  bool has_spares() const {
    return hot_spares > 0 || std::any_of(hot_spares_by_type.begin(), hot_spares_by_type.end(),
                                         [](const auto& t) { return t.second > 0; });
  }
};

struct RackGroupConfig {
  std::uint32_t hall = 0;
  std::uint32_t server_type = 0;  // index into ModelConfig::server_types
  int racks = 1;
  int servers_per_rack = 1;
  double rack_power_limit_w = 0.0;  // enforced at run time by capping; 0: unlimited
  // A planned expansion's racks: installed at `online` (before it they take no jobs, draw no
  // power and count in no capacity); bought at `delivered`. Both 0 for racks there from the start.
  engine::SimTime online = 0;
  engine::SimTime delivered = 0;
  // Racks of a planned expansion, even one online at the start: their price is the expansion's
  // capex (paid at delivery), not the initial fleet's.
  bool from_expansion = false;
  // Servers already owned at the start (installed: or age_months:): installed at this time <= 0,
  // so no capex in the horizon (sunk) and depreciation only for the rest of their useful life.
  // 0 for servers bought at the start or with an expansion.
  engine::SimTime installed = 0;
  // Leased servers (finance only): a lease per server and month from `online` instead of capex.
  bool leased = false;
  double lease_usd_per_server_month = 0.0;
};

// A planned expansion's UPS capacity, added to a hall's usable power limit at a time.
struct HallPowerStep {
  std::uint32_t hall = 0;
  engine::SimTime at = 0;
  double add_w = 0.0;
};

// A planned utility feed upgrade, added to a site's feed limit at a time.
struct SiteFeedStep {
  std::uint32_t site = 0;
  engine::SimTime at = 0;
  double add_w = 0.0;
};

// What happens when a job would push a rack, hall or site over its power limit.
enum class PowerPolicy {
  cap,        // start it; cap the GPUs under the limit (as CapOrder says), and every job on them slows down
  admission,  // hold it in the queue until it fits under every limit uncapped
};

// How PowerPolicy::cap shares a level's limit among its busy GPUs (docs/scenario-format.md,
// "Power envelopes").
enum class CapOrder {
  uniform,   // one level for every busy GPU under the limit (water filling)
  priority,  // the lowest workload priority is cut first; inference replicas last; uniform within a class
};

enum class TimeLimitMode { exact, factor, distribution };
enum class SchedulingPolicy { fifo, easy_backfill, priority, fair_share };

// A tenant's quota under SchedulingPolicy::fair_share: GPUs it is guaranteed, and the most it may
// hold by borrowing idle GPUs (guaranteed_gpus when it may not borrow).
struct TenantQuota {
  std::string name;
  std::int64_t guaranteed_gpus = 0;
  std::int64_t max_gpus = INT64_MAX;
};

// One job of a replayed trace.
struct TraceArrival {
  engine::SimTime at = 0;        // submission, from the start
  int gpus = 1;
  engine::SimTime duration = 1;  // run time at full speed
};

// A job already in the system at the start (warm start, docs/scenario-format.md "Initial jobs"):
// running (placed at time 0 before anything else, in order) or queued (in the queue at time 0,
// in order, behind the running ones).
struct InitialJob {
  bool running = false;
  int gpus = 1;
  engine::SimTime arrival = 0;    // <= 0: its submission, before the start
  engine::SimTime elapsed = 0;    // running: time it has run before the start (<= -arrival)
  engine::SimTime remaining = 1;  // work left at full speed, > 0
  // Wall-clock time left from the start (running) or from its start (queued) before its limit
  // ends it; 0: the limit is its true remaining time, which only plans (TimeLimitMode::exact).
  engine::SimTime limit = 0;
};

struct WorkloadConfig {
  std::string name;
  std::string tenant = "shared";
  double rate_per_s = 0.0;
  // Arrival rate multiplier for each day from the start (empty: constant rate); arrivals are
  // then a non-homogeneous Poisson process sampled by thinning.
  std::vector<double> daily_rate_multiplier;
  std::vector<TraceArrival> trace;  // non-empty: jobs come from this list, in order, not from the rate
  // Share of the idle-to-TDP span a GPU of this workload's jobs draws while running (training
  // near 1).
  double busy_power_fraction = 1.0;
  // Checkpoints: an interrupted job keeps the work up to its last checkpoint (every
  // checkpoint_interval_s of useful work; 0: none, it restarts from scratch) and spends
  // restart_s getting going again.
  double checkpoint_interval_s = 0.0;
  double restart_s = 0.0;
  // SchedulingPolicy::priority: higher first; a preemptible job may be preempted by a job of
  // strictly higher priority.
  int priority = 0;
  bool preemptible = false;
  std::uint32_t tenant_index = 0;  // into ModelConfig::tenants (SchedulingPolicy::fair_share)
  // Its jobs (or an inference service's replicas) run only on pools of this GPU type (index into
  // ModelConfig::gpu_types); -1: any.
  int gpu_type = -1;
  // Communication profile (docs/fabric.md): a ring all-reduce of comm_gradient_bytes after each
  // step of comm_step_s compute. A job on a hall with a fabric runs at (step + all-reduce on a
  // non-blocking fabric) / (step + all-reduce at its ring's bottleneck bandwidth) of full speed.
  // 0 bytes: no profile.
  double comm_gradient_bytes = 0.0;
  double comm_step_s = 0.0;
  engine::Distribution gpus;
  engine::Distribution duration_s;
  // Durations (trace and warm-start work too) are run times on H100 SXM GPUs: a job's work
  // progresses at relative_speed_of(its GPU type) on top of capping and communication.
  bool duration_on_h100 = false;
  TimeLimitMode time_limit_mode = TimeLimitMode::exact;
  double time_limit_factor = 1.0;
  engine::Distribution time_limit_s;
  // Warm start: jobs in the system at the start, as listed (running first), and whether to add
  // jobs drawn from the workload's own steady state over the steady_state_lookback before the
  // start (sim/model/warm_start.h).
  std::vector<InitialJob> initial_jobs;
  bool initial_steady_state = false;
  engine::SimTime steady_state_lookback = 0;
};

// A failure process of one component class, running on every server: time between failures
// (per GPU of the server, or per server) and time to repair. A failure takes the whole server
// out until repaired and interrupts the jobs on it.
struct FailureClass {
  std::string cause;
  bool per_gpu = true;
  engine::Distribution time_between_s;
  engine::Distribution repair_s;
  // 0: a part of every server; 1: every leaf switch, 2: every switch above the leaves (spine,
  // aggregation, core) of the halls with a fabric (docs/fabric.md, "Switch failures").
  int switch_tier = 0;
  // 1: every UPS unit of the halls with a power limit; 2: every unit of the halls' cooling plants
  // with a capacity. A failed unit takes its share of the installed capacity out until repaired
  // (usable_fraction_with_failed); 0 for the classes above.
  int facility_unit = 0;
  // Every link of the halls with a fabric, endpoint links included (docs/fabric.md, "Link
  // failures"); switch_tier and facility_unit are then 0.
  bool per_link = false;
};

struct ModelConfig {
  std::int64_t start_unix_s = 0;
  engine::SimTime horizon = 0;
  engine::SimTime warmup = 0;
  std::uint64_t seed = 1;
  std::uint64_t stop_jobs_completed = 0;  // 0: no stop condition
  std::vector<GpuType> gpu_types;
  std::vector<ServerType> server_types;
  std::vector<std::uint32_t> server_gpu_type;  // per server type: index into gpu_types
  std::vector<SiteConfig> sites;
  std::vector<HallConfig> halls;
  std::vector<RackGroupConfig> rack_groups;
  std::vector<HallPowerStep> hall_power_steps;  // planned expansions; in time order
  std::vector<SiteFeedStep> site_feed_steps;    // planned utility feed upgrades; in time order
  std::vector<WorkloadConfig> workloads;
  std::vector<FailureClass> failures;
  // Inference services (docs/scenario-format.md, kind: inference); each books to a workload entry
  // that has no arrivals of its own.
  std::vector<ServiceConfig> services;
  SchedulingPolicy policy = SchedulingPolicy::easy_backfill;
  // SchedulingPolicy::priority: restart time of a preempted job whose workload has no checkpoint.
  double preempt_restart_s = 0.0;
  // SchedulingPolicy::fair_share: the tenants' quotas (every workload's tenant_index points here),
  // and whether a tenant below its guarantee may preempt preemptible jobs of tenants above theirs.
  std::vector<TenantQuota> tenants;
  bool reclaim_borrowed = false;
  // An inference scale-up that finds no free GPUs preempts preemptible training jobs (lowest
  // priority first) instead of being dropped.
  bool inference_preempts = false;
  PowerPolicy power_policy = PowerPolicy::cap;
  // Throughput of a capped GPU relative to full power: (P / TDP)^exponent. DVFS makes throughput
  // fall less than linearly with power near TDP; 0.4 is mid-range of published figures (0.3-0.5).
  double throughput_exponent = 0.4;
  CapOrder cap_order = CapOrder::uniform;
  bool record_jobs = false;
  // Keep facility energy per hall in 15-minute intervals (time-of-use tariffs, demand charges).
  bool record_quarter_hours = false;
  // Keep each workload's GPU time per GPU type and month (revenue priced by GPU type).
  bool record_gpu_type_use = false;
  // Unmet demand (finance.unmet): a job's queueing beyond this, until its first start, its move
  // to the cloud or the end of the run, x its GPUs; < 0: not measured.
  engine::SimTime unmet_max_wait = -1;
  // Cloud burst (finance.cloud_burst): a job still queued this long after its arrival leaves the
  // queue for a rented cloud; 0: never.
  engine::SimTime cloud_burst_after = 0;
};

enum class StopReason { horizon, jobs_completed, no_more_events, cancelled };
const char* to_string(StopReason r);

enum class JobState { queued, running, completed, timed_out, rejected, cloud };
const char* to_string(JobState s);

struct JobRecord {
  std::uint64_t job_id = 0;  // 1-based, in arrival order
  std::uint32_t workload = 0;
  int gpus = 0;
  engine::SimTime arrival = 0;
  engine::SimTime start = -1;  // -1: never started
  engine::SimTime end = -1;    // -1: not finished
  JobState state = JobState::queued;
  // Step time on its fabric over step time on a non-blocking one (>= 1; 1 without a profile or
  // fabric), and the distinct leaf switches under its endpoints (0 without a fabric); set when it
  // first starts.
  double comm_slowdown = 1.0;
  int switches_spanned = 0;
  int preemptions = 0;  // times it was preempted (SchedulingPolicy::priority)
  // A job running at the start (warm start): the time it had run before it; its first start in
  // the run is 0, its true start start - elapsed_before_start (jobs.csv prints that one).
  engine::SimTime elapsed_before_start = 0;
};

// One workload's jobs, for per-tenant statistics (tenants.csv): jobs that ended (completed or
// timed out), times its jobs were preempted, and the waits (hours, arrival to first start) of its
// jobs that arrived at or after the warmup and started, in start order.
struct WorkloadJobStats {
  std::uint64_t jobs_finished = 0;
  std::uint64_t preemptions = 0;
  std::vector<double> waits_hours;
};

// Time-weighted means over one interval (an hour, or the last partial hour).
struct IntervalRow {
  engine::SimTime start = 0;
  engine::SimTime length = 0;
  double gpus_total = 0.0;
  double gpus_busy = 0.0;
  double it_power_kw = 0.0;
  double facility_power_kw = 0.0;
  double queue_length = 0.0;
  double queued_gpus = 0.0;
  double running_jobs = 0.0;
  double power_capped_gpus = 0.0;        // busy GPUs running under a power cap
  double throughput_lost_gpus = 0.0;     // busy GPUs x (1 - speed): throughput lost to capping
  // Per hall: IT load its cooling carries this hour (0: none); with cooling unit failures, the
  // hour's time-weighted mean.
  std::vector<double> hall_cooling_limit_kw;
  // Per hall: usable UPS capacity (planned expansions and failed UPS units included), and per
  // site: utility feed (planned upgrades included), time-weighted means over the hour. Filled
  // only when a limit can change during the run (power steps or UPS failures; feed steps).
  std::vector<double> hall_ups_limit_kw;
  std::vector<double> site_feed_limit_kw;
  std::vector<double> site_busy_gpus;         // per site: allocated GPUs
  std::vector<double> site_capped_gpus;       // per site: busy GPUs under a cap
  std::vector<double> site_lost_gpus;         // per site: busy GPUs x (1 - speed)
  std::vector<double> hall_it_power_kw;  // per hall, as drawn (capped)
  std::vector<double> hall_demand_kw;    // per hall, uncapped: what the jobs would draw
  // Per hall x link tier (3 h + 0 leaf, 1 spine/aggregation, 2 core): the hour's mean traffic of
  // the running rings over the tier's capacity (both directions); empty when no hall has a fabric.
  std::vector<double> hall_fabric_util;
  // Per site: facility power, and for sites with a climate the outdoor temperature, cooling
  // power and water use in the hour.
  std::vector<double> site_facility_kw;
  std::vector<double> site_outdoor_c;
  std::vector<double> site_cooling_kw;
  std::vector<double> site_water_l;
};

// Energy of one site in one calendar month, exact: integer milliwatt-microseconds.
struct SiteMonthEnergy {
  std::uint32_t site = 0;
  engine::YearMonth month;
  __int128 it_energy_mw_us = 0;
  engine::SimTime in_service = 0;  // simulated time of this month inside the run
  double facility_kwh = 0.0;       // IT x PUE, or from the hall's cooling model hour by hour
  double it_kwh() const;
};

// One hall's energy in one calendar month.
struct HallMonthEnergy {
  std::uint32_t hall = 0;
  engine::YearMonth month;
  __int128 it_energy_mw_us = 0;
  double facility_kwh = 0.0;
};

// GPU time one workload held (allocated GPUs) in one calendar month.
struct WorkloadMonthUse {
  std::uint32_t workload = 0;
  engine::YearMonth month;
  __int128 gpu_us = 0;
  double gpu_hours() const { return static_cast<double>(gpu_us) / 3.6e9; }
};

// Jobs of one workload that completed their work in one calendar month (timed-out jobs not
// counted), and the GPU time they held in all (every run segment in the horizon: restarts and
// work lost to failures included; time before the start of a warm-started job not).
struct WorkloadCompletedRuns {
  std::uint32_t workload = 0;
  engine::YearMonth month;
  std::uint64_t runs = 0;
  __int128 gpu_us = 0;
  double gpu_hours() const { return static_cast<double>(gpu_us) / 3.6e9; }
};

// GPU time one workload held on GPUs of one type in one calendar month.
struct WorkloadTypeMonthUse {
  std::uint32_t workload = 0;
  std::uint32_t gpu_type = 0;  // index into ModelConfig::gpu_types
  engine::YearMonth month;
  __int128 gpu_us = 0;
  double gpu_hours() const { return static_cast<double>(gpu_us) / 3.6e9; }
};

// A hall's power swings: synchronized training makes the draw jump when jobs start and end.
struct HallSwing {
  double peak_kw = 0.0;                      // highest instantaneous IT draw
  double largest_change_kw_per_minute = 0.0; // largest change of the draw within one minute
  double it_energy_kwh = 0.0;
};

struct ModelResults {
  StopReason stop_reason = StopReason::horizon;
  engine::SimTime end_time = 0;  // simulated time at which the run ended
  std::uint64_t events = 0;      // model events: arrivals and job ends
  std::string fingerprint;       // hex
  std::int64_t gpus_total = 0;    // every GPU, planned expansions included
  // GPUs held as hot spares (HallConfig::hot_spares): installed, drawing idle power, but not
  // available to the scheduler, so not in the utilization denominators (nor in installed_gpu_us
  // or IntervalRow::gpus_total).
  std::int64_t spare_gpus = 0;
  // Failed servers whose jobs restarted at once on a hot spare, and hall-hours during which a hall
  // with hot spares had none free (all in use as repairs' stand-ins, or failed).
  std::uint64_t spare_swaps = 0;
  double hours_without_spare = 0.0;
  // The same three per hall (index of ModelConfig::halls); empty without hot spares.
  struct HallSpares {
    std::int64_t spare_gpus = 0;
    std::uint64_t spare_swaps = 0;
    double hours_without_spare = 0.0;
  };
  std::vector<HallSpares> hall_spares;
  // Integral of installed GPUs over the run (GPU-time available); gpus_total x end_time when
  // nothing comes online later.
  __int128 installed_gpu_us = 0;
  std::uint64_t jobs_submitted = 0;
  std::uint64_t jobs_started = 0;
  std::uint64_t jobs_completed = 0;
  std::uint64_t jobs_timed_out = 0;
  std::uint64_t jobs_rejected = 0;   // larger than every pool (only unbounded size distributions)
  std::uint64_t jobs_waiting_at_end = 0;
  std::uint64_t jobs_running_at_end = 0;
  // Jobs that arrived at or after the warmup and started: the job statistics cover these.
  std::uint64_t jobs_measured = 0;
  double mean_wait_hours = 0.0;
  double p95_wait_hours = 0.0;
  double share_waited = 0.0;
  double mean_run_hours = 0.0;        // of measured jobs that ended
  double mean_queue_length = 0.0;     // time average over the whole run
  double mean_jobs_in_system = 0.0;   // queued + running, time average
  __int128 busy_gpu_us = 0;           // integral of allocated GPUs
  double capped_gpu_hours = 0.0;      // busy GPU-hours spent under a power cap
  // Jobs of workloads with a communication profile that started, and their mean comm_slowdown
  // (JobRecord) at their first start (1 when none started).
  std::uint64_t comm_jobs = 0;
  double mean_comm_slowdown = 1.0;
  std::vector<std::uint64_t> failures_by_cause;       // per ModelConfig::failures entry
  std::vector<std::uint64_t> interruptions_by_cause;  // jobs interrupted, per cause
  std::uint64_t preemptions = 0;  // running jobs preempted (priority or fair-share reclaim)
  std::vector<WorkloadJobStats> workload_jobs;  // per ModelConfig::workloads entry
  // Per hall with a fabric under switch or link failures: the lowest bisection bandwidth
  // (max-flow over the switches and links in service) seen during the run; empty without them.
  std::vector<double> hall_min_bisection_gbps;
  // Under link failures (FailureClass::per_link): links failed, and link-hours out of service.
  std::uint64_t link_failures = 0;
  double link_down_hours = 0.0;
  double work_lost_gpu_hours = 0.0;    // useful work since the last checkpoint, lost
  double restart_gpu_hours = 0.0;      // GPU time spent restarting interrupted jobs
  double server_down_gpu_hours = 0.0;  // GPUs out of service, awaiting repair
  double lost_gpu_hours = 0.0;        // GPU-hours of throughput lost to capping (power and heat)
  double lost_gpu_hours_heat = 0.0;   // the part lost in halls whose cooling set the limit
  std::uint64_t hours_capped = 0;     // hourly rows with any GPU capped
  std::vector<double> hall_peak_it_kw;  // per hall: highest hourly mean IT power
  std::vector<double> site_peak_it_kw;  // per site: highest hourly mean IT power
  double water_litres = 0.0;
  double peak_pue = 0.0;                // highest hourly site PUE
  std::uint64_t hall_hours_heat_limited = 0;  // hall-hours whose cooling capacity was below its demand
  // Failed UPS and cooling units (FailureClass::facility_unit): failures, unit-hours out of
  // service, and hall-hours during which the failures lowered the hall's usable capacity.
  std::uint64_t ups_failures = 0;
  std::uint64_t cooling_unit_failures = 0;
  double ups_unit_down_hours = 0.0;
  double cooling_unit_down_hours = 0.0;
  double hall_hours_ups_reduced = 0.0;
  double hall_hours_cooling_reduced = 0.0;
  __int128 it_energy_mw_us = 0;
  std::vector<IntervalRow> hours;
  std::vector<SiteMonthEnergy> site_months;
  std::vector<HallMonthEnergy> hall_months;
  std::vector<HallSwing> hall_swings;  // per hall
  std::vector<WorkloadMonthUse> workload_months;
  // Non-zero cells only, when ModelConfig::record_gpu_type_use; month by month, then workload, type.
  std::vector<WorkloadTypeMonthUse> workload_type_months;
  // Cloud burst: GPUs x full-speed duration of the jobs each workload sent to the cloud, by month
  // of leaving (non-zero cells only), and how many jobs left.
  std::vector<WorkloadMonthUse> workload_cloud_months;
  std::uint64_t jobs_sent_to_cloud = 0;
  __int128 unmet_gpu_us = 0;  // ModelConfig::unmet_max_wait >= 0: GPUs x queueing beyond it
  // The same by calendar month of that queueing and workload (non-zero cells, month by month).
  std::vector<WorkloadMonthUse> workload_unmet_months;
  // Completed jobs by workload and month of completion (non-zero cells, month by month), for
  // the cost per training run (kpis.csv).
  std::vector<WorkloadCompletedRuns> workload_completed_runs;
  std::vector<JobRecord> jobs;        // when ModelConfig::record_jobs
  std::vector<ServiceResults> services;         // per ModelConfig::services entry
  std::vector<ServiceIntervalRow> service_rows;  // per service and autoscaler interval, in time order
  // Per hall: facility kWh of each 15-minute interval from the start (interval q covers
  // [q x 15 min, (q+1) x 15 min)); when ModelConfig::record_quarter_hours, else empty.
  std::vector<std::vector<double>> hall_quarter_facility_kwh;
};

// Called now and then with the fraction of the horizon done; return false to cancel.
using ProgressFn = std::function<bool(double fraction_done)>;

ModelResults simulate(const ModelConfig& config, const ProgressFn& progress = {});

}  // namespace dcsim::model
