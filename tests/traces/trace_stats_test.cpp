// Trace statistics on a hand-made job list: histogram, nearest-rank percentiles, offered load.
#include "sim/traces/trace_stats.h"

#include <gtest/gtest.h>

namespace dcsim::traces {
namespace {

TEST(TraceStats, EmptyList) {
  const TraceStats s = compute_trace_stats({});
  EXPECT_EQ(s.jobs, 0u);
  EXPECT_EQ(s.span_s, 0.0);
  EXPECT_EQ(s.offered_load_gpus, 0.0);
  EXPECT_TRUE(s.gpu_histogram.empty());
}

TEST(TraceStats, HandMadeJobs) {
  // Ten jobs over 9 hours; durations 1..10 hours.
  std::vector<TraceJob> jobs;
  const double gpus[] = {8, 1, 0.5, 8, 1, 1, 16, 8, 0.5, 1};
  for (int i = 0; i < 10; ++i) {
    jobs.push_back({i * 3600.0, gpus[i], (i + 1) * 3600.0, i % 3 == 0 ? "research" : "prod", "", std::to_string(i)});
  }
  const TraceStats s = compute_trace_stats(jobs);
  EXPECT_EQ(s.jobs, 10u);
  EXPECT_EQ(s.span_s, 9 * 3600.0);
  const std::vector<std::pair<double, std::size_t>> histogram{{0.5, 2}, {1, 4}, {8, 3}, {16, 1}};
  EXPECT_EQ(s.gpu_histogram, histogram);
  EXPECT_EQ(s.duration_p50_s, 5 * 3600.0);   // rank ceil(5) = 5
  EXPECT_EQ(s.duration_p90_s, 9 * 3600.0);   // rank 9
  EXPECT_EQ(s.duration_p99_s, 10 * 3600.0);  // rank ceil(9.9) = 10
  EXPECT_DOUBLE_EQ(s.mean_duration_s, 5.5 * 3600.0);
  // GPU-hours: 8*1 + 1*2 + .5*3 + 8*4 + 1*5 + 1*6 + 16*7 + 8*8 + .5*9 + 1*10 = 245
  EXPECT_DOUBLE_EQ(s.gpu_hours, 245.0);
  EXPECT_DOUBLE_EQ(s.offered_load_gpus, 245.0 / 9.0);
  EXPECT_EQ(s.jobs_by_tenant.at("research"), 4u);
  EXPECT_EQ(s.jobs_by_tenant.at("prod"), 6u);
}

TEST(TraceStats, NearestRank) {
  const std::vector<double> v{15, 20, 35, 40, 50};  // the textbook example
  EXPECT_EQ(nearest_rank(v, 5), 15);
  EXPECT_EQ(nearest_rank(v, 30), 20);
  EXPECT_EQ(nearest_rank(v, 40), 20);
  EXPECT_EQ(nearest_rank(v, 50), 35);
  EXPECT_EQ(nearest_rank(v, 100), 50);
  EXPECT_EQ(nearest_rank({}, 50), 0.0);
  const TraceStats one = compute_trace_stats({{0, 2, 7, "", "", "x"}});
  EXPECT_EQ(one.duration_p99_s, 7.0);
  EXPECT_EQ(one.offered_load_gpus, 0.0);  // no span
}

}  // namespace
}  // namespace dcsim::traces
