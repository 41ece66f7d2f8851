// Loading the reference example, defaults, and validation that collects every problem with its place.
#include <gtest/gtest.h>

#include "sim/scenario/loader.h"
#include "example.h"

namespace dcsim::scenario {
namespace {

using testing::kExample;

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::vector<std::string> codes(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(d.code);
  return out;
}

std::string dump(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format_diagnostic(d);
  return out;
}

TEST(Loader, ReferenceExampleLoadsWithExactValues) {
  const LoadResult r = load_scenario_text(kExample, "example.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.name, "One hall of H100 servers");
  EXPECT_EQ(s.start_unix_s, 1767225600);  // 2026-01-01T00:00:00Z
  EXPECT_EQ(s.horizon_s, 7776000.0);
  EXPECT_EQ(s.warmup_s, 0.0);
  EXPECT_EQ(s.seed, 7u);
  EXPECT_FALSE(s.stop_jobs_completed);
  ASSERT_EQ(s.sites.size(), 1u);
  EXPECT_EQ(s.sites[0].name, "ashburn");
  EXPECT_EQ(s.sites[0].pue, 1.35);
  EXPECT_EQ(s.sites[0].electricity_usd_per_kwh, 0.0806);
  ASSERT_EQ(s.sites[0].halls.size(), 1u);
  EXPECT_EQ(s.sites[0].halls[0].name, "hall-a");
  ASSERT_EQ(s.sites[0].halls[0].racks.size(), 1u);
  const RackGroupSpec& rack = s.sites[0].halls[0].racks[0];
  EXPECT_EQ(rack.count, 16);
  EXPECT_EQ(rack.server, "dgx-h100");
  EXPECT_FALSE(rack.inline_server);
  EXPECT_EQ(rack.servers_per_rack, 4);
  ASSERT_TRUE(rack.power_limit_w);
  EXPECT_EQ(*rack.power_limit_w, 41000.0);
  EXPECT_EQ(rack.server_pos.line, 14);
  EXPECT_EQ(rack.server_pos.column, 21);
  EXPECT_EQ(rack.power_limit_pos.line, 16);

  ASSERT_EQ(s.workloads.size(), 1u);
  const WorkloadSpec& w = s.workloads[0];
  EXPECT_EQ(w.name, "research");
  EXPECT_EQ(w.kind, WorkloadKind::training);
  EXPECT_EQ(w.tenant, "shared");
  EXPECT_EQ(w.process, ArrivalProcess::poisson);
  EXPECT_EQ(w.rate_per_s, 30.0 / 86400.0);
  EXPECT_EQ(w.gpus.dimension, Dimension::count);
  EXPECT_EQ(w.gpus.dist.kind(), engine::Distribution::Kind::discrete);
  EXPECT_EQ(w.gpus.dist.values(), (std::vector<double>{8, 16, 64}));
  ASSERT_EQ(w.gpus.dist.probabilities().size(), 3u);
  EXPECT_DOUBLE_EQ(w.gpus.dist.probabilities()[0], 0.5);
  EXPECT_DOUBLE_EQ(w.gpus.dist.probabilities()[1], 0.3);
  EXPECT_DOUBLE_EQ(w.gpus.dist.probabilities()[2], 0.2);
  EXPECT_EQ(w.duration.dimension, Dimension::time_s);
  EXPECT_EQ(w.duration.dist.kind(), engine::Distribution::Kind::lognormal);
  EXPECT_EQ(w.duration.dist.a(), 21600.0);
  EXPECT_EQ(w.duration.dist.b(), 1.0);
  EXPECT_EQ(w.time_limit.mode, TimeLimitSpec::Mode::exact);
  EXPECT_EQ(s.scheduler, SchedulerPolicy::easy_backfill);
  EXPECT_EQ(s.scheduler_pos.line, 25);
}

TEST(Loader, DatetimeStartWarmupStopAndFifo) {
  std::string text = replace(kExample, "start: 2026-01-01", "start: 2026-01-01T06:00:00Z\nwarmup: 7 d\nstop: {jobs_completed: 500}");
  text = replace(text, "policy: easy-backfill", "policy: fifo");
  const LoadResult r = load_scenario_text(text, "x.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.scenario->start_unix_s, 1767225600 + 6 * 3600);
  EXPECT_EQ(r.scenario->warmup_s, 7 * 86400.0);
  EXPECT_EQ(r.scenario->stop_jobs_completed, 500u);
  EXPECT_EQ(r.scenario->scheduler, SchedulerPolicy::fifo);
}

TEST(Loader, CatalogEntriesAndInlineServers) {
  std::string text = replace(kExample, "sites:\n", R"(catalog:
  gpus:
    - {name: b200, idle_power: 140 W, tdp: 1 kW, bf16_tflops: 2250, memory: 192 GB, price: 40000 USD}
  servers:
    - {name: hgx-b200, gpu: b200, gpus: 8, overhead_power: 3 kW, useful_life: 4 y}
sites:
)");
  text = replace(text, "server: dgx-h100          # a built-in catalog entry",
                 "server: {gpu: b200, gpus: 4, price: 200000 USD}");
  const LoadResult r = load_scenario_text(text, "x.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  const Scenario& s = *r.scenario;
  ASSERT_EQ(s.catalog.gpus.size(), 1u);
  EXPECT_EQ(s.catalog.gpus[0].tdp_w, 1000.0);
  EXPECT_EQ(s.catalog.gpus[0].idle_w, 140.0);
  EXPECT_EQ(s.catalog.gpus[0].bf16_tflops, 2250.0);
  EXPECT_EQ(s.catalog.gpus[0].memory_gb, 192.0);
  EXPECT_EQ(s.catalog.gpus[0].price_usd, 40000.0);
  ASSERT_EQ(s.catalog.servers.size(), 1u);
  EXPECT_EQ(s.catalog.servers[0].gpus, 8);
  EXPECT_EQ(s.catalog.servers[0].overhead_w, 3000.0);
  EXPECT_FALSE(s.catalog.servers[0].price_usd);
  EXPECT_EQ(s.catalog.servers[0].useful_life_years, 4.0);
  const RackGroupSpec& rack = s.sites[0].halls[0].racks[0];
  ASSERT_TRUE(rack.inline_server);
  EXPECT_EQ(rack.server, "");
  EXPECT_EQ(rack.inline_server->gpu, "b200");
  EXPECT_EQ(rack.inline_server->gpus, 4);
  EXPECT_EQ(rack.inline_server->price_usd, 200000.0);
  EXPECT_FALSE(rack.inline_server->overhead_w);
}

TEST(Loader, DefaultsWhenOptionalKeysAreLeftOut) {
  const std::string text = R"(name: minimal
start: 2026-03-01
horizon: 1 w
sites:
  - name: s
    halls:
      - name: h
        racks:
          - server: dgx-h100
workloads:
  - name: w
    arrivals: {rate: 1 /h}
    gpus: 8
    duration: 2 h
)";
  const LoadResult r = load_scenario_text(text, "x.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.warmup_s, 0.0);
  EXPECT_EQ(s.sites[0].pue, 1.0);
  EXPECT_EQ(s.sites[0].halls[0].racks[0].count, 1);
  EXPECT_EQ(s.sites[0].halls[0].racks[0].servers_per_rack, 1);
  EXPECT_FALSE(s.sites[0].halls[0].racks[0].power_limit_w);
  EXPECT_EQ(s.workloads[0].tenant, "shared");
  EXPECT_EQ(s.workloads[0].gpus.dist.kind(), engine::Distribution::Kind::constant);
  EXPECT_EQ(s.workloads[0].gpus.dist.a(), 8.0);
  EXPECT_EQ(s.workloads[0].duration.dist.a(), 7200.0);
  EXPECT_EQ(s.scheduler, SchedulerPolicy::easy_backfill);
}

TEST(Loader, CollectsAllProblemsInOnePassInSourceOrder) {
  std::string text = replace(kExample, "horizon: 90 d", "horizon: 90");
  text = replace(text, "pue: 1.35", "pue: 0.9");
  text = replace(text, "power_limit: 41 kW", "power_limit: -41 kW");
  text = replace(text, "rate: 30 /day", "rate: 30 kW");
  text = replace(text, "scheduler:", "schedular:");
  const LoadResult r = load_scenario_text(text, "x.yaml");
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.scenario);
  EXPECT_EQ(codes(r), (std::vector<std::string>{"S110", "S112", "S112", "S111", "S104"})) << dump(r);
  EXPECT_EQ(r.diagnostics[0].pos.line, 3);
  EXPECT_EQ(r.diagnostics[0].pos.column, 10);
  EXPECT_EQ(r.diagnostics[4].message, "unknown key 'schedular'");
  EXPECT_EQ(r.diagnostics[4].hint, "did you mean 'scheduler'?");
  EXPECT_EQ(r.diagnostics[4].pos.line, 25);
  EXPECT_EQ(r.diagnostics[4].pos.column, 1);
}

TEST(Loader, UnknownKeyFarFromAnyListsAllowedKeys) {
  const LoadResult r = load_scenario_text(replace(kExample, "seed: 7", "seed: 7\nbanana: 3"), "x.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S104"});
  EXPECT_NE(r.diagnostics[0].hint.find("allowed keys here: name, description, start, horizon"), std::string::npos);
}

TEST(Loader, MissingRequiredKeyPointsAtEnclosingMap) {
  const LoadResult r = load_scenario_text(replace(kExample, "arrivals: {process: poisson, rate: 30 /day}",
                                                  "arrivals: {process: poisson}"),
                                          "x.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S101"});
  EXPECT_EQ(r.diagnostics[0].message, "missing required key 'rate' in arrivals");
  EXPECT_EQ(r.diagnostics[0].pos.line, 21);
  EXPECT_EQ(r.diagnostics[0].pos.column, 15);
  const LoadResult top = load_scenario_text(replace(kExample, "horizon: 90 d\n", ""), "x.yaml");
  ASSERT_EQ(codes(top), std::vector<std::string>{"S101"});
  EXPECT_EQ(top.diagnostics[0].message, "missing required key 'horizon'");
  EXPECT_EQ(top.diagnostics[0].pos.line, 1);
}

TEST(Loader, WrongTypesAreReported) {
  LoadResult r = load_scenario_text(replace(kExample, "seed: 7", "seed: [7]"), "x.yaml");
  EXPECT_EQ(codes(r), std::vector<std::string>{"S102"});
  r = load_scenario_text(replace(kExample, "electricity: {price: 0.0806 USD/kWh}", "electricity: 0.08"), "x.yaml");
  EXPECT_EQ(codes(r), std::vector<std::string>{"S102"});
  r = load_scenario_text(replace(kExample, "count: 16", "count: 16.5"), "x.yaml");
  EXPECT_EQ(codes(r), std::vector<std::string>{"S102"});
  r = load_scenario_text(replace(kExample, "count: 16", "count: 0"), "x.yaml");
  EXPECT_EQ(codes(r), std::vector<std::string>{"S112"});
  r = load_scenario_text(replace(kExample, "pue: 1.35", "pue: 1.35 W"), "x.yaml");
  EXPECT_EQ(codes(r), std::vector<std::string>{"S111"});
}

TEST(Loader, UnknownChoicesSuggestTheNearest) {
  LoadResult r = load_scenario_text(replace(kExample, "policy: easy-backfill", "policy: easy-backfil"), "x.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S116"});
  EXPECT_EQ(r.diagnostics[0].hint, "did you mean 'easy-backfill'?");
  r = load_scenario_text(replace(kExample, "process: poisson", "process: hawkes"), "x.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S116"});
  EXPECT_EQ(r.diagnostics[0].hint, "choose one of: poisson, trace");
  r = load_scenario_text(replace(kExample, "kind: training", "kind: inferense"), "x.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S116"});
  EXPECT_EQ(r.diagnostics[0].hint, "did you mean 'inference'?");
}

