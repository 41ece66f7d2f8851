// Inference services: demand curve, Erlang C queue per interval, autoscaler, and the bookkeeping
// of replicas on the shared GPU cluster (see inference.h).
#include "sim/model/inference.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dcsim::model {

using engine::SimTime;

double erlang_c(int c, double a) {
  if (c <= 0 || a >= static_cast<double>(c)) return 1.0;
  if (a <= 0.0) return 0.0;
  // Erlang B by its stable recursion B(k) = a B(k-1) / (k + a B(k-1)), then C from B.
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (static_cast<double>(k) + a * b);
  return static_cast<double>(c) * b / (static_cast<double>(c) - a * (1.0 - b));
}

double ErlangCache::erlang_c(int c, double load) {
  if (c <= 0 || load >= static_cast<double>(c)) return 1.0;
  if (load <= 0.0) return 0.0;
  if (load != a) {
    a = load;
    b.assign(1, 1.0);
  }
  // The recursion of erlang_c(), continued from the last k computed for this load.
  double bk = b.back();
  for (int k = static_cast<int>(b.size()); k <= c; ++k) {
    bk = load * bk / (static_cast<double>(k) + load * bk);
    b.push_back(bk);
  }
  bk = b[static_cast<std::size_t>(c)];
  return static_cast<double>(c) * bk / (static_cast<double>(c) - load * (1.0 - bk));
}

void fill_erlang_caches(std::vector<ErlangLane>& lanes) {
  // Longest first, so that the lanes still running at step k are a prefix of each batch.
  std::sort(lanes.begin(), lanes.end(), [](const ErlangLane& x, const ErlangLane& y) { return x.c > y.c; });
  constexpr std::size_t kBatch = 32;
  for (std::size_t first = 0; first < lanes.size(); first += kBatch) {
    const std::size_t n = std::min(lanes.size() - first, kBatch);
    const ErlangLane* lane = lanes.data() + first;
    double load[kBatch];
    double bk[kBatch];
    double* out[kBatch];
    for (std::size_t i = 0; i < n; ++i) {
      ErlangCache& cache = *lane[i].cache;
      cache.a = lane[i].load;
      cache.b.resize(static_cast<std::size_t>(lane[i].c) + 1);
      cache.b[0] = 1.0;
      load[i] = lane[i].load;
      bk[i] = 1.0;
      out[i] = cache.b.data();
    }
    std::size_t active = n;
    for (int k = 1; active > 0; ++k) {
      while (active > 0 && lane[active - 1].c < k) --active;
      const auto kd = static_cast<double>(k);
      // ErlangCache::erlang_c's step, load * b / (k + load * b), for every lane (vectorizable).
      for (std::size_t i = 0; i < active; ++i) {
        const double t = load[i] * bk[i];
        bk[i] = t / (kd + t);
      }
      for (std::size_t i = 0; i < active; ++i) out[i][k] = bk[i];
    }
  }
}

QueueOutcome evaluate_queue(double lambda_rps, int c, double mu_rps, double objective_s, ErlangCache* cache) {
  QueueOutcome q;
  if (lambda_rps <= 0.0) return q;
  const double capacity = static_cast<double>(std::max(c, 0)) * mu_rps;
  if (lambda_rps >= capacity) {
    q.overloaded = true;
    q.served_rps = capacity;
    q.unserved_rps = lambda_rps - capacity;
    q.utilization = capacity > 0.0 ? 1.0 : 0.0;
    q.p_late = 1.0;
    return q;
  }
  const double waiting = cache != nullptr ? cache->erlang_c(c, lambda_rps / mu_rps) : erlang_c(c, lambda_rps / mu_rps);
  const double drain = capacity - lambda_rps;
  q.served_rps = lambda_rps;
  q.utilization = lambda_rps / capacity;
  q.mean_wait_s = waiting / drain;
  q.p_late = waiting * std::exp(-drain * objective_s);
  return q;
}

