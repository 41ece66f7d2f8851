// Steady-state draw of the jobs in the system at the start (see warm_start.h).
#include "sim/model/warm_start.h"

#include <algorithm>
#include <cmath>

namespace dcsim::model {

std::vector<InitialJob> draw_steady_state(const WorkloadConfig& w, engine::SimTime lookback, engine::RandomStream& rng) {
  std::vector<InitialJob> out;
  const double rate = w.rate_per_s * (w.daily_rate_multiplier.empty() ? 1.0 : w.daily_rate_multiplier.front());
  if (!(rate > 0.0) || lookback <= 0) return out;
  const engine::Distribution unit_exponential = engine::Distribution::exponential(1.0);
  // Arrivals of a Poisson process walked backwards from the start: the gaps are exponential
  // either way, so the newest job is drawn first and the list is reversed at the end.
  engine::SimTime at = 0;
  for (;;) {
    at -= std::max<engine::SimTime>(1, engine::from_seconds(unit_exponential.sample(rng) / rate));
    if (at < -lookback) break;
    const int gpus = static_cast<int>(std::max(1.0, std::round(w.gpus.sample(rng))));
    const double duration_s = w.duration_s.sample(rng);
    const engine::SimTime duration = std::max<engine::SimTime>(1, engine::from_seconds(duration_s));
    engine::SimTime limit = 0;  // exact: the true duration, which only plans
    switch (w.time_limit_mode) {
      case TimeLimitMode::exact: break;
      case TimeLimitMode::factor: limit = std::max<engine::SimTime>(1, engine::from_seconds(duration_s * w.time_limit_factor)); break;
      case TimeLimitMode::distribution: limit = std::max<engine::SimTime>(1, engine::from_seconds(w.time_limit_s.sample(rng))); break;
    }
    const engine::SimTime lifetime = limit > 0 ? std::min(duration, limit) : duration;
    const engine::SimTime elapsed = -at;
    if (lifetime <= elapsed) continue;  // it ended before the start
    InitialJob job;
    job.running = true;
    job.gpus = gpus;
    job.arrival = at;
    job.elapsed = elapsed;
    job.remaining = duration - elapsed;
    job.limit = limit > 0 ? limit - elapsed : 0;
    out.push_back(job);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

engine::SimTime default_steady_state_lookback(const WorkloadConfig& w) {
  const double longest_s = w.duration_s.max_value();
  const double lookback_s = std::isfinite(longest_s) ? longest_s : 20.0 * w.duration_s.mean();
  return std::max<engine::SimTime>(1, engine::from_seconds(lookback_s));
}

}  // namespace dcsim::model
