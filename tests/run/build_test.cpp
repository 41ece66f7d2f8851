// The builder: catalog references, defaults it fills in, and the errors that need the catalog.
#include "sim/run/build.h"

#include <gtest/gtest.h>

#include "sim/scenario/loader.h"

namespace dcsim {
namespace {

const char* kBase = R"(name: t
start: 2026-01-01
horizon: 10 d
sites:
  - name: s
    pue: 1.2
    electricity: {price: 0.1 USD/kWh}
    halls:
      - name: h
        racks:
          - count: 2
            server: SERVER
            servers_per_rack: 4
            power_limit: LIMIT
workloads:
  - name: w
    kind: training
    arrivals: {process: poisson, rate: 10 /day}
    gpus: GPUS
    duration: 2 h
)";

std::string make(const std::string& server, const std::string& limit, const std::string& gpus) {
  std::string s = kBase;
  s.replace(s.find("SERVER"), 6, server);
  s.replace(s.find("LIMIT"), 5, limit);
  s.replace(s.find("GPUS"), 4, gpus);
  return s;
}

run::BuildResult build(const std::string& text, scenario::Scenario* out = nullptr) {
  scenario::LoadResult loaded = scenario::load_scenario_text(text, "t.yaml");
  EXPECT_TRUE(loaded.ok()) << (loaded.diagnostics.empty() ? "" : scenario::format_diagnostic(loaded.diagnostics[0]));
  scenario::Scenario sc = *loaded.scenario;
  run::BuildResult r = run::build_model(sc);
  if (out) *out = sc;
  return r;
}

TEST(Build, CopiesTheBuiltInEntriesItUsesIntoTheScenarioCatalog) {
  scenario::Scenario sc;
  const run::BuildResult r = build(make("dgx-h100", "41 kW", "8"), &sc);
  ASSERT_TRUE(r.config);
  ASSERT_EQ(sc.catalog.servers.size(), 1u);
  EXPECT_EQ(sc.catalog.servers[0].name, "dgx-h100");
  EXPECT_DOUBLE_EQ(*sc.catalog.servers[0].overhead_w, 4600.0);
  ASSERT_EQ(sc.catalog.gpus.size(), 1u);
  EXPECT_EQ(sc.catalog.gpus[0].name, "h100-sxm");
  // The resolved scenario loads back and builds to the same model.
  scenario::LoadResult again = scenario::load_scenario_text(scenario::to_resolved_yaml(sc), "resolved.yaml");
  ASSERT_TRUE(again.ok()) << scenario::format_diagnostic(again.diagnostics[0]);
  const run::BuildResult r2 = run::build_model(*again.scenario);
  ASSERT_TRUE(r2.config);
  EXPECT_EQ(r2.config->server_types[0].overhead_w, r.config->server_types[0].overhead_w);
  EXPECT_EQ(r2.config->server_types[0].price_usd, r.config->server_types[0].price_usd);
}

TEST(Build, InlineServersGetZeroOverheadAndTheGpusPriceByDefault) {
  scenario::Scenario sc;
  const run::BuildResult r = build(make("{gpu: h100-sxm, gpus: 2}", "10 kW", "2"), &sc);
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->server_types[0].overhead_w, 0.0);
  EXPECT_DOUBLE_EQ(r.config->server_types[0].price_usd, 2 * 268500.0 / 8);
  EXPECT_TRUE(sc.sites[0].halls[0].racks[0].inline_server->price_usd.has_value());
}

TEST(Build, UnknownServerIsS200WithTheNearestName) {
  const run::BuildResult r = build(make("dgx-h10", "41 kW", "8"));
  ASSERT_FALSE(r.config);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, "S200");
  EXPECT_EQ(r.diagnostics[0].hint, "did you mean 'dgx-h100'?");
  EXPECT_EQ(r.diagnostics[0].pos.line, 12);
}

TEST(Build, RackOverItsPowerLimitIsS202) {
  const run::BuildResult r = build(make("dgx-h100", "40 kW", "8"));
  ASSERT_FALSE(r.config);
  EXPECT_EQ(r.diagnostics[0].code, "S202");
  EXPECT_NE(r.diagnostics[0].message.find("40.8 kW"), std::string::npos) << r.diagnostics[0].message;
}

TEST(Build, JobLargerThanEveryHallIsS201) {
  const run::BuildResult r = build(make("dgx-h100", "41 kW", "{discrete: {8: 0.5, 128: 0.5}}"));
  ASSERT_FALSE(r.config);
  EXPECT_EQ(r.diagnostics[0].code, "S201");
  EXPECT_NE(r.diagnostics[0].message.find("64 GPUs"), std::string::npos) << r.diagnostics[0].message;
}

}  // namespace
}  // namespace dcsim
