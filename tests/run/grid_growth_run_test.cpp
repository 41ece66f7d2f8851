// Grid growth and failed facility units end to end: a site-level expansion raises the utility
// feed at its online date (capacity.csv's site_feed envelope follows it), and failures per UPS
// unit reach summary.json and timeseries.csv.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/run_text.h"

namespace dcsim {
namespace {

// Three servers of 8 GPUs (100 W idle, 1 kW TDP) + 1.2 kW overhead: 9.2 kW each when busy,
// 27.6 kW for the hall. The first 24-GPU job (within hours) holds every GPU to the end.
// The 20 kW feed binds in January; 15 kW more arrive on 1 February (decided 20 d earlier).
std::string feed_text(const std::string& expansion_extra = "    capex: 3000000 USD\n") {
  return R"(name: feed growth
start: 2026-01-01
horizon: 90 d
catalog:
  gpus: [{name: g, idle_power: 100 W, tdp: 1000 W}]
  servers: [{name: box, gpu: g, gpus: 8, overhead_power: 1.2 kW, price: 100000 USD}]
sites:
  - name: s
    utility_feed: 20 kW
    halls:
      - name: h
        racks: [{count: 3, server: box}]
workloads:
  - name: w
    arrivals: {process: poisson, rate: 4 /day}
    gpus: 24
    duration: 1000 d
expansions:
  - name: substation
    site: s
    online: 2026-02-01
    procurement_lead_time: 20 d
    utility_feed: 15 kW
)" + expansion_extra;
}

using test_support::run_text;

std::vector<std::string> lines_with(const std::string& text, const std::string& part) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(part) != std::string::npos) out.push_back(line);
  }
  return out;
}

// month,envelope,site,hall,unit,peak_demand,limit,headroom,headroom_fraction
void expect_row(const std::string& line, const std::string& month, double peak, double limit) {
  std::vector<std::string> f;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) f.push_back(cell);
  ASSERT_EQ(f.size(), 9u) << line;
  EXPECT_EQ(f[0], month);
  EXPECT_EQ(f[1] + "," + f[2] + "," + f[3] + "," + f[4], "site_feed,s,,kW");
  EXPECT_NEAR(std::stod(f[5]), peak, 1e-9) << line;
  EXPECT_NEAR(std::stod(f[6]), limit, 1e-9) << line;
  EXPECT_NEAR(std::stod(f[7]), limit - peak, 1e-9) << line;
  EXPECT_NEAR(std::stod(f[8]), (limit - peak) / limit, 1e-9) << line;
}