double service_demand_rps(const ServiceConfig& s, std::int64_t start_unix_s, SimTime t) {
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  const double t_s = engine::to_seconds(t);
  const double unix_s = static_cast<double>(start_unix_s) + t_s;
  const double hour_of_day = std::fmod(unix_s, 86400.0) / 3600.0;
  // 1970-01-01 was a Thursday: days since the last Monday 00:00 UTC; the weekly peak is
  // Wednesday noon (2.5 days in).
  const double day_of_week = std::fmod(unix_s / 86400.0 + 3.0, 7.0);
  const double daily = 1.0 + s.daily_amplitude * std::cos(kTwoPi * (hour_of_day - s.peak_hour) / 24.0);
  const double weekly = 1.0 + s.weekly_amplitude * std::cos(kTwoPi * (day_of_week - 2.5) / 7.0);
  const double growth = std::pow(1.0 + s.growth_per_year, t_s / (365.25 * 86400.0));
  return std::max(0.0, s.base_rps * growth * daily * weekly);
}

int desired_replicas(const ServiceConfig& s, double lambda_rps) {
  double want = 0.0;
  if (lambda_rps > 0.0) want = std::ceil(lambda_rps / (s.replica_rps * s.target_utilization) - 1e-9);
  want = std::clamp(want, static_cast<double>(s.min_replicas), static_cast<double>(s.max_replicas));
  return static_cast<int>(want);
}

ServiceFleet::ServiceFleet(const std::vector<ServiceConfig>& services, std::uint64_t seed, std::int64_t start_unix_s,
                           ServiceHost& host)
    : cfg_(services), start_unix_s_(start_unix_s), host_(host) {
  state_.reserve(services.size());
  for (const ServiceConfig& s : services) state_.emplace_back(engine::RandomStream(seed, "service." + s.name + ".noise"));
}

void ServiceFleet::start(SimTime horizon) {
  // A tick at each interval start before the horizon closes the interval before it, and finish
  // closes the last: at most horizon / interval + 1 rows a service. Only up to about 1 GB is
  // reserved: a run that may stop early (a stop condition, a cancel) asks no more of the system.
  constexpr std::size_t kMaxReservedRows = std::size_t{1} << 24;
  std::size_t rows = 0;
  for (const ServiceConfig& s : cfg_)
    if (s.interval > 0 && horizon > 0) rows += static_cast<std::size_t>(horizon / s.interval) + 1;
  rows_.reserve(std::min(rows, kMaxReservedRows));
  // Events at the same time run in the order they were scheduled, and each service schedules its
  // next tick and scale-up from its own tick: first ticks in priority order (services without a
  // priority first, then the highest; ties in file order) make services that act at the same
  // moment take GPUs in that order for the whole run. Without priorities: file order.
  std::vector<std::uint32_t> order(cfg_.size());
  for (std::uint32_t s = 0; s < cfg_.size(); ++s) order[s] = s;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const std::optional<int>& pa = cfg_[a].priority;
    const std::optional<int>& pb = cfg_[b].priority;
    if (!pa || !pb) return !pa && pb;
    return *pa > *pb;
  });
  for (std::uint32_t s : order) host_.schedule_service_event(0, kTick, s);
}

void ServiceFleet::on_event(int what, std::uint32_t s, SimTime now) {
  switch (what) {
    case kTick: on_tick(s, now); break;
    case kTakeGpus: on_take(s, now); break;
    case kReady: on_ready(s, now); break;
    default: break;
  }
}

int ServiceFleet::pending(const State& st) const {
  int n = 0;
  for (const ScaleUp& u : st.scale_ups) n += u.count;
  return n;
}

ServiceFleet::PoolPower& ServiceFleet::pool_power(State& st, PoolId pool) {
  for (PoolPower& e : st.pools)
    if (e.pool == pool) return e;
  st.pools.push_back(PoolPower{pool, 0, 0});
  return st.pools.back();
}

void ServiceFleet::add_replica(State& st, Replica&& r) {
  st.held_gpus += r.placement.allocated_gpus();
  if (r.ready) {
    ++st.ready_now;
    ++st.unpowered_ready;
  }
  st.replicas.push_back(std::move(r));
}

