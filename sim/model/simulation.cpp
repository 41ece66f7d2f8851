// The first model: gang-scheduled training jobs on a GPU fleet, with power, energy and queue
// metrics integrated exactly between events. The run loop is Simulation::run().
#include <algorithm>
#include <cassert>
#include <climits>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <tuple>
#include <map>
#include <memory>
#include <span>

#include "sim/engine/event_queue.h"
#include "sim/engine/fingerprint.h"
#include "sim/engine/order_statistic.h"
#include "sim/engine/random.h"
#include "sim/model/cluster.h"
#include "sim/model/cooling.h"
#include "sim/model/expected_ends.h"
#include "sim/model/model.h"
#include "sim/model/placement.h"
#include "sim/model/warm_start.h"

namespace dcsim::model {

using engine::SimTime;

const char* to_string(StopReason r) {
  switch (r) {
    case StopReason::horizon: return "horizon";
    case StopReason::jobs_completed: return "jobs_completed";
    case StopReason::no_more_events: return "no_more_events";
    case StopReason::cancelled: return "cancelled";
  }
  return "?";
}

const char* to_string(JobState s) {
  switch (s) {
    case JobState::queued: return "queued";
    case JobState::running: return "running";
    case JobState::completed: return "completed";
    case JobState::timed_out: return "timed_out";
    case JobState::rejected: return "rejected";
    case JobState::cloud: return "cloud";
  }
  return "?";
}

double SiteMonthEnergy::it_kwh() const {
  // 1 kWh = 1e6 mW x 3.6e9 us. Split into whole kWh and the rest so that integral energies
  // convert exactly.
  constexpr __int128 kMwUsPerKwh = static_cast<__int128>(3'600'000'000'000'000LL);
  const __int128 whole = it_energy_mw_us / kMwUsPerKwh;
  const __int128 rest = it_energy_mw_us % kMwUsPerKwh;
  return static_cast<double>(whole) + static_cast<double>(rest) / 3.6e15;
}

namespace {

enum EventKind : std::uint16_t { kJobEnd = 0, kArrival = 1, kHourTick = 2, kFailure = 3, kRepair = 4, kService = 5 };
// kService + ServiceFleet::kTick / kTakeGpus / kReady (5 to 7): the inference services' events.
// Planned expansions: a rack group installed, a hall's UPS capacity raised.
constexpr std::uint16_t kOnline = 8;
constexpr std::uint16_t kPowerStep = 9;
// A fabric switch fails or is repaired; id = switch unit x failure classes + class.
constexpr std::uint16_t kSwitchFailure = 20;
constexpr std::uint16_t kSwitchRepair = 21;
// A fabric link fails or is repaired; id = link unit x failure classes + class.
constexpr std::uint16_t kLinkFailure = 30;
constexpr std::uint16_t kLinkRepair = 31;
// Cloud burst (ModelConfig::cloud_burst_after): a job queued that long leaves for the cloud.
constexpr std::uint16_t kCloudBurst = 10;
// A planned utility feed upgrade (ModelConfig::site_feed_steps).
constexpr std::uint16_t kFeedStep = 11;
// A UPS or cooling unit fails (id = unit x failure classes + class) or is repaired (id = unit).
constexpr std::uint16_t kUnitFailure = 22;
constexpr std::uint16_t kUnitRepair = 23;
// Completions at an instant are handled before arrivals at it.
constexpr std::uint8_t kPriorityJobEnd = 0;
constexpr std::uint8_t kPriorityArrival = 1;
constexpr std::uint8_t kPriorityTick = 2;  // engine bookkeeping: not a model event
constexpr std::uint32_t kNotRunning = UINT32_MAX;
constexpr std::uint32_t kPreempted = UINT32_MAX;  // interrupt() cause of a preemption

std::int64_t to_milliwatts(double watts) { return std::llround(watts * 1000.0); }

// A value that steps at events, averaged over an hour for its row: exactly the value when it did
// not change inside the hour (a change at the hour's first instant belongs to the hour).
struct StepMean {
  double value = 0.0;
  double integral = 0.0;  // value x microseconds since the hour's start, up to `since`
  SimTime since = 0;
  bool changed = false;
  void set(double v, SimTime now, SimTime hour_start) {
    if (v == value) return;
    integral += value * static_cast<double>(now - since);
    since = now;
    if (now > hour_start) changed = true;
    value = v;
  }
  double close(SimTime hour_start, SimTime hour_end) {
    const double mean =
        changed ? (integral + value * static_cast<double>(hour_end - since)) / static_cast<double>(hour_end - hour_start)
                : value;
    integral = 0.0;
    since = hour_end;
    changed = false;
    return mean;
  }
};

// A link's tier for fabric utilization: 0 endpoint-to-leaf, 1 leaf-to-spine (or aggregation),
// 2 aggregation-to-core: the higher switch tier of its ends, less one.
int link_tier(const Fabric& fabric, const FabricLink& link) {
  return std::max(fabric.vertices[static_cast<std::size_t>(link.a)].tier, fabric.vertices[static_cast<std::size_t>(link.b)].tier) - 1;
}

// A job's record. The first three cache lines hold what every arrival, start and end touches
// (the record is cold when a job's end comes, an hour of simulated time after its start: the fewer
// lines, the fewer misses, and the running jobs' hot lines stay in the L2 cache); the fields after
// them only features use (restarts, warm start, fabrics), and a run without those features never
// writes them after the record is made (submit_job resets them only when a feature changed them).
struct alignas(64) Job {
  std::uint64_t id = 0;
  SimTime arrival = 0;
  SimTime start = -1;
  SimTime limit = 0;        // what the scheduler plans with
  SimTime settled_at = 0;   // when remaining_us was last brought up to date
  SimTime held_since = 0;   // start of the current run segment (held_gpu_us)
  // Fluid progress: work left in microseconds at full speed, and the current speed (1 = full).
  double remaining_us = 0.0;
  double speed = 1.0;
  // Relative speed of the part it runs on (workloads with duration_on_h100; 1 otherwise): its
  // remaining_us is H100 work, done at speed x comm x part per microsecond.
  double part = 1.0;
  // Network: speed factor of its communication on its fabric (1: none), multiplied into `speed`
  // wherever work progresses.
  double comm = 1.0;
  // Failures: the useful work the job needs in all, and remaining_us at the start of the current
  // run segment.
  double work_total_us = 0.0;
  double segment_remaining_us = 0.0;
  // Allocated GPUs x time over its run segments so far (the cost per training run charges a
  // completed job's whole GPU time).
  __int128 held_gpu_us = 0;
  std::uint32_t workload = 0;
  int gpus = 0;
  engine::EventHandle end_event = engine::kNoEvent;
  engine::EventHandle burst_event = engine::kNoEvent;  // pending move to the cloud, while queued
  // Times interrupted (failures, preemptions); 0 also tells that segment_overhead_us and
  // preemptions are 0.
  int restarts = 0;
  bool enforce_limit = false;  // a requested limit also ends the job (exact mode only plans)
  bool comm_profiled = false;  // see comm_us
  Placement placement;
  SimTime elapsed_before_start = 0;  // warm start: time it had run before the start (JobRecord)

  // Cold: only features touch these.
  // The part of remaining_us at the start of the current run segment that is restart overhead
  // (burnt before useful work).
  double segment_overhead_us = 0.0;
  int preemptions = 0;
  // The record's slowdown and leaf count from its first start on a fabric.
  int switches_spanned = 0;
  double comm_slowdown = 1.0;
  // Its ring's loads on the fabric's link directions (empty: no traffic modelled), shared
  // max-min fairly with the other jobs on those links, and its ring's ranks.
  std::vector<ArcLoad> arc_loads;
  int ranks = 0;
  bool ring_cut = false;  // no path for some hop of its ring: no progress until a repair
  // Traffic its ring carries per link tier (leaf, spine, core; Gb/s over both directions),
  // averaged over its steps: counted in its hall's fabric_carried_gbps_.
  double carried_gbps[3] = {0.0, 0.0, 0.0};
  // Of a profiled job on a fabric: the integral of comm over its run so far, the time it has run
  // and when both were last brought up to date; comm_slowdown = run_us / comm_us.
  double comm_us = 0.0;
  SimTime run_us = 0;
  SimTime comm_since = 0;
  void settle_comm(SimTime now) {
    comm_us += comm * static_cast<double>(now - comm_since);
    run_us += now - comm_since;
    comm_since = now;
    if (comm_us > 0.0) comm_slowdown = static_cast<double>(run_us) / comm_us;
  }
};
static_assert(offsetof(Job, segment_overhead_us) <= 192, "the hot fields of Job fit in three cache lines");

struct WorkloadStreams {
  engine::RandomStream arrivals;
  engine::RandomStream gpus;
  engine::RandomStream duration;
  engine::RandomStream time_limit;
};

class Simulation : public ServiceHost {
 public:
  Simulation(const ModelConfig& config, const ProgressFn& progress);
  ModelResults run();

  // ServiceHost: inference replicas take GPUs of the cluster and draw power like jobs.
  bool take_replica_gpus(const ServiceConfig& s, Placement& out) override;
  void release_replica_gpus(const ServiceConfig& s, const Placement& p, std::int64_t busy_mw_per_gpu,
                            bool powered) override;
  void power_replica(const ServiceConfig& s, const Placement& p, std::int64_t mw_per_gpu) override;
  void set_service_power(const ServiceConfig& s, PoolId pool, std::int64_t from_mw_per_gpu,
                         std::int64_t to_mw_per_gpu) override;
  std::int64_t full_busy_mw(const ServiceConfig& s, PoolId pool) const override { return gpu_busy_mw(pool, s.workload); }
  void schedule_service_event(SimTime at, int what, std::uint32_t service) override {
    queue_.push(at, kPriorityArrival, static_cast<std::uint16_t>(kService + what), service);
  }

 private:
  // Event handlers.
  void on_arrival(std::uint32_t workload, SimTime now);
  void place_initial_jobs();
  std::uint32_t add_initial_job(std::uint32_t workload, const InitialJob& initial);
  std::uint32_t submit_job(std::uint32_t w, int gpus, SimTime arrival, SimTime work, SimTime limit, bool enforce_limit);
  SimTime next_arrival(std::uint32_t workload, SimTime now);
  void on_job_end(std::uint32_t slot, SimTime now);
  // When the next event is a job's end, starts loading its record's hot lines: started an hour of
  // simulated time earlier, it is cold, and its first load was the largest single cost of a run of
  // small jobs. A hint only: nothing depends on it.
  void prefetch_next_end() const {
    if (queue_.empty()) return;
    const engine::Event next = queue_.top();
    if (next.kind != kJobEnd) return;
    const char* job = reinterpret_cast<const char*>(&jobs_[next.id]);
    __builtin_prefetch(job);
    __builtin_prefetch(job + 64);
    __builtin_prefetch(job + 128);
  }
  void stop_running(Job& job, SimTime now);
  void on_failure(std::uint32_t id, SimTime now);
  void on_repair(std::uint32_t server, SimTime now);
  void on_online(std::uint32_t pending, SimTime now);
  void on_power_step(std::uint32_t step, SimTime now);
  void on_feed_step(std::uint32_t step, SimTime now);
  void on_unit_failure(std::uint32_t id, SimTime now);
  void on_unit_repair(std::uint32_t unit, SimTime now);
  void apply_unit_change(std::uint32_t hall, SimTime now);
  double ups_limit_mw(std::uint32_t hall) const;
  double cooling_it_mw(std::uint32_t hall, SimTime now) const;
  // Failed UPS and cooling units (FailureClass::facility_unit): each unit's hall and kind (1: UPS,
  // 2: cooling), whether it is out and since when; per hall the units out of each kind, the usable
  // UPS limit before failures (mW) and since when failures have lowered its UPS / cooling capacity
  // (-1: not lowered).
  struct FacilityUnit {
    std::uint32_t hall = 0;
    int kind = 0;
    bool down = false;
    SimTime down_since = 0;
  };
  std::vector<FacilityUnit> facility_units_;
  std::vector<int> hall_ups_down_;
  std::vector<int> hall_cooling_down_;
  std::vector<double> hall_ups_planned_mw_;
  std::vector<SimTime> hall_ups_reduced_since_;
  std::vector<SimTime> hall_cooling_reduced_since_;
  // Utility feed per site (0: unlimited), raised by planned upgrades: W as planned, and mW.
  std::vector<double> site_feed_w_;
  std::vector<std::int64_t> site_feed_mw_;
  // Hourly means of the limits that can change during the run; empty when they cannot.
  std::vector<StepMean> hour_ups_limit_kw_;   // per hall
  std::vector<StepMean> hour_feed_limit_kw_;  // per site
  std::vector<StepMean> hour_cooling_limit_kw_;  // per hall; only with cooling unit failures
  void on_cloud_burst(std::uint32_t slot, SimTime now);
  // Unmet demand: the job's queueing from its arrival to `until` beyond the accepted wait.
  void add_unmet(const Job& job, SimTime until) {
    if (cfg_.unmet_max_wait < 0) return;
    // Only queueing inside the run counts: a job queued since before the start (warm start)
    // counts from the start at most.
    const SimTime beyond = std::min(until, until - job.arrival - cfg_.unmet_max_wait);
    if (beyond <= 0) return;
    out_.unmet_gpu_us += static_cast<__int128>(job.gpus) * beyond;
    // By calendar month of the queueing beyond max_wait, for the monthly P&L columns.
    for (SimTime t = until - beyond; t < until;) {
      const SimTime piece_end = std::min(until, calendar_.start_of_next_month(t));
      unmet_cells_[{calendar_.month_of(t), job.workload}] += static_cast<__int128>(job.gpus) * (piece_end - t);
      t = piece_end;
    }
  }
  std::map<std::pair<engine::YearMonth, std::uint32_t>, __int128> unmet_cells_;  // (month, workload)
  struct CompletedCell {
    std::uint64_t runs = 0;
    __int128 gpu_us = 0;
  };
  std::map<std::pair<engine::YearMonth, std::uint32_t>, CompletedCell> completed_cells_;  // (month, workload)
  // Rack groups of planned expansions, not installed until `online`: their servers are out of
  // the buckets and their racks draw nothing until then.
  struct PendingGroup {
    SimTime online = 0;
    std::uint32_t first_rack = 0;
    std::uint32_t racks = 0;
    ServerId first_server = 0;
    std::uint32_t servers = 0;
    std::int64_t rack_idle_mw = 0;
    std::int64_t gpus = 0;
  };
  std::vector<PendingGroup> pending_groups_;
  std::vector<bool> pending_server_;  // per server, empty without expansions
  std::int64_t installed_gpus_ = 0;
  std::int64_t hour_installed_ = 0;    // integral of installed GPUs over the hour
  SimTime next_failure(std::uint32_t failure_class, ServerId server, SimTime from);
  // cause kPreempted: preempted by a higher-priority job (SchedulingPolicy::priority).
  void interrupt(std::uint32_t slot, std::uint32_t cause, SimTime now);
  double work_lost_us(const Job& job, SimTime now) const;
  std::vector<engine::RandomStream> failure_streams_;
  std::vector<std::uint32_t> server_down_cause_;  // per server: failure class that took it down
  std::vector<SimTime> server_down_since_;
  // Hot spares (HallConfig::hot_spares); all empty without them. Per server its role: an active
  // server, a free spare (out of the buckets, idle), or a spare under repair. Per pool the free
  // spares; per hall how many are free, and since when none has been (-1: some are).
  enum SpareState : std::uint8_t { kActive = 0, kSpareFree = 1, kSpareRepair = 2 };
  std::vector<std::uint8_t> spare_state_;
  std::vector<std::vector<ServerId>> pool_free_spares_;
  std::vector<std::int64_t> pool_spare_gpus_;  // per pool: GPUs of its spares, free or not
  std::vector<int> hall_free_spares_;
  std::vector<SimTime> hall_no_spare_since_;
  void add_free_spare(ServerId s, SimTime now);
  void take_free_spare(ServerId s, SimTime now);
  bool swap_in_spare(ServerId failed, const std::vector<std::uint32_t>& hit, SimTime now);
  // Scheduling passes.
  void schedule(SimTime now);
  void start_head_jobs(SimTime now);
  void easy_backfill(SimTime now);
  void priority_schedule(SimTime now);
  // scheduler.policy priority: priority (higher first), then arrival, then job id.
  bool priority_before(std::uint32_t a, std::uint32_t b) const {
    const Job& x = jobs_[a];
    const Job& y = jobs_[b];
    const int px = cfg_.workloads[x.workload].priority;
    const int py = cfg_.workloads[y.workload].priority;
    if (px != py) return px > py;
    return x.arrival != y.arrival ? x.arrival < y.arrival : x.id < y.id;
  }
  // Puts a job in the queue: at the back (an arrival) or the front (an interrupted job), except
  // under the priority policy, which keeps the queue in priority_before order as jobs join it
  // (a binary search per job, not a sort of the whole queue at every scheduling pass).
  void enqueue(std::uint32_t slot, bool front) {
    if (cfg_.policy == SchedulingPolicy::priority) {
      waiting_.insert(std::upper_bound(waiting_.begin(), waiting_.end(), slot,
                                       [&](std::uint32_t a, std::uint32_t b) { return priority_before(a, b); }),
                      slot);
    } else if (front) {
      waiting_.push_front(slot);
    } else {
      waiting_.push_back(slot);
    }
  }
  bool preempt_for(std::uint32_t slot, SimTime now);
  void collect_victims(PoolId pool, int prio, SimTime now);
  // SchedulingPolicy::fair_share: GPUs each tenant holds (jobs and inference replicas), and in a
  // reclaim the GPUs already taken from each tenant's borrowed share.
  bool fair_share_ = false;
  std::vector<std::int64_t> tenant_busy_gpus_;
  // GPUs each tenant's running jobs and replicas asked for: max_gpus bounds requests, which
  // packing can round up to whole servers in tenant_busy_gpus_.
  std::vector<std::int64_t> tenant_requested_gpus_;
  void add_tenant_requested(std::uint32_t workload, std::int64_t gpus) {
    if (fair_share_) tenant_requested_gpus_[cfg_.workloads[workload].tenant_index] += gpus;
  }
  // Some tenant has workloads of different priorities: order_fair_share orders by priority within
  // each tenant.
  bool fair_share_priorities_ = false;
  std::vector<std::int64_t> tenant_taken_gpus_;
  std::vector<char> tenant_tried_;
  void fair_share_schedule(SimTime now);
  void order_fair_share();
  std::vector<std::uint32_t> tenant_rank_;    // scratch: tenants by share, then index
  std::vector<std::size_t> bucket_start_;     // scratch: counting sort of the queue
  std::vector<std::uint32_t> order_scratch_;
  bool preempt_for_replica(const ServiceConfig& s, SimTime now);
  // (priority, GPU-microseconds of work lost, newer first, slot) of a replica's candidate victims.
  std::vector<std::tuple<int, double, std::uint64_t, std::uint32_t>> replica_victims_;
  void collect_replica_victims(const ServiceConfig& s, PoolId pool, SimTime now);
  // A tenant's place in the fair-share order: usage over guarantee; tenants guaranteed nothing
  // after all others, by the GPUs they hold.
  std::pair<int, double> tenant_share(std::uint32_t t) const {
    const std::int64_t g = cfg_.tenants[t].guaranteed_gpus;
    const auto busy = static_cast<double>(tenant_busy_gpus_[t]);
    return g > 0 ? std::pair<int, double>{0, busy / static_cast<double>(g)} : std::pair<int, double>{1, busy};
  }
  // The job would take its tenant's requested GPUs over max_gpus (only under fair share).
  bool over_quota(const Job& job) const {
    if (!fair_share_) return false;
    const std::uint32_t t = cfg_.workloads[job.workload].tenant_index;
    return tenant_requested_gpus_[t] + job.gpus > cfg_.tenants[t].max_gpus;
  }
  std::vector<std::uint32_t> victims_scratch_;
  std::vector<std::pair<double, std::uint32_t>> victim_cost_scratch_;
  SimTime shadow_time(PoolId pool, int head_gpus, SimTime now);
  void shadow_now(PoolId pool, int head_gpus);
  // shadow_time through shadow_memo_; `fresh` tells whether it ran (so shadow_free_ holds the pool).
  SimTime memo_shadow_time(PoolId pool, int head_gpus, SimTime now, bool& fresh);
  // Gives server s its shadow_free_ entry (the cluster's free GPUs now) if its pool's pass has not yet.
  void touch_shadow(ServerId s);
  std::uint64_t pool_changes() const;
  bool backfill_may_skip(SimTime now) const;
  void remember_idle_backfill(SimTime until);
  void add_shadow_free(ServerId s, int gpus);
  bool head_fits_in_shadow() const { return shadow_found_ >= shadow_needed_; }
  void start_job(std::uint32_t slot, PoolId pool, SimTime now);
  void start_placed(std::uint32_t slot, SimTime now);
  void record_job(const Job& job, JobState state, SimTime end);
  void reserve_waits();
  // Power envelopes.
  void add_rack_busy(const Job& job, int sign);
  void add_busy_power(const Placement& placement, int gpus, std::int64_t mw_per_gpu, int gpu_sign, std::uint32_t workload) {
    if (power_limited_) {
      add_limited_busy_power(placement, gpus, mw_per_gpu, gpu_sign, workload);
      return;
    }
    // No limits: only the hall and site totals matter (a pool is one hall), not the racks; inline,
    // as every start and end comes here.
    add_unlimited_power(cluster_.pools()[placement.pool], gpus * mw_per_gpu);
  }
  // Without power limits a draw changes only its hall's and site's totals (demand = power).
  void add_unlimited_power(const Pool& pool, std::int64_t mw) {
    settle_hall(pool.hall);
    hall_demand_mw_[pool.hall] += mw;
    site_demand_mw_[pool.site] += mw;
    hall_power_mw_[pool.hall] += mw;
    site_power_mw_[pool.site] += mw;
    it_power_mw_ += mw;
  }
  // The same under power envelopes: the racks' draw and over-limit counts too.
  void add_limited_busy_power(const Placement& placement, int gpus, std::int64_t mw_per_gpu, int gpu_sign,
                              std::uint32_t workload);
  std::unique_ptr<ServiceFleet> services_;  // null without inference services
  bool power_admits(const Job& job, const Placement& placement) const;
  std::int64_t gpu_busy_mw(PoolId pool, std::uint32_t workload) const;
  void update_power_caps(std::uint32_t site, SimTime now);
  void set_capped_speeds(std::uint32_t site, SimTime now);
  void update_priority_caps(std::uint32_t site, SimTime now);
  void priority_cut(const std::vector<std::uint32_t>& racks, std::int64_t limit_mw);
  void set_job_speed(Job& job, double speed, SimTime now);
  void set_job_comm(std::uint32_t slot, SimTime now);
  void ring_of(const Job& job, const Fabric& fabric);
  void on_switch_failure(std::uint32_t id, SimTime now);
  void after_fabric_failure(std::uint32_t hall, std::uint32_t c, std::uint32_t id, std::uint16_t repair_kind,
                            std::uint16_t failure_kind, SimTime now);
  void on_switch_repair(std::uint32_t id, SimTime now);
  void on_link_failure(std::uint32_t id, SimTime now);
  void on_link_repair(std::uint32_t id, SimTime now);
  void cut_off(const std::vector<ServerId>& cut, std::uint32_t cause, SimTime now);
  void reconnect(ServerId s, SimTime now);
  void set_failed_paths(std::uint32_t hall);
  void count_link(std::uint32_t hall, int link, SimTime now);
  void reroute(std::uint32_t hall, SimTime now);
  void note_bisection(std::uint32_t hall);
  void plan_placement(PoolId pool, const Job& job, Placement& out);
  void share_links(std::uint32_t hall, SimTime now);
  void leave_links(Job& job, SimTime now);
  SimTime end_time_of(const Job& job, SimTime now) const;
  // Metrics.
  void advance(SimTime t);
  void close_hour();
  void close_month();
  void finish(SimTime end);

  const ModelConfig& cfg_;
  const ProgressFn& progress_;
  engine::Calendar calendar_;
  engine::EventQueue queue_;
  engine::EventFingerprint fingerprint_;
  Cluster cluster_;
  std::vector<WorkloadStreams> streams_;
  std::vector<double> rate_peak_;  // per workload: largest daily rate multiplier (thinning bound)
  std::vector<std::size_t> trace_next_;  // per workload: index of its next trace job
  std::vector<Job> jobs_;
  // Per slot: its index in running_ (kNotRunning if none), apart from Job so that a job's end does
  // not write to the record of the running job moved into its place.
  std::vector<std::uint32_t> running_pos_;
  std::vector<std::uint32_t> free_slots_;
  std::deque<std::uint32_t> waiting_;
  std::vector<std::uint32_t> running_;
  std::vector<std::int64_t> pool_busy_delta_mw_;  // per pool: TDP - idle of one GPU, mW
  std::vector<double> pool_idle_over_tdp_;        // per pool: idle / TDP of its GPU
  std::uint64_t next_job_id_ = 1;

  // Power envelopes: racks, halls and sites with their limits (0: none). Busy power is the
  // uncapped draw above idle of the GPUs that jobs use; level is the cap (1: uncapped) as a
  // fraction of the idle-to-TDP span.
  bool power_limited_ = false;
  std::vector<std::uint32_t> server_rack_;
  std::vector<std::uint32_t> rack_hall_;
  std::vector<std::int64_t> rack_base_mw_;
  std::vector<std::int64_t> rack_busy_mw_;
  std::vector<std::int64_t> rack_busy_gpus_;
  std::vector<std::int64_t> rack_limit_mw_;
  std::vector<double> rack_level_;
  // CapOrder::priority (empty otherwise): capping classes, 0 the first kept whole (inference
  // replicas when there are services, then the training workloads' priorities from the highest),
  // each workload's class, and per rack x class the busy draw, busy GPUs and level.
  std::size_t cap_classes_ = 0;
  std::vector<std::uint32_t> workload_class_;
  std::vector<std::int64_t> class_busy_mw_;
  std::vector<std::int64_t> class_busy_gpus_;
  std::vector<double> class_level_;
  std::vector<double> class_demand_scratch_;
  void add_class_busy(std::uint32_t rack, std::uint32_t workload, std::int64_t mw, std::int64_t gpus) {
    if (cap_classes_ == 0) return;
    const std::size_t cell = rack * cap_classes_ + workload_class_[workload];
    class_busy_mw_[cell] += mw;
    class_busy_gpus_[cell] += gpus;
  }
  // Per hall: its racks, whether any of them has a level below 1, and the one level all of them
  // have when the last pass gave them one (-1: rack by rack). Lets a capping pass touch only the
  // halls over their limits, and the capped-GPU count only the halls with levels below 1.
  std::vector<std::vector<std::uint32_t>> hall_racks_;
  std::vector<char> hall_dirty_;
  std::vector<char> hall_dirty_before_;
  std::vector<double> hall_level_;
  std::vector<std::int64_t> hall_limit_mw_;
  std::vector<std::int64_t> hall_demand_mw_;  // uncapped
  std::vector<std::int64_t> hall_power_mw_;   // actual
  // Per hall: the time up to which its draw and demand are in piece_hall_it_, hour_hall_power_ and
  // hour_hall_demand_. A hall is integrated lazily, when one of the two changes (settle_hall
  // before every write) or the sums are read (settle_halls), not over every hall at every event:
  // that kept the wall time per GPU from growing with the number of halls. The sums are exact
  // integers, so integrating v over [a, b) then [b, c) gives the same bits as per event.
  std::vector<SimTime> hall_since_;
  void settle_hall(std::size_t h) {
    const SimTime dt = last_ - hall_since_[h];
    if (dt == 0) return;
    piece_hall_it_[h] += static_cast<__int128>(hall_power_mw_[h]) * dt;
    hour_hall_power_[h] += static_cast<__int128>(hall_power_mw_[h]) * dt;
    hour_hall_demand_[h] += static_cast<__int128>(hall_demand_mw_[h]) * dt;
    hall_since_[h] = last_;
  }
  void settle_halls() {
    for (std::size_t h = 0; h < hall_since_.size(); ++h) settle_hall(h);
  }
  // The capping passes set every hall of a site at each event, mostly to the draw it has: only a
  // change needs the hall settled.
  void set_hall_power(std::size_t h, std::int64_t mw) {
    if (hall_power_mw_[h] == mw) return;
    settle_hall(h);
    hall_power_mw_[h] = mw;
  }
  std::vector<std::vector<std::uint32_t>> site_racks_;
  std::vector<std::vector<std::uint32_t>> site_halls_;
  std::vector<std::int64_t> site_demand_mw_;  // uncapped
  std::vector<bool> site_capped_;
  // Per site: racks whose draw exceeds their limit (kept by add_rack_busy), and whether the last
  // capping pass found anything over a limit (it may have left levels below 1).
  std::vector<std::int64_t> site_racks_over_;
  // Inference replicas' busy draw under power envelopes, moved pool by pool (set_service_power):
  // per service x pool the GPUs of its powered replicas, their draw per GPU and the draw the
  // racks hold; per service x rack those GPUs, and per service x pool the racks holding some.
  // In a pool none of whose racks can exceed its own limit even at full draw, the racks are
  // brought up to date only when a capping pass needs them (flush_service_power); elsewhere at once.
  void init_service_power();
  void add_service_gpus(std::size_t key, const Placement& p, int gpus, std::int64_t mw_per_gpu, int sign);
  void apply_service_power(std::size_t key);
  void flush_service_power(std::uint32_t site);
  std::size_t service_key(const ServiceConfig& s, PoolId pool) const {
    return static_cast<std::size_t>(&s - cfg_.services.data()) * cluster_.pools().size() + pool;
  }
  std::vector<std::int64_t> svc_pool_gpus_;
  std::vector<std::int64_t> svc_pool_mw_;
  std::vector<std::int64_t> svc_applied_mw_;
  std::vector<std::vector<std::uint32_t>> svc_pool_racks_;
  std::vector<std::int32_t> svc_rack_gpus_;
  std::vector<char> svc_rack_listed_;
  std::vector<char> pool_lazy_;
  std::vector<char> site_svc_stale_;
  std::vector<bool> site_was_over_;
  bool rack_over(std::uint32_t r) const { return rack_limit_mw_[r] > 0 && rack_base_mw_[r] + rack_busy_mw_[r] > rack_limit_mw_[r]; }
  std::int64_t capped_gpus_ = 0;
  std::vector<std::int64_t> site_capped_gpus_;
  std::vector<std::int64_t> site_busy_gpus_;
  std::vector<std::int64_t> hour_site_busy_;
  std::vector<std::int64_t> hour_site_capped_;
  std::vector<double> hour_site_lost_;
  double lost_gpus_ = 0.0;  // sum over running jobs of gpus x (1 - speed)
  std::vector<double> hall_lost_gpus_;     // the same, per hall of the jobs' first server
  std::vector<bool> hall_heat_bound_;      // the hall's limit this hour comes from its cooling
  std::vector<double> hall_cooling_kw_;    // IT load the hall's cooling carries this hour (0: none)
  double lost_heat_us_ = 0.0;
  std::uint32_t hall_of_job(const Job& job) const { return rack_hall_[server_rack_[job.placement.servers.front()]]; }
  // Fabrics (only when some hall has one): each server's index among its hall's servers (its
  // fabric endpoint, or first endpoint on a rail-optimized fabric), ring bottlenecks already
  // computed per hall and endpoint list, and the slowdowns of profiled jobs' first starts.
  bool fabrics_ = false;
  std::vector<std::uint32_t> server_hall_pos_;
  // Per server: its leaf (rail-optimized: its group's first rail leaf) and pod, for placement.
  std::vector<int> server_leaf_;
  std::vector<int> server_pod_;
  // Per pool on a fabric, per leaf, its wholly free servers (kept by the cluster on every commit
  // and release), for fabric-aware placement.
  LeafFreeIndex leaf_free_;
  // Link sharing per hall with a fabric, made at the first profiled job that starts there:
  // the jobs on each arc, arc capacities, and scratch for the max-min pass.
  struct HallLinks {
    RingLoadCache cache;
    std::vector<std::vector<std::uint32_t>> arc_jobs;
    std::vector<double> capacity_gbps;
    std::vector<int> arc_slot;
    std::vector<std::uint8_t> arc_tier;  // 0 leaf (endpoint links), 1 spine, 2 core
  };
  std::vector<std::unique_ptr<HallLinks>> hall_links_;
  // Per hall x link tier (leaf, spine, core): the traffic running rings carry (Gb/s), its hourly
  // mean, and the tier's capacity (both directions of its links); for timeseries.csv.
  std::vector<double> fabric_carried_gbps_;
  std::vector<StepMean> hour_fabric_gbps_;
  std::vector<double> fabric_capacity_gbps_;
  // The same capacity without the links of failed switches, and its hourly mean: the
  // utilization columns divide by it, so a tier that lost a spine shows its remaining links' load.
  std::vector<StepMean> hour_fabric_up_gbps_;
  void count_switch_links(std::uint32_t hall, int vertex, SimTime now);
  void set_carried(Job& job, std::uint32_t hall, const double (&gbps)[3], SimTime now);
  // Switch failures: the switches failure classes apply to (hall, vertex), per hall the
  // vertices out of service (empty until one fails) and its servers by fabric position, per
  // server the failed leaves above it and whether such a cut took it out of service.
  struct SwitchUnit {
    std::uint32_t hall = 0;
    int vertex = 0;
  };
  std::vector<SwitchUnit> switch_units_;
  std::vector<std::vector<char>> switch_failed_;
  std::vector<std::vector<ServerId>> hall_servers_;
  std::vector<std::uint16_t> server_cut_;
  std::vector<char> server_cut_down_;
  // Link failures (FailureClass::per_link): every link of the halls with a fabric, and per hall
  // the links out of service (empty until one fails).
  struct LinkUnit {
    std::uint32_t hall = 0;
    int link = 0;
    SimTime down_since = -1;  // -1: in service
  };
  std::vector<LinkUnit> link_units_;
  std::vector<std::vector<char>> link_failed_;
  std::vector<std::uint32_t> share_seeds_;      // jobs whose links changed
  std::vector<std::uint32_t> share_component_;  // the jobs linked to them through shared arcs
  std::vector<std::uint64_t> share_mark_;       // per job slot: last pass that reached it
  std::uint64_t share_pass_ = 0;
  std::vector<const std::vector<ArcLoad>*> share_rings_;
  std::vector<double> share_gbps_;
  // Per job slot: the share its communication speed and carried traffic were last worked out at
  // (NaN once its ring changes). A pass redoes a whole component, and most of its rings keep
  // their share: their speed and traffic would come out the same, so they are left as they are.
  std::vector<double> share_done_gbps_;
  void forget_share(std::uint32_t slot) {
    if (slot < share_done_gbps_.size()) share_done_gbps_[slot] = std::numeric_limits<double>::quiet_NaN();
  }
  std::vector<int> ring_scratch_;
  std::vector<int> leaf_scratch_;  // leaves under a job being placed; reused, no per-start allocation
  std::vector<ServerId> placed_scratch_;  // servers LeafFreeIndex::place chose, before the job's ServerList
  double comm_slowdown_sum_ = 0.0;
  std::vector<std::pair<double, double>> fill_scratch_;
  std::vector<std::uint32_t> fill_rack_list_;

  // Scratch for backfill (free GPUs per server at the head's reservation); reused, no allocation.
  std::vector<int> shadow_free_;
  // Of the pool shadow_time last filled: servers with room for a share of the head (at least
  // shadow_threshold_ free GPUs), kept as shadow_free_ changes, and how many the head needs.
  int shadow_found_ = 0;
  int shadow_needed_ = 0;
  int shadow_threshold_ = 0;
  // shadow_free_ is filled lazily: a server's entry holds only when its stamp equals its pool's
  // generation, which shadow_now moves on; until then the entry is the cluster's free GPUs (a pass
  // touches the servers of the jobs it releases, not the whole pool).
  std::vector<std::uint64_t> shadow_stamp_;
  std::vector<std::uint64_t> pool_shadow_gen_;
  std::uint64_t shadow_gen_ = 0;
  // Per pool: the last shadow_time answer, for a head of head_gpus, while the pool's `changes` is
  // unchanged. The answer is max(now, T) with T fixed by the pool's state and the head's size
  // (jobs expected to end by now all count as ending now), so max(later now, answer) holds later.
  struct ShadowMemo {
    std::uint64_t changes = UINT64_MAX;
    int head_gpus = 0;
    SimTime time = 0;
  };
  std::vector<ShadowMemo> shadow_memo_;
  // The last backfill pass that started nothing: the queue it saw, the sum of the pools' changes
  // and the time until which a pass over the same queue and pools provably starts nothing either
  // (backfill_may_skip). Passes between two events that change nothing are most of them.
  std::vector<std::uint32_t> idle_queue_;
  std::uint64_t idle_changes_ = UINT64_MAX;
  SimTime idle_until_ = 0;
  // Per pool, its running jobs' expected ends (start + time limit), kept as jobs start and stop
  // (unordered: a start or end is O(1); job_end_pos_ is a running job's index there), and their
  // (end, id) order, worked out only when a reservation asks (ExpectedEnds). A job on whole
  // servers carries their count: releasing it frees each of them entirely, which shadow_time
  // counts without a visit.
  using PoolEnd = ExpectedEnd;
  std::vector<std::vector<PoolEnd>> pool_ends_;
  std::vector<ExpectedEnds> pool_order_;
  std::vector<std::uint32_t> job_end_pos_;
  std::vector<PoolEnd> shadow_overdue_;  // scratch: the entries expected to have ended by now
  // Per server, kept as jobs and replicas come and go, so that a failure finds what it hits
  // without a walk of every running job and replica: the job holding it whole (kNotRunning if
  // none), the jobs on part of it, the GPUs inference replicas hold there.
  std::vector<std::uint32_t> server_whole_job_;
  std::vector<int> server_part_jobs_;
  std::vector<int> server_replica_gpus_;
  void count_server_jobs(const Job& job, std::uint32_t slot, bool whole, int sign);
  void count_replica_gpus(const Placement& p, int sign);
  bool holds_replicas(ServerId s) const { return s < server_replica_gpus_.size() && server_replica_gpus_[s] > 0; }
  void track_running(const Job& job, std::uint32_t slot);
  // Only a server failure reads the per-server job counts, and only the backfill reservation
  // (shadow_time: never under FIFO) reads pool_ends_: a FIFO run without failures keeps neither.
  bool tracks_running() const { return !cfg_.failures.empty() || cfg_.policy != SchedulingPolicy::fifo; }
  void untrack_running(const Job& job, std::uint32_t slot);
  void release_in_shadow(const PoolEnd& e);
  Placement candidate_;

  // Current state, integrated lazily.
  SimTime last_ = 0;
  SimTime hour_start_ = 0;
  SimTime next_hour_ = engine::kMicrosPerHour;
  SimTime month_start_ = 0;
  SimTime next_month_ = 0;
  std::int64_t busy_gpus_ = 0;
  std::int64_t it_power_mw_ = 0;
  std::int64_t queued_jobs_ = 0;
  std::int64_t queued_gpus_ = 0;
  std::int64_t running_jobs_ = 0;
  std::vector<std::int64_t> site_power_mw_;
  // Integrals over the current hour / month.
  std::int64_t hour_busy_ = 0;
  __int128 hour_power_ = 0;
  // Facility power is affine in IT power within an hour (outdoor temperature is hourly):
  // facility_kw = hall_fixed_kw_ + hall_slope_ x it_kw, set at each hour's start.
  std::vector<double> hall_fixed_kw_;
  std::vector<double> hall_slope_;
  std::vector<double> hall_ups_limit_mw_;
  std::vector<double> hour_site_facility_kwh_;
  std::vector<double> month_facility_kwh_;  // per site
  std::vector<double> month_hall_facility_kwh_;
  std::vector<__int128> month_hall_it_;
  std::vector<std::int64_t> workload_busy_gpus_;  // allocated, per workload
  std::vector<__int128> month_workload_gpu_us_;
  // With ModelConfig::record_gpu_type_use: the same per workload x GPU type (workload-major).
  std::vector<std::int64_t> workload_type_busy_gpus_;
  std::vector<__int128> month_workload_type_gpu_us_;
  std::vector<__int128> month_workload_cloud_gpu_us_;  // per workload, with cloud burst
  void add_workload_busy(std::uint32_t workload, PoolId pool, std::int64_t gpus) {
    workload_busy_gpus_[workload] += gpus;
    if (fair_share_) tenant_busy_gpus_[cfg_.workloads[workload].tenant_index] += gpus;
    if (workload_type_busy_gpus_.empty()) return;
    const std::uint32_t type = cfg_.server_gpu_type[cluster_.pools()[pool].server_type];
    workload_type_busy_gpus_[workload * cfg_.gpu_types.size() + type] += gpus;
  }
  bool cooling_limits_ = false;
  void start_hour_coefficients();
  void flush_energy_piece();
  void record_quarter_energy(SimTime from, SimTime to);
  std::vector<__int128> piece_hall_it_;  // IT energy per hall since the last hour or month boundary
  SimTime piece_start_ = 0;
  std::int64_t largest_pool_gpus_ = 0;
  // GPU type constraints (WorkloadConfig::gpu_type): per workload a mask of the pools it may use
  // (empty: every pool) and its largest such pool; both empty when no workload has a constraint.
  std::vector<std::vector<char>> workload_pools_;
  std::vector<std::int64_t> workload_largest_pool_;
  const char* allowed_pools(std::uint32_t w) const {
    return workload_pools_.empty() || workload_pools_[w].empty() ? nullptr : workload_pools_[w].data();
  }
  bool pool_allowed(std::uint32_t w, PoolId p) const {
    const char* a = allowed_pools(w);
    return a == nullptr || a[p] != 0;
  }
  void note_hall_swings(SimTime now);
  // Per hall: the draw last seen, and the one-minute window of changes it belongs to.
  std::vector<std::int64_t> swing_last_mw_;
  std::vector<std::int64_t> swing_window_base_mw_;
  std::vector<SimTime> swing_window_start_;
  void on_hour_tick(SimTime now);
  std::int64_t hour_queue_ = 0;
  std::int64_t hour_queued_gpus_ = 0;
  std::int64_t hour_running_ = 0;
  std::int64_t hour_capped_ = 0;
  double hour_lost_ = 0.0;
  std::vector<__int128> hour_hall_power_;
  std::vector<__int128> hour_hall_demand_;
  std::vector<__int128> month_energy_;  // per site
  __int128 total_queue_us_ = 0;
  __int128 total_in_system_us_ = 0;

  // Waits of the jobs measured (arrived after the warm-up), summed in start order as they come;
  // the waits themselves are kept once only, per workload (WorkloadJobs::waits_hours), and joined
  // for the percentile at the end: a second copy grown per start cost a memmove and page faults.
  double wait_sum_hours_ = 0.0;
  std::uint64_t waits_measured_ = 0;
  std::uint64_t waits_positive_ = 0;
  // The (month, workload) cell of the last completion and the month's span [from, until):
  // completions come in time order, so the map is searched when the month or the workload
  // changes, not per job. Map nodes never move.
  CompletedCell* last_cell_ = nullptr;
  std::uint32_t last_cell_workload_ = 0;
  SimTime last_cell_from_ = 0;
  SimTime last_cell_until_ = 0;
  double run_hours_sum_ = 0.0;
  std::uint64_t run_hours_count_ = 0;
  ModelResults out_;
};

Simulation::Simulation(const ModelConfig& config, const ProgressFn& progress)
    : cfg_(config), progress_(progress), calendar_(config.start_unix_s) {
  site_power_mw_.assign(cfg_.sites.size(), 0);
  hall_power_mw_.assign(cfg_.halls.size(), 0);
  hall_demand_mw_.assign(cfg_.halls.size(), 0);
  hall_since_.assign(cfg_.halls.size(), 0);  // last_ is 0 until the first advance
  hall_limit_mw_.assign(cfg_.halls.size(), 0);
  site_demand_mw_.assign(cfg_.sites.size(), 0);
  site_capped_.assign(cfg_.sites.size(), false);
  site_racks_.resize(cfg_.sites.size());
  site_halls_.resize(cfg_.sites.size());
  for (std::uint32_t h = 0; h < cfg_.halls.size(); ++h) {
    hall_limit_mw_[h] = to_milliwatts(cfg_.halls[h].power_limit_w);
    site_halls_[cfg_.halls[h].site].push_back(h);
    power_limited_ = power_limited_ || hall_limit_mw_[h] > 0;
  }
  for (const SiteConfig& site : cfg_.sites) {
    power_limited_ = power_limited_ || site.feed_limit_w > 0;
    site_feed_w_.push_back(site.feed_limit_w);
    site_feed_mw_.push_back(to_milliwatts(site.feed_limit_w));
  }
  for (const RackGroupConfig& group : cfg_.rack_groups) {
    const ServerType& type = cfg_.server_types[group.server_type];
    const GpuType& gpu = cfg_.gpu_types[cfg_.server_gpu_type[group.server_type]];
    const std::uint32_t site = cfg_.halls[group.hall].site;
    const std::int64_t server_idle_mw = to_milliwatts(type.overhead_w) + type.gpus * to_milliwatts(gpu.idle_w);
    const bool pending = group.online > 0;
    if (pending) {
      pending_groups_.push_back(PendingGroup{group.online, static_cast<std::uint32_t>(rack_hall_.size()),
                                             static_cast<std::uint32_t>(group.racks),
                                             static_cast<ServerId>(cluster_.server_count()),
                                             static_cast<std::uint32_t>(group.racks * group.servers_per_rack),
                                             server_idle_mw * group.servers_per_rack,
                                             static_cast<std::int64_t>(group.racks) * group.servers_per_rack * type.gpus});
    }
    cluster_.add_servers(site, group.hall, group.server_type, type.gpus, group.racks * group.servers_per_rack);
    for (int r = 0; r < group.racks; ++r) {
      const auto rack = static_cast<std::uint32_t>(rack_hall_.size());
      rack_hall_.push_back(group.hall);
      rack_base_mw_.push_back(pending ? 0 : server_idle_mw * group.servers_per_rack);
      rack_busy_mw_.push_back(0);
      rack_busy_gpus_.push_back(0);
      rack_limit_mw_.push_back(to_milliwatts(group.rack_power_limit_w));
      rack_level_.push_back(1.0);
      site_racks_[site].push_back(rack);
      for (int k = 0; k < group.servers_per_rack; ++k) server_rack_.push_back(rack);
      settle_hall(group.hall);
      hall_power_mw_[group.hall] += rack_base_mw_.back();
      hall_demand_mw_[group.hall] += rack_base_mw_.back();
      site_power_mw_[site] += rack_base_mw_.back();
      site_demand_mw_[site] += rack_base_mw_.back();
    }
    power_limited_ = power_limited_ || group.rack_power_limit_w > 0;
  }
  for (const HallConfig& hall : cfg_.halls) fabrics_ = fabrics_ || hall.fabric != nullptr;
  if (fabrics_) {
    // Servers are numbered rack group by rack group, as the builder sized each hall's fabric.
    std::vector<std::uint32_t> next_pos(cfg_.halls.size(), 0);
    server_hall_pos_.reserve(server_rack_.size());
    for (std::uint32_t rack : server_rack_) server_hall_pos_.push_back(next_pos[rack_hall_[rack]]++);
    server_leaf_.assign(server_rack_.size(), 0);
    server_pod_.assign(server_rack_.size(), 0);
    for (std::size_t s = 0; s < server_rack_.size(); ++s) {
      const Fabric* fabric = cfg_.halls[rack_hall_[server_rack_[s]]].fabric.get();
      if (fabric == nullptr) continue;
      const bool rail = fabric->spec.topology == FabricSpec::Topology::rail_optimized;
      const auto endpoint = static_cast<std::size_t>(server_hall_pos_[s]) * (rail ? static_cast<std::size_t>(fabric->spec.rails) : 1);
      server_leaf_[s] = fabric->leaf_of[endpoint];
      server_pod_[s] = fabric->spec.tiers == 3 ? fabric->vertices[static_cast<std::size_t>(server_leaf_[s])].group : 0;
    }
    std::vector<LeafFreeIndex::Entry> tracked;
    for (ServerId s = 0; s < cluster_.server_count(); ++s)
      if (cfg_.halls[rack_hall_[server_rack_[s]]].fabric != nullptr)
        tracked.push_back({s, cluster_.pool_of(s), server_leaf_[s], server_pod_[s], static_cast<int>(server_hall_pos_[s])});
    leaf_free_.build(std::move(tracked), cluster_.server_count());
    cluster_.watch_whole_free(&leaf_free_);
    hall_links_.resize(cfg_.halls.size());
    fabric_carried_gbps_.assign(3 * cfg_.halls.size(), 0.0);
    hour_fabric_gbps_.resize(3 * cfg_.halls.size());
    fabric_capacity_gbps_.assign(3 * cfg_.halls.size(), 0.0);
    for (std::size_t h = 0; h < cfg_.halls.size(); ++h) {
      const Fabric* fabric = cfg_.halls[h].fabric.get();
      if (fabric == nullptr) continue;
      for (const FabricLink& l : fabric->links)
        fabric_capacity_gbps_[3 * h + static_cast<std::size_t>(link_tier(*fabric, l))] += 2.0 * l.gbps;
    }
    hour_fabric_up_gbps_.resize(3 * cfg_.halls.size());
    for (std::size_t i = 0; i < fabric_capacity_gbps_.size(); ++i) hour_fabric_up_gbps_[i].value = fabric_capacity_gbps_[i];
  }
  site_racks_over_.assign(cfg_.sites.size(), 0);
  site_was_over_.assign(cfg_.sites.size(), true);  // the first capping pass of a site takes the full path
  if (cfg_.cap_order == CapOrder::priority) {
    // Inference replicas serve requests as they come: their class is cut last. Training
    // workloads follow by priority, the highest kept longest; a service given a priority joins
    // the class of that priority instead.
    std::vector<char> is_service(cfg_.workloads.size(), 0);
    bool unranked_service = false;
    for (const ServiceConfig& svc : cfg_.services) {
      if (svc.priority) continue;
      is_service[svc.workload] = 1;
      unranked_service = true;
    }
    std::vector<int> priorities;
    for (std::size_t w = 0; w < cfg_.workloads.size(); ++w)
      if (!is_service[w]) priorities.push_back(cfg_.workloads[w].priority);
    std::sort(priorities.begin(), priorities.end(), std::greater<>());
    priorities.erase(std::unique(priorities.begin(), priorities.end()), priorities.end());
    const std::uint32_t first = unranked_service ? 1 : 0;
    cap_classes_ = first + priorities.size();
    workload_class_.assign(cfg_.workloads.size(), 0);
    for (std::size_t w = 0; w < cfg_.workloads.size(); ++w) {
      if (is_service[w]) continue;
      workload_class_[w] = first + static_cast<std::uint32_t>(
                                       std::find(priorities.begin(), priorities.end(), cfg_.workloads[w].priority) -
                                       priorities.begin());
    }
    cap_classes_ = std::max<std::size_t>(cap_classes_, 1);
    class_busy_mw_.assign(rack_hall_.size() * cap_classes_, 0);
    class_busy_gpus_.assign(rack_hall_.size() * cap_classes_, 0);
    class_level_.assign(rack_hall_.size() * cap_classes_, 1.0);
  }
  for (std::uint32_t r = 0; r < rack_hall_.size(); ++r) site_racks_over_[cfg_.halls[rack_hall_[r]].site] += rack_over(r);
  for (const Pool& pool : cluster_.pools()) {
    const GpuType& gpu = cfg_.gpu_types[cfg_.server_gpu_type[pool.server_type]];
    pool_busy_delta_mw_.push_back(to_milliwatts(gpu.tdp_w) - to_milliwatts(gpu.idle_w));
    pool_idle_over_tdp_.push_back(gpu.tdp_w > 0 ? gpu.idle_w / gpu.tdp_w : 1.0);
  }
  hour_hall_power_.assign(cfg_.halls.size(), 0);
  hour_hall_demand_.assign(cfg_.halls.size(), 0);
  hall_fixed_kw_.assign(cfg_.halls.size(), 0.0);
  hall_slope_.assign(cfg_.halls.size(), 1.0);
  hall_ups_limit_mw_.assign(cfg_.halls.size(), 0.0);
  hour_site_facility_kwh_.assign(cfg_.sites.size(), 0.0);
  month_facility_kwh_.assign(cfg_.sites.size(), 0.0);
  month_hall_facility_kwh_.assign(cfg_.halls.size(), 0.0);
  month_hall_it_.assign(cfg_.halls.size(), 0);
  workload_busy_gpus_.assign(cfg_.workloads.size(), 0);
  month_workload_gpu_us_.assign(cfg_.workloads.size(), 0);
  out_.workload_jobs.assign(cfg_.workloads.size(), {});
  // Without tenants (a configuration built by hand) fair share has nothing to share: EASY backfill.
  fair_share_ = cfg_.policy == SchedulingPolicy::fair_share && !cfg_.tenants.empty();
  if (fair_share_) {
    tenant_busy_gpus_.assign(cfg_.tenants.size(), 0);
    tenant_requested_gpus_.assign(cfg_.tenants.size(), 0);
    for (const WorkloadConfig& a : cfg_.workloads)
      for (const WorkloadConfig& b : cfg_.workloads)
        fair_share_priorities_ = fair_share_priorities_ || (a.tenant_index == b.tenant_index && a.priority != b.priority);
    tenant_taken_gpus_.assign(cfg_.tenants.size(), 0);
    tenant_tried_.assign(cfg_.tenants.size(), 0);
  }
  if (cfg_.cloud_burst_after > 0) month_workload_cloud_gpu_us_.assign(cfg_.workloads.size(), 0);
  if (cfg_.record_gpu_type_use) {
    workload_type_busy_gpus_.assign(cfg_.workloads.size() * cfg_.gpu_types.size(), 0);
    month_workload_type_gpu_us_.assign(cfg_.workloads.size() * cfg_.gpu_types.size(), 0);
  }
  for (std::uint32_t h = 0; h < cfg_.halls.size(); ++h) {
    hall_ups_limit_mw_[h] = static_cast<double>(hall_limit_mw_[h]);
    if (cfg_.halls[h].cooling.enabled && cfg_.halls[h].cooling.installed_heat_kw > 0) cooling_limits_ = true;
  }
  hall_ups_planned_mw_ = hall_ups_limit_mw_;
  hall_ups_down_.assign(cfg_.halls.size(), 0);
  hall_cooling_down_.assign(cfg_.halls.size(), 0);
  hall_ups_reduced_since_.assign(cfg_.halls.size(), -1);
  hall_cooling_reduced_since_.assign(cfg_.halls.size(), -1);
  bool ups_failures = false;
  for (const FailureClass& fc : cfg_.failures) ups_failures = ups_failures || fc.facility_unit == 1;
  if (ups_failures || !cfg_.hall_power_steps.empty()) {
    hour_ups_limit_kw_.resize(cfg_.halls.size());
    for (std::uint32_t h = 0; h < cfg_.halls.size(); ++h) hour_ups_limit_kw_[h].value = hall_ups_limit_mw_[h] / 1e6;
  }
  bool cooling_failures = false;
  for (const FailureClass& fc : cfg_.failures) cooling_failures = cooling_failures || fc.facility_unit == 2;
  if (cooling_failures) hour_cooling_limit_kw_.resize(cfg_.halls.size());
  if (!cfg_.site_feed_steps.empty()) {
    hour_feed_limit_kw_.resize(cfg_.sites.size());
    for (std::uint32_t st = 0; st < cfg_.sites.size(); ++st) hour_feed_limit_kw_[st].value = site_feed_w_[st] / 1000.0;
  }
  power_limited_ = power_limited_ || cooling_limits_;
  start_hour_coefficients();
  hall_lost_gpus_.assign(cfg_.halls.size(), 0.0);
  site_capped_gpus_.assign(cfg_.sites.size(), 0);
  site_busy_gpus_.assign(cfg_.sites.size(), 0);
  hour_site_busy_.assign(cfg_.sites.size(), 0);
  hour_site_capped_.assign(cfg_.sites.size(), 0);
  hour_site_lost_.assign(cfg_.sites.size(), 0.0);
  piece_hall_it_.assign(cfg_.halls.size(), 0);
  largest_pool_gpus_ = cluster_.largest_pool_gpus();
  if (std::any_of(cfg_.halls.begin(), cfg_.halls.end(), [](const HallConfig& h) { return h.has_spares(); })) {
    // The last servers of each pool there at the start stand by; a job must fit in the rest.
    spare_state_.assign(cluster_.server_count(), kActive);
    pool_free_spares_.resize(cluster_.pools().size());
    pool_spare_gpus_.assign(cluster_.pools().size(), 0);
    hall_free_spares_.assign(cfg_.halls.size(), 0);
    hall_no_spare_since_.assign(cfg_.halls.size(), -1);
    out_.hall_spares.assign(cfg_.halls.size(), ModelResults::HallSpares{});
    largest_pool_gpus_ = 0;
    // Free spares are stacks: highest server id at the bottom, so the lowest is taken first.
    for (PoolId p = 0; p < cluster_.pools().size(); ++p) {
      const Pool& pool = cluster_.pools()[p];
      int want = cfg_.halls[pool.hall].spares_of(pool.server_type);
      for (auto it = pool.servers.rbegin(); it != pool.servers.rend() && want > 0; ++it) {
        const bool pending = std::any_of(pending_groups_.begin(), pending_groups_.end(), [&](const PendingGroup& g) {
          return *it >= g.first_server && *it < g.first_server + g.servers;
        });
        if (pending) continue;
        cluster_.set_down(*it);
        spare_state_[*it] = kSpareFree;
        pool_free_spares_[p].push_back(*it);
        pool_spare_gpus_[p] += pool.gpus_per_server;
        ++hall_free_spares_[pool.hall];
        out_.spare_gpus += pool.gpus_per_server;
        out_.hall_spares[pool.hall].spare_gpus += pool.gpus_per_server;
        --want;
      }
      largest_pool_gpus_ = std::max(largest_pool_gpus_, pool.total_gpus() - pool_spare_gpus_[p]);
    }
  }
  if (std::any_of(cfg_.workloads.begin(), cfg_.workloads.end(), [](const WorkloadConfig& wl) { return wl.gpu_type >= 0; })) {
    workload_pools_.resize(cfg_.workloads.size());
    workload_largest_pool_.assign(cfg_.workloads.size(), largest_pool_gpus_);
    for (std::uint32_t w = 0; w < cfg_.workloads.size(); ++w) {
      if (cfg_.workloads[w].gpu_type < 0) continue;
      workload_largest_pool_[w] = 0;
      for (PoolId p = 0; p < cluster_.pools().size(); ++p) {
        const Pool& pool = cluster_.pools()[p];
        const bool ok = static_cast<int>(cfg_.server_gpu_type[pool.server_type]) == cfg_.workloads[w].gpu_type;
        workload_pools_[w].push_back(ok ? 1 : 0);
        const std::int64_t spare_gpus = pool_spare_gpus_.empty() ? 0 : pool_spare_gpus_[p];
        if (ok) workload_largest_pool_[w] = std::max(workload_largest_pool_[w], pool.total_gpus() - spare_gpus);
      }
    }
  }
  hall_heat_bound_.assign(cfg_.halls.size(), false);
  hall_cooling_kw_.assign(cfg_.halls.size(), 0.0);
  swing_last_mw_ = hall_power_mw_;
  swing_window_base_mw_ = hall_power_mw_;
  swing_window_start_.assign(cfg_.halls.size(), -engine::kMicrosPerDay);
  out_.hall_swings.assign(cfg_.halls.size(), HallSwing{});
  for (std::size_t h = 0; h < hall_power_mw_.size(); ++h) out_.hall_swings[h].peak_kw = static_cast<double>(hall_power_mw_[h]) / 1e6;
  out_.hall_peak_it_kw.assign(cfg_.halls.size(), 0.0);
  out_.site_peak_it_kw.assign(cfg_.sites.size(), 0.0);
  for (std::int64_t p : site_power_mw_) it_power_mw_ += p;
  month_energy_.assign(cfg_.sites.size(), 0);
  shadow_free_.assign(cluster_.server_count(), 0);
  next_month_ = calendar_.start_of_next_month(0);
  out_.gpus_total = cluster_.total_gpus();
  installed_gpus_ = out_.gpus_total - out_.spare_gpus;
  if (!pending_groups_.empty()) {
    pending_server_.assign(cluster_.server_count(), false);
    for (const PendingGroup& g : pending_groups_) {
      for (ServerId s = g.first_server; s < g.first_server + g.servers; ++s) {
        cluster_.set_down(s);
        pending_server_[s] = true;
      }
      installed_gpus_ -= g.gpus;
    }
  }
  for (const WorkloadConfig& w : cfg_.workloads) {
    rate_peak_.push_back(w.daily_rate_multiplier.empty()
                             ? 1.0
                             : *std::max_element(w.daily_rate_multiplier.begin(), w.daily_rate_multiplier.end()));
    const std::string base = "workload." + w.name + ".";
    streams_.push_back(WorkloadStreams{engine::RandomStream(cfg_.seed, base + "arrivals"),
                                       engine::RandomStream(cfg_.seed, base + "gpus"),
                                       engine::RandomStream(cfg_.seed, base + "duration"),
                                       engine::RandomStream(cfg_.seed, base + "time_limit")});
  }
}

ModelResults Simulation::run() {
  trace_next_.assign(cfg_.workloads.size(), 0);
  reserve_waits();
  for (std::uint32_t w = 0; w < cfg_.workloads.size(); ++w) {
    if (!cfg_.workloads[w].trace.empty()) {
      queue_.push(cfg_.workloads[w].trace.front().at, kPriorityArrival, kArrival, w);
      continue;
    }
    if (cfg_.workloads[w].rate_per_s <= 0.0) continue;
    // The first arrival is a random draw after the start, not at the start.
    queue_.push(next_arrival(w, 0), kPriorityArrival, kArrival, w);
  }

  if (!cfg_.services.empty()) {
    services_ = std::make_unique<ServiceFleet>(cfg_.services, cfg_.seed, cfg_.start_unix_s, *this);
    services_->start(cfg_.horizon);
  }
  if (cooling_limits_) {
    on_hour_tick(0);  // limits of the first hour
  }
  const auto classes = static_cast<std::uint32_t>(cfg_.failures.size());
  for (std::uint32_t c = 0; c < classes; ++c) {
    failure_streams_.emplace_back(cfg_.seed, "failure." + cfg_.failures[c].cause);
  }
  out_.failures_by_cause.assign(classes, 0);
  out_.interruptions_by_cause.assign(classes, 0);
  server_down_cause_.assign(cluster_.server_count(), 0);
  server_down_since_.assign(cluster_.server_count(), 0);
  bool switch_classes = false;
  bool link_classes = false;
  for (std::uint32_t c = 0; c < classes; ++c) switch_classes = switch_classes || cfg_.failures[c].switch_tier > 0;
  for (std::uint32_t c = 0; c < classes; ++c) link_classes = link_classes || cfg_.failures[c].per_link;
  for (ServerId srv = 0; srv < cluster_.server_count() && classes > 0; ++srv) {
    for (std::uint32_t c = 0; c < classes; ++c) {
      if (cfg_.failures[c].switch_tier == 0 && cfg_.failures[c].facility_unit == 0 && !cfg_.failures[c].per_link)
        queue_.push(next_failure(c, srv, 0), kPriorityJobEnd, kFailure, srv * classes + c);
    }
  }
  if ((switch_classes || link_classes) && fabrics_) {
    switch_failed_.resize(cfg_.halls.size());
    hall_servers_.resize(cfg_.halls.size());
    for (ServerId s = 0; s < server_hall_pos_.size(); ++s) hall_servers_[rack_hall_[server_rack_[s]]].push_back(s);
    server_cut_.assign(cluster_.server_count(), 0);
    server_cut_down_.assign(cluster_.server_count(), 0);
    for (std::uint32_t h = 0; h < cfg_.halls.size(); ++h) {
      const Fabric* fabric = cfg_.halls[h].fabric.get();
      if (fabric == nullptr) continue;
      out_.hall_min_bisection_gbps.resize(cfg_.halls.size(), 0.0);
      out_.hall_min_bisection_gbps[h] = bisection_gbps(*fabric, {});
      for (int v = fabric->endpoints; v < static_cast<int>(fabric->vertices.size()); ++v) switch_units_.push_back({h, v});
    }
    for (std::uint32_t u = 0; u < switch_units_.size(); ++u) {
      const int tier = cfg_.halls[switch_units_[u].hall].fabric->vertices[static_cast<std::size_t>(switch_units_[u].vertex)].tier;
      for (std::uint32_t c = 0; c < classes; ++c) {
        const int want = cfg_.failures[c].switch_tier;
        if (want == 0 || (want == 1) != (tier == 1)) continue;
        queue_.push(next_failure(c, 0, 0), kPriorityJobEnd, kSwitchFailure, u * classes + c);
      }
    }
    // Links: every link of every hall with a fabric, endpoint links included (docs/fabric.md,
    // "Link failures"), after the switches so that runs without link classes draw as before.
    if (link_classes) {
      link_failed_.resize(cfg_.halls.size());
      for (std::uint32_t h = 0; h < cfg_.halls.size(); ++h) {
        const Fabric* fabric = cfg_.halls[h].fabric.get();
        if (fabric == nullptr) continue;
        for (int li = 0; li < static_cast<int>(fabric->links.size()); ++li) link_units_.push_back({h, li, -1});
      }
      for (std::uint32_t u = 0; u < link_units_.size(); ++u)
        for (std::uint32_t c = 0; c < classes; ++c)
          if (cfg_.failures[c].per_link) queue_.push(next_failure(c, 0, 0), kPriorityJobEnd, kLinkFailure, u * classes + c);
    }
  }
  for (std::uint32_t g = 0; g < pending_groups_.size(); ++g) queue_.push(pending_groups_[g].online, kPriorityJobEnd, kOnline, g);
  for (std::uint32_t k = 0; k < cfg_.hall_power_steps.size(); ++k) {
    queue_.push(cfg_.hall_power_steps[k].at, kPriorityJobEnd, kPowerStep, k);
  }
  for (std::uint32_t k = 0; k < cfg_.site_feed_steps.size(); ++k) {
    queue_.push(cfg_.site_feed_steps[k].at, kPriorityJobEnd, kFeedStep, k);
  }
  // UPS and cooling units: every unit of a kind some class fails, each class drawing its own
  // times from its stream, unit by unit in hall order.
  bool fails_kind[3] = {false, false, false};
  for (std::uint32_t c = 0; c < classes; ++c) fails_kind[cfg_.failures[c].facility_unit] = true;
  for (std::uint32_t h = 0; h < cfg_.halls.size(); ++h) {
    const HallConfig& hall = cfg_.halls[h];
    if (fails_kind[1] && hall_ups_planned_mw_[h] > 0) {
      for (int k = failure_units(hall.ups_redundancy, hall.ups_units); k > 0; --k) facility_units_.push_back({h, 1});
    }
    if (fails_kind[2] && hall.cooling.enabled && hall.cooling.installed_heat_kw > 0) {
      for (int k = failure_units(hall.cooling.redundancy, hall.cooling.units); k > 0; --k) facility_units_.push_back({h, 2});
    }
  }
  for (std::uint32_t u = 0; u < facility_units_.size(); ++u) {
    for (std::uint32_t c = 0; c < classes; ++c) {
      if (cfg_.failures[c].facility_unit != facility_units_[u].kind) continue;
      const SimTime at = std::max<SimTime>(1, engine::from_seconds(cfg_.failures[c].time_between_s.sample(failure_streams_[c])));
      queue_.push(at, kPriorityJobEnd, kUnitFailure, u * classes + c);
    }
  }
  place_initial_jobs();
  StopReason reason = StopReason::no_more_events;
  SimTime end = cfg_.horizon;
  SimTime now = 0;
  while (!queue_.empty()) {
    const engine::Event ev = queue_.top();
    if (ev.time >= cfg_.horizon) {
      reason = StopReason::horizon;
      break;
    }
    // An arrival of a workload without a trace schedules the workload's next arrival first thing:
    // on_arrival puts it in this event's place (replace_top), one heap repair instead of two.
    if (ev.kind != kArrival || !cfg_.workloads[ev.id].trace.empty()) {
      queue_.pop();
      prefetch_next_end();
    }
    assert(ev.time >= now && "time never goes backwards");
    now = ev.time;
    advance(now);
    if (ev.kind == kHourTick) {  // bookkeeping: neither counted nor fingerprinted
      on_hour_tick(now);
      continue;
    }
    fingerprint_.add(ev.time, ev.kind, ev.id);
    ++out_.events;
    switch (ev.kind) {
      case kArrival: on_arrival(ev.id, now); break;
      case kJobEnd: on_job_end(ev.id, now); break;
      case kFailure: on_failure(ev.id, now); break;
      case kRepair: on_repair(ev.id, now); break;
      case kOnline: on_online(ev.id, now); break;
      case kPowerStep: on_power_step(ev.id, now); break;
      case kFeedStep: on_feed_step(ev.id, now); break;
      case kUnitFailure: on_unit_failure(ev.id, now); break;
      case kUnitRepair: on_unit_repair(ev.id, now); break;
      case kSwitchFailure: on_switch_failure(ev.id, now); break;
      case kSwitchRepair: on_switch_repair(ev.id, now); break;
      case kLinkFailure: on_link_failure(ev.id, now); break;
      case kLinkRepair: on_link_repair(ev.id, now); break;
      case kCloudBurst: on_cloud_burst(ev.id, now); break;
      case kService + ServiceFleet::kTick:
      case kService + ServiceFleet::kTakeGpus:
      case kService + ServiceFleet::kReady: services_->on_event(ev.kind - kService, ev.id, now); break;
      default: break;
    }
    schedule(now);
    if (ev.kind == kArrival) prefetch_next_end();
    note_hall_swings(now);
    if (cfg_.stop_jobs_completed != 0 && out_.jobs_completed >= cfg_.stop_jobs_completed) {
      reason = StopReason::jobs_completed;
      end = now;
      break;
    }
    if ((out_.events & 0xFFFF) == 0 && progress_ &&
        !progress_(static_cast<double>(now) / static_cast<double>(cfg_.horizon))) {
      reason = StopReason::cancelled;
      end = now;
      break;
    }
  }
  finish(end);
  out_.stop_reason = reason;
  return std::move(out_);
}

void Simulation::on_arrival(std::uint32_t w, SimTime now) {
  const WorkloadConfig& wl = cfg_.workloads[w];
  WorkloadStreams& rs = streams_[w];
  const TraceArrival* replayed = nullptr;
  if (!wl.trace.empty()) {
    replayed = &wl.trace[trace_next_[w]++];
    if (trace_next_[w] < wl.trace.size()) queue_.push(wl.trace[trace_next_[w]].at, kPriorityArrival, kArrival, w);
  } else {
    queue_.replace_top(next_arrival(w, now), kPriorityArrival, kArrival, w);  // the run loop left this arrival there
  }

  const int gpus = replayed ? replayed->gpus : static_cast<int>(std::max(1.0, std::round(wl.gpus.sample(rs.gpus))));
  const double duration_s = replayed ? engine::to_seconds(replayed->duration) : wl.duration_s.sample(rs.duration);
  const SimTime duration = std::max<SimTime>(1, engine::from_seconds(duration_s));
  SimTime limit = duration;
  switch (wl.time_limit_mode) {
    case TimeLimitMode::exact: break;
    case TimeLimitMode::factor: limit = std::max<SimTime>(1, engine::from_seconds(duration_s * wl.time_limit_factor)); break;
    case TimeLimitMode::distribution:
      limit = std::max<SimTime>(1, engine::from_seconds(wl.time_limit_s.sample(rs.time_limit)));
      break;
  }
  const std::uint32_t slot = submit_job(w, gpus, now, duration, limit, wl.time_limit_mode != TimeLimitMode::exact);
  if (slot != UINT32_MAX) enqueue(slot, false);
}

// Warm start: the jobs in the system at the start (WorkloadConfig::initial_jobs, and those drawn
// from a workload's steady state), before any event. Running ones are placed first, workload by
// workload in order, where the scheduler would place them (regardless of quotas and power
// admission: they run already); one that does not fit waits at the head of the queue with the
// work it has left. Queued ones follow in the queue in order, then the scheduler runs once.
void Simulation::place_initial_jobs() {
  std::vector<std::pair<std::uint32_t, InitialJob>> running, queued;
  for (std::uint32_t w = 0; w < cfg_.workloads.size(); ++w) {
    const WorkloadConfig& wl = cfg_.workloads[w];
    for (const InitialJob& j : wl.initial_jobs) (j.running ? running : queued).emplace_back(w, j);
    if (wl.initial_steady_state) {
      engine::RandomStream rng(cfg_.seed, "workload." + wl.name + ".initial");  // its own stream: arrivals unchanged
      for (const InitialJob& j : draw_steady_state(wl, wl.steady_state_lookback, rng)) running.emplace_back(w, j);
    }
  }
  if (running.empty() && queued.empty()) return;
  for (const auto& [w, initial] : running) {
    const std::uint32_t slot = add_initial_job(w, initial);
    if (slot == UINT32_MAX) continue;
    const PoolId pool = cluster_.choose_pool(jobs_[slot].gpus, allowed_pools(w));
    if (pool == kNoPool) {
      enqueue(slot, false);
      continue;
    }
    jobs_[slot].elapsed_before_start = initial.elapsed;
    start_job(slot, pool, 0);
  }
  for (const auto& [w, initial] : queued) {
    const std::uint32_t slot = add_initial_job(w, initial);
    if (slot != UINT32_MAX) enqueue(slot, false);
  }
  schedule(0);
}

// A job in the system at the start, counted as submitted and queued (the caller starts it or
// puts it in the queue); UINT32_MAX when it is larger than every pool it may use (rejected).
std::uint32_t Simulation::add_initial_job(std::uint32_t w, const InitialJob& initial) {
  return submit_job(w, initial.gpus, initial.arrival, initial.remaining,
                    initial.limit > 0 ? initial.limit : initial.remaining, initial.limit > 0);
}

// A new job of workload w submitted at `arrival` (<= 0 for one before the start) with `work` to do
// at full speed and a wall-clock `limit` (enforced or only planned), in a free slot: counted as
// submitted and queued, its cloud-burst deadline set; the caller puts it in the queue or starts
// it. UINT32_MAX when it is larger than every pool it may use (recorded as rejected).
std::uint32_t Simulation::submit_job(std::uint32_t w, int gpus, SimTime arrival, SimTime work, SimTime limit,
                                     bool enforce_limit) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(jobs_.size());
    jobs_.emplace_back();
    running_pos_.push_back(kNotRunning);
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Job& job = jobs_[slot];
  job.id = next_job_id_++;
  job.workload = w;
  job.gpus = gpus;
  job.arrival = arrival;
  job.start = -1;
  running_pos_[slot] = kNotRunning;
  job.held_gpu_us = 0;  // the slot may be reused
  job.enforce_limit = enforce_limit;
  job.limit = limit;
  job.remaining_us = static_cast<double>(work);
  job.work_total_us = static_cast<double>(work);
  job.elapsed_before_start = 0;
  job.speed = 1.0;
  job.comm = 1.0;
  job.comm_profiled = false;
  // The cold fields, only where a feature can have changed them (see Job): writing them at every
  // arrival would fetch the slot's cold lines.
  if (job.restarts != 0) {
    job.segment_overhead_us = 0.0;
    job.preemptions = 0;
    job.restarts = 0;
  }
  if (fabrics_) {
    job.comm_slowdown = 1.0;
    job.switches_spanned = 0;
  }
  ++out_.jobs_submitted;
  if (job.gpus > (workload_largest_pool_.empty() ? largest_pool_gpus_ : workload_largest_pool_[w])) {
    ++out_.jobs_rejected;
    record_job(job, JobState::rejected, -1);
    free_slots_.push_back(slot);
    return UINT32_MAX;
  }
  ++queued_jobs_;
  queued_gpus_ += job.gpus;
  // Its wait for the cloud counts from its submission, so a job queued long before the start
  // may leave at once.
  job.burst_event = cfg_.cloud_burst_after > 0
                        ? queue_.push(std::max<SimTime>(0, job.arrival + cfg_.cloud_burst_after), kPriorityArrival, kCloudBurst, slot)
                        : engine::kNoEvent;
  return slot;
}

// A job queued since its arrival for ModelConfig::cloud_burst_after leaves the queue for a
// rented cloud, which runs it at full speed for its duration. Starting here first cancels the
// event, so the slot still holds the job it was scheduled for.
void Simulation::on_cloud_burst(std::uint32_t slot, SimTime now) {
  Job& job = jobs_[slot];
  job.burst_event = engine::kNoEvent;
  waiting_.erase(std::find(waiting_.begin(), waiting_.end(), slot));
  --queued_jobs_;
  queued_gpus_ -= job.gpus;
  ++out_.jobs_sent_to_cloud;
  month_workload_cloud_gpu_us_[job.workload] += static_cast<__int128>(job.gpus) * std::llround(job.work_total_us);
  add_unmet(job, now);
  record_job(job, JobState::cloud, now);
  free_slots_.push_back(slot);
}

// Time of the workload's next arrival after `now`: exponential gaps at the workload's rate, or,
// when the rate follows a daily profile, candidates at the peak rate kept with probability
// rate(t) / peak (thinning, Lewis and Shedler 1979).
SimTime Simulation::next_arrival(std::uint32_t w, SimTime now) {
  const WorkloadConfig& wl = cfg_.workloads[w];
  engine::RandomStream& rng = streams_[w].arrivals;
  // A unit exponential draw, as Distribution::exponential(1.0) makes it (-1 x log u), without
  // building a Distribution per arrival.
  const auto unit_exponential = [&rng] { return -std::log(rng.uniform01()); };
  if (wl.daily_rate_multiplier.empty()) {
    return now + engine::from_seconds(unit_exponential() / wl.rate_per_s);
  }
  const double peak = rate_peak_[w];
  SimTime t = now;
  for (;;) {
    t += engine::from_seconds(unit_exponential() / (wl.rate_per_s * peak));
    if (t >= cfg_.horizon) return t;
    const auto day = std::min<std::size_t>(static_cast<std::size_t>(t / engine::kMicrosPerDay),
                                           wl.daily_rate_multiplier.size() - 1);
    if (rng.uniform01() * peak < wl.daily_rate_multiplier[day]) return t;
  }
}

void Simulation::on_job_end(std::uint32_t slot, SimTime now) {
  Job& job = jobs_[slot];
  job.remaining_us -= job.speed * job.comm * job.part * static_cast<double>(now - job.settled_at);
  // Work left over means the wall-clock limit ended the job, not its work.
  const bool timed_out = job.remaining_us > 0.5;
  stop_running(job, now);
  if (timed_out) {
    ++out_.jobs_timed_out;
  } else {
    ++out_.jobs_completed;
    if (last_cell_ == nullptr || job.workload != last_cell_workload_ || now < last_cell_from_ ||
        now >= last_cell_until_) {
      const engine::YearMonth month = calendar_.month_of(now);
      last_cell_ = &completed_cells_[{month, job.workload}];
      last_cell_workload_ = job.workload;
      last_cell_from_ = calendar_.start_of_month(month);
      last_cell_until_ = calendar_.start_of_next_month(now);
    }
    ++last_cell_->runs;
    last_cell_->gpu_us += job.held_gpu_us;
  }
  ++out_.workload_jobs[job.workload].jobs_finished;
  if (job.arrival >= cfg_.warmup) {
    run_hours_sum_ += engine::to_hours(now - job.start);
    ++run_hours_count_;
  }
  if (job.comm_profiled) comm_slowdown_sum_ += job.comm_slowdown;
  record_job(job, timed_out ? JobState::timed_out : JobState::completed, now);
  free_slots_.push_back(slot);
  if (power_limited_) update_power_caps(cluster_.pools()[job.placement.pool].site, now);
}

// Takes a running job off its GPUs (the caller has settled its work).
void Simulation::stop_running(Job& job, SimTime now) {
  if (job.comm_profiled) job.settle_comm(now);
  if (fabrics_) leave_links(job, now);
  job.held_gpu_us += static_cast<__int128>(job.placement.allocated_gpus()) * (now - job.held_since);
  cluster_.release(job.placement);
  busy_gpus_ -= job.placement.allocated_gpus();
  add_workload_busy(job.workload, job.placement.pool, -job.placement.allocated_gpus());
  add_tenant_requested(job.workload, -job.gpus);
  site_busy_gpus_[cluster_.pools()[job.placement.pool].site] -= job.placement.allocated_gpus();
  add_rack_busy(job, -1);
  if (job.speed != 1.0) {  // at full speed it lost nothing (and subtracting 0 changes nothing)
    lost_gpus_ -= job.gpus * (1.0 - job.speed);
    hall_lost_gpus_[hall_of_job(job)] -= job.gpus * (1.0 - job.speed);
  }
  --running_jobs_;
  const std::uint32_t pos = running_pos_[&job - jobs_.data()];
  untrack_running(job, running_[pos]);
  running_pos_[running_.back()] = pos;
  running_pos_[running_[pos]] = kNotRunning;
  running_[pos] = running_.back();
  running_.pop_back();
  job.end_event = engine::kNoEvent;
}

// Time of the next failure of a class on a server after `from`: the smallest of the server's
// GPUs' draws for a per-GPU class.
SimTime Simulation::next_failure(std::uint32_t c, ServerId server, SimTime from) {
  const FailureClass& fc = cfg_.failures[c];
  const int draws = fc.per_gpu ? cluster_.pools()[cluster_.pool_of(server)].gpus_per_server : 1;
  double gap = fc.time_between_s.sample(failure_streams_[c]);
  for (int i = 1; i < draws; ++i) gap = std::min(gap, fc.time_between_s.sample(failure_streams_[c]));
  return from + std::max<SimTime>(1, engine::from_seconds(gap));
}

// A component of a server fails: the jobs on it are interrupted and requeued at the head, the
// server is out until repaired; the class's next failure comes after the repair.
void Simulation::on_failure(std::uint32_t id, SimTime now) {
  const auto classes = static_cast<std::uint32_t>(cfg_.failures.size());
  const ServerId server = id / classes;
  const std::uint32_t c = id % classes;
  // A free hot spare is out of the buckets but powered: it fails like any server.
  const bool free_spare = !spare_state_.empty() && spare_state_[server] == kSpareFree;
  if (cluster_.is_down(server) && !free_spare) {  // already out for another cause: this part fails later
    queue_.push(next_failure(c, server, now), kPriorityJobEnd, kFailure, id);
    return;
  }
  ++out_.failures_by_cause[c];
  // Newest first, so the requeued jobs keep their arrival order at the head of the queue.
  std::vector<std::uint32_t> hit;
  if (server < server_part_jobs_.size() && server_part_jobs_[server] > 0) {
    for (std::uint32_t slot : running_) {
      const auto& servers = jobs_[slot].placement.servers;
      if (std::find(servers.begin(), servers.end(), server) != servers.end()) hit.push_back(slot);
    }
  } else if (server < server_whole_job_.size() && server_whole_job_[server] != kNotRunning) {
    hit.push_back(server_whole_job_[server]);
  }
  std::sort(hit.begin(), hit.end(), [&](std::uint32_t a, std::uint32_t b) { return jobs_[a].id > jobs_[b].id; });
  for (std::uint32_t slot : hit) interrupt(slot, c, now);
  if (services_ && holds_replicas(server)) services_->on_server_down(server, now);
  if (free_spare) {
    take_free_spare(server, now);
    spare_state_[server] = kSpareRepair;  // back among the free spares when repaired
  } else {
    cluster_.set_down(server);
  }
  if (!hit.empty() && !spare_state_.empty()) swap_in_spare(server, hit, now);
  server_down_cause_[server] = c;
  server_down_since_[server] = now;
  const SimTime repaired = now + std::max<SimTime>(1, engine::from_seconds(cfg_.failures[c].repair_s.sample(failure_streams_[c])));
  queue_.push(repaired, kPriorityJobEnd, kRepair, server);
  queue_.push(next_failure(c, server, repaired), kPriorityJobEnd, kFailure, id);
  if (power_limited_) update_power_caps(cluster_.pools()[cluster_.pool_of(server)].site, now);
}

// A planned rack group comes online: its servers join the buckets (the scheduling pass after
// this event starts waiting jobs on them) and its racks start drawing idle power.
void Simulation::on_online(std::uint32_t g, SimTime now) {
  const PendingGroup& group = pending_groups_[g];
  for (ServerId s = group.first_server; s < group.first_server + group.servers; ++s) {
    pending_server_[s] = false;
    if (!cluster_.is_down(s)) continue;
    if (!server_cut_.empty() && server_cut_[s] > 0) {  // installed under a failed leaf
      server_cut_down_[s] = 1;
      server_down_since_[s] = now;
      continue;
    }
    cluster_.set_up(s);
  }
  const std::uint32_t site = cfg_.halls[rack_hall_[group.first_rack]].site;
  for (std::uint32_t r = group.first_rack; r < group.first_rack + group.racks; ++r) {
    site_racks_over_[site] -= rack_over(r);
    rack_base_mw_[r] = group.rack_idle_mw;
    site_racks_over_[site] += rack_over(r);
    settle_hall(rack_hall_[r]);
    hall_power_mw_[rack_hall_[r]] += group.rack_idle_mw;
    hall_demand_mw_[rack_hall_[r]] += group.rack_idle_mw;
    site_power_mw_[site] += group.rack_idle_mw;
    site_demand_mw_[site] += group.rack_idle_mw;
    it_power_mw_ += group.rack_idle_mw;
  }
  installed_gpus_ += group.gpus;
  if (power_limited_) update_power_caps(site, now);
}

// A planned UPS upgrade: the hall's usable power limit rises (the cooling plant, if it limits
// the hall, still does).
void Simulation::on_power_step(std::uint32_t k, SimTime now) {
  const HallPowerStep& step = cfg_.hall_power_steps[k];
  const std::uint32_t h = step.hall;
  hall_ups_planned_mw_[h] += static_cast<double>(to_milliwatts(step.add_w));
  hall_ups_limit_mw_[h] = ups_limit_mw(h);
  if (!hour_ups_limit_kw_.empty()) hour_ups_limit_kw_[h].set(hall_ups_limit_mw_[h] / 1e6, now, hour_start_);
  const HallConfig& hall = cfg_.halls[h];
  if (hall.cooling.enabled && hall.cooling.installed_heat_kw > 0) {
    const double cooling_mw = hall_cooling_kw_[h] * 1e6;
    const double limit = cooling_mw > 0 ? std::min(cooling_mw, hall_ups_limit_mw_[h]) : hall_ups_limit_mw_[h];
    hall_limit_mw_[h] = static_cast<std::int64_t>(std::floor(std::max(limit, 1.0)));
    hall_heat_bound_[h] = cooling_mw < hall_ups_limit_mw_[h];
  } else {
    hall_limit_mw_[h] = static_cast<std::int64_t>(hall_ups_limit_mw_[h]);
  }
  if (power_limited_) update_power_caps(hall.site, now);
}

// A planned utility feed upgrade: the site's feed limit rises.
void Simulation::on_feed_step(std::uint32_t k, SimTime now) {
  const SiteFeedStep& step = cfg_.site_feed_steps[k];
  site_feed_w_[step.site] += step.add_w;
  site_feed_mw_[step.site] = to_milliwatts(site_feed_w_[step.site]);
  hour_feed_limit_kw_[step.site].set(site_feed_w_[step.site] / 1000.0, now, hour_start_);
  if (power_limited_) update_power_caps(step.site, now);
}

// The hall's usable UPS limit with its failed units out (never 0 for a hall with a UPS: 0 means
// unlimited).
double Simulation::ups_limit_mw(std::uint32_t h) const {
  const double planned = hall_ups_planned_mw_[h];
  if (hall_ups_down_[h] == 0 || planned <= 0) return planned;
  const HallConfig& hall = cfg_.halls[h];
  const double usable = usable_fraction(hall.ups_redundancy, hall.ups_units);
  const double left = usable_fraction_with_failed(hall.ups_redundancy, hall.ups_units, hall_ups_down_[h]);
  return std::max(1.0, usable > 0 ? planned * left / usable : 0.0);
}

// IT load (mW) the hall's cooling plant carries now: this hour's outdoor temperature and its
// failed units.
double Simulation::cooling_it_mw(std::uint32_t h, SimTime now) const {
  const HallConfig& hall = cfg_.halls[h];
  const std::size_t hour_index = static_cast<std::size_t>(now / engine::kMicrosPerHour);
  const std::vector<double>& outdoor = cfg_.sites[hall.site].outdoor_c;
  const double t = outdoor.empty() ? 15.0 : outdoor[std::min(hour_index, outdoor.size() - 1)];
  const double capacity = cooling_capacity_kw(hall.cooling.installed_heat_kw, hall.cooling.redundancy, hall.cooling.units,
                                              t, hall.cooling.facility, hall_cooling_down_[h]);
  return max_it_kw_for_cooling(capacity, hall.cooling.facility) * 1e6;
}

// A UPS or cooling unit fails: its share of the installed capacity is out until repaired; the
// class's next failure of the unit comes after the repair.
void Simulation::on_unit_failure(std::uint32_t id, SimTime now) {
  const auto classes = static_cast<std::uint32_t>(cfg_.failures.size());
  const std::uint32_t u = id / classes;
  const std::uint32_t c = id % classes;
  const FailureClass& fc = cfg_.failures[c];
  FacilityUnit& unit = facility_units_[u];
  if (unit.down) {  // already out for another cause: this part fails later
    queue_.push(now + std::max<SimTime>(1, engine::from_seconds(fc.time_between_s.sample(failure_streams_[c]))),
                kPriorityJobEnd, kUnitFailure, id);
    return;
  }
  ++out_.failures_by_cause[c];
  ++(unit.kind == 1 ? out_.ups_failures : out_.cooling_unit_failures);
  unit.down = true;
  unit.down_since = now;
  ++(unit.kind == 1 ? hall_ups_down_ : hall_cooling_down_)[unit.hall];
  const SimTime repaired = now + std::max<SimTime>(1, engine::from_seconds(fc.repair_s.sample(failure_streams_[c])));
  queue_.push(repaired, kPriorityJobEnd, kUnitRepair, u);
  queue_.push(repaired + std::max<SimTime>(1, engine::from_seconds(fc.time_between_s.sample(failure_streams_[c]))),
              kPriorityJobEnd, kUnitFailure, id);
  apply_unit_change(unit.hall, now);
}

void Simulation::on_unit_repair(std::uint32_t u, SimTime now) {
  FacilityUnit& unit = facility_units_[u];
  if (!unit.down) return;
  (unit.kind == 1 ? out_.ups_unit_down_hours : out_.cooling_unit_down_hours) += engine::to_hours(now - unit.down_since);
  unit.down = false;
  --(unit.kind == 1 ? hall_ups_down_ : hall_cooling_down_)[unit.hall];
  apply_unit_change(unit.hall, now);
}

// A hall's units out changed: its UPS and cooling limits follow, and its GPUs are capped anew.
void Simulation::apply_unit_change(std::uint32_t h, SimTime now) {
  const HallConfig& hall = cfg_.halls[h];
  hall_ups_limit_mw_[h] = ups_limit_mw(h);
  if (!hour_ups_limit_kw_.empty()) hour_ups_limit_kw_[h].set(hall_ups_limit_mw_[h] / 1e6, now, hour_start_);
  double limit = hall_ups_limit_mw_[h];
  bool limited = limit > 0;
  if (hall.cooling.enabled && hall.cooling.installed_heat_kw > 0) {
    const double cooling_mw = cooling_it_mw(h, now);
    hall_cooling_kw_[h] = cooling_mw / 1e6;
    if (!hour_cooling_limit_kw_.empty()) hour_cooling_limit_kw_[h].set(hall_cooling_kw_[h], now, hour_start_);
    hall_heat_bound_[h] = limit <= 0 || cooling_mw < limit;
    limit = limit > 0 ? std::min(limit, cooling_mw) : cooling_mw;
    limited = true;
  }
  // At least 1 mW: a limit of 0 would mean none.
  hall_limit_mw_[h] = limited ? static_cast<std::int64_t>(std::floor(std::max(limit, 1.0))) : 0;
  // Hall-hours at reduced capacity: while the failures take usable capacity away.
  const auto track = [&](bool reduced, SimTime& since, double& hours) {
    if (reduced && since < 0) since = now;
    if (!reduced && since >= 0) {
      hours += engine::to_hours(now - since);
      since = -1;
    }
  };
  track(hall_ups_down_[h] > 0 && usable_fraction_with_failed(hall.ups_redundancy, hall.ups_units, hall_ups_down_[h]) <
                                     usable_fraction(hall.ups_redundancy, hall.ups_units),
        hall_ups_reduced_since_[h], out_.hall_hours_ups_reduced);
  track(hall_cooling_down_[h] > 0 &&
            usable_fraction_with_failed(hall.cooling.redundancy, hall.cooling.units, hall_cooling_down_[h]) <
                usable_fraction(hall.cooling.redundancy, hall.cooling.units),
        hall_cooling_reduced_since_[h], out_.hall_hours_cooling_reduced);
  if (power_limited_) update_power_caps(hall.site, now);
}

void Simulation::on_repair(std::uint32_t server, SimTime now) {
  out_.server_down_gpu_hours +=
      cluster_.pools()[cluster_.pool_of(server)].gpus_per_server * engine::to_hours(now - server_down_since_[server]);
  if (!spare_state_.empty() && spare_state_[server] == kSpareRepair) {  // stands by again, out of the buckets
    spare_state_[server] = kSpareFree;
    add_free_spare(server, now);
    return;
  }
  if (!server_cut_.empty() && server_cut_[server] > 0) {  // repaired, but a failed leaf still cuts it off
    server_cut_down_[server] = 1;
    server_down_since_[server] = now;
    return;
  }
  cluster_.set_up(server);
}

// Hot spares: a spare joins or leaves its pool's free spares; a hall with spares configured
// counts the time it has none free.
void Simulation::add_free_spare(ServerId s, SimTime now) {
  pool_free_spares_[cluster_.pool_of(s)].push_back(s);
  const std::uint32_t h = cluster_.pools()[cluster_.pool_of(s)].hall;
  if (hall_free_spares_[h]++ == 0 && hall_no_spare_since_[h] >= 0) {
    out_.hours_without_spare += engine::to_hours(now - hall_no_spare_since_[h]);
    out_.hall_spares[h].hours_without_spare += engine::to_hours(now - hall_no_spare_since_[h]);
    hall_no_spare_since_[h] = -1;
  }
}

void Simulation::take_free_spare(ServerId s, SimTime now) {
  std::vector<ServerId>& free = pool_free_spares_[cluster_.pool_of(s)];
  free.erase(std::find(free.begin(), free.end(), s));
  const std::uint32_t h = cluster_.pools()[cluster_.pool_of(s)].hall;
  if (--hall_free_spares_[h] == 0) hall_no_spare_since_[h] = now;
}

// The jobs `hit` were just interrupted by the failure of `failed` (already down). With a free
// spare in its pool (not cut off by a failed leaf), the spare takes the failed server's place in
// their placements and they restart now, paying their restart time but not waiting for the
// repair; the failed server becomes a spare once repaired. False (they stay queued) without one.
bool Simulation::swap_in_spare(ServerId failed, const std::vector<std::uint32_t>& hit, SimTime now) {
  const std::vector<ServerId>& free = pool_free_spares_[cluster_.pool_of(failed)];
  const auto usable = std::find_if(free.rbegin(), free.rend(),
                                   [&](ServerId s) { return server_cut_.empty() || server_cut_[s] == 0; });
  if (usable == free.rend()) return false;
  const ServerId spare = *usable;
  take_free_spare(spare, now);
  spare_state_[spare] = kActive;
  spare_state_[failed] = kSpareRepair;
  cluster_.set_up(spare);
  // hit is newest first: restart the oldest first.
  for (auto it = hit.rbegin(); it != hit.rend(); ++it) {
    waiting_.erase(std::find(waiting_.begin(), waiting_.end(), *it));
    ServerList& servers = jobs_[*it].placement.servers;
    std::replace(servers.begin(), servers.end(), failed, spare);
    start_placed(*it, now);
  }
  ++out_.spare_swaps;
  ++out_.hall_spares[cluster_.pools()[cluster_.pool_of(spare)].hall].spare_swaps;
  return true;
}

// An interrupted job keeps its useful work up to the last checkpoint and must restart.
void Simulation::interrupt(std::uint32_t slot, std::uint32_t cause, SimTime now) {
  Job& job = jobs_[slot];
  job.remaining_us -= job.speed * job.comm * job.part * static_cast<double>(now - job.settled_at);
  job.settled_at = now;
  queue_.cancel(job.end_event);
  const WorkloadConfig& wl = cfg_.workloads[job.workload];
  // Restart overhead is burnt first in a segment; what is left of remaining_us past it is useful.
  const double consumed = job.segment_remaining_us - job.remaining_us;
  const double overhead_left = std::max(0.0, job.segment_overhead_us - consumed);
  const double useful_left = std::max(0.0, job.remaining_us - overhead_left);
  const double useful_done = job.work_total_us - useful_left;
  const double interval = wl.checkpoint_interval_s * 1e6;
  const double saved = interval > 0 ? std::floor(useful_done / interval + 1e-9) * interval : 0.0;
  // A preempted job without checkpoints pays the scheduler's restart cost instead.
  const double restart = (cause == kPreempted && interval <= 0 ? cfg_.preempt_restart_s : wl.restart_s) * 1e6;
  out_.work_lost_gpu_hours += job.gpus * (useful_done - saved) / 3.6e9;
  out_.restart_gpu_hours += job.gpus * restart / 3.6e9;
  if (cause == kPreempted) {
    ++out_.preemptions;
    ++job.preemptions;
    ++out_.workload_jobs[job.workload].preemptions;
  } else {
    ++out_.interruptions_by_cause[cause];
  }
  stop_running(job, now);
  job.remaining_us = job.work_total_us - saved + restart;
  job.segment_overhead_us = restart;
  ++job.restarts;
  enqueue(slot, true);
  ++queued_jobs_;
  queued_gpus_ += job.gpus;
}

void Simulation::schedule(SimTime now) {
  if (cfg_.policy == SchedulingPolicy::fifo) {
    start_head_jobs(now);
  } else if (cfg_.policy == SchedulingPolicy::priority) {
    priority_schedule(now);
  } else if (fair_share_) {
    fair_share_schedule(now);
  } else {
    easy_backfill(now);
  }
}

// Useful work (microseconds at full speed) a running job would lose if interrupted now: what it
// did since its last checkpoint (all of it without checkpoints).
double Simulation::work_lost_us(const Job& job, SimTime now) const {
  const double remaining = job.remaining_us - job.speed * job.comm * job.part * static_cast<double>(now - job.settled_at);
  const double consumed = job.segment_remaining_us - remaining;
  const double overhead_left = std::max(0.0, job.segment_overhead_us - consumed);
  const double useful_done = job.work_total_us - std::max(0.0, remaining - overhead_left);
  const double interval = cfg_.workloads[job.workload].checkpoint_interval_s * 1e6;
  const double saved = interval > 0 ? std::floor(useful_done / interval + 1e-9) * interval : 0.0;
  return std::max(0.0, useful_done - saved);
}

// Priority: the queue in order of priority (higher first), then arrival; EASY backfill behind
// its head; a head that still cannot start preempts running preemptible jobs of strictly lower
// priority when that frees enough GPUs in one pool, then the pass starts over.
void Simulation::priority_schedule(SimTime now) {
  // enqueue() keeps the queue in order, and starting jobs only takes some out.
  assert(std::is_sorted(waiting_.begin(), waiting_.end(),
                        [&](std::uint32_t a, std::uint32_t b) { return priority_before(a, b); }));
  for (;;) {
    easy_backfill(now);
    if (waiting_.empty() || !preempt_for(waiting_.front(), now)) return;
  }
}

// Puts the queue in fair-share order: jobs within their tenant's max_gpus first, each group by
// tenant share (usage / guarantee, ties by tenant order), each tenant's jobs in their queue order
// (arrival order, a preempted or interrupted job first). A stable counting sort over 2 x tenants
// buckets: O(queue) per pass, not a comparison sort at every event.
void Simulation::order_fair_share() {
  const std::size_t tenants = cfg_.tenants.size();
  tenant_rank_.resize(tenants);
  for (std::uint32_t t = 0; t < tenants; ++t) tenant_rank_[t] = t;
  std::sort(tenant_rank_.begin(), tenant_rank_.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto ka = tenant_share(a);
    const auto kb = tenant_share(b);
    return ka != kb ? ka < kb : a < b;
  });
  // tenant_rank_ now lists tenants in order; turn it into each tenant's position.
  order_scratch_.assign(tenants, 0);
  for (std::uint32_t i = 0; i < tenants; ++i) order_scratch_[tenant_rank_[i]] = i;
  tenant_rank_.assign(order_scratch_.begin(), order_scratch_.end());
  auto bucket = [&](std::uint32_t slot) {
    const Job& job = jobs_[slot];
    return (over_quota(job) ? tenants : 0) + tenant_rank_[cfg_.workloads[job.workload].tenant_index];
  };
  bucket_start_.assign(2 * tenants + 1, 0);
  for (std::uint32_t slot : waiting_) ++bucket_start_[bucket(slot) + 1];
  for (std::size_t b = 1; b < bucket_start_.size(); ++b) bucket_start_[b] += bucket_start_[b - 1];
  order_scratch_.resize(waiting_.size());
  for (std::uint32_t slot : waiting_) order_scratch_[bucket_start_[bucket(slot)]++] = slot;
  // Within a tenant, its workloads' priorities first (higher first), queue order among equals.
  // bucket_start_[b] is now the end of bucket b.
  if (fair_share_priorities_) {
    auto higher = [&](std::uint32_t a, std::uint32_t b) {
      return cfg_.workloads[jobs_[a].workload].priority > cfg_.workloads[jobs_[b].workload].priority;
    };
    for (std::size_t b = 0, begin = 0; b + 1 < bucket_start_.size(); begin = bucket_start_[b], ++b)
      std::stable_sort(order_scratch_.begin() + static_cast<std::ptrdiff_t>(begin),
                       order_scratch_.begin() + static_cast<std::ptrdiff_t>(bucket_start_[b]), higher);
  }
  std::copy(order_scratch_.begin(), order_scratch_.end(), waiting_.begin());
}

// Fair share: the queue in order of each tenant's GPUs held over its guarantee (lowest first, so
// tenants below their guarantee come first), then queue order (order_fair_share); jobs that would
// take their tenant over max_gpus wait at the back and are skipped. EASY backfill runs over that
// order, which is worked out again after any start (usage moved). With reclaim_borrowed, a tenant whose first queued job
// would keep it within its guarantee preempts preemptible jobs of tenants holding more than theirs.
void Simulation::fair_share_schedule(SimTime now) {
  // Each round starts a job or reclaims GPUs; the bound only guards against a cycle.
  for (std::size_t round = 0, rounds = 2 * (waiting_.size() + running_.size()) + 16; round < rounds; ++round) {
    order_fair_share();
    const std::size_t running_before = running_.size();
    easy_backfill(now);
    if (running_.size() > running_before) continue;
    if (!cfg_.reclaim_borrowed) return;
    // The first queued job of each tenant asks, in queue order.
    bool reclaimed = false;
    std::fill(tenant_tried_.begin(), tenant_tried_.end(), 0);
    for (std::size_t i = 0; i < waiting_.size() && !reclaimed; ++i) {
      const std::uint32_t slot = waiting_[i];
      const std::uint32_t t = cfg_.workloads[jobs_[slot].workload].tenant_index;
      if (tenant_tried_[t] != 0) continue;
      tenant_tried_[t] = 1;
      if (tenant_busy_gpus_[t] + jobs_[slot].gpus > cfg_.tenants[t].guaranteed_gpus) continue;
      reclaimed = preempt_for(slot, now);
    }
    if (!reclaimed) return;
  }
}

// Preempts, for the queued job in `slot`, running preemptible jobs of strictly lower priority in
// the pool where that loses the fewest GPU-hours of work (lost work since the last checkpoint),
// taking the jobs that lose the least first until the job fits, then starts it. Returns false,
// preempting nothing, when no pool can be freed enough.
// The running preemptible jobs of `pool` below priority `prio` into victim_cost_scratch_ with the
// GPU-microseconds of work each would lose, fewest first (ties: the newest job first).
void Simulation::collect_victims(PoolId pool, int prio, SimTime now) {
  victim_cost_scratch_.clear();
  for (std::uint32_t r : running_) {
    const Job& job = jobs_[r];
    const WorkloadConfig& wl = cfg_.workloads[job.workload];
    if (job.placement.pool != pool || !wl.preemptible) continue;
    // Under fair share `prio` is the head's tenant: only other tenants above their guarantee lend.
    if (fair_share_ ? wl.tenant_index == static_cast<std::uint32_t>(prio) ||
                          tenant_busy_gpus_[wl.tenant_index] <= cfg_.tenants[wl.tenant_index].guaranteed_gpus
                    : wl.priority >= prio)
      continue;
    victim_cost_scratch_.emplace_back(job.gpus * work_lost_us(job, now), r);
  }
  std::sort(victim_cost_scratch_.begin(), victim_cost_scratch_.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : jobs_[a.second].id > jobs_[b.second].id;
  });
}

