// The resolved view: defaults filled in, nice exact units, and load -> dump -> load -> dump stable.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "sim/scenario/loader.h"
#include "example.h"
#include "tests/support/scratch_dir.h"

namespace dcsim::scenario {
namespace {

void expect_same_distribution(const DistributionSpec& a, const DistributionSpec& b, const std::string& what) {
  EXPECT_EQ(a.dimension, b.dimension) << what;
  EXPECT_EQ(a.dist.kind(), b.dist.kind()) << what;
  EXPECT_EQ(a.dist.a(), b.dist.a()) << what;
  EXPECT_EQ(a.dist.b(), b.dist.b()) << what;
  EXPECT_EQ(a.dist.values(), b.dist.values()) << what;
  EXPECT_EQ(a.dist.probabilities(), b.dist.probabilities()) << what;
  EXPECT_EQ(a.empirical_file, b.empirical_file) << what;
  EXPECT_EQ(a.empirical_column, b.empirical_column) << what;
  EXPECT_EQ(a.empirical_unit, b.empirical_unit) << what;
}

void expect_same_server(const ServerTypeSpec& a, const ServerTypeSpec& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.gpu, b.gpu);
  EXPECT_EQ(a.gpus, b.gpus);
  EXPECT_EQ(a.overhead_w, b.overhead_w);
  EXPECT_EQ(a.price_usd, b.price_usd);
  EXPECT_EQ(a.useful_life_years, b.useful_life_years);
}

// Every field except source positions and the file it came from.
void expect_same(const Scenario& a, const Scenario& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.start_unix_s, b.start_unix_s);
  EXPECT_EQ(a.horizon_s, b.horizon_s);
  EXPECT_EQ(a.warmup_s, b.warmup_s);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.stop_jobs_completed, b.stop_jobs_completed);
  ASSERT_EQ(a.catalog.gpus.size(), b.catalog.gpus.size());
  for (std::size_t i = 0; i < a.catalog.gpus.size(); ++i) {
    const GpuTypeSpec &x = a.catalog.gpus[i], &y = b.catalog.gpus[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.idle_w, y.idle_w);
    EXPECT_EQ(x.tdp_w, y.tdp_w);
    EXPECT_EQ(x.bf16_tflops, y.bf16_tflops);
    EXPECT_EQ(x.memory_gb, y.memory_gb);
    EXPECT_EQ(x.price_usd, y.price_usd);
  }
  ASSERT_EQ(a.catalog.servers.size(), b.catalog.servers.size());
  for (std::size_t i = 0; i < a.catalog.servers.size(); ++i) expect_same_server(a.catalog.servers[i], b.catalog.servers[i]);
  ASSERT_EQ(a.sites.size(), b.sites.size());
  for (std::size_t i = 0; i < a.sites.size(); ++i) {
    const SiteSpec &s = a.sites[i], &t = b.sites[i];
    EXPECT_EQ(s.name, t.name);
    EXPECT_EQ(s.pue, t.pue);
    EXPECT_EQ(s.electricity_usd_per_kwh, t.electricity_usd_per_kwh);
    ASSERT_EQ(s.halls.size(), t.halls.size());
    for (std::size_t h = 0; h < s.halls.size(); ++h) {
      EXPECT_EQ(s.halls[h].name, t.halls[h].name);
      ASSERT_EQ(s.halls[h].racks.size(), t.halls[h].racks.size());
      for (std::size_t r = 0; r < s.halls[h].racks.size(); ++r) {
        const RackGroupSpec &p = s.halls[h].racks[r], &q = t.halls[h].racks[r];
        EXPECT_EQ(p.count, q.count);
        EXPECT_EQ(p.server, q.server);
        EXPECT_EQ(p.servers_per_rack, q.servers_per_rack);
        EXPECT_EQ(p.power_limit_w, q.power_limit_w);
        ASSERT_EQ(p.inline_server.has_value(), q.inline_server.has_value());
        if (p.inline_server) expect_same_server(*p.inline_server, *q.inline_server);
      }
    }
  }
  ASSERT_EQ(a.workloads.size(), b.workloads.size());
  for (std::size_t i = 0; i < a.workloads.size(); ++i) {
    const WorkloadSpec &v = a.workloads[i], &w = b.workloads[i];
    EXPECT_EQ(v.name, w.name);
    EXPECT_EQ(v.kind, w.kind);
    EXPECT_EQ(v.tenant, w.tenant);
    EXPECT_EQ(v.process, w.process);
    EXPECT_EQ(v.rate_per_s, w.rate_per_s);
    expect_same_distribution(v.gpus, w.gpus, v.name + " gpus");
    expect_same_distribution(v.duration, w.duration, v.name + " duration");
    EXPECT_EQ(v.time_limit.mode, w.time_limit.mode);
    EXPECT_EQ(v.time_limit.factor, w.time_limit.factor);
    ASSERT_EQ(v.time_limit.distribution.has_value(), w.time_limit.distribution.has_value());
    if (v.time_limit.distribution)
      expect_same_distribution(*v.time_limit.distribution, *w.time_limit.distribution, v.name + " time_limit");
  }
  EXPECT_EQ(a.scheduler, b.scheduler);
}

