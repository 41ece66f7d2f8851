// timeseries.csv's per-service slo_attainment column: against a hand Erlang C answer at constant
// demand, and against the inference model's own per-interval slo_met with a daily cycle.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "reports/results_folder.h"
#include "sim/model/inference.h"
#include "sim/run/run.h"
#include "tests/support/run_text.h"

namespace dcsim {
namespace {

// One DGX-H100, one service fixed at 2 replicas of 4 GPUs serving 10 /s each, ready from the start.
std::string scenario_with(const std::string& service_lines) {
  return R"(name: slo
start: 2026-01-01
horizon: 1 d
seed: 1
sites:
  - name: s
    halls:
      - name: h
        racks: [{count: 1, server: dgx-h100, servers_per_rack: 1}]
workloads:
  - name: chat
    kind: inference
    service:
      gpus_per_replica: 4
      throughput: 10 /s
      slo_target: 0.99
      autoscaler: {min_replicas: 2, max_replicas: 2, scale_up_delay: 0 s, cold_start: 0 s}
)" + service_lines;
}

// The values of one column of timeseries.csv (empty cells as NaN).
std::vector<double> column(const std::string& csv, const std::string& name) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::istringstream h(line);
    for (std::string cell; std::getline(h, cell, ',');) header.push_back(cell);
  }
  std::size_t index = header.size();
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) index = i;
  EXPECT_LT(index, header.size()) << name << " not in " << line;
  std::vector<double> out;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    for (std::string cell; std::getline(l, cell, ',');) cells.push_back(cell);
    if (line.back() == ',') cells.emplace_back();
    out.push_back(index < cells.size() && !cells[index].empty() ? std::stod(cells[index]) : std::nan(""));
  }
  return out;
}

TEST(SloTimeseries, ConstantDemandMatchesErlangC) {
  // lambda 5 /s on c = 2 replicas of mu 10 /s: a = 0.5, Erlang C = 0.1, and
  // P(wait > t) = 0.1 exp(-(c mu - lambda) t): 0.1 e^-3 = 0.005 at 200 ms (meets 0.99),
  // 0.1 e^-0.15 = 0.086 at 10 ms (misses it).
  EXPECT_NEAR(model::erlang_c(2, 0.5), 0.1, 1e-12);
  ASSERT_LT(0.1 * std::exp(-15.0 * 0.2), 0.01);
  ASSERT_GT(0.1 * std::exp(-15.0 * 0.01), 0.01);
  for (const auto& [objective, expected] : {std::pair<std::string, double>{"200 ms", 1.0}, {"10 ms", 0.0}}) {
    const run::RunResult r = test_support::run_text(scenario_with("      base_rate: 5 /s\n      latency_objective: " + objective + "\n"));
    ASSERT_TRUE(r.ok());
    const std::vector<double> slo = column(reports::render_results(r, "").timeseries_csv, "chat:slo_attainment");
    ASSERT_EQ(slo.size(), 24u);
    for (double v : slo) EXPECT_DOUBLE_EQ(v, expected) << objective;
  }
}

TEST(SloTimeseries, DailyCycleIsTheHourMeanOfTheIntervalsSloMet) {
  // Demand 10 /s +- 90 % over the day on a fixed 20 /s of capacity: the objective is met at night,
  // missed around the peak, with hours in between.
  const run::RunResult r = test_support::run_text(
      scenario_with("      base_rate: 10 /s\n      daily_amplitude: 0.9\n      latency_objective: 100 ms\n"));
  ASSERT_TRUE(r.ok());
  const std::vector<double> slo = column(reports::render_results(r, "").timeseries_csv, "chat:slo_attainment");
  ASSERT_EQ(slo.size(), 24u);
  // The model's own intervals (5 min, 12 to the hour), averaged by hour here.
  std::vector<double> met(24, 0.0), count(24, 0.0);
  for (const model::ServiceIntervalRow& row : r.model.service_rows) {
    ASSERT_EQ(row.length, 5 * 60 * engine::kMicrosPerSecond);
    const auto hour = static_cast<std::size_t>(row.start / engine::kMicrosPerHour);
    met[hour] += row.slo_met ? 1.0 : 0.0;
    count[hour] += 1.0;
  }
  bool some_met = false, some_missed = false, some_partial = false;
  for (std::size_t h = 0; h < 24; ++h) {
    ASSERT_EQ(count[h], 12.0);
    EXPECT_NEAR(slo[h], met[h] / 12.0, 1e-9) << "hour " << h;
    some_met = some_met || slo[h] == 1.0;
    some_missed = some_missed || slo[h] == 0.0;
    some_partial = some_partial || (slo[h] > 0.0 && slo[h] < 1.0);
  }
  EXPECT_TRUE(some_met && some_missed && some_partial);
}

TEST(SloTimeseries, NoColumnWithoutServices) {
  const run::RunResult r = test_support::run_text(R"(name: none
start: 2026-01-01
horizon: 2 h
sites:
  - name: s
    halls: [{name: h, racks: [{count: 1, server: dgx-h100, servers_per_rack: 1}]}]
workloads:
  - name: train
    arrivals: {rate: 1 /h}
    gpus: 8
    duration: 1 h
)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(reports::render_results(r, "").timeseries_csv.find("slo_attainment"), std::string::npos);
}

}  // namespace
}  // namespace dcsim