bool Simulation::preempt_for(std::uint32_t slot, SimTime now) {
  const Job& head = jobs_[slot];
  const int prio = fair_share_ ? static_cast<int>(cfg_.workloads[head.workload].tenant_index)
                               : cfg_.workloads[head.workload].priority;
  if (cfg_.power_policy == PowerPolicy::admission && power_limited_) return false;
  if (std::none_of(cfg_.workloads.begin(), cfg_.workloads.end(),
                   [&](const WorkloadConfig& wl) { return wl.preemptible && (fair_share_ || wl.priority < prio); }))
    return false;
  // Under fair share a victim is taken only while its tenant still holds more than its guarantee
  // (counting the victims already taken), so a reclaim takes back borrowed GPUs only.
  auto lends = [&](std::uint32_t r) {
    if (!fair_share_) return true;
    const std::uint32_t t = cfg_.workloads[jobs_[r].workload].tenant_index;
    if (tenant_busy_gpus_[t] - tenant_taken_gpus_[t] <= cfg_.tenants[t].guaranteed_gpus) return false;
    tenant_taken_gpus_[t] += jobs_[r].placement.allocated_gpus();
    return true;
  };
  auto reset_taken = [&] {
    if (fair_share_) std::fill(tenant_taken_gpus_.begin(), tenant_taken_gpus_.end(), 0);
  };
  double best_cost = 0.0;
  PoolId best_pool = kNoPool;
  for (PoolId p = 0; p < cluster_.pools().size(); ++p) {
    const Pool& pool = cluster_.pools()[p];
    if (!pool_allowed(head.workload, p)) continue;
    if (Cluster::servers_needed(head.gpus, pool.gpus_per_server) > static_cast<int>(pool.servers.size())) continue;
    collect_victims(p, prio, now);
    if (victim_cost_scratch_.empty()) continue;
    shadow_now(p, head.gpus);
    if (head_fits_in_shadow()) continue;  // fits already: power, not GPUs, holds it back
    double cost = 0.0;
    bool fits = false;
    reset_taken();
    for (const auto& [c, r] : victim_cost_scratch_) {
      if (!lends(r)) continue;
      for (ServerId s : jobs_[r].placement.servers) add_shadow_free(s, jobs_[r].placement.gpus_per_server_used);
      cost += c;
      if (head_fits_in_shadow()) {
        fits = true;
        break;
      }
    }
    if (fits && (best_pool == kNoPool || cost < best_cost)) {
      best_pool = p;
      best_cost = cost;
    }
  }
  if (best_pool == kNoPool) return false;
  // Collect the chosen pool's victims again, in the same order, then preempt them.
  collect_victims(best_pool, prio, now);
  shadow_now(best_pool, head.gpus);
  victims_scratch_.clear();
  reset_taken();
  for (const auto& [c, r] : victim_cost_scratch_) {
    if (!lends(r)) continue;
    for (ServerId s : jobs_[r].placement.servers) add_shadow_free(s, jobs_[r].placement.gpus_per_server_used);
    victims_scratch_.push_back(r);
    if (head_fits_in_shadow()) break;
  }
  for (std::uint32_t r : victims_scratch_) interrupt(r, kPreempted, now);
  const PoolId pool = cluster_.choose_pool(jobs_[slot].gpus, allowed_pools(jobs_[slot].workload));
  if (pool == kNoPool) return true;  // cannot happen: the victims freed enough; the pass goes on
  waiting_.erase(std::find(waiting_.begin(), waiting_.end(), slot));
  start_job(slot, pool, now);
  return true;
}

