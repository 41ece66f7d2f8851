// Summary numbers of a trace: one pass over the jobs plus a sort of the durations.
#include "sim/traces/trace_stats.h"

#include <algorithm>
#include <cmath>

namespace dcsim::traces {

double nearest_rank(const std::vector<double>& sorted, double percent) {
  if (sorted.empty()) return 0.0;
  const double n = static_cast<double>(sorted.size());
  // Rank ceil(p/100 * n), computed as p*n/100 so that whole ranks are exact.
  std::size_t rank = static_cast<std::size_t>(std::ceil(percent * n / 100.0));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

TraceStats compute_trace_stats(const std::vector<TraceJob>& jobs) {
  TraceStats stats;
  stats.jobs = jobs.size();
  if (jobs.empty()) return stats;
  std::map<double, std::size_t> histogram;
  std::vector<double> durations;
  durations.reserve(jobs.size());
  double first = jobs.front().submit_s, last = jobs.front().submit_s;
  double duration_sum = 0.0, gpu_seconds = 0.0;
  for (const TraceJob& job : jobs) {
    first = std::min(first, job.submit_s);
    last = std::max(last, job.submit_s);
    ++histogram[job.gpus];
    durations.push_back(job.duration_s);
    duration_sum += job.duration_s;
    gpu_seconds += job.gpus * job.duration_s;
    ++stats.jobs_by_tenant[job.tenant];
  }
  stats.span_s = last - first;
  stats.gpu_histogram.assign(histogram.begin(), histogram.end());
  std::sort(durations.begin(), durations.end());
  stats.duration_p50_s = nearest_rank(durations, 50.0);
  stats.duration_p90_s = nearest_rank(durations, 90.0);
  stats.duration_p99_s = nearest_rank(durations, 99.0);
  stats.mean_duration_s = duration_sum / static_cast<double>(jobs.size());
  stats.gpu_hours = gpu_seconds / 3600.0;
  stats.offered_load_gpus = stats.span_s > 0.0 ? gpu_seconds / stats.span_s : 0.0;
  return stats;
}

}  // namespace dcsim::traces