TEST(GridGrowth, TheFeedBindsBeforeTheUpgradeAndNotAfter) {
  const run::RunResult r = run_text(feed_text());
  ASSERT_TRUE(r.ok());
  // January (hour 100): capped at the 20 kW feed; February (hour 800): the full 27.6 kW.
  EXPECT_NEAR(r.model.hours[100].it_power_kw, 20.0, 1e-5);
  EXPECT_DOUBLE_EQ(r.model.hours[100].power_capped_gpus, 24.0);
  EXPECT_DOUBLE_EQ(r.model.hours[800].it_power_kw, 27.6);
  EXPECT_DOUBLE_EQ(r.model.hours[800].power_capped_gpus, 0.0);
  // capacity.csv's site_feed rows by hand: peak 27.6 kW each month against 20, then 35 kW.
  const reports::ResultsFiles files = reports::render_results(r, "");
  const std::vector<std::string> feed = lines_with(files.capacity_csv, ",site_feed,");
  ASSERT_EQ(feed.size(), 3u);
  expect_row(feed[0], "2026-01", 27.6, 20.0);
  expect_row(feed[1], "2026-02", 27.6, 35.0);
  expect_row(feed[2], "2026-03", 27.6, 35.0);
  EXPECT_NE(files.summary_json.find("\"envelope\": \"site_feed\", \"site\": \"s\", \"hall\": \"\", \"unit\": \"kW\", "
                                    "\"limit\": 20, \"peak_demand\": 27.6, \"first_month_short\": \"2026-01\""),
            std::string::npos)
      << files.summary_json;
  // The facility work: paid at delivery (the online date without a build lead time), decided
  // 20 d before it.
  ASSERT_EQ(r.pnl.size(), 3u);
  EXPECT_EQ(r.pnl[1].capex_cents, 3'000'000'00);
  EXPECT_NE(files.summary_json.find("\"decide\": \"2026-01-12\""), std::string::npos) << files.summary_json;
  // The resolved scenario keeps the site-level expansion and loads again.
  const std::string resolved = scenario::to_resolved_yaml(r.scenario);
  EXPECT_NE(resolved.find("    utility_feed: 15 kW\n"), std::string::npos) << resolved;
  EXPECT_TRUE(scenario::load_scenario_text(resolved, "resolved.yaml").ok());
}

TEST(GridGrowth, WithoutTheUpgradeEveryMonthIsShort) {
  std::string text = feed_text();
  text = text.substr(0, text.find("expansions:"));
  const run::RunResult r = run_text(text);
  ASSERT_TRUE(r.ok());
  const reports::ResultsFiles files = reports::render_results(r, "");
  const std::vector<std::string> feed = lines_with(files.capacity_csv, ",site_feed,");
  ASSERT_EQ(feed.size(), 3u);
  expect_row(feed[2], "2026-03", 27.6, 20.0);
}

TEST(GridGrowth, AFeedUpgradeNeedsACapexAndASiteWithAFeed) {
  const scenario::LoadResult no_capex = scenario::load_scenario_text(feed_text(""), "g.yaml");
  ASSERT_FALSE(no_capex.ok());
  const std::string m1 = scenario::format_diagnostic(no_capex.diagnostics[0]);
  EXPECT_NE(m1.find("g.yaml:23:19: error[S125]: expansion 'substation' raises the utility feed but gives no capex"),
            std::string::npos)
      << m1;
  std::string text = feed_text();
  text.replace(text.find("    utility_feed: 20 kW\n"), 24, "");
  const scenario::LoadResult no_feed = scenario::load_scenario_text(text, "g.yaml");
  ASSERT_FALSE(no_feed.ok());
  const std::string m2 = scenario::format_diagnostic(no_feed.diagnostics[0]);
  EXPECT_NE(m2.find("adds utility_feed to site 's', which has no limit"), std::string::npos) << m2;
  // Racks need a hall.
  const scenario::LoadResult racks = scenario::load_scenario_text(
      feed_text("    capex: 1 USD\n    racks: [{count: 1, server: box}]\n"), "g.yaml");
  ASSERT_FALSE(racks.ok());
  EXPECT_NE(scenario::format_diagnostic(racks.diagnostics[0]).find("names no hall"), std::string::npos);
}

// One hall with an N+1 UPS of 3 units (40 kW installed: 26.67 kW usable) under UPS failures.
TEST(UpsFailuresRun, SummaryAndTimeseriesReportTheFailedUnits) {
  std::string text = feed_text();
  text = text.substr(0, text.find("expansions:"));
  text.replace(text.find("    utility_feed: 20 kW\n"), 24, "");
  text.replace(text.find("      - name: h\n"), 16,
               "      - name: h\n        power_capacity: 40 kW\n        ups_redundancy: N+1\n        ups_units: 3\n");
  text += R"(failures:
  - name: ups-module
    per: ups
    time_between: {exponential: {mean: 200 h}}
    repair: {exponential: {mean: 48 h}}
)";
  const run::RunResult r = run_text(text);
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r.model.ups_failures, 0u);
  EXPECT_GT(r.model.hall_hours_ups_reduced, 0.0);
  EXPECT_LE(r.model.hall_hours_ups_reduced, r.model.ups_unit_down_hours);
  EXPECT_NE(scenario::to_resolved_yaml(r.scenario).find("    per: ups\n"), std::string::npos);
  const reports::ResultsFiles files = reports::render_results(r, "");
  EXPECT_NE(files.summary_json.find("\"facility_failures\": {\"ups_failures\": " + std::to_string(r.model.ups_failures)),
            std::string::npos)
      << files.summary_json;
  // The hall's limit column holds each hour's usable UPS capacity: 40 x 2/3 kW with at most one
  // unit out, 40 x 1/3 with two.
  std::istringstream ts(files.timeseries_csv);
  std::string header;
  std::getline(ts, header);
  ASSERT_NE(header.find("s/h:power_capacity_kw"), std::string::npos);
  const double one_out = 40.0 * 2 / 3, two_out = 40.0 / 3;
  int lowered = 0;
  for (const model::IntervalRow& row : r.model.hours) {
    ASSERT_EQ(row.hall_ups_limit_kw.size(), 1u);
    const double limit = row.hall_ups_limit_kw[0];
    EXPECT_LE(limit, one_out + 1e-5);
    // Hours at one limit throughout draw at most that limit.
    if (std::abs(limit - one_out) < 1e-5 || std::abs(limit - two_out) < 1e-5) {
      EXPECT_LE(row.hall_it_power_kw[0], limit + 1e-5);
    }
    lowered += std::abs(limit - two_out) < 1e-5;
  }
  EXPECT_GT(lowered, 0);
}

}  // namespace
}  // namespace dcsim