// FIFO: start the head while it fits; a head that does not fit blocks all behind it.
void Simulation::start_head_jobs(SimTime now) {
  while (!waiting_.empty()) {
    const std::uint32_t slot = waiting_.front();
    if (over_quota(jobs_[slot])) return;
    const PoolId pool = cluster_.choose_pool(jobs_[slot].gpus, allowed_pools(jobs_[slot].workload));
    if (pool == kNoPool) return;
    if (cfg_.power_policy == PowerPolicy::admission && power_limited_) {
      plan_placement(pool, jobs_[slot], candidate_);
      if (!power_admits(jobs_[slot], candidate_)) return;
    }
    waiting_.pop_front();
    start_job(slot, pool, now);
  }
}

// The earliest time the head fits in `pool` if running jobs end at their time limits; leaves
// shadow_free_ holding each of the pool's servers' free GPUs at that time.
SimTime Simulation::shadow_time(PoolId pool_id, int head_gpus, SimTime now) {
  shadow_now(pool_id, head_gpus);
  if (head_fits_in_shadow()) return now;
  if (pool_id >= pool_ends_.size()) return engine::kNever;  // nothing has run in the pool
  // Jobs in order of expected end, ties by id (unique), released until the head fits. A job
  // slowed by power capping may outrun its planned end: it is then expected to end now, so the
  // jobs expected by now are ties at now, released in id order; the rest in the pool's order.
  const std::vector<PoolEnd>& ends = pool_order_[pool_id].ordered(pool_ends_[pool_id]);
  auto later = ends.begin();
  while (later != ends.end() && later->end <= now) ++later;
  if (later != ends.begin()) {
    shadow_overdue_.assign(ends.begin(), later);
    std::sort(shadow_overdue_.begin(), shadow_overdue_.end(), [](const PoolEnd& a, const PoolEnd& b) { return a.id < b.id; });
    for (const PoolEnd& e : shadow_overdue_) {
      release_in_shadow(e);
      if (head_fits_in_shadow()) return now;
    }
  }
  for (auto it = later; it != ends.end(); ++it) {
    release_in_shadow(*it);
    if (head_fits_in_shadow()) return it->end;
  }
  return engine::kNever;
}

