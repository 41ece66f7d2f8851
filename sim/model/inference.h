// Long-lived inference services with autoscaling: a fluid demand curve evaluated once per
// autoscaler interval (never one event per request), M/M/c (Erlang C) waits, and replicas that
// hold GPUs of the same cluster as training. The Simulation owns the GPUs and the power; it
// calls ServiceFleet at the service events and gives it a ServiceHost to take GPUs through.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/random.h"
#include "sim/engine/time.h"
#include "sim/model/cluster.h"

namespace dcsim::model {

struct ServiceConfig {
  std::string name;
  std::uint32_t workload = 0;  // the ModelConfig::workloads entry it books GPU time and power to
  int gpus_per_replica = 1;
  double replica_rps = 1.0;          // mu: requests per second one replica serves
  double latency_objective_s = 0.2;  // queueing wait target
  double slo_target = 0.99;          // share of requests that must wait at most the objective
  // Demand: base x (1 + growth)^years x (1 + daily cos) x (1 + weekly cos) x (1 + noise).
  double base_rps = 0.0;
  double daily_amplitude = 0.0;   // relative, 0..1
  double weekly_amplitude = 0.0;  // relative, 0..1; weekly peak mid-week (Wednesday noon UTC)
  double peak_hour = 14.0;        // UTC hour of day of the daily peak
  double growth_per_year = 0.0;
  double noise_sd = 0.0;          // sd of the multiplicative noise drawn once per interval
  // Autoscaler.
  double target_utilization = 0.7;
  engine::SimTime scale_up_delay = 0;
  engine::SimTime cold_start = 0;
  int min_replicas = 1;
  int max_replicas = 1;
  engine::SimTime interval = 5 * 60 * engine::kMicrosPerSecond;
  // The workload's priority when it gives one: capping classes and inference_preempts rank the
  // service with training of that priority, and services scale up in priority order. None:
  // above every priority (cut last, preempts any preemptible job, first to scale up).
  std::optional<int> priority;
};

// One autoscaler interval of one service: time-weighted over changes of ready replicas.
struct ServiceIntervalRow {
  engine::SimTime start = 0;
  engine::SimTime length = 0;
  std::uint32_t service = 0;
  bool slo_met = true;  // next to `service`, in its padding: 72 bytes a row instead of 80
  double demand_rps = 0.0;
  double replicas = 0.0;       // ready replicas, time mean
  double gpus_held = 0.0;      // GPUs held (ready and cold-starting), time mean
  double utilization = 0.0;    // served / (ready replicas x mu)
  double served_requests = 0.0;  // requests served within the interval
  double wait_ms = -1.0;       // mean queueing wait of served requests; -1: overloaded or nothing served
};

struct ServiceResults {
  std::string name;
  double mean_replicas = 0.0;      // ready, time mean over the run
  double gpu_hours = 0.0;          // GPUs held (cold start included)
  double requests_offered = 0.0;
  double requests_served = 0.0;
  double unserved_share = 0.0;     // demand above capacity, of all demand
  double slo_interval_share = 0.0; // intervals meeting the objective at the target share
  double slo_request_share = 0.0;  // requests served within the objective, of all demand
  double mean_wait_ms = 0.0;       // over served requests of intervals not overloaded
  std::uint64_t intervals = 0;
  std::uint64_t overloaded_intervals = 0;
  std::uint64_t replicas_unplaced = 0;  // scale-ups that found no free GPUs (the service ran short)
};

// Erlang C: probability an arrival waits in an M/M/c queue with offered load a = lambda/mu < c.
double erlang_c(int c, double a);

// The Erlang B recursion's values B(0..k) for one offered load, kept between evaluations: a
// service re-evaluated at the same demand with more replicas (scale-up, cold start done) extends
// it instead of starting over. Gives exactly erlang_c(c, a), the same operations in the same order.
struct ErlangCache {
  double a = -1.0;
  std::vector<double> b;
  double erlang_c(int c, double a);
};

// Several services' recursions computed side by side (fill_erlang_caches): each is a chain of
// dependent divisions, so one alone waits on every division's latency, while independent chains
// overlap. Each cache ends up holding exactly what ErlangCache::erlang_c(c, load) would leave.
struct ErlangLane {
  ErlangCache* cache = nullptr;
  double load = 0.0;
  int c = 0;
};
void fill_erlang_caches(std::vector<ErlangLane>& lanes);

// The queue of one interval: lambda requests/s on c replicas of mu requests/s each.
struct QueueOutcome {
  double served_rps = 0.0;
  double unserved_rps = 0.0;
  double utilization = 0.0;
  bool overloaded = false;  // lambda >= c mu: the queue grows without bound
  double mean_wait_s = 0.0; // W_q (0 when overloaded: not defined)
  double p_late = 0.0;      // P(wait > objective); 1 when overloaded
};
QueueOutcome evaluate_queue(double lambda_rps, int c, double mu_rps, double objective_s, ErlangCache* cache = nullptr);

// The deterministic demand curve (no noise) at simulated time t of a run starting at start_unix_s.
double service_demand_rps(const ServiceConfig& s, std::int64_t start_unix_s, engine::SimTime t);
// Replicas the autoscaler wants for a demand: ceil(lambda / (mu x target)), within [min, max].
int desired_replicas(const ServiceConfig& s, double lambda_rps);

// What ServiceFleet needs from the simulation: GPUs of the shared cluster and the busy power of
// the GPUs it holds.
class ServiceHost {
 public:
  virtual ~ServiceHost() = default;
  // Takes GPUs for one replica of a service (booked to its workload); false if none fit now.
  virtual bool take_replica_gpus(const ServiceConfig& s, Placement& out) = 0;
  // Gives a replica's GPUs back; a powered replica (see power_replica) drew busy_mw_per_gpu.
  virtual void release_replica_gpus(const ServiceConfig& s, const Placement& p, std::int64_t busy_mw_per_gpu,
                                    bool powered) = 0;
  // A ready replica starts drawing busy power: mw_per_gpu above idle on each of its GPUs, the
  // level every powered replica of the service in that pool draws.
  virtual void power_replica(const ServiceConfig& s, const Placement& p, std::int64_t mw_per_gpu) = 0;
  // Moves the busy draw of every powered replica of a service in a pool from one per-GPU level to
  // another: one call per pool and interval, not one per replica.
  virtual void set_service_power(const ServiceConfig& s, PoolId pool, std::int64_t from_mw_per_gpu,
                                 std::int64_t to_mw_per_gpu) = 0;
  // The busy draw above idle of one GPU of `pool` at full load for this service, milliwatts.
  virtual std::int64_t full_busy_mw(const ServiceConfig& s, PoolId pool) const = 0;
  virtual void schedule_service_event(engine::SimTime at, int what, std::uint32_t service) = 0;
};

class ServiceFleet {
 public:
  // Event kinds the host schedules back: the interval tick, a scale-up taking GPUs (after the
  // delay), replicas becoming ready (after the cold start).
  static constexpr int kTick = 0;
  static constexpr int kTakeGpus = 1;
  static constexpr int kReady = 2;

