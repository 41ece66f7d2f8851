// Warm start: the jobs a workload has in the system at the start, drawn from its own steady
// state (docs/scenario-format.md, "Initial jobs").
#pragma once
#include <vector>

#include "sim/engine/random.h"
#include "sim/engine/time.h"
#include "sim/model/model.h"

namespace dcsim::model {

// The jobs of `w` in the system at time 0 had it run for `lookback` before it on a cluster that
// never makes a job wait (M/G/infinity): Poisson arrivals at the workload's rate at the start
// (its first day's rate when the rate follows a profile), each with a size, duration and time
// limit drawn as at run time. A job whose arrival plus run time (its time limit, if the limit
// ends it first) passes 0 is in the system, running, with the rest of its work. Its elapsed
// time is an age of the stationary process and its remaining time a residual lifetime, so long
// jobs are caught more often than short ones (the inspection paradox), not a fresh duration.
// Oldest first. The count is Poisson with mean rate x E[min(duration, limit)] once lookback
// covers every run time.
std::vector<InitialJob> draw_steady_state(const WorkloadConfig& w, engine::SimTime lookback, engine::RandomStream& rng);

// The lookback a steady-state draw uses when the scenario gives none: the longest possible
// duration when the duration distribution is bounded, else 20 x its mean (jobs older than that
// are left out: for exponential durations a share e^-20 of those in the system).
engine::SimTime default_steady_state_lookback(const WorkloadConfig& w);

}  // namespace dcsim::model