// A job's GPUs back at the reservation. Whole servers go from no free GPU to all of them, so each
// now fits a share of the head (threshold <= GPUs per server): counted without touching their
// entries. Nothing reads those entries before the next shadow_now: the backfill pass after this
// touches only servers a job can be placed on now, and a whole-server job leaves its servers none.
void Simulation::release_in_shadow(const PoolEnd& e) {
  if (e.whole_servers > 0) {
    shadow_found_ += static_cast<int>(e.whole_servers);
    return;
  }
  const Job& job = jobs_[e.slot];
  for (ServerId s : job.placement.servers) add_shadow_free(s, job.placement.gpus_per_server_used);
}

void Simulation::count_server_jobs(const Job& job, std::uint32_t slot, bool whole, int sign) {
  if (cfg_.failures.empty()) return;  // only a server failure reads them
  if (server_whole_job_.size() < cluster_.server_count()) {
    server_whole_job_.resize(cluster_.server_count(), kNotRunning);
    server_part_jobs_.resize(cluster_.server_count(), 0);
  }
  for (ServerId s : job.placement.servers) {
    if (whole) {
      server_whole_job_[s] = sign > 0 ? slot : kNotRunning;
    } else {
      server_part_jobs_[s] += sign;
    }
  }
}

void Simulation::track_running(const Job& job, std::uint32_t slot) {
  if (!tracks_running()) return;
  const PoolId pool = job.placement.pool;
  if (pool >= pool_ends_.size()) {
    pool_ends_.resize(cluster_.pools().size());
    pool_order_.resize(cluster_.pools().size());
  }
  const bool whole = job.placement.gpus_per_server_used == cluster_.pools()[pool].gpus_per_server;
  count_server_jobs(job, slot, whole, +1);
  if (cfg_.policy == SchedulingPolicy::fifo) return;
  const PoolEnd e{job.start + job.limit, job.id, slot,
                  whole ? static_cast<std::uint32_t>(job.placement.servers.size()) : 0U};
  if (job_end_pos_.size() < jobs_.size()) job_end_pos_.resize(jobs_.size());
  job_end_pos_[slot] = static_cast<std::uint32_t>(pool_ends_[pool].size());
  pool_ends_[pool].push_back(e);
  pool_order_[pool].add(e);
}