TEST(Loader, InvalidDatesAndWarmupNotBeforeHorizon) {
  for (const char* bad : {"2026-13-01", "2026-02-30", "01/02/2026", "2026-01-01T06:00:00", "2026-01-01T25:00:00Z"}) {
    const LoadResult r = load_scenario_text(replace(kExample, "start: 2026-01-01", std::string("start: ") + bad), "x.yaml");
    EXPECT_EQ(codes(r), std::vector<std::string>{"S115"}) << bad;
  }
  const LoadResult r = load_scenario_text(replace(kExample, "seed: 7", "seed: 7\nwarmup: 90 d"), "x.yaml");
  EXPECT_EQ(codes(r), std::vector<std::string>{"S112"});
}

TEST(Loader, DuplicateNamesInEveryList) {
  const std::string two_sites = replace(kExample, "\nworkloads:", R"(  - name: ashburn
    halls:
      - name: hall-a
        racks: [{server: dgx-h100}]
      - name: hall-a
        racks: [{server: dgx-h100}]

workloads:)");
  LoadResult r = load_scenario_text(two_sites, "x.yaml");
  ASSERT_EQ(codes(r), (std::vector<std::string>{"S117", "S117"})) << dump(r);
  EXPECT_EQ(r.diagnostics[0].message, "duplicate site name 'ashburn'");
  EXPECT_EQ(r.diagnostics[0].pos.line, 17);
  EXPECT_EQ(r.diagnostics[0].hint, "first defined at line 7");
  EXPECT_EQ(r.diagnostics[1].message, "duplicate hall name 'hall-a'");

  r = load_scenario_text(replace(kExample, "\nscheduler:", "  - {name: research, arrivals: {rate: 1/h}, gpus: 1, duration: 1 h}\n\nscheduler:"),
                         "x.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S117"});
  EXPECT_EQ(r.diagnostics[0].message, "duplicate workload name 'research'");
}