  ServiceFleet(const std::vector<ServiceConfig>& services, std::uint64_t seed, std::int64_t start_unix_s,
               ServiceHost& host);
  // Schedules the first tick of every service; `horizon` sizes the interval rows once (the
  // millions of a campus would otherwise be copied at each doubling).
  void start(engine::SimTime horizon);
  void on_event(int what, std::uint32_t service, engine::SimTime now);
  // Closes the open intervals at the end of the run and fills the results.
  // A failed server: the replicas on it are lost at once (the autoscaler replaces them later).
  void on_server_down(ServerId server, engine::SimTime now);
  void finish(engine::SimTime end, std::vector<ServiceResults>& results, std::vector<ServiceIntervalRow>& rows);

 private:
  struct Replica {
    Placement placement;
    engine::SimTime ready_at = 0;
    bool ready = false;
    bool powered = false;  // drawing its pool's level (ServiceHost::power_replica)
  };
  // Per pool the service has used: the busy draw per GPU of its powered replicas there.
  struct PoolPower {
    PoolId pool = kNoPool;
    std::int64_t mw_per_gpu = 0;
    int replicas = 0;  // powered
  };
  struct ScaleUp {  // replicas waiting out the scale-up delay
    engine::SimTime take_at = 0;
    int count = 0;
  };
  struct State {
    explicit State(engine::RandomStream stream) : noise(stream) {}
    engine::RandomStream noise;
    double lambda_rps = 0.0;  // demand of the current interval
    std::vector<Replica> replicas;  // taken: cold-starting and ready
    std::deque<ScaleUp> scale_ups;
    QueueOutcome outcome;
    int ready = 0;  // as of the last reevaluate
    // Kept as replicas come and go, so that no interval walks every replica.
    int ready_now = 0;
    int unpowered_ready = 0;
    std::int64_t held_gpus = 0;
    std::vector<PoolPower> pools;
    ErlangCache erlang;
    engine::SimTime next_tick = 0;  // when its tick event is due
    // The demand of the tick at drawn_at, drawn ahead of it by prefill_erlang (-1: none).
    engine::SimTime drawn_at = -1;
    double drawn_lambda = 0.0;
    // The open interval, integrated lazily.
    engine::SimTime interval_start = 0;
    engine::SimTime settled = 0;
    double demand_rs = 0.0, served_rs = 0.0, late_rs = 0.0, wait_rs2 = 0.0, waited_served_rs = 0.0;
    double replica_s = 0.0, gpu_s = 0.0;
    bool slo_met = true;
    // Over the run.
    double total_replica_s = 0.0, total_gpu_s = 0.0, total_demand = 0.0, total_served = 0.0, total_late = 0.0;
    double total_wait_weighted = 0.0, total_waited_served = 0.0;
    std::uint64_t intervals = 0, intervals_met = 0, overloaded = 0, unplaced = 0;
  };
  void settle(std::uint32_t s, engine::SimTime now);
  void close_interval(std::uint32_t s, engine::SimTime now);
  void reevaluate(std::uint32_t s);
  void on_tick(std::uint32_t s, engine::SimTime now);
  double tick_demand(std::uint32_t s, engine::SimTime now);
  void prefill_erlang(engine::SimTime now);
  void on_take(std::uint32_t s, engine::SimTime now);
  void on_ready(std::uint32_t s, engine::SimTime now);
  int pending(const State& st) const;
  PoolPower& pool_power(State& st, PoolId pool);
  void add_replica(State& st, Replica&& r);
  void remove_replica(std::uint32_t s, std::size_t i);

  const std::vector<ServiceConfig>& cfg_;
  std::int64_t start_unix_s_;
  ServiceHost& host_;
  std::vector<State> state_;
  std::vector<ServiceIntervalRow> rows_;
  engine::SimTime prefilled_at_ = -1;  // the tick time prefill_erlang last ran for
  std::vector<ErlangLane> lanes_;      // its scratch
};

}  // namespace dcsim::model