void Simulation::untrack_running(const Job& job, std::uint32_t slot) {
  if (!tracks_running()) return;
  count_server_jobs(job, slot, job.placement.gpus_per_server_used == cluster_.pools()[job.placement.pool].gpus_per_server, -1);
  if (cfg_.policy == SchedulingPolicy::fifo) return;
  std::vector<PoolEnd>& ends = pool_ends_[job.placement.pool];
  const std::uint32_t pos = job_end_pos_[slot];
  assert(ends[pos].slot == slot);
  pool_order_[job.placement.pool].remove(ends[pos]);
  ends[pos] = ends.back();
  job_end_pos_[ends[pos].slot] = pos;
  ends.pop_back();
}

// Fills shadow_free_ with each of the pool's servers' free GPUs now, for a head of head_gpus.
void Simulation::shadow_now(PoolId pool_id, int head_gpus) {
  const Pool& pool = cluster_.pools()[pool_id];
  shadow_needed_ = Cluster::servers_needed(head_gpus, pool.gpus_per_server);
  shadow_threshold_ = head_gpus >= pool.gpus_per_server ? pool.gpus_per_server : head_gpus;
  // Servers with at least the threshold free are those in the buckets from it up (a down server
  // is in no bucket): O(GPUs per server), not a walk of the pool; entries are filled as touched.
  shadow_found_ = 0;
  for (int k = shadow_threshold_; k <= pool.gpus_per_server; ++k)
    shadow_found_ += static_cast<int>(pool.buckets[static_cast<std::size_t>(k)].size());
  if (pool_shadow_gen_.size() < cluster_.pools().size()) pool_shadow_gen_.resize(cluster_.pools().size(), 0);
  if (shadow_stamp_.size() < cluster_.server_count()) shadow_stamp_.resize(cluster_.server_count(), 0);
  pool_shadow_gen_[pool_id] = ++shadow_gen_;
}

void Simulation::touch_shadow(ServerId s) {
  const std::uint64_t gen = pool_shadow_gen_[cluster_.pool_of(s)];
  if (shadow_stamp_[s] == gen) return;
  shadow_stamp_[s] = gen;
  shadow_free_[s] = cluster_.is_down(s) ? 0 : cluster_.free_gpus(s);
}

SimTime Simulation::memo_shadow_time(PoolId pool_id, int head_gpus, SimTime now, bool& fresh) {
  if (shadow_memo_.size() < cluster_.pools().size()) shadow_memo_.resize(cluster_.pools().size());
  ShadowMemo& memo = shadow_memo_[pool_id];
  const std::uint64_t changes = cluster_.pools()[pool_id].changes;
  fresh = memo.changes != changes || memo.head_gpus != head_gpus;
  if (!fresh) return std::max(now, memo.time);
  memo = {changes, head_gpus, shadow_time(pool_id, head_gpus, now)};
  return memo.time;
}

// Changes a server's free GPUs at the reservation, keeping the count of servers that fit a share
// of the head (so a test of the head is O(1), not a scan of the pool).
void Simulation::add_shadow_free(ServerId s, int gpus) {
  touch_shadow(s);
  shadow_found_ -= shadow_free_[s] >= shadow_threshold_;
  shadow_free_[s] += gpus;
  shadow_found_ += shadow_free_[s] >= shadow_threshold_;
}

// EASY backfill: the head gets a reservation at the earliest time it can start; a later job
// may start now if it fits and either ends (by its time limit) before the reservation or
// leaves the head's reserved servers enough room.
std::uint64_t Simulation::pool_changes() const {
  std::uint64_t sum = 0;
  for (const Pool& pool : cluster_.pools()) sum += pool.changes;
  return sum;
}

// Whether this pass would repeat the last one that started nothing. That pass saw the same queue
// and pools; every job it tried either fit nowhere (still so) or was in the reservation's pool,
// ending after the reservation and not fitting beside it. The reservation (max(now, T), T fixed by
// the pools and the head) stays at T and in the same pool while now < T: pools of lower id have a
// larger T (else they would have been chosen) and those of higher id lose ties; the servers its
// pass releases stay the same too (jobs past their limit all end before T). A job ending after T
// at the earlier now still does so later. Power admission and fair share (time-varying inputs)
// are left out.
bool Simulation::backfill_may_skip(SimTime now) const {
  if (fair_share_ || (cfg_.power_policy == PowerPolicy::admission && power_limited_)) return false;
  return now < idle_until_ && idle_queue_.size() == waiting_.size() && pool_changes() == idle_changes_ &&
         std::equal(waiting_.begin(), waiting_.end(), idle_queue_.begin());
}

void Simulation::remember_idle_backfill(SimTime until) {
  if (fair_share_ || (cfg_.power_policy == PowerPolicy::admission && power_limited_)) return;
  idle_until_ = until;
  idle_changes_ = pool_changes();
  idle_queue_.assign(waiting_.begin(), waiting_.end());
}

void Simulation::easy_backfill(SimTime now) {
  start_head_jobs(now);
  if (waiting_.size() < 2) return;
  if (backfill_may_skip(now)) return;
  bool started = false;
  const int head_gpus = jobs_[waiting_.front()].gpus;
  const std::uint32_t head_workload = jobs_[waiting_.front()].workload;
  SimTime shadow = engine::kNever;
  PoolId shadow_pool = kNoPool;
  bool shadow_known = false;  // the reservation is worked out at the first job that fits now
  std::tuple<int, int, int> shadow_kept;
  bool shadow_fresh = false;  // whether the chosen pool's pass ran now (else its answer was kept)
  bool shadow_ready = false;  // whether shadow_free_ and the counts hold the chosen pool's pass
  auto ensure_shadow = [&] {
    if (!shadow_ready) shadow_time(shadow_pool, head_gpus, now);
    shadow_ready = true;
  };
  // Whether a job fits now is monotone in its size, and starts only take GPUs away: once a size
  // fits nowhere, every later job at least as large is skipped without asking the pools.
  int smallest_unplaceable = INT_MAX;

  for (auto it = std::next(waiting_.begin()); it != waiting_.end();) {
    const std::uint32_t slot = *it;
    const Job& job = jobs_[slot];
    if (fair_share_ && over_quota(job)) {
      ++it;
      continue;
    }
    if (job.gpus >= smallest_unplaceable) {
      if (smallest_unplaceable <= 1) break;  // nothing fits anywhere
      ++it;
      continue;
    }
    const PoolId pool = cluster_.choose_pool(job.gpus, allowed_pools(job.workload));
    if (pool == kNoPool) {
      // A job held to one GPU type says nothing about what fits in the other pools.
      if (allowed_pools(job.workload) == nullptr) smallest_unplaceable = job.gpus;
      ++it;
      continue;
    }
    if (!shadow_known) {
      shadow_known = true;
      for (PoolId p = 0; p < cluster_.pools().size(); ++p) {
        const Pool& candidate_pool = cluster_.pools()[p];
        if (!pool_allowed(head_workload, p)) continue;
        if (Cluster::servers_needed(head_gpus, candidate_pool.gpus_per_server) >
            static_cast<int>(candidate_pool.servers.size()))
          continue;
        bool fresh = false;
        const SimTime t = memo_shadow_time(p, head_gpus, now, fresh);
        if (t < shadow) {
          shadow = t;
          shadow_pool = p;
          shadow_fresh = fresh;
          shadow_kept = {shadow_found_, shadow_needed_, shadow_threshold_};
        }
      }
      if (shadow_pool == kNoPool) {
        remember_idle_backfill(engine::kNever);  // nothing started before the first job that fits
        return;
      }
      // Pools hold disjoint servers: the chosen pool's shadow_free_ is still as its pass left it;
      // only the counts of the pools looked at after it need putting back. A kept answer has no
      // pass behind it: run the chosen pool's (the same answer, the same servers released).
      // It runs only when a job of the chosen pool needs it, before any start there changes the
      // pool (other pools' starts leave it as it is), so most passes need none.
      shadow_ready = shadow_fresh;
      if (shadow_fresh) std::tie(shadow_found_, shadow_needed_, shadow_threshold_) = shadow_kept;
    }
    bool may_start = pool != shadow_pool || now + job.limit <= shadow;
    if (!may_start) {
      ensure_shadow();
      plan_placement(pool, job, candidate_);
      for (ServerId s : candidate_.servers) add_shadow_free(s, -candidate_.gpus_per_server_used);
      may_start = head_fits_in_shadow();
      if (!may_start) {
        for (ServerId s : candidate_.servers) add_shadow_free(s, candidate_.gpus_per_server_used);
      }
    }
    if (may_start && cfg_.power_policy == PowerPolicy::admission && power_limited_) {
      plan_placement(pool, job, candidate_);
      may_start = power_admits(job, candidate_);
      if (!may_start && pool == shadow_pool && now + job.limit > shadow) {
        // Undo the reservation bookkeeping of a job that will not start after all.
        for (ServerId s : candidate_.servers) add_shadow_free(s, candidate_.gpus_per_server_used);
      }
    }
    if (may_start) {
      started = true;
      it = waiting_.erase(it);
      if (shadow_known && pool == shadow_pool) {
        // shadow_free_ is filled from the cluster as servers are touched: pin the servers this
        // start takes at their free GPUs before it, as the reservation saw them.
        ensure_shadow();
        plan_placement(pool, jobs_[slot], jobs_[slot].placement);
        for (ServerId s : jobs_[slot].placement.servers) touch_shadow(s);
        start_placed(slot, now);
      } else {
        start_job(slot, pool, now);  // takes GPUs: what fit nowhere still fits nowhere
      }
    } else {
      ++it;
    }
  }
  // A reservation at now (its T already passed) moves with now: only one still ahead is kept.
  if (!started) remember_idle_backfill(!shadow_known ? engine::kNever : shadow > now ? shadow : now);
}

void Simulation::start_job(std::uint32_t slot, PoolId pool_id, SimTime now) {
  plan_placement(pool_id, jobs_[slot], jobs_[slot].placement);
  start_placed(slot, now);
}

// Starts a queued job on the servers its placement already names (free in the cluster).
void Simulation::start_placed(std::uint32_t slot, SimTime now) {
  Job& job = jobs_[slot];
  const PoolId pool_id = job.placement.pool;
  cluster_.commit(job.placement);
  busy_gpus_ += job.placement.allocated_gpus();
  add_workload_busy(job.workload, job.placement.pool, job.placement.allocated_gpus());
  add_tenant_requested(job.workload, job.gpus);
  site_busy_gpus_[cluster_.pools()[job.placement.pool].site] += job.placement.allocated_gpus();
  add_rack_busy(job, +1);
  --queued_jobs_;
  queued_gpus_ -= job.gpus;
  ++running_jobs_;
  if (job.restarts == 0) job.start = now;  // a restarted job keeps its first start
  job.held_since = now;
  job.settled_at = now;
  job.speed = 1.0;
  job.comm = 1.0;
  job.part = cfg_.workloads[job.workload].duration_on_h100
                 ? relative_speed(cfg_.gpu_types[cfg_.server_gpu_type[cluster_.pools()[pool_id].server_type]])
                 : 1.0;
  // Restart overhead is wall-clock time at full speed: in this part's work units it is overhead x part.
  // A job never interrupted has none (and adding 0 would change nothing).
  if (job.restarts != 0) {
    job.remaining_us += job.segment_overhead_us * (job.part - 1.0);
    job.segment_overhead_us *= job.part;
  }
  job.segment_remaining_us = job.remaining_us;
  running_pos_[slot] = static_cast<std::uint32_t>(running_.size());
  running_.push_back(slot);
  track_running(job, slot);
  job.end_event = queue_.push(end_time_of(job, now), kPriorityJobEnd, kJobEnd, slot);
  if (fabrics_) {
    job.comm_since = now;  // only profiling on a fabric reads it
    set_job_comm(slot, now);
  }
  if (job.restarts == 0) {
    ++out_.jobs_started;
    add_unmet(job, now);
    if (job.burst_event != engine::kNoEvent) {
      queue_.cancel(job.burst_event);
      job.burst_event = engine::kNoEvent;
    }
    if (job.arrival >= cfg_.warmup) {
      const double wait_hours = engine::to_hours(now - job.arrival);
      wait_sum_hours_ += wait_hours;
      ++waits_measured_;
      if (wait_hours > 0.0) ++waits_positive_;
      out_.workload_jobs[job.workload].waits_hours.push_back(wait_hours);
    }
  }
  if (power_limited_) update_power_caps(cluster_.pools()[pool_id].site, now);
}

// std::ceil of a time in microseconds, done inline below 2^52 (the same value: there the
// fraction is exact), since a library call at every start showed in profiles.
SimTime ceil_us(double us) {
  if (!(us >= 0.0 && us < 0x1p52)) return static_cast<SimTime>(std::ceil(us));
  const auto whole = static_cast<SimTime>(us);
  return static_cast<double>(whole) < us ? whole + 1 : whole;
}

// The job ends when its work is done at the current speed, or at its wall-clock limit.
SimTime Simulation::end_time_of(const Job& job, SimTime now) const {
  const double left = std::max(0.0, job.remaining_us);
  // A job whose ring a switch failure cut (comm 0) makes no progress until a repair.
  const SimTime done = left <= 0.0       ? now
                       : job.comm > 0.0 ? now + ceil_us(left / (job.speed * job.comm * job.part))
                                        : engine::kNever;
  return job.enforce_limit ? std::min(done, job.start + job.limit) : done;
}

