// Envelope details end to end: UPS redundancy sets the usable hall capacity, and a hall's power
// swings are recorded.
#include <gtest/gtest.h>

#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/run_text.h"

namespace dcsim {
namespace {

using test_support::run_text;

std::string hall_with(const std::string& ups) {
  return R"(name: ups
start: 2026-01-01
horizon: 30 d
sites:
  - name: s
    halls:
      - name: h
        power_capacity: 800 kW
)" + ups + R"(
        racks: [{count: 16, server: dgx-h100, servers_per_rack: 4, power_limit: 41 kW}]
workloads:
  - name: w
    arrivals: {process: poisson, rate: 40 /day}
    gpus: {discrete: {8: 0.5, 64: 0.5}}
    duration: 12 h
)";
}

TEST(Envelopes, TwoNUpsHalvesTheUsableHallCapacity) {
  const run::RunResult n = run_text(hall_with("        ups_redundancy: N"));
  const run::RunResult two_n = run_text(hall_with("        ups_redundancy: 2N\n        ups_units: 2"));
  ASSERT_TRUE(n.ok() && two_n.ok());
  // 64 DGX H100: 330.24 kW idle, 652.8 kW at full draw. N leaves all 800 kW usable (never
  // capped); 2N of 2 units leaves 400 kW.
  EXPECT_EQ(n.model.lost_gpu_hours, 0.0);
  for (const auto& h : two_n.model.hours) EXPECT_LE(h.hall_it_power_kw[0], 400.0 + 1e-9);
  EXPECT_GT(two_n.model.lost_gpu_hours, 0.0);
}

TEST(Envelopes, PowerSwingsAreRecordedPerHall) {
  const run::RunResult r = run_text(hall_with("        ups_redundancy: N"));
  ASSERT_EQ(r.model.hall_swings.size(), 1u);
  const model::HallSwing& sw = r.model.hall_swings[0];
  // A 64-GPU job starting alone moves the hall by at least 64 x (700 - 70) W, capped or not
  // it is at least the smallest job's 8 x 630 W = 5.04 kW.
  EXPECT_GE(sw.largest_change_kw_per_minute, 5.04 - 1e-9);
  EXPECT_LE(sw.peak_kw, 652.8 + 1e-9);
  double peak_hour = 0.0;
  for (const auto& h : r.model.hours) peak_hour = std::max(peak_hour, h.hall_it_power_kw[0]);
  EXPECT_GE(sw.peak_kw, peak_hour - 1e-9) << "an instant's peak is at least any hour's mean";
}

}  // namespace
}  // namespace dcsim
