// Summary numbers of a loaded trace (size mix, durations, offered load, tenants) for
// `dcsim trace stats` and for checking a trace before it drives a simulation.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/traces/trace.h"

namespace dcsim::traces {

struct TraceStats {
  std::size_t jobs = 0;
  double span_s = 0.0;  // last submission - first submission
  std::vector<std::pair<double, std::size_t>> gpu_histogram;  // GPUs per job -> jobs, ascending GPUs
  // Nearest-rank percentiles: the smallest duration with at least p% of jobs at or below it.
  double duration_p50_s = 0.0;
  double duration_p90_s = 0.0;
  double duration_p99_s = 0.0;
  double mean_duration_s = 0.0;
  double gpu_hours = 0.0;          // sum of gpus * duration_s / 3600
  double offered_load_gpus = 0.0;  // gpu_hours * 3600 / span_s: GPUs busy on average; 0 when span_s is 0
  std::map<std::string, std::size_t> jobs_by_tenant;
};

TraceStats compute_trace_stats(const std::vector<TraceJob>& jobs);

// Nearest-rank percentile (0 < percent <= 100) of values sorted ascending; 0 for an empty list.
double nearest_rank(const std::vector<double>& sorted, double percent);

}  // namespace dcsim::traces