// The communication speed factor of a job just placed, on its hall's fabric (docs/fabric.md):
// endpoints in placement order (a server's GPUs in turn on a rail-optimized fabric), a ring
// all-reduce at the ring's bottleneck bandwidth against one at the link bandwidth.
// The job's ring into ring_scratch_: its endpoints in placement order (a server's GPUs in turn on
// a rail-optimized fabric).
void Simulation::ring_of(const Job& job, const Fabric& fabric) {
  const bool rail = fabric.spec.topology == FabricSpec::Topology::rail_optimized;
  ring_scratch_.clear();
  for (ServerId s : job.placement.servers) {
    const int pos = static_cast<int>(server_hall_pos_[s]);
    if (!rail) {
      ring_scratch_.push_back(pos);
    } else {
      for (int g = 0; g < job.placement.gpus_per_server_used; ++g) ring_scratch_.push_back(pos * fabric.spec.rails + g);
    }
  }
}

void Simulation::set_job_comm(std::uint32_t slot, SimTime now) {
  Job& job = jobs_[slot];
  const std::uint32_t hall = hall_of_job(job);
  const Fabric* fabric = cfg_.halls[hall].fabric.get();
  if (fabric == nullptr) return;
  ring_of(job, *fabric);
  const bool first = job.restarts == 0;
  if (first) {
    leaf_scratch_.clear();
    for (int e : ring_scratch_) leaf_scratch_.push_back(fabric->leaf_of[static_cast<std::size_t>(e)]);
    std::sort(leaf_scratch_.begin(), leaf_scratch_.end());
    job.switches_spanned =
        static_cast<int>(std::unique(leaf_scratch_.begin(), leaf_scratch_.end()) - leaf_scratch_.begin());
  }
  const WorkloadConfig& wl = cfg_.workloads[job.workload];
  if (wl.comm_gradient_bytes <= 0.0) return;
  job.ranks = static_cast<int>(ring_scratch_.size());
  if (ring_scratch_.size() > 1) {
    if (!hall_links_[hall]) {
      auto links = std::make_unique<HallLinks>();
      links->arc_jobs.resize(2 * fabric->links.size());
      links->arc_slot.assign(2 * fabric->links.size(), -1);
      for (const FabricLink& l : fabric->links) {
        links->capacity_gbps.push_back(l.gbps);
        links->capacity_gbps.push_back(l.gbps);
        const auto tier = static_cast<std::uint8_t>(link_tier(*fabric, l));
        links->arc_tier.push_back(tier);
        links->arc_tier.push_back(tier);
      }
      hall_links_[hall] = std::move(links);
      set_failed_paths(hall);
    }
    HallLinks& links = *hall_links_[hall];
    job.ring_cut = !ring_arc_loads(*fabric, ring_scratch_, links.cache, job.arc_loads);
    forget_share(slot);
    for (const ArcLoad& a : job.arc_loads) links.arc_jobs[static_cast<std::size_t>(a.arc)].push_back(slot);
    share_seeds_.assign(1, slot);
    share_links(hall, now);
  }
  if (first) {
    job.comm_profiled = true;
    job.comm_us = 0.0;
    job.run_us = 0;
    ++out_.comm_jobs;
  }
}

// A job leaves the links it shared: the jobs it shared them with get their bandwidth back.
void Simulation::leave_links(Job& job, SimTime now) {
  if (job.arc_loads.empty()) return;
  const std::uint32_t hall = hall_of_job(job);
  HallLinks& links = *hall_links_[hall];
  const auto slot = static_cast<std::uint32_t>(&job - jobs_.data());
  ++share_pass_;
  if (share_mark_.size() < jobs_.size()) share_mark_.resize(jobs_.size(), 0);
  share_mark_[slot] = share_pass_;
  share_seeds_.clear();
  for (const ArcLoad& a : job.arc_loads) {
    auto& on_arc = links.arc_jobs[static_cast<std::size_t>(a.arc)];
    on_arc.erase(std::find(on_arc.begin(), on_arc.end(), slot));
    for (std::uint32_t other : on_arc) {
      if (share_mark_[other] == share_pass_) continue;
      share_mark_[other] = share_pass_;
      share_seeds_.push_back(other);
    }
  }
  job.arc_loads.clear();
  forget_share(slot);
  set_carried(job, hall, {0.0, 0.0, 0.0}, now);
  if (!share_seeds_.empty()) share_links(hall, now);
}

void Simulation::set_carried(Job& job, std::uint32_t hall, const double (&gbps)[3], SimTime now) {
  for (std::size_t t = 0; t < 3; ++t) {
    if (gbps[t] == job.carried_gbps[t]) continue;
    double& total = fabric_carried_gbps_[3 * hall + t];
    total += gbps[t] - job.carried_gbps[t];
    // Sums and differences of shares leave rounding dust when the last ring leaves.
    if (total < 1e-9 * fabric_capacity_gbps_[3 * hall + t]) total = 0.0;
    job.carried_gbps[t] = gbps[t];
    hour_fabric_gbps_[3 * hall + t].set(total, now, hour_start_);
  }
}

// Max-min fair shares of the links used by the jobs in share_seeds_ and every job linked to them
// through shared link directions (progressive filling); each job whose communication speed
// changes has its work settled and its completion moved.
void Simulation::share_links(std::uint32_t hall, SimTime now) {
  HallLinks& links = *hall_links_[hall];
  const Fabric& fabric = *cfg_.halls[hall].fabric;
  ++share_pass_;
  if (share_mark_.size() < jobs_.size()) share_mark_.resize(jobs_.size(), 0);
  share_component_.clear();
  for (std::uint32_t slot : share_seeds_) {
    if (share_mark_[slot] == share_pass_) continue;
    share_mark_[slot] = share_pass_;
    share_component_.push_back(slot);
  }
  for (std::size_t i = 0; i < share_component_.size(); ++i) {
    for (const ArcLoad& a : jobs_[share_component_[i]].arc_loads)
      for (std::uint32_t other : links.arc_jobs[static_cast<std::size_t>(a.arc)]) {
        if (share_mark_[other] == share_pass_) continue;
        share_mark_[other] = share_pass_;
        share_component_.push_back(other);
      }
  }
  std::sort(share_component_.begin(), share_component_.end(),
            [this](std::uint32_t a, std::uint32_t b) { return jobs_[a].id < jobs_[b].id; });
  share_rings_.clear();
  for (std::uint32_t slot : share_component_) share_rings_.push_back(&jobs_[slot].arc_loads);
  max_min_rates(share_rings_, links.capacity_gbps, links.arc_slot, share_gbps_);
  if (share_done_gbps_.size() < jobs_.size())
    share_done_gbps_.resize(jobs_.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < share_component_.size(); ++i) {
    // The same share on the same ring: the same speed and traffic as last time (set already).
    if (share_done_gbps_[share_component_[i]] == share_gbps_[i]) continue;
    share_done_gbps_[share_component_[i]] = share_gbps_[i];
    Job& job = jobs_[share_component_[i]];
    const WorkloadConfig& wl = cfg_.workloads[job.workload];
    const double comm =
        job.ring_cut ? 0.0 : comm_speed_factor_at(fabric, job.ranks, share_gbps_[i], wl.comm_gradient_bytes, wl.comm_step_s);
    // The ring moves share x load on each arc while it all-reduces: the fraction T / (step + T)
    // of its time, T = the all-reduce at that share.
    double carried[3] = {0.0, 0.0, 0.0};
    const double bus = share_gbps_[i];
    if (!job.ring_cut && bus > 0.0 && std::isfinite(bus)) {
      const double t_s = ring_allreduce_seconds(wl.comm_gradient_bytes, job.ranks, bus, fabric.spec.link_latency_ns * 1e-9);
      const double duty = t_s / (wl.comm_step_s + t_s);
      for (const ArcLoad& a : job.arc_loads) carried[links.arc_tier[static_cast<std::size_t>(a.arc)]] += bus * a.load * duty;
    }
    set_carried(job, hall, carried, now);
    if (comm == job.comm) continue;
    job.remaining_us -= job.speed * job.comm * job.part * static_cast<double>(now - job.settled_at);
    job.settled_at = now;
    job.settle_comm(now);
    job.comm = comm;
    queue_.reschedule(job.end_event, end_time_of(job, now));
  }
}

// A switch fails (docs/fabric.md, "Switch failures"). A leaf cuts off the servers under it: their
// jobs are interrupted as by a server failure and the servers are out until it is repaired.
// Any switch takes its links out: rings route around it (or stall if cut), shares are redone
// and the hall's bisection is measured again.
void Simulation::on_switch_failure(std::uint32_t id, SimTime now) {
  const auto classes = static_cast<std::uint32_t>(cfg_.failures.size());
  const SwitchUnit unit = switch_units_[id / classes];
  const std::uint32_t c = id % classes;
  const Fabric& fabric = *cfg_.halls[unit.hall].fabric;
  std::vector<char>& failed = switch_failed_[unit.hall];
  if (failed.empty()) failed.assign(fabric.vertices.size(), 0);
  if (failed[static_cast<std::size_t>(unit.vertex)]) {  // already out for another cause: fails later
    queue_.push(next_failure(c, 0, now), kPriorityJobEnd, kSwitchFailure, id);
    return;
  }
  ++out_.failures_by_cause[c];
  failed[static_cast<std::size_t>(unit.vertex)] = 1;
  count_switch_links(unit.hall, unit.vertex, now);
  if (fabric.vertices[static_cast<std::size_t>(unit.vertex)].tier == 1) {
    const int per_server = fabric.spec.topology == FabricSpec::Topology::rail_optimized ? fabric.spec.rails : 1;
    std::vector<ServerId> cut;
    for (int e = 0; e < fabric.endpoints; ++e) {
      if (fabric.leaf_of[static_cast<std::size_t>(e)] != unit.vertex) continue;
      const auto pos = static_cast<std::size_t>(e / per_server);
      if (pos < hall_servers_[unit.hall].size() && (cut.empty() || cut.back() != hall_servers_[unit.hall][pos]))
        cut.push_back(hall_servers_[unit.hall][pos]);
    }
    cut_off(cut, c, now);
  }
  after_fabric_failure(unit.hall, c, id, kSwitchRepair, kSwitchFailure, now);
}

// A switch or link of a hall's fabric has failed (its cut-off servers handled): paths and rings
// around it, the hall's bisection, its repair and the next failure of its class.
void Simulation::after_fabric_failure(std::uint32_t hall, std::uint32_t c, std::uint32_t id, std::uint16_t repair_kind,
                                      std::uint16_t failure_kind, SimTime now) {
  set_failed_paths(hall);
  reroute(hall, now);
  note_bisection(hall);
  const SimTime repaired = now + std::max<SimTime>(1, engine::from_seconds(cfg_.failures[c].repair_s.sample(failure_streams_[c])));
  queue_.push(repaired, kPriorityJobEnd, repair_kind, id);
  queue_.push(next_failure(c, 0, repaired), kPriorityJobEnd, failure_kind, id);
  if (power_limited_) update_power_caps(cfg_.halls[hall].site, now);
}

void Simulation::on_switch_repair(std::uint32_t id, SimTime now) {
  const auto classes = static_cast<std::uint32_t>(cfg_.failures.size());
  const SwitchUnit unit = switch_units_[id / classes];
  const Fabric& fabric = *cfg_.halls[unit.hall].fabric;
  std::vector<char>& failed = switch_failed_[unit.hall];
  failed[static_cast<std::size_t>(unit.vertex)] = 0;
  count_switch_links(unit.hall, unit.vertex, now);
  if (fabric.vertices[static_cast<std::size_t>(unit.vertex)].tier == 1) {
    const int per_server = fabric.spec.topology == FabricSpec::Topology::rail_optimized ? fabric.spec.rails : 1;
    ServerId last = UINT32_MAX;
    for (int e = 0; e < fabric.endpoints; ++e) {
      if (fabric.leaf_of[static_cast<std::size_t>(e)] != unit.vertex) continue;
      const auto pos = static_cast<std::size_t>(e / per_server);
      if (pos >= hall_servers_[unit.hall].size() || hall_servers_[unit.hall][pos] == last) continue;
      const ServerId s = last = hall_servers_[unit.hall][pos];
      reconnect(s, now);
    }
  }
  set_failed_paths(unit.hall);
  reroute(unit.hall, now);
}

// Servers cut off from their fabric (a failed leaf above them, or their own link): their jobs are
// interrupted as by a server failure, newest first, and the servers are out of service, counted
// as down, until every cut is repaired (server_cut_ counts the cuts).
void Simulation::cut_off(const std::vector<ServerId>& cut, std::uint32_t cause, SimTime now) {
  std::vector<std::uint32_t> hit;
  for (std::uint32_t slot : running_) {
    for (ServerId s : jobs_[slot].placement.servers)
      if (server_cut_[s] == 0 && std::find(cut.begin(), cut.end(), s) != cut.end()) {
        hit.push_back(slot);
        break;
      }
  }
  std::sort(hit.begin(), hit.end(), [&](std::uint32_t a, std::uint32_t b) { return jobs_[a].id > jobs_[b].id; });
  for (std::uint32_t slot : hit) interrupt(slot, cause, now);
  for (ServerId s : cut) {
    if (server_cut_[s]++ > 0 || cluster_.is_down(s)) continue;
    if (services_ && holds_replicas(s)) services_->on_server_down(s, now);
    cluster_.set_down(s);
    server_cut_down_[s] = 1;
    server_down_since_[s] = now;
  }
}

// One cut of a server is repaired; it is back in service when no other cut remains (and the cut,
// not its own failure, took it out).
void Simulation::reconnect(ServerId s, SimTime now) {
  if (--server_cut_[s] > 0 || !server_cut_down_[s]) return;
  server_cut_down_[s] = 0;
  on_repair(s, now);
}

// The hall's ring paths avoid its failed switches and links from now on.
void Simulation::set_failed_paths(std::uint32_t hall) {
  if (!hall_links_[hall] || switch_failed_.empty()) return;
  static const std::vector<char> none;
  hall_links_[hall]->cache.set_failed(switch_failed_[hall], link_failed_.empty() ? none : link_failed_[hall]);
}

// A link fails (docs/fabric.md, "Link failures"). It carries nothing until repaired: rings whose
// hops it served share the remaining parallel paths (or stall if none is left), shares are redone
// and the hall's bisection is measured again. An endpoint link is its server's only way to the
// fabric (on a rail-optimized fabric, one GPU's rail): the server is cut off as under a failed leaf.
void Simulation::on_link_failure(std::uint32_t id, SimTime now) {
  const auto classes = static_cast<std::uint32_t>(cfg_.failures.size());
  LinkUnit& unit = link_units_[id / classes];
  const std::uint32_t c = id % classes;
  const Fabric& fabric = *cfg_.halls[unit.hall].fabric;
  std::vector<char>& failed = link_failed_[unit.hall];
  if (failed.empty()) failed.assign(fabric.links.size(), 0);
  if (failed[static_cast<std::size_t>(unit.link)]) {  // already out for another cause: fails later
    queue_.push(next_failure(c, 0, now), kPriorityJobEnd, kLinkFailure, id);
    return;
  }
  ++out_.failures_by_cause[c];
  ++out_.link_failures;
  failed[static_cast<std::size_t>(unit.link)] = 1;
  unit.down_since = now;
  count_link(unit.hall, unit.link, now);
  if (unit.link < fabric.endpoints) {  // the builder lists endpoint e's link as link e
    const int per_server = fabric.spec.topology == FabricSpec::Topology::rail_optimized ? fabric.spec.rails : 1;
    const auto pos = static_cast<std::size_t>(unit.link / per_server);
    if (pos < hall_servers_[unit.hall].size()) cut_off({hall_servers_[unit.hall][pos]}, c, now);
  }
  after_fabric_failure(unit.hall, c, id, kLinkRepair, kLinkFailure, now);
}

void Simulation::on_link_repair(std::uint32_t id, SimTime now) {
  const auto classes = static_cast<std::uint32_t>(cfg_.failures.size());
  LinkUnit& unit = link_units_[id / classes];
  const Fabric& fabric = *cfg_.halls[unit.hall].fabric;
  link_failed_[unit.hall][static_cast<std::size_t>(unit.link)] = 0;
  out_.link_down_hours += engine::to_hours(now - unit.down_since);
  unit.down_since = -1;
  count_link(unit.hall, unit.link, now);
  if (unit.link < fabric.endpoints) {
    const int per_server = fabric.spec.topology == FabricSpec::Topology::rail_optimized ? fabric.spec.rails : 1;
    const auto pos = static_cast<std::size_t>(unit.link / per_server);
    if (pos < hall_servers_[unit.hall].size()) reconnect(hall_servers_[unit.hall][pos], now);
  }
  set_failed_paths(unit.hall);
  reroute(unit.hall, now);
}

// A link just failed or came back: it leaves or rejoins its tier's capacity in service, unless a
// failed switch at either end has already taken it out (count_switch_links).
void Simulation::count_link(std::uint32_t hall, int link, SimTime now) {
  const Fabric& fabric = *cfg_.halls[hall].fabric;
  const FabricLink& l = fabric.links[static_cast<std::size_t>(link)];
  const std::vector<char>& switches = switch_failed_[hall];
  if (!switches.empty() && (switches[static_cast<std::size_t>(l.a)] || switches[static_cast<std::size_t>(l.b)])) return;
  const double sign = link_failed_[hall][static_cast<std::size_t>(link)] ? -1.0 : 1.0;
  const auto t = static_cast<std::size_t>(link_tier(fabric, l));
  StepMean& up = hour_fabric_up_gbps_[3 * hall + t];
  double gbps = up.value + sign * 2.0 * l.gbps;
  if (std::abs(gbps - fabric_capacity_gbps_[3 * hall + t]) < 1e-9 * fabric_capacity_gbps_[3 * hall + t])
    gbps = fabric_capacity_gbps_[3 * hall + t];  // all back: exactly the full capacity again
  up.set(std::max(0.0, gbps), now, hour_start_);
}

// Every profiled job of the hall gets its ring's loads again over the switches in service, and
// the hall's shares are redone.
void Simulation::reroute(std::uint32_t hall, SimTime now) {
  if (!hall_links_[hall]) return;
  HallLinks& links = *hall_links_[hall];
  const Fabric& fabric = *cfg_.halls[hall].fabric;
  share_seeds_.clear();
  for (std::uint32_t slot : running_) {
    Job& job = jobs_[slot];
    if (!job.comm_profiled || job.ranks < 2 || hall_of_job(job) != hall) continue;
    for (const ArcLoad& a : job.arc_loads) {
      auto& on_arc = links.arc_jobs[static_cast<std::size_t>(a.arc)];
      on_arc.erase(std::find(on_arc.begin(), on_arc.end(), slot));
    }
    ring_of(job, fabric);
    job.ring_cut = !ring_arc_loads(fabric, ring_scratch_, links.cache, job.arc_loads);
    forget_share(slot);
    for (const ArcLoad& a : job.arc_loads) links.arc_jobs[static_cast<std::size_t>(a.arc)].push_back(slot);
    share_seeds_.push_back(slot);
  }
  if (!share_seeds_.empty()) share_links(hall, now);
}

// A switch just failed or came back: its links whose other end is in service leave or rejoin
// their tier's capacity in service (a link between two failed switches left with the first).
void Simulation::count_switch_links(std::uint32_t hall, int vertex, SimTime now) {
  const Fabric& fabric = *cfg_.halls[hall].fabric;
  const std::vector<char>& failed = switch_failed_[hall];
  const std::vector<char>* links_out = link_failed_.empty() || link_failed_[hall].empty() ? nullptr : &link_failed_[hall];
  const double sign = failed[static_cast<std::size_t>(vertex)] ? -1.0 : 1.0;
  double change_gbps[3] = {0.0, 0.0, 0.0};
  for (std::size_t li = 0; li < fabric.links.size(); ++li) {
    const FabricLink& l = fabric.links[li];
    if (l.a != vertex && l.b != vertex) continue;
    if (links_out != nullptr && (*links_out)[li]) continue;  // a failed link already left (count_link)
    if (failed[static_cast<std::size_t>(l.a == vertex ? l.b : l.a)]) continue;
    change_gbps[link_tier(fabric, l)] += 2.0 * l.gbps;
  }
  for (std::size_t t = 0; t < 3; ++t) {
    StepMean& up = hour_fabric_up_gbps_[3 * hall + t];
    double gbps = up.value + sign * change_gbps[t];
    if (std::abs(gbps - fabric_capacity_gbps_[3 * hall + t]) < 1e-9 * fabric_capacity_gbps_[3 * hall + t])
      gbps = fabric_capacity_gbps_[3 * hall + t];  // all back: exactly the full capacity again
    up.set(std::max(0.0, gbps), now, hour_start_);
  }
}

void Simulation::note_bisection(std::uint32_t hall) {
  const double gbps = bisection_gbps(*cfg_.halls[hall].fabric, switch_failed_[hall],
                                     link_failed_.empty() ? std::vector<char>{} : link_failed_[hall]);
  out_.hall_min_bisection_gbps[hall] = std::min(out_.hall_min_bisection_gbps[hall], gbps);
}

// The servers a job would get in a pool: on a hall with a fabric, whole-server jobs are placed
// by the hall's policy (pack or spread), with or without a communication profile (a job under
// fewer leaves leaves whole leaves free for the next profiled one); otherwise, and for part of a
// server, as the cluster does. The per-leaf free lists make this cheap enough for every backfill
// candidate.
void Simulation::plan_placement(PoolId pool_id, const Job& job, Placement& out) {
  const Pool& pool = cluster_.pools()[pool_id];
  const int n = pool.gpus_per_server;
  const int gpus = job.gpus;
  const HallConfig& hall = cfg_.halls[pool.hall];
  if (!fabrics_ || hall.fabric == nullptr || gpus < n) {
    cluster_.plan(pool_id, gpus, out);
    return;
  }
  out.pool = pool_id;
  out.gpus_per_server_used = n;
  leaf_free_.place(hall.fabric_spread ? PlacementPolicy::spread : PlacementPolicy::pack, pool_id,
                   Cluster::servers_needed(gpus, n), placed_scratch_);
  out.servers.assign(placed_scratch_.begin(), placed_scratch_.end());
}

void Simulation::set_job_speed(Job& job, double speed, SimTime now) {
  if (speed == job.speed) return;
  job.remaining_us -= job.speed * job.comm * job.part * static_cast<double>(now - job.settled_at);
  job.settled_at = now;
  lost_gpus_ += job.gpus * (job.speed - speed);
  hall_lost_gpus_[hall_of_job(job)] += job.gpus * (job.speed - speed);
  job.speed = speed;
  queue_.reschedule(job.end_event, end_time_of(job, now));
}

// Adds (sign +1) or removes (-1) a job's busy power on its racks, halls and site. A whole-server
// job uses all GPUs of its servers but the last, which holds the remainder.
// Busy draw above idle of one GPU of `pool` running a job of `workload`.
std::int64_t Simulation::gpu_busy_mw(PoolId pool, std::uint32_t workload) const {
  const double f = cfg_.workloads[workload].busy_power_fraction;
  return f == 1.0 ? pool_busy_delta_mw_[pool] : std::llround(static_cast<double>(pool_busy_delta_mw_[pool]) * f);
}

void Simulation::add_rack_busy(const Job& job, int sign) {
  add_busy_power(job.placement, job.gpus, sign * gpu_busy_mw(job.placement.pool, job.workload), sign, job.workload);
}

// Adds mw_per_gpu of busy draw on each of `gpus` GPUs of a placement, and gpu_sign x gpus to the
// racks' busy GPU counts (0: a change of draw only).
void Simulation::add_limited_busy_power(const Placement& placement, int gpus, std::int64_t mw_per_gpu, int gpu_sign,
                                        std::uint32_t workload) {
  const std::uint32_t site = cluster_.pools()[placement.pool].site;
  int left = gpus;
  for (ServerId s : placement.servers) {
    const int g = std::min(left, placement.gpus_per_server_used);
    left -= g;
    const std::uint32_t rack = server_rack_[s];
    const std::int64_t mw = g * mw_per_gpu;
    site_racks_over_[site] -= rack_over(rack);
    rack_busy_mw_[rack] += mw;
    site_racks_over_[site] += rack_over(rack);
    rack_busy_gpus_[rack] += gpu_sign * g;
    add_class_busy(rack, workload, mw, gpu_sign * g);
    settle_hall(rack_hall_[rack]);
    hall_demand_mw_[rack_hall_[rack]] += mw;
    site_demand_mw_[site] += mw;
  }
}

bool Simulation::take_replica_gpus(const ServiceConfig& s, Placement& out) {
  // Under fair share a replica counts against its tenant's max_gpus like a job: refused (the
  // scale-up is then unplaced) rather than taken over the quota.
  if (fair_share_) {
    const std::uint32_t t = cfg_.workloads[s.workload].tenant_index;
    if (tenant_requested_gpus_[t] + s.gpus_per_replica > cfg_.tenants[t].max_gpus) return false;
  }
  PoolId pool = cluster_.choose_pool(s.gpus_per_replica, allowed_pools(s.workload));
  if (pool == kNoPool && cfg_.inference_preempts && preempt_for_replica(s, last_))
    pool = cluster_.choose_pool(s.gpus_per_replica, allowed_pools(s.workload));
  if (pool == kNoPool) return false;
  cluster_.plan(pool, s.gpus_per_replica, out);
  cluster_.commit(out);
  count_replica_gpus(out, +1);
  busy_gpus_ += out.allocated_gpus();
  add_workload_busy(s.workload, pool, out.allocated_gpus());
  add_tenant_requested(s.workload, s.gpus_per_replica);
  site_busy_gpus_[cluster_.pools()[pool].site] += out.allocated_gpus();
  add_busy_power(out, s.gpus_per_replica, 0, +1, s.workload);
  return true;
}