// Gives a replica's GPUs back to the host and forgets it.
void ServiceFleet::remove_replica(std::uint32_t s, std::size_t i) {
  State& st = state_[s];
  Replica& r = st.replicas[i];
  std::int64_t mw = 0;
  if (r.powered) {
    PoolPower& e = pool_power(st, r.placement.pool);
    mw = e.mw_per_gpu;
    --e.replicas;
  }
  host_.release_replica_gpus(cfg_[s], r.placement, mw, r.powered);
  st.held_gpus -= r.placement.allocated_gpus();
  if (r.ready) --st.ready_now;
  if (r.ready && !r.powered) --st.unpowered_ready;
  st.replicas.erase(st.replicas.begin() + static_cast<std::ptrdiff_t>(i));
}

// Integrates the current outcome from the last change to `now`.
void ServiceFleet::settle(std::uint32_t s, SimTime now) {
  State& st = state_[s];
  const double dt = engine::to_seconds(now - st.settled);
  st.settled = now;
  if (dt <= 0.0) return;
  const QueueOutcome& q = st.outcome;
  st.demand_rs += st.lambda_rps * dt;
  st.served_rs += q.served_rps * dt;
  st.late_rs += q.served_rps * (q.overloaded ? 1.0 : q.p_late) * dt;
  if (!q.overloaded) {
    st.wait_rs2 += q.mean_wait_s * q.served_rps * dt;
    st.waited_served_rs += q.served_rps * dt;
  }
  st.replica_s += static_cast<double>(st.ready) * dt;
  st.gpu_s += static_cast<double>(st.held_gpus) * dt;
  // A tiny tolerance: an interval exactly at the target share meets it.
  if (q.overloaded || q.p_late > 1.0 - cfg_[s].slo_target + 1e-12) st.slo_met = false;
}

void ServiceFleet::close_interval(std::uint32_t s, SimTime now) {
  State& st = state_[s];
  const SimTime length = now - st.interval_start;
  if (length > 0) {
    const double len_s = engine::to_seconds(length);
    ServiceIntervalRow row;
    row.start = st.interval_start;
    row.length = length;
    row.service = s;
    row.demand_rps = st.demand_rs / len_s;
    row.replicas = st.replica_s / len_s;
    row.gpus_held = st.gpu_s / len_s;
    row.utilization = st.replica_s > 0.0 ? st.served_rs / (st.replica_s * cfg_[s].replica_rps) : 0.0;
    row.served_requests = st.served_rs;
    const bool overloaded_part = st.waited_served_rs < st.served_rs - 1e-9 * std::max(1.0, st.served_rs);
    row.wait_ms = !overloaded_part && st.waited_served_rs > 0.0 ? 1000.0 * st.wait_rs2 / st.waited_served_rs
                  : overloaded_part                           ? -1.0
                                                              : 0.0;
    row.slo_met = st.slo_met;
    rows_.push_back(row);
    ++st.intervals;
    if (st.slo_met) ++st.intervals_met;
    if (overloaded_part || (st.served_rs < st.demand_rs - 1e-9 * std::max(1.0, st.demand_rs))) ++st.overloaded;
    st.total_replica_s += st.replica_s;
    st.total_gpu_s += st.gpu_s;
    st.total_demand += st.demand_rs;
    st.total_served += st.served_rs;
    st.total_late += st.late_rs;
    st.total_wait_weighted += st.wait_rs2;
    st.total_waited_served += st.waited_served_rs;
  }
  st.interval_start = now;
  st.demand_rs = st.served_rs = st.late_rs = st.wait_rs2 = st.waited_served_rs = 0.0;
  st.replica_s = st.gpu_s = 0.0;
  st.slo_met = true;
}