TEST(Loader, DuplicateKeysAreReported) {
  const LoadResult r = load_scenario_text(replace(kExample, "seed: 7", "seed: 7\nseed: 8"), "x.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S117"});
  EXPECT_EQ(r.diagnostics[0].message, "duplicate key 'seed'");
}

TEST(Loader, EmptyListsAndEmptyFiles) {
  LoadResult r = load_scenario_text(replace(kExample, "workloads:\n  - name: research", "workloads: []\nunused:\n  - name: research"), "x.yaml");
  EXPECT_EQ(codes(r).front(), "S112");
  r = load_scenario_text("", "empty.yaml");
  EXPECT_EQ(codes(r), std::vector<std::string>{"S102"});
}

TEST(Loader, YamlSyntaxErrorHasPosition) {
  const LoadResult r = load_scenario_text("name: x\nsites: [a, b\nhorizon: 1 d\n", "x.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S100"});
  EXPECT_GT(r.diagnostics[0].pos.line, 0);
}

TEST(Loader, MissingFileIsReportedNotThrown) {
  const LoadResult r = load_scenario_file("/nonexistent/dir/scenario.yaml");
  ASSERT_EQ(codes(r), std::vector<std::string>{"S100"});
  EXPECT_EQ(r.diagnostics[0].pos.line, 0);
}

}  // namespace
}  // namespace dcsim::scenario