// The running preemptible training jobs of `pool` that service `s` may preempt (with a priority,
// only those of strictly lower priority, as a job under scheduler.policy priority) into
// replica_victims_, lowest priority first, then the least work lost (GPU-microseconds since the
// last checkpoint), then the newest.
void Simulation::collect_replica_victims(const ServiceConfig& s, PoolId pool, SimTime now) {
  replica_victims_.clear();
  for (std::uint32_t r : running_) {
    const Job& job = jobs_[r];
    const WorkloadConfig& wl = cfg_.workloads[job.workload];
    if (job.placement.pool != pool || !wl.preemptible) continue;
    if (s.priority && wl.priority >= *s.priority) continue;
    replica_victims_.emplace_back(wl.priority, job.gpus * work_lost_us(job, now), UINT64_MAX - job.id, r);
  }
  std::sort(replica_victims_.begin(), replica_victims_.end());
}

// scheduler.inference_preempts: frees room for one replica of `s` by preempting preemptible training
// jobs, lowest priority first, in the pool where the highest priority taken is lowest (then the
// least work is lost; ties: the first pool). False, preempting nothing, when no pool can be freed.
bool Simulation::preempt_for_replica(const ServiceConfig& s, SimTime now) {
  const int g = s.gpus_per_replica;
  PoolId best = kNoPool;
  std::pair<int, double> best_key;
  for (PoolId p = 0; p < cluster_.pools().size(); ++p) {
    const Pool& pool = cluster_.pools()[p];
    if (!pool_allowed(s.workload, p)) continue;
    if (Cluster::servers_needed(g, pool.gpus_per_server) > static_cast<int>(pool.servers.size())) continue;
    collect_replica_victims(s, p, now);
    if (replica_victims_.empty()) continue;
    shadow_now(p, g);
    std::pair<int, double> key{INT_MIN, 0.0};
    bool fits = false;
    for (const auto& [prio, cost, newer, r] : replica_victims_) {
      for (ServerId sv : jobs_[r].placement.servers) add_shadow_free(sv, jobs_[r].placement.gpus_per_server_used);
      key = {std::max(key.first, prio), key.second + cost};
      if (head_fits_in_shadow()) {
        fits = true;
        break;
      }
    }
    if (fits && (best == kNoPool || key < best_key)) {
      best = p;
      best_key = key;
    }
  }
  if (best == kNoPool) return false;
  collect_replica_victims(s, best, now);
  shadow_now(best, g);
  victims_scratch_.clear();
  for (const auto& [prio, cost, newer, r] : replica_victims_) {
    for (ServerId sv : jobs_[r].placement.servers) add_shadow_free(sv, jobs_[r].placement.gpus_per_server_used);
    victims_scratch_.push_back(r);
    if (head_fits_in_shadow()) break;
  }
  for (std::uint32_t r : victims_scratch_) interrupt(r, kPreempted, now);
  if (power_limited_) update_power_caps(cluster_.pools()[best].site, now);
  return true;
}

void Simulation::release_replica_gpus(const ServiceConfig& s, const Placement& p, std::int64_t busy_mw_per_gpu,
                                      bool powered) {
  const std::uint32_t site = cluster_.pools()[p.pool].site;
  if (powered && power_limited_) {
    add_service_gpus(service_key(s, p.pool), p, s.gpus_per_replica, busy_mw_per_gpu, -1);
    add_busy_power(p, s.gpus_per_replica, 0, -1, s.workload);
  } else {
    if (powered) svc_pool_gpus_[service_key(s, p.pool)] -= s.gpus_per_replica;
    add_busy_power(p, s.gpus_per_replica, -busy_mw_per_gpu, -1, s.workload);
  }
  cluster_.release(p);
  count_replica_gpus(p, -1);
  busy_gpus_ -= p.allocated_gpus();
  add_workload_busy(s.workload, p.pool, -p.allocated_gpus());
  add_tenant_requested(s.workload, -s.gpus_per_replica);
  site_busy_gpus_[site] -= p.allocated_gpus();
  if (power_limited_) update_power_caps(site, last_);
}

void Simulation::count_replica_gpus(const Placement& p, int sign) {
  if (server_replica_gpus_.size() < cluster_.server_count()) server_replica_gpus_.resize(cluster_.server_count(), 0);
  for (ServerId s : p.servers) server_replica_gpus_[s] += sign * p.gpus_per_server_used;
}

void Simulation::power_replica(const ServiceConfig& s, const Placement& p, std::int64_t mw_per_gpu) {
  if (svc_pool_gpus_.empty()) init_service_power();
  const std::size_t key = service_key(s, p.pool);
  if (!power_limited_) {
    svc_pool_gpus_[key] += s.gpus_per_replica;
    add_busy_power(p, s.gpus_per_replica, mw_per_gpu, 0, s.workload);
    return;
  }
  if (svc_pool_gpus_[key] == 0) {
    // No powered GPUs of the service in the pool: its racks hold none of its draw, whatever
    // level they last held.
    svc_pool_mw_[key] = mw_per_gpu;
    svc_applied_mw_[key] = mw_per_gpu;
  }
  assert(svc_pool_mw_[key] == mw_per_gpu && "every powered replica of a pool draws its level");
  add_service_gpus(key, p, s.gpus_per_replica, mw_per_gpu, +1);
  update_power_caps(cluster_.pools()[p.pool].site, last_);
}

void Simulation::set_service_power(const ServiceConfig& s, PoolId pool, std::int64_t from_mw_per_gpu,
                                   std::int64_t to_mw_per_gpu) {
  const Pool& pl = cluster_.pools()[pool];
  const std::size_t key = service_key(s, pool);
  const std::int64_t mw = svc_pool_gpus_[key] * (to_mw_per_gpu - from_mw_per_gpu);
  if (!power_limited_) {
    add_unlimited_power(pl, mw);  // as in add_busy_power
    return;
  }
  assert(svc_pool_mw_[key] == from_mw_per_gpu);
  svc_pool_mw_[key] = to_mw_per_gpu;
  settle_hall(pl.hall);
  hall_demand_mw_[pl.hall] += mw;
  site_demand_mw_[pl.site] += mw;
  if (pool_lazy_[pool]) {
    site_svc_stale_[pl.site] = 1;
  } else {
    apply_service_power(key);
  }
  update_power_caps(pl.site, last_);
}

// Sizes the tables of inference draw, and marks the pools whose racks cannot exceed their own
// limit: idle draw plus every GPU at the largest busy draw of any workload stays within it.
void Simulation::init_service_power() {
  const std::size_t pools = cluster_.pools().size();
  const std::size_t keys = cfg_.services.size() * pools;
  svc_pool_gpus_.assign(keys, 0);
  svc_pool_mw_.assign(keys, 0);
  svc_applied_mw_.assign(keys, 0);
  svc_pool_racks_.assign(keys, {});
  svc_rack_gpus_.assign(cfg_.services.size() * rack_hall_.size(), 0);
  svc_rack_listed_.assign(cfg_.services.size() * rack_hall_.size(), 0);
  site_svc_stale_.assign(cfg_.sites.size(), 0);
  pool_lazy_.assign(pools, cfg_.power_policy == PowerPolicy::cap ? 1 : 0);
  std::vector<std::int64_t> rack_idle_mw = rack_base_mw_;
  for (const PendingGroup& g : pending_groups_)
    for (std::uint32_t r = g.first_rack; r < g.first_rack + g.racks; ++r) rack_idle_mw[r] = g.rack_idle_mw;
  std::vector<std::int64_t> rack_gpus(rack_hall_.size(), 0);
  for (PoolId p = 0; p < pools; ++p)
    for (ServerId srv : cluster_.pools()[p].servers) rack_gpus[server_rack_[srv]] += cluster_.pools()[p].gpus_per_server;
  for (PoolId p = 0; p < pools; ++p) {
    std::int64_t most_mw = 0;
    for (std::uint32_t w = 0; w < cfg_.workloads.size(); ++w) most_mw = std::max(most_mw, gpu_busy_mw(p, w));
    for (ServerId srv : cluster_.pools()[p].servers) {
      const std::uint32_t r = server_rack_[srv];
      if (rack_limit_mw_[r] > 0 && rack_idle_mw[r] + rack_gpus[r] * most_mw > rack_limit_mw_[r]) pool_lazy_[p] = 0;
    }
  }
}

// Adds (sign +1) or removes (-1) a powered replica's GPUs at the service's level in its pool: the
// racks get the level they hold, the hall and site the current one.
void Simulation::add_service_gpus(std::size_t key, const Placement& p, int gpus, std::int64_t mw_per_gpu, int sign) {
  const Pool& pool = cluster_.pools()[p.pool];
  const std::size_t racks = rack_hall_.size();
  const std::size_t service = key / cluster_.pools().size();
  const std::int64_t applied = svc_applied_mw_[key];
  int left = gpus;
  for (ServerId srv : p.servers) {
    const int g = std::min(left, p.gpus_per_server_used);
    left -= g;
    const std::uint32_t rack = server_rack_[srv];
    const std::size_t cell = service * racks + rack;
    svc_rack_gpus_[cell] += sign * g;
    if (!svc_rack_listed_[cell]) {
      svc_rack_listed_[cell] = 1;
      svc_pool_racks_[key].push_back(rack);
    }
    site_racks_over_[pool.site] -= rack_over(rack);
    rack_busy_mw_[rack] += sign * g * applied;
    site_racks_over_[pool.site] += rack_over(rack);
    add_class_busy(rack, cfg_.services[service].workload, sign * g * applied, 0);
    settle_hall(pool.hall);
    hall_demand_mw_[pool.hall] += sign * g * mw_per_gpu;
    site_demand_mw_[pool.site] += sign * g * mw_per_gpu;
  }
  svc_pool_gpus_[key] += sign * gpus;
}

// Brings the racks of one service x pool to its current level, dropping racks it left.
void Simulation::apply_service_power(std::size_t key) {
  const std::int64_t delta = svc_pool_mw_[key] - svc_applied_mw_[key];
  svc_applied_mw_[key] = svc_pool_mw_[key];
  const std::size_t racks = rack_hall_.size();
  const std::size_t service = key / cluster_.pools().size();
  const std::uint32_t site = cluster_.pools()[key % cluster_.pools().size()].site;
  std::vector<std::uint32_t>& list = svc_pool_racks_[key];
  for (std::size_t i = 0; i < list.size();) {
    const std::uint32_t rack = list[i];
    const std::size_t cell = service * racks + rack;
    const std::int32_t g = svc_rack_gpus_[cell];
    if (g == 0) {
      svc_rack_listed_[cell] = 0;
      list[i] = list.back();
      list.pop_back();
      continue;
    }
    if (delta != 0) {
      site_racks_over_[site] -= rack_over(rack);
      rack_busy_mw_[rack] += g * delta;
      site_racks_over_[site] += rack_over(rack);
      add_class_busy(rack, cfg_.services[service].workload, g * delta, 0);
    }
    ++i;
  }
}

// Before a capping pass reads the racks of a site: the deferred inference levels applied.
void Simulation::flush_service_power(std::uint32_t site) {
  if (site_svc_stale_.empty() || !site_svc_stale_[site]) return;
  site_svc_stale_[site] = 0;
  const std::size_t pools = cluster_.pools().size();
  for (std::size_t key = 0; key < svc_pool_mw_.size(); ++key) {
    if (cluster_.pools()[key % pools].site != site || svc_applied_mw_[key] == svc_pool_mw_[key]) continue;
    apply_service_power(key);
  }
}

// Would the job fit under every rack, hall and site limit, drawing full power?
bool Simulation::power_admits(const Job& job, const Placement& placement) const {
  const int gpus = job.gpus;
  const std::int64_t delta_mw = gpu_busy_mw(placement.pool, job.workload);
  const std::uint32_t site = cluster_.pools()[placement.pool].site;
  const std::int64_t total = gpus * delta_mw;
  if (site_feed_mw_[site] > 0 && site_demand_mw_[site] + total > site_feed_mw_[site]) return false;
  int left = gpus;
  std::int64_t hall_add = 0;
  std::uint32_t hall = 0;
  for (std::size_t i = 0; i < placement.servers.size(); ++i) {
    const int g = std::min(left, placement.gpus_per_server_used);
    left -= g;
    const std::uint32_t rack = server_rack_[placement.servers[i]];
    hall = rack_hall_[rack];
    hall_add += g * delta_mw;
    // Servers of one rack are consecutive ids, but a placement may list them in any order: add
    // up this rack's share over the whole placement.
    std::int64_t rack_add = 0;
    int left2 = gpus;
    for (ServerId other : placement.servers) {
      const int g2 = std::min(left2, placement.gpus_per_server_used);
      left2 -= g2;
      if (server_rack_[other] == rack) rack_add += g2 * delta_mw;
    }
    if (rack_limit_mw_[rack] > 0 && rack_base_mw_[rack] + rack_busy_mw_[rack] + rack_add > rack_limit_mw_[rack])
      return false;
  }
  return !(hall_limit_mw_[hall] > 0 && hall_demand_mw_[hall] + hall_add > hall_limit_mw_[hall]);
}

// Uniform capping: every level (rack, hall, site) over its limit gets one cap level for all its
// busy GPUs, as high as the limit allows (water filling); a GPU runs at the lowest level of the
// levels above it, and a job at the speed of its slowest GPU.
void Simulation::update_power_caps(std::uint32_t site, SimTime now) {
  const std::int64_t site_limit = site_feed_mw_[site];
  bool over = site_limit > 0 && site_demand_mw_[site] > site_limit;
  for (std::uint32_t h : site_halls_[site]) over = over || (hall_limit_mw_[h] > 0 && hall_demand_mw_[h] > hall_limit_mw_[h]);
  over = over || site_racks_over_[site] > 0;
  if (!over && !site_was_over_[site]) {
    // Nothing over a limit now or at the last pass: every level is 1 and the draw is the demand,
    // exactly what the full pass below would compute, without visiting every rack of the site.
    for (std::uint32_t h : site_halls_[site]) set_hall_power(h, hall_demand_mw_[h]);
    it_power_mw_ += site_demand_mw_[site] - site_power_mw_[site];
    site_power_mw_[site] = site_demand_mw_[site];
    return;
  }
  site_was_over_[site] = over;
  flush_service_power(site);
  const bool was_capped = site_capped_[site];
  std::int64_t site_power = 0;
  if (hall_racks_.empty()) {
    hall_racks_.resize(cfg_.halls.size());
    for (std::uint32_t r = 0; r < rack_hall_.size(); ++r) hall_racks_[rack_hall_[r]].push_back(r);
    hall_dirty_.assign(cfg_.halls.size(), 0);  // every rack starts at level 1
    hall_level_.assign(cfg_.halls.size(), -1.0);
  }
  hall_dirty_before_ = hall_dirty_;
  if (cap_classes_ > 0) {
    update_priority_caps(site, now);
    return;
  }
  bool capped = false;
  if (site_racks_over_[site] == 0 && (site_limit <= 0 || site_demand_mw_[site] <= site_limit)) {
    // No rack over its own limit and the site within its feed: the site's water filling would
    // change nothing (its demand at levels <= 1 stays within the feed), and every rack of a hall
    // over its limit, all at level 1 before its filling, gets the hall's one level
    // y = (limit - idle) / busy, the same operations on the same exact integers as the filling
    // below. Halls within their limits draw their demand; only halls over them are visited.
    for (std::uint32_t h : site_halls_[site]) {
      if (!(hall_limit_mw_[h] > 0 && hall_demand_mw_[h] > hall_limit_mw_[h])) {
        if (hall_dirty_[h]) {
          for (std::uint32_t r : hall_racks_[h]) rack_level_[r] = 1.0;
          hall_dirty_[h] = 0;
        }
        hall_level_[h] = 1.0;
        set_hall_power(h, hall_demand_mw_[h]);
        site_power += hall_demand_mw_[h];
        continue;
      }
      std::int64_t base_mw = 0;
      std::int64_t busy_mw = 0;
      for (std::uint32_t r : hall_racks_[h]) {
        base_mw += rack_base_mw_[r];
        busy_mw += rack_busy_mw_[r];
      }
      const double capacity = static_cast<double>(hall_limit_mw_[h] - base_mw);
      const double y = capacity > 0.0 ? capacity / static_cast<double>(busy_mw) : 0.0;
      std::int64_t power = 0;
      std::int64_t gpus = 0;
      for (std::uint32_t r : hall_racks_[h]) {
        rack_level_[r] = y;
        power += rack_base_mw_[r] + static_cast<std::int64_t>(std::floor(y * static_cast<double>(rack_busy_mw_[r])));
        gpus += rack_busy_gpus_[r];
      }
      hall_dirty_[h] = y < 1.0;
      hall_level_[h] = y;
      set_hall_power(h, power);
      site_power += power;
      if (y < 1.0 && gpus > 0) capped = true;
    }
    it_power_mw_ += site_power - site_power_mw_[site];
    site_power_mw_[site] = site_power;
    site_capped_[site] = capped;
    if (!capped && !was_capped) return;
    set_capped_speeds(site, now);
    return;
  }
  for (std::uint32_t r : site_racks_[site]) {
    double level = 1.0;
    if (over && rack_busy_mw_[r] > 0 && rack_limit_mw_[r] > 0 && rack_base_mw_[r] + rack_busy_mw_[r] > rack_limit_mw_[r]) {
      level = std::clamp(static_cast<double>(rack_limit_mw_[r] - rack_base_mw_[r]) / static_cast<double>(rack_busy_mw_[r]),
                         0.0, 1.0);
    }
    rack_level_[r] = level;
  }
  // Water filling: the highest common level y with sum(base) + sum(min(level, y) x busy) <= limit.
  auto fill = [&](const std::vector<std::uint32_t>& racks, std::int64_t limit_mw) {
    double capacity = static_cast<double>(limit_mw);
    double demand = 0.0;
    fill_scratch_.clear();
    for (std::uint32_t r : racks) {
      capacity -= static_cast<double>(rack_base_mw_[r]);
      demand += rack_level_[r] * static_cast<double>(rack_busy_mw_[r]);
      if (rack_busy_mw_[r] > 0) fill_scratch_.emplace_back(rack_level_[r], static_cast<double>(rack_busy_mw_[r]));
    }
    if (demand <= capacity) return;
    double y = 0.0;
    if (capacity > 0.0) {
      std::sort(fill_scratch_.begin(), fill_scratch_.end());
      double used = 0.0, rest = 0.0;
      for (const auto& [level, busy] : fill_scratch_) rest += busy;
      for (const auto& [level, busy] : fill_scratch_) {
        y = (capacity - used) / rest;
        if (y <= level) break;
        used += level * busy;
        rest -= busy;
        y = level;
      }
    }
    for (std::uint32_t r : racks) rack_level_[r] = std::min(rack_level_[r], y);
  };
  if (over) {
    for (std::uint32_t h : site_halls_[site]) {
      if (hall_limit_mw_[h] <= 0) continue;
      fill_rack_list_.clear();
      for (std::uint32_t r : site_racks_[site]) {
        if (rack_hall_[r] == h) fill_rack_list_.push_back(r);
      }
      fill(fill_rack_list_, hall_limit_mw_[h]);
    }
    if (site_limit > 0) fill(site_racks_[site], site_limit);
  }
  for (std::uint32_t h : site_halls_[site]) {
    settle_hall(h);  // the racks below add to this site's halls only
    hall_power_mw_[h] = 0;
    hall_dirty_[h] = 0;
    hall_level_[h] = -1.0;
  }
  for (std::uint32_t r : site_racks_[site]) {
    // Rounded down, so that a capped level never draws a milliwatt over its limit.
    const auto power = rack_base_mw_[r] + static_cast<std::int64_t>(std::floor(rack_level_[r] * static_cast<double>(rack_busy_mw_[r])));
    hall_power_mw_[rack_hall_[r]] += power;
    site_power += power;
    if (rack_level_[r] < 1.0) hall_dirty_[rack_hall_[r]] = 1;
    if (rack_level_[r] < 1.0 && rack_busy_gpus_[r] > 0) capped = true;
  }
  it_power_mw_ += site_power - site_power_mw_[site];
  site_power_mw_[site] = site_power;
  site_capped_[site] = capped;
  if (!capped && !was_capped) return;
  set_capped_speeds(site, now);
}

// Priority capping (CapOrder::priority): a level over its limit cuts the busy draw of its lowest
// capping class first, then the next one up, and so on; the class where the cut ends is cut
// partly, its GPUs sharing one level as under uniform capping (water filling over the levels the
// levels below already set). A rack over its own limit is cut first, then its hall, then the
// site. A GPU runs at its class's level on its rack, a job at its slowest GPU's.
void Simulation::update_priority_caps(std::uint32_t site, SimTime now) {
  const std::size_t classes = cap_classes_;
  const bool was_capped = site_capped_[site];
  for (std::uint32_t r : site_racks_[site]) {
    double* level = &class_level_[r * classes];
    std::fill(level, level + classes, 1.0);
    if (!rack_over(r)) continue;
    double remaining = static_cast<double>(rack_limit_mw_[r] - rack_base_mw_[r]);
    for (std::size_t c = 0; c < classes; ++c) {
      const auto busy = static_cast<double>(class_busy_mw_[r * classes + c]);
      if (busy <= 0.0) continue;
      level[c] = std::clamp(remaining / busy, 0.0, 1.0);
      remaining -= level[c] * busy;
    }
  }
  for (std::uint32_t h : site_halls_[site]) {
    if (hall_limit_mw_[h] > 0) priority_cut(hall_racks_[h], hall_limit_mw_[h]);
  }
  if (site_feed_mw_[site] > 0) priority_cut(site_racks_[site], site_feed_mw_[site]);
  for (std::uint32_t h : site_halls_[site]) {
    settle_hall(h);  // the racks below add to this site's halls only
    hall_power_mw_[h] = 0;
    hall_dirty_[h] = 0;
    hall_level_[h] = -1.0;
  }
  std::int64_t site_power = 0;
  bool capped = false;
  for (std::uint32_t r : site_racks_[site]) {
    std::int64_t power = rack_base_mw_[r];
    bool below = false;
    for (std::size_t c = 0; c < classes; ++c) {
      const std::size_t cell = r * classes + c;
      // Rounded down per class, so that the rack never draws a milliwatt over a limit.
      power += static_cast<std::int64_t>(std::floor(class_level_[cell] * static_cast<double>(class_busy_mw_[cell])));
      if (class_level_[cell] < 1.0) {
        below = true;
        capped = capped || class_busy_gpus_[cell] > 0;
      }
    }
    hall_power_mw_[rack_hall_[r]] += power;
    site_power += power;
    if (below) hall_dirty_[rack_hall_[r]] = 1;
  }
  it_power_mw_ += site_power - site_power_mw_[site];
  site_power_mw_[site] = site_power;
  site_capped_[site] = capped;
  if (!capped && !was_capped) return;
  set_capped_speeds(site, now);
}

// Cuts the busy draw of `racks` (at their current class levels) to fit limit_mw, the lowest
// class first (see update_priority_caps).
void Simulation::priority_cut(const std::vector<std::uint32_t>& racks, std::int64_t limit_mw) {
  const std::size_t classes = cap_classes_;
  double capacity = static_cast<double>(limit_mw);
  class_demand_scratch_.assign(classes, 0.0);
  double total = 0.0;
  for (std::uint32_t r : racks) {
    capacity -= static_cast<double>(rack_base_mw_[r]);
    for (std::size_t c = 0; c < classes; ++c) {
      const std::size_t cell = r * classes + c;
      class_demand_scratch_[c] += class_level_[cell] * static_cast<double>(class_busy_mw_[cell]);
    }
  }
  for (double d : class_demand_scratch_) total += d;
  if (total <= capacity) return;
  // The highest classes that fit whole keep their levels; class `cut` gets what is left.
  double remaining = std::max(capacity, 0.0);
  std::size_t cut = 0;
  while (cut < classes && class_demand_scratch_[cut] <= remaining) remaining -= class_demand_scratch_[cut++];
  if (cut == classes) return;  // only rounding said otherwise
  fill_scratch_.clear();
  for (std::uint32_t r : racks) {
    const std::size_t cell = r * classes + cut;
    if (class_busy_mw_[cell] > 0) fill_scratch_.emplace_back(class_level_[cell], static_cast<double>(class_busy_mw_[cell]));
  }
  // Water filling within the class: the highest y with sum(min(level, y) x busy) <= remaining.
  double y = 0.0;
  if (remaining > 0.0) {
    std::sort(fill_scratch_.begin(), fill_scratch_.end());
    double used = 0.0, rest = 0.0;
    for (const auto& [level, busy] : fill_scratch_) rest += busy;
    for (const auto& [level, busy] : fill_scratch_) {
      y = (remaining - used) / rest;
      if (y <= level) break;
      used += level * busy;
      rest -= busy;
      y = level;
    }
  }
  for (std::uint32_t r : racks) {
    for (std::size_t c = cut; c < classes; ++c) {
      const std::size_t cell = r * classes + c;
      // A class with no draw on the rack keeps level 1: it has nothing to give.
      if (class_busy_mw_[cell] > 0) class_level_[cell] = c == cut ? std::min(class_level_[cell], y) : 0.0;
    }
  }
}