// New queue outcome for the current demand and ready replicas; ready replicas draw busy power in
// proportion to their utilization. All ready replicas of a pool draw the same, so the host moves
// them pool by pool; replicas ready since the last evaluation join their pool's level.
void ServiceFleet::reevaluate(std::uint32_t s) {
  State& st = state_[s];
  const ServiceConfig& sc = cfg_[s];
  st.ready = st.ready_now;
  st.outcome = evaluate_queue(st.lambda_rps, st.ready, sc.replica_rps, sc.latency_objective_s, &st.erlang);
  const double u = st.outcome.utilization;
  for (PoolPower& e : st.pools) {
    const std::int64_t mw = std::llround(static_cast<double>(host_.full_busy_mw(sc, e.pool)) * u);
    if (mw == e.mw_per_gpu) continue;
    if (e.replicas > 0) host_.set_service_power(sc, e.pool, e.mw_per_gpu, mw);
    e.mw_per_gpu = mw;
  }
  if (st.unpowered_ready == 0) return;
  for (Replica& r : st.replicas) {
    if (!r.ready || r.powered) continue;
    PoolPower& e = pool_power(st, r.placement.pool);
    if (e.replicas == 0) e.mw_per_gpu = std::llround(static_cast<double>(host_.full_busy_mw(sc, e.pool)) * u);
    host_.power_replica(sc, r.placement, e.mw_per_gpu);
    r.powered = true;
    ++e.replicas;
  }
  st.unpowered_ready = 0;
}

// The demand of service s's tick at `now`: the curve times one draw of the service's own noise
// stream (so drawing it ahead, in prefill_erlang, gives the same value).
double ServiceFleet::tick_demand(std::uint32_t s, SimTime now) {
  State& st = state_[s];
  if (st.drawn_at == now) {
    st.drawn_at = -1;
    return st.drawn_lambda;
  }
  const ServiceConfig& sc = cfg_[s];
  double lambda = service_demand_rps(sc, start_unix_s_, now);
  if (sc.noise_sd > 0.0) {
    // Box-Muller: one standard normal per interval from the service's own stream.
    const double u1 = st.noise.uniform01();
    const double u2 = st.noise.uniform01();
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    lambda *= std::max(0.0, 1.0 + sc.noise_sd * z);
  }
  return lambda;
}

// Services tick together (a dozen at each 15 minutes of a campus), and each tick's Erlang C is a
// chain of hundreds of dependent divisions. At the first tick of a time, the demand of every
// service ticking then is drawn and its replicas after the tick's scale-down foreseen, and their
// recursions run side by side into their caches. A guess proven wrong by an event in between
// (a failure, a replica ready at that very time) only costs speed: the cache is keyed by the exact
// load and extends or restarts as before, so every value stays bit for bit what it was.
void ServiceFleet::prefill_erlang(SimTime now) {
  prefilled_at_ = now;
  lanes_.clear();
  for (std::uint32_t s = 0; s < state_.size(); ++s) {
    State& st = state_[s];
    if (st.next_tick != now) continue;
    const ServiceConfig& sc = cfg_[s];
    const double lambda = tick_demand(s, now);
    st.drawn_lambda = lambda;
    st.drawn_at = now;
    // on_tick's scale-down: cancel pending scale-ups, then release ready replicas.
    const int desired = desired_replicas(sc, lambda);
    const int have = static_cast<int>(st.replicas.size()) + pending(st);
    int c = st.ready_now;
    if (have > desired) c -= std::min(have - desired - std::min(pending(st), have - desired), st.ready_now);
    if (c <= 0 || !(lambda > 0.0) || lambda >= static_cast<double>(c) * sc.replica_rps) continue;
    const double load = lambda / sc.replica_rps;  // as evaluate_queue divides
    if (!(load > 0.0) || load >= static_cast<double>(c)) continue;
    lanes_.push_back(ErlangLane{&st.erlang, load, c});
  }
  if (lanes_.size() > 1) fill_erlang_caches(lanes_);  // one alone gains nothing
}