// load(text) -> resolved -> load -> resolved: identical text and identical Scenarios.
void expect_round_trip(const std::string& text, const std::string& dir = ".") {
  const LoadResult first = load_scenario_text(text, "a.yaml", dir);
  ASSERT_TRUE(first.ok()) << (first.diagnostics.empty() ? "" : format_diagnostic(first.diagnostics[0]));
  const std::string resolved = to_resolved_yaml(*first.scenario);
  const LoadResult second = load_scenario_text(resolved, "resolved.yaml", dir);
  ASSERT_TRUE(second.ok()) << resolved << "\n" << (second.diagnostics.empty() ? "" : format_diagnostic(second.diagnostics[0]));
  EXPECT_EQ(to_resolved_yaml(*second.scenario), resolved);
  expect_same(*first.scenario, *second.scenario);
}

TEST(ResolvedYaml, ExampleLooksAsDocumented) {
  const LoadResult r = load_scenario_text(testing::kExample, "a.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(to_resolved_yaml(*r.scenario), R"(name: One hall of H100 servers
description: ""
start: 2026-01-01
horizon: 90 d
warmup: 0 s
seed: 7
catalog: {gpus: [], servers: []}
sites:
  - name: ashburn
    pue: 1.35
    electricity: {price: 0.0806 USD/kWh}
    carbon_g_per_kwh: 0
    halls:
      - name: hall-a
        racks:
          - count: 16
            server: dgx-h100
            servers_per_rack: 4
            power_limit: 41 kW
            plan_to: 1
workloads:
  - name: research
    kind: training
    tenant: shared
    arrivals: {process: poisson, rate: 30 /day}
    gpus: {discrete: {8: 0.5, 16: 0.3, 64: 0.2}}
    duration: {lognormal: {median: 6 h, sigma: 1}}
    time_limit: exact
scheduler: {policy: easy-backfill}
power: {policy: cap, throughput_exponent: 0.4}
finance:
  price: 0 USD/GPU-hour
  maintenance_per_year: 0
  staff_per_month: 0 USD
  discount_rate: 0.08
)");
}

TEST(ResolvedYaml, ExampleRoundTrips) { expect_round_trip(testing::kExample); }

TEST(ResolvedYaml, EveryFormRoundTrips) {
  const test_support::ScratchDir scratch;
  scratch.write("rt_samples.csv", "hours\n1.5\n2\n0.1\n");
  const std::string dir = scratch.folder().string();
  expect_round_trip(R"(name: "Every form: quoted, #1"
description: 'yes'
start: 2026-02-03T04:05:06Z
horizon: 1234.5678 s
warmup: 0.1 h
seed: 0
stop: {jobs_completed: 12}
catalog:
  gpus:
    - {name: b200, idle_power: 140 W, tdp: 1.2 kW, bf16_tflops: 2250.5, memory: 192 GB, price: 40000 USD}
    - {name: "true", idle_power: 1e-3 MW, tdp: 2 MW}
  servers:
    - {name: hgx, gpu: b200, gpus: 8, overhead_power: 3.3 kW, price: 1e6 USD, useful_life: 4.3 y}
    - {name: short-life, gpu: b200, gpus: 2, useful_life: 1000 d}
sites:
  - name: s1
    pue: 1.1234567890123
    electricity: {price: 1e-1 USD/kWh}
    halls:
      - name: h1
        racks:
          - {count: 3, server: hgx, servers_per_rack: 2, power_limit: 0.0123 MW}
          - {server: {gpu: b200, gpus: 4, overhead_power: 500 W}}
  - name: "7"
    halls: [{name: h, racks: [{server: {gpu: b200}}]}]
workloads:
  - name: a
    tenant: "team: x"
    arrivals: {rate: 0.3333333 /h}
    gpus: {uniform: {min: 1, max: 8}}
    duration: {weibull: {shape: 0.7, scale: 1.1 d}}
    time_limit: {factor: 1.5}
  - name: b
    arrivals: {rate: 0.1 /s}
    gpus: {exponential: {mean: 3.3}}
    duration: {discrete: {4 h: 0.25, 90 min: 0.5, 1 w: 0.25}}
    time_limit: {gamma: {shape: 2, scale: 5 h}}
  - name: c
    arrivals: {rate: 7 /week}
    gpus: {normal: {mean: 16, sd: 2.5}}
    duration: {empirical: {file: rt_samples.csv, column: hours, unit: h}}
    time_limit: 3 h
  - name: d
    arrivals: {rate: 3.7 /min}
    gpus: {lognormal: {median: 8, sigma: 0.25}}
    duration: {exponential: {mean: 1 y}}
scheduler: {policy: fifo}
)",
                    dir);
}

}  // namespace
}  // namespace dcsim::scenario