// New speeds for the jobs of a site after a capping pass, and the count of capped busy GPUs
// everywhere: racks below level 1 are only in halls marked dirty, and a job in a hall that was
// and is all at level 1 keeps its full speed.
void Simulation::set_capped_speeds(std::uint32_t site, SimTime now) {
  capped_gpus_ = 0;
  std::fill(site_capped_gpus_.begin(), site_capped_gpus_.end(), 0);
  for (std::uint32_t h = 0; h < hall_racks_.size(); ++h) {
    if (!hall_dirty_[h]) continue;
    std::int64_t gpus = 0;
    for (std::uint32_t r : hall_racks_[h]) {
      if (cap_classes_ > 0) {
        for (std::size_t c = 0; c < cap_classes_; ++c)
          if (class_level_[r * cap_classes_ + c] < 1.0) gpus += class_busy_gpus_[r * cap_classes_ + c];
      } else if (rack_level_[r] < 1.0) {
        gpus += rack_busy_gpus_[r];
      }
    }
    capped_gpus_ += gpus;
    site_capped_gpus_[cfg_.halls[h].site] += gpus;
  }
  for (std::uint32_t slot : running_) {
    Job& job = jobs_[slot];
    const Pool& pool = cluster_.pools()[job.placement.pool];
    if (pool.site != site) continue;
    if (!hall_dirty_[pool.hall] && !hall_dirty_before_[pool.hall] && job.speed == 1.0) continue;
    double level = hall_level_[pool.hall];
    if (level < 0.0) {
      level = 1.0;
      if (cap_classes_ > 0) {
        const std::size_t c = workload_class_[job.workload];
        for (ServerId srv : job.placement.servers) level = std::min(level, class_level_[server_rack_[srv] * cap_classes_ + c]);
      } else {
        for (ServerId srv : job.placement.servers) level = std::min(level, rack_level_[server_rack_[srv]]);
      }
    }
    double speed = 1.0;
    if (level < 1.0) {
      // Power of a capped GPU over its uncapped power (its job may draw less than TDP).
      const double idle = pool_idle_over_tdp_[job.placement.pool];
      const double span = (1.0 - idle) * cfg_.workloads[job.workload].busy_power_fraction;
      speed = std::pow((idle + level * span) / (idle + span), cfg_.throughput_exponent);
      speed = std::max(speed, 1e-9);  // a job capped to idle makes (almost) no progress
    }
    set_job_speed(job, speed, now);
  }
}

// Peak draw and the largest change within a minute, per hall: a window opens at the first change
// after a quiet minute and every change inside it is measured against the draw before it.
void Simulation::note_hall_swings(SimTime now) {
  for (std::size_t h = 0; h < hall_power_mw_.size(); ++h) {
    const std::int64_t p = hall_power_mw_[h];
    if (p == swing_last_mw_[h]) continue;
    if (now - swing_window_start_[h] > 60 * engine::kMicrosPerSecond) {
      swing_window_start_[h] = now;
      swing_window_base_mw_[h] = swing_last_mw_[h];
    }
    HallSwing& sw = out_.hall_swings[h];
    sw.peak_kw = std::max(sw.peak_kw, static_cast<double>(p) / 1e6);
    sw.largest_change_kw_per_minute =
        std::max(sw.largest_change_kw_per_minute, std::abs(static_cast<double>(p - swing_window_base_mw_[h])) / 1e6);
    swing_last_mw_[h] = p;
  }
}

// Facility power coefficients of each hall for the hour starting at hour_start_.
void Simulation::start_hour_coefficients() {
  const std::size_t hour_index = static_cast<std::size_t>(hour_start_ / engine::kMicrosPerHour);
  for (std::size_t h = 0; h < cfg_.halls.size(); ++h) {
    const HallConfig& hall = cfg_.halls[h];
    if (!hall.cooling.enabled) {
      hall_fixed_kw_[h] = 0.0;
      hall_slope_[h] = cfg_.sites[hall.site].pue;
      continue;
    }
    const std::vector<double>& outdoor = cfg_.sites[hall.site].outdoor_c;
    const double t = outdoor.empty() ? 15.0 : outdoor[std::min(hour_index, outdoor.size() - 1)];
    const double at_zero = facility_power(hall.cooling.facility, 0.0, t).facility_kw;
    hall_fixed_kw_[h] = at_zero;
    hall_slope_[h] = facility_power(hall.cooling.facility, 1000.0, t).facility_kw / 1000.0 - at_zero / 1000.0;
  }
}

// Each hour the cooling plants' capacity follows the outdoor temperature; heat above it caps
// the hall like a power limit.
void Simulation::on_hour_tick(SimTime now) {
  std::vector<bool> touched(cfg_.sites.size(), false);
  for (std::size_t h = 0; h < cfg_.halls.size(); ++h) {
    const HallConfig& hall = cfg_.halls[h];
    if (!hall.cooling.enabled || hall.cooling.installed_heat_kw <= 0) continue;
    const double cooling_mw = cooling_it_mw(static_cast<std::uint32_t>(h), now);
    double limit = cooling_mw;
    if (hall_ups_limit_mw_[h] > 0) limit = std::min(limit, hall_ups_limit_mw_[h]);
    hall_heat_bound_[h] = hall_ups_limit_mw_[h] <= 0 || cooling_mw < hall_ups_limit_mw_[h];
    hall_cooling_kw_[h] = cooling_mw / 1e6;
    if (!hour_cooling_limit_kw_.empty()) hour_cooling_limit_kw_[h].set(hall_cooling_kw_[h], now, hour_start_);
    const auto limit_mw = static_cast<std::int64_t>(std::floor(std::max(limit, 1.0)));
    if (static_cast<double>(hall_demand_mw_[h]) > cooling_mw) ++out_.hall_hours_heat_limited;
    if (limit_mw != hall_limit_mw_[h]) {
      hall_limit_mw_[h] = limit_mw;
      touched[hall.site] = true;
    }
  }
  for (std::uint32_t s = 0; s < cfg_.sites.size(); ++s) {
    if (touched[s]) update_power_caps(s, now);
  }
  queue_.push(now + engine::kMicrosPerHour, kPriorityTick, kHourTick, 0);
}

// Room for each workload's waits (one per job started) from the jobs it should start: a vector
// grown by doubling copies itself and faults its pages in again at every step, a few percent of a
// run of small jobs. Only a hint: time-varying rates and queues make the count differ, and pages
// reserved but never written cost address space, not memory.
void Simulation::reserve_waits() {
  constexpr double kMostReserved = 1 << 24;  // 128 MiB of address space per workload at most
  const double horizon_s = engine::to_seconds(cfg_.horizon);
  for (std::uint32_t w = 0; w < cfg_.workloads.size(); ++w) {
    const WorkloadConfig& wl = cfg_.workloads[w];
    double expected = wl.trace.empty() ? wl.rate_per_s * horizon_s : static_cast<double>(wl.trace.size());
    if (cfg_.stop_jobs_completed != 0) {
      // The run stops after that many completions: a few more jobs start than complete.
      expected = std::min(expected, 1.05 * static_cast<double>(cfg_.stop_jobs_completed) + 1024.0);
    }
    if (expected >= 1.0) {
      out_.workload_jobs[w].waits_hours.reserve(static_cast<std::size_t>(std::min(expected, kMostReserved)));
    }
  }
}

void Simulation::record_job(const Job& job, JobState state, SimTime end) {
  if (!cfg_.record_jobs) return;
  out_.jobs.push_back(
      JobRecord{job.id, job.workload, job.gpus, job.arrival, job.start, end, state, job.comm_slowdown, job.switches_spanned,
                job.preemptions, job.elapsed_before_start});
}

// Integrates the current state from last_ to t, closing hours and months on the way.
void Simulation::advance(SimTime t) {
  while (last_ < t) {
    const SimTime seg_end = std::min(t, std::min(next_hour_, next_month_));
    const SimTime dt = seg_end - last_;
    hour_busy_ += busy_gpus_ * dt;
    hour_installed_ += installed_gpus_ * dt;
    hour_power_ += static_cast<__int128>(it_power_mw_) * dt;
    for (std::size_t w = 0; w < workload_busy_gpus_.size(); ++w) {
      month_workload_gpu_us_[w] += static_cast<__int128>(workload_busy_gpus_[w]) * dt;
    }
    for (std::size_t i = 0; i < workload_type_busy_gpus_.size(); ++i) {
      month_workload_type_gpu_us_[i] += static_cast<__int128>(workload_type_busy_gpus_[i]) * dt;
    }
    hour_queue_ += queued_jobs_ * dt;
    hour_queued_gpus_ += queued_gpus_ * dt;
    hour_running_ += running_jobs_ * dt;
    hour_capped_ += capped_gpus_ * dt;
    if (power_limited_) {
      for (std::size_t st = 0; st < site_capped_gpus_.size(); ++st) {
        hour_site_capped_[st] += site_capped_gpus_[st] * dt;
        hour_site_busy_[st] += site_busy_gpus_[st] * dt;
      }
      for (std::size_t h = 0; h < hall_lost_gpus_.size(); ++h) {
        // Halls losing nothing skipped: adding +0.0 leaves any sum but -0.0 as it is, and these
        // sums start at +0.0 and never reach -0.0, so the bits are those of the full loop.
        if (hall_lost_gpus_[h] != 0.0) hour_site_lost_[cfg_.halls[h].site] += hall_lost_gpus_[h] * static_cast<double>(dt);
      }
    }
    hour_lost_ += lost_gpus_ * static_cast<double>(dt);
    if (cooling_limits_) {
      for (std::size_t h = 0; h < hall_lost_gpus_.size(); ++h) {
        if (hall_heat_bound_[h]) lost_heat_us_ += hall_lost_gpus_[h] * static_cast<double>(dt);
      }
    }
    // Hall draw and demand: integrated lazily, see settle_hall.
    if (cfg_.record_quarter_hours) record_quarter_energy(last_, seg_end);
    last_ = seg_end;
    if (seg_end == next_hour_ || seg_end == next_month_) flush_energy_piece();
    if (seg_end == next_hour_) close_hour();
    if (seg_end == next_month_) close_month();
  }
}

// Books the energy of the piece of time since the last hour or month boundary: facility power
// is affine in IT power within an hour, so its energy follows exactly from the IT energy.
void Simulation::flush_energy_piece() {
  settle_halls();
  const double piece_h = static_cast<double>(last_ - piece_start_) / 3.6e9;
  for (std::size_t h = 0; h < piece_hall_it_.size(); ++h) {
    const std::uint32_t site = cfg_.halls[h].site;
    const double it_kwh = static_cast<double>(piece_hall_it_[h]) / 3.6e15;
    const double kwh = hall_fixed_kw_[h] * piece_h + hall_slope_[h] * it_kwh;
    hour_site_facility_kwh_[site] += kwh;
    month_facility_kwh_[site] += kwh;
    month_hall_facility_kwh_[h] += kwh;
    month_hall_it_[h] += piece_hall_it_[h];
    month_energy_[site] += piece_hall_it_[h];
    piece_hall_it_[h] = 0;
  }
  piece_start_ = last_;
}

// Facility energy per hall in 15-minute intervals, for tariffs that price by time of use or by
// peak demand: within a segment each hall's IT power and facility coefficients are constant.
void Simulation::record_quarter_energy(SimTime from, SimTime to) {
  constexpr SimTime kQuarter = 15 * engine::kMicrosPerHour / 60;
  std::vector<std::vector<double>>& bins = out_.hall_quarter_facility_kwh;
  bins.resize(cfg_.halls.size());
  for (SimTime t = from; t < to;) {
    const std::size_t q = static_cast<std::size_t>(t / kQuarter);
    const SimTime stop = std::min<SimTime>(to, static_cast<SimTime>(q + 1) * kQuarter);
    const double hours = static_cast<double>(stop - t) / 3.6e9;
    for (std::size_t h = 0; h < bins.size(); ++h) {
      if (bins[h].size() <= q) bins[h].resize(q + 1, 0.0);
      const double it_kw = static_cast<double>(hall_power_mw_[h]) / 1e6;
      bins[h][q] += (hall_fixed_kw_[h] + hall_slope_[h] * it_kw) * hours;
    }
    t = stop;
  }
}

void Simulation::close_hour() {
  settle_halls();
  const SimTime length = last_ - hour_start_;
  if (length > 0) {
    const double len = static_cast<double>(length);
    IntervalRow row;
    row.start = hour_start_;
    row.length = length;
    row.gpus_total = pending_groups_.empty() ? static_cast<double>(out_.gpus_total - out_.spare_gpus)
                                             : static_cast<double>(hour_installed_) / len;
    out_.installed_gpu_us += hour_installed_;
    row.gpus_busy = static_cast<double>(hour_busy_) / len;
    row.it_power_kw = static_cast<double>(hour_power_) / len / 1e6;
    const double len_h = len / 3.6e9;
    row.site_facility_kw.resize(cfg_.sites.size());
    row.site_outdoor_c.assign(cfg_.sites.size(), 0.0);
    row.site_cooling_kw.assign(cfg_.sites.size(), 0.0);
    row.site_water_l.assign(cfg_.sites.size(), 0.0);
    row.facility_power_kw = 0.0;
    for (std::size_t s = 0; s < cfg_.sites.size(); ++s) {
      row.site_facility_kw[s] = hour_site_facility_kwh_[s] / len_h;
      row.facility_power_kw += row.site_facility_kw[s];
    }
    const std::size_t hour_index = static_cast<std::size_t>(hour_start_ / engine::kMicrosPerHour);
    for (std::size_t h = 0; h < cfg_.halls.size(); ++h) {
      const HallConfig& hall = cfg_.halls[h];
      const std::vector<double>& outdoor = cfg_.sites[hall.site].outdoor_c;
      if (outdoor.empty()) continue;
      const double t = outdoor[std::min(hour_index, outdoor.size() - 1)];
      row.site_outdoor_c[hall.site] = t;
      if (!hall.cooling.enabled) continue;
      const FacilityPower fp =
          facility_power(hall.cooling.facility, static_cast<double>(hour_hall_power_[h]) / len / 1e6, t);
      row.site_cooling_kw[hall.site] += fp.cooling_kw;
      row.site_water_l[hall.site] += water_litres_per_kwh_heat(hall.cooling.facility.type, t) * fp.heat_kw * len_h;
    }
    for (std::size_t s = 0; s < cfg_.sites.size(); ++s) {
      out_.water_litres += row.site_water_l[s];
    }
    row.queue_length = static_cast<double>(hour_queue_) / len;
    row.queued_gpus = static_cast<double>(hour_queued_gpus_) / len;
    row.running_jobs = static_cast<double>(hour_running_) / len;
    row.power_capped_gpus = static_cast<double>(hour_capped_) / len;
    row.site_capped_gpus.resize(cfg_.sites.size());
    row.site_lost_gpus.resize(cfg_.sites.size());
    row.site_busy_gpus.resize(cfg_.sites.size());
    for (std::size_t st = 0; st < cfg_.sites.size(); ++st) {
      row.site_busy_gpus[st] = static_cast<double>(hour_site_busy_[st]) / len;
      row.site_capped_gpus[st] = static_cast<double>(hour_site_capped_[st]) / len;
      row.site_lost_gpus[st] = hour_site_lost_[st] / len;
    }
    row.throughput_lost_gpus = hour_lost_ / len;
    row.hall_cooling_limit_kw = hall_cooling_kw_;
    // With cooling units failing inside the hour: its time-weighted mean instead.
    for (std::size_t h = 0; h < hour_cooling_limit_kw_.size(); ++h) {
      row.hall_cooling_limit_kw[h] = hour_cooling_limit_kw_[h].close(hour_start_, last_);
    }
    for (StepMean& m : hour_ups_limit_kw_) row.hall_ups_limit_kw.push_back(m.close(hour_start_, last_));
    for (StepMean& m : hour_feed_limit_kw_) row.site_feed_limit_kw.push_back(m.close(hour_start_, last_));
    row.hall_fabric_util.resize(hour_fabric_gbps_.size());
    for (std::size_t i = 0; i < hour_fabric_gbps_.size(); ++i) {
      const double gbps = hour_fabric_gbps_[i].close(hour_start_, last_);
      const double up_gbps = hour_fabric_up_gbps_[i].close(hour_start_, last_);
      row.hall_fabric_util[i] = up_gbps > 1e-9 * fabric_capacity_gbps_[i] ? gbps / up_gbps : 0.0;
    }
    row.hall_it_power_kw.resize(hour_hall_power_.size());
    row.hall_demand_kw.resize(hour_hall_power_.size());
    std::vector<double> site_kw(cfg_.sites.size(), 0.0);
    for (std::size_t h = 0; h < hour_hall_power_.size(); ++h) {
      row.hall_it_power_kw[h] = static_cast<double>(hour_hall_power_[h]) / len / 1e6;
      row.hall_demand_kw[h] = static_cast<double>(hour_hall_demand_[h]) / len / 1e6;
      out_.hall_peak_it_kw[h] = std::max(out_.hall_peak_it_kw[h], row.hall_it_power_kw[h]);
      site_kw[cfg_.halls[h].site] += row.hall_it_power_kw[h];
    }
    for (std::size_t s = 0; s < site_kw.size(); ++s) {
      out_.site_peak_it_kw[s] = std::max(out_.site_peak_it_kw[s], site_kw[s]);
      if (site_kw[s] > 0) out_.peak_pue = std::max(out_.peak_pue, row.site_facility_kw[s] / site_kw[s]);
    }
    out_.capped_gpu_hours += static_cast<double>(hour_capped_) / 3.6e9;
    out_.lost_gpu_hours += hour_lost_ / 3.6e9;
    if (hour_capped_ > 0) ++out_.hours_capped;
    out_.hours.push_back(std::move(row));
    out_.busy_gpu_us += hour_busy_;
    out_.it_energy_mw_us += hour_power_;
    total_queue_us_ += hour_queue_;
    total_in_system_us_ += hour_queue_ + hour_running_;
  }
  hour_start_ = last_;
  next_hour_ = last_ + engine::kMicrosPerHour;
  hour_busy_ = 0;
  hour_installed_ = 0;
  hour_power_ = 0;
  std::fill(hour_site_facility_kwh_.begin(), hour_site_facility_kwh_.end(), 0.0);
  start_hour_coefficients();
  hour_queue_ = hour_queued_gpus_ = hour_running_ = hour_capped_ = 0;
  std::fill(hour_site_capped_.begin(), hour_site_capped_.end(), 0);
  std::fill(hour_site_busy_.begin(), hour_site_busy_.end(), 0);
  std::fill(hour_site_lost_.begin(), hour_site_lost_.end(), 0.0);
  hour_lost_ = 0.0;
  std::fill(hour_hall_power_.begin(), hour_hall_power_.end(), 0);
  std::fill(hour_hall_demand_.begin(), hour_hall_demand_.end(), 0);
}

void Simulation::close_month() {
  if (last_ > month_start_) {
    const engine::YearMonth month = calendar_.month_of(month_start_);
    for (std::uint32_t s = 0; s < month_energy_.size(); ++s) {
      out_.site_months.push_back(SiteMonthEnergy{s, month, month_energy_[s], last_ - month_start_, month_facility_kwh_[s]});
      month_energy_[s] = 0;
      month_facility_kwh_[s] = 0.0;
    }
    for (std::uint32_t h = 0; h < month_hall_it_.size(); ++h) {
      out_.hall_months.push_back(HallMonthEnergy{h, month, month_hall_it_[h], month_hall_facility_kwh_[h]});
      out_.hall_swings[h].it_energy_kwh += static_cast<double>(month_hall_it_[h]) / 3.6e15;
      month_hall_it_[h] = 0;
      month_hall_facility_kwh_[h] = 0.0;
    }
    for (std::uint32_t w = 0; w < month_workload_gpu_us_.size(); ++w) {
      out_.workload_months.push_back(WorkloadMonthUse{w, month, month_workload_gpu_us_[w]});
      month_workload_gpu_us_[w] = 0;
    }
    const auto types = static_cast<std::uint32_t>(cfg_.gpu_types.size());
    for (std::uint32_t i = 0; i < month_workload_type_gpu_us_.size(); ++i) {
      if (month_workload_type_gpu_us_[i] == 0) continue;
      out_.workload_type_months.push_back(WorkloadTypeMonthUse{i / types, i % types, month, month_workload_type_gpu_us_[i]});
      month_workload_type_gpu_us_[i] = 0;
    }
    for (std::uint32_t w = 0; w < month_workload_cloud_gpu_us_.size(); ++w) {
      if (month_workload_cloud_gpu_us_[w] == 0) continue;
      out_.workload_cloud_months.push_back(WorkloadMonthUse{w, month, month_workload_cloud_gpu_us_[w]});
      month_workload_cloud_gpu_us_[w] = 0;
    }
  }
  month_start_ = last_;
  next_month_ = calendar_.start_of_next_month(last_);
}

void Simulation::finish(SimTime end) {
  advance(end);
  if (services_) services_->finish(end, out_.services, out_.service_rows);
  flush_energy_piece();
  close_hour();
  close_month();
  for (ServerId srv = 0; srv < server_down_since_.size(); ++srv) {
    if (cluster_.is_down(srv) && (pending_server_.empty() || !pending_server_[srv]) &&
        (spare_state_.empty() || spare_state_[srv] != kSpareFree))
      on_repair(srv, end);  // count their time out of service so far
  }
  for (std::size_t h = 0; h < hall_no_spare_since_.size(); ++h) {
    if (hall_no_spare_since_[h] < 0) continue;
    out_.hours_without_spare += engine::to_hours(end - hall_no_spare_since_[h]);
    out_.hall_spares[h].hours_without_spare += engine::to_hours(end - hall_no_spare_since_[h]);
  }
  // Links still out count up to the end, like units below.
  for (const LinkUnit& unit : link_units_)
    if (unit.down_since >= 0) out_.link_down_hours += engine::to_hours(end - unit.down_since);
  // Units still out, and capacity still reduced, count up to the end.
  for (const FacilityUnit& unit : facility_units_) {
    if (unit.down) (unit.kind == 1 ? out_.ups_unit_down_hours : out_.cooling_unit_down_hours) += engine::to_hours(end - unit.down_since);
  }
  for (std::size_t h = 0; h < hall_ups_reduced_since_.size(); ++h) {
    if (hall_ups_reduced_since_[h] >= 0) out_.hall_hours_ups_reduced += engine::to_hours(end - hall_ups_reduced_since_[h]);
    if (hall_cooling_reduced_since_[h] >= 0)
      out_.hall_hours_cooling_reduced += engine::to_hours(end - hall_cooling_reduced_since_[h]);
  }
  out_.end_time = end;
  out_.lost_gpu_hours_heat = lost_heat_us_ / 3.6e9;
  out_.fingerprint = fingerprint_.hex();
  out_.jobs_waiting_at_end = waiting_.size();
  for (std::uint32_t slot : waiting_) {
    if (jobs_[slot].start < 0) add_unmet(jobs_[slot], end);  // never started (not an interrupted one)
  }
  for (const auto& [cell, gpu_us] : unmet_cells_) out_.workload_unmet_months.push_back(WorkloadMonthUse{cell.second, cell.first, gpu_us});
  for (const auto& [key, cell] : completed_cells_) {
    out_.workload_completed_runs.push_back(WorkloadCompletedRuns{key.second, key.first, cell.runs, cell.gpu_us});
  }
  out_.jobs_running_at_end = running_.size();
  for (std::uint32_t slot : running_) {
    if (jobs_[slot].comm_profiled) jobs_[slot].settle_comm(end);
  }
  for (std::uint32_t slot : running_)
    if (jobs_[slot].comm_profiled) comm_slowdown_sum_ += jobs_[slot].comm_slowdown;
  for (std::uint32_t slot : waiting_)  // interrupted, waiting to restart
    if (jobs_[slot].comm_profiled) comm_slowdown_sum_ += jobs_[slot].comm_slowdown;
  if (out_.comm_jobs > 0) out_.mean_comm_slowdown = comm_slowdown_sum_ / static_cast<double>(out_.comm_jobs);
  if (cfg_.record_jobs) {
    for (std::uint32_t slot : running_) record_job(jobs_[slot], JobState::running, -1);
    for (std::uint32_t slot : waiting_) record_job(jobs_[slot], JobState::queued, -1);
    std::sort(out_.jobs.begin(), out_.jobs.end(),
              [](const JobRecord& a, const JobRecord& b) { return a.job_id < b.job_id; });
  }
  out_.jobs_measured = waits_measured_;
  if (waits_measured_ > 0) {
    const auto n = waits_measured_;
    out_.mean_wait_hours = wait_sum_hours_ / static_cast<double>(n);
    out_.share_waited = static_cast<double>(waits_positive_) / static_cast<double>(n);
    // Nearest-rank percentile: the ceil(0.95 n)-th smallest over every workload's waits.
    std::vector<std::span<const double>> waits;
    for (const WorkloadJobStats& w : out_.workload_jobs) waits.emplace_back(w.waits_hours);
    const std::size_t rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(n)));
    out_.p95_wait_hours = engine::kth_smallest(waits, std::max<std::size_t>(rank, 1) - 1);
  }
  if (run_hours_count_ > 0) out_.mean_run_hours = run_hours_sum_ / static_cast<double>(run_hours_count_);
  if (end > 0) {
    out_.mean_queue_length = static_cast<double>(total_queue_us_) / static_cast<double>(end);
    out_.mean_jobs_in_system = static_cast<double>(total_in_system_us_) / static_cast<double>(end);
  }
}

}  // namespace

ModelResults simulate(const ModelConfig& config, const ProgressFn& progress) {
  Simulation sim(config, progress);
  return sim.run();
}

}  // namespace dcsim::model