void ServiceFleet::on_tick(std::uint32_t s, SimTime now) {
  State& st = state_[s];
  const ServiceConfig& sc = cfg_[s];
  if (now != 0 && now != prefilled_at_) prefill_erlang(now);
  settle(s, now);
  close_interval(s, now);
  const double lambda = tick_demand(s, now);
  st.lambda_rps = lambda;
  const int desired = desired_replicas(sc, lambda);
  if (now == 0) {
    // The service is already running when the run starts: its first replicas are ready at once.
    for (int i = 0; i < desired; ++i) {
      Replica r;
      if (!host_.take_replica_gpus(sc, r.placement)) {
        ++st.unplaced;
        continue;
      }
      r.ready = true;
      add_replica(st, std::move(r));
    }
  } else {
    int have = static_cast<int>(st.replicas.size()) + pending(st);
    if (desired > have) {
      st.scale_ups.push_back(ScaleUp{now + sc.scale_up_delay, desired - have});
      host_.schedule_service_event(now + sc.scale_up_delay, kTakeGpus, s);
    }
    // Scale down: cancel scale-ups not yet started (newest first), then release ready replicas
    // (newest first) at once; replicas in cold start finish it.
    for (auto it = st.scale_ups.rbegin(); it != st.scale_ups.rend() && have > desired; ++it) {
      const int cut = std::min(it->count, have - desired);
      it->count -= cut;
      have -= cut;
    }
    for (std::size_t i = st.replicas.size(); i-- > 0 && have > desired;) {
      if (!st.replicas[i].ready) continue;
      remove_replica(s, i);
      --have;
    }
  }
  reevaluate(s);
  host_.schedule_service_event(now + sc.interval, kTick, s);
  st.next_tick = now + sc.interval;
}

void ServiceFleet::on_take(std::uint32_t s, SimTime now) {
  State& st = state_[s];
  const ServiceConfig& sc = cfg_[s];
  if (st.scale_ups.empty()) return;
  settle(s, now);
  const int count = st.scale_ups.front().count;
  st.scale_ups.pop_front();
  bool cold = false;
  for (int i = 0; i < count; ++i) {
    Replica r;
    if (!host_.take_replica_gpus(sc, r.placement)) {
      ++st.unplaced;  // no free GPUs: the service runs short; the next tick asks again
      continue;
    }
    r.ready_at = now + sc.cold_start;
    r.ready = sc.cold_start == 0;
    cold = cold || !r.ready;
    add_replica(st, std::move(r));
  }
  if (cold) host_.schedule_service_event(now + sc.cold_start, kReady, s);
  reevaluate(s);
}

void ServiceFleet::on_ready(std::uint32_t s, SimTime now) {
  State& st = state_[s];
  settle(s, now);
  for (Replica& r : st.replicas) {
    if (!r.ready && r.ready_at <= now) {
      r.ready = true;
      ++st.ready_now;
      ++st.unpowered_ready;
    }
  }
  reevaluate(s);
}

void ServiceFleet::on_server_down(ServerId server, SimTime now) {
  for (std::uint32_t s = 0; s < state_.size(); ++s) {
    State& st = state_[s];
    bool hit = false;
    for (std::size_t i = st.replicas.size(); i-- > 0;) {
      const auto& servers = st.replicas[i].placement.servers;
      if (std::find(servers.begin(), servers.end(), server) == servers.end()) continue;
      if (!hit) settle(s, now);
      hit = true;
      remove_replica(s, i);
    }
    if (hit) reevaluate(s);
  }
}

void ServiceFleet::finish(SimTime end, std::vector<ServiceResults>& results, std::vector<ServiceIntervalRow>& rows) {
  results.clear();
  for (std::uint32_t s = 0; s < state_.size(); ++s) {
    State& st = state_[s];
    settle(s, end);
    close_interval(s, end);
    ServiceResults r;
    r.name = cfg_[s].name;
    const double run_s = engine::to_seconds(end);
    r.mean_replicas = run_s > 0.0 ? st.total_replica_s / run_s : 0.0;
    r.gpu_hours = st.total_gpu_s / 3600.0;
    r.requests_offered = st.total_demand;
    r.requests_served = st.total_served;
    r.unserved_share = st.total_demand > 0.0 ? 1.0 - st.total_served / st.total_demand : 0.0;
    r.slo_interval_share = st.intervals > 0 ? static_cast<double>(st.intervals_met) / static_cast<double>(st.intervals) : 1.0;
    r.slo_request_share = st.total_demand > 0.0 ? (st.total_served - st.total_late) / st.total_demand : 1.0;
    r.mean_wait_ms = st.total_waited_served > 0.0 ? 1000.0 * st.total_wait_weighted / st.total_waited_served : 0.0;
    r.intervals = st.intervals;
    r.overloaded_intervals = st.overloaded;
    r.replicas_unplaced = st.unplaced;
    results.push_back(std::move(r));
  }
  rows = std::move(rows_);
}

}  // namespace dcsim::model
