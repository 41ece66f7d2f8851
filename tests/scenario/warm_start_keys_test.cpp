// Keys of the warm start: a workload's initial: (listed running and queued jobs, steady_state,
// lookback) and a rack group's or hall's installed: / age_months:. They load, print back the
// same in the resolved view, and bad input is reported at the value with its code.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "sim/scenario/loader.h"

namespace dcsim::scenario {
namespace {

std::string scenario_with(const std::string& hall_extra, const std::string& rack_extra, const std::string& workload_extra,
                          const std::string& tail = "") {
  return "name: t\nstart: 2027-03-31\nhorizon: 1 d\nsites:\n  - name: s\n    halls:\n      - name: h\n" + hall_extra +
         "        racks: [{count: 4, server: dgx-h100" + rack_extra + "}]\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n" +
         workload_extra + tail;
}

const std::string kInitial =
    "    initial:\n"
    "      running: [{gpus: 8, elapsed: 10 h, remaining: 30 h, waited: 1 h, time_limit: 48 h}]\n"
    "      queued:\n"
    "        - {gpus: 16, waited: 2 h, duration: 12 h}\n"
    "        - {gpus: 4, duration: 90 min}\n";

TEST(WarmStartKeys, InitialJobsLoadWithDefaults) {
  const LoadResult r = load_scenario_text(scenario_with("", "", kInitial), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  ASSERT_TRUE(r.scenario->workloads[0].initial.has_value());
  const InitialSpec& in = *r.scenario->workloads[0].initial;
  EXPECT_FALSE(in.steady_state);
  ASSERT_EQ(in.jobs.size(), 3u);
  EXPECT_TRUE(in.jobs[0].running);
  EXPECT_EQ(in.jobs[0].gpus, 8);
  EXPECT_DOUBLE_EQ(in.jobs[0].elapsed_s, 36'000.0);
  EXPECT_DOUBLE_EQ(in.jobs[0].remaining_s, 108'000.0);
  EXPECT_DOUBLE_EQ(in.jobs[0].waited_s, 3'600.0);
  EXPECT_DOUBLE_EQ(*in.jobs[0].time_limit_s, 172'800.0);
  EXPECT_FALSE(in.jobs[1].running);
  EXPECT_DOUBLE_EQ(in.jobs[1].remaining_s, 43'200.0);
  EXPECT_DOUBLE_EQ(in.jobs[2].waited_s, 0.0);
  EXPECT_FALSE(in.jobs[2].time_limit_s.has_value());
  EXPECT_FALSE(load_scenario_text(scenario_with("", "", ""), "t.yaml").scenario->workloads[0].initial.has_value());
}

TEST(WarmStartKeys, AgeInMonthsIsTheSameDayThatManyMonthsBeforeTheStart) {
  // 2027-03-31 less 1 month: 2027-02-31 does not exist, so 2027-02-28; less 24: 2025-03-31.
  const LoadResult one = load_scenario_text(scenario_with("", ", age_months: 1", ""), "t.yaml");
  ASSERT_TRUE(one.ok()) << format_diagnostic(one.diagnostics[0]);
  EXPECT_EQ(*one.scenario->sites[0].halls[0].racks[0].installed_unix_s, 1803772800);  // 2027-02-28
  const LoadResult two = load_scenario_text(scenario_with("        age_months: 24\n", "", ""), "t.yaml");
  ASSERT_TRUE(two.ok()) << format_diagnostic(two.diagnostics[0]);
  EXPECT_EQ(*two.scenario->sites[0].halls[0].racks[0].installed_unix_s, 1743379200);  // 2025-03-31
  const LoadResult dated = load_scenario_text(scenario_with("", ", installed: 2024-06-01", ""), "t.yaml");
  ASSERT_TRUE(dated.ok()) << format_diagnostic(dated.diagnostics[0]);
  EXPECT_EQ(*dated.scenario->sites[0].halls[0].racks[0].installed_unix_s, 1717200000);  // 2024-06-01
}

TEST(WarmStartKeys, ResolvedViewPrintsThemAndLoadsBackTheSame) {
  for (const std::string& text :
       {scenario_with("        age_months: 24\n", "", kInitial),
        scenario_with("", ", installed: 2024-06-01", "    initial: {steady_state: yes, lookback: 30 d}\n")}) {
    const LoadResult r = load_scenario_text(text, "t.yaml");
    ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
    const std::string resolved = to_resolved_yaml(*r.scenario);
    EXPECT_NE(resolved.find("installed: "), std::string::npos) << resolved;
    EXPECT_NE(resolved.find("    initial:\n"), std::string::npos) << resolved;
    const LoadResult back = load_scenario_text(resolved, "resolved.yaml");
    ASSERT_TRUE(back.ok()) << format_diagnostic(back.diagnostics[0]) << resolved;
    EXPECT_EQ(to_resolved_yaml(*back.scenario), resolved);
  }
}

TEST(WarmStartKeys, BadDatesAgesAndJobsAreReportedAtTheValue) {
  for (const auto& [hall, rack, workload, code, what] :
       {std::tuple<std::string, std::string, std::string, std::string, std::string>{
            "", ", installed: 2027-13-01", "", "S115", "invalid date '2027-13-01' for 'installed'"},
        {"", ", installed: 2025-02-29", "", "S115", "invalid date"},
        {"", ", installed: 2027-04-01", "", "S112", "installed '2027-04-01' is after the start"},
        {"        installed: 2028-01-01\n", "", "", "S112", "is after the start"},
        {"", ", age_months: -3", "", "S112", "age_months"},
        {"", ", age_months: 1.5", "", "S102", "expected a whole number for 'age_months'"},
        {"", ", installed: 2025-01-01, age_months: 3", "", "S112", "not both"},
        {"", "", "    initial: {running: [{gpus: 8, elapsed: 10 h, remaining: 1 h, time_limit: 10 h}]}\n", "S112",
         "must be more than its elapsed time"},
        {"", "", "    initial: {running: [{gpus: 8, elapsed: 10 h}]}\n", "S101", "missing required key 'remaining'"},
        {"", "", "    initial: {running: [{gpus: 8, remainig: 1 h}]}\n", "S104", "unknown key 'remainig'"},
        {"", "", "    initial: {queued: [{gpus: 0, duration: 1 h}]}\n", "S112", "gpus"},
        {"", "", "    initial: {queued: [{gpus: 2, duration: 0 h}]}\n", "S112", "duration"},
        {"", "", "    initial: {steady_state: maybe}\n", "S116", "steady_state"},
        {"", "", "    initial: {lookback: 3 d}\n", "S112", "'lookback' needs 'steady_state: yes'"}}) {
    const LoadResult r = load_scenario_text(scenario_with(hall, rack, workload), "t.yaml");
    ASSERT_FALSE(r.ok()) << hall << rack << workload;
    // The expected diagnostic among those reported (a typo also misses a required key).
    std::string all;
    bool found = false;
    for (const Diagnostic& d : r.diagnostics) {
      const std::string msg = format_diagnostic(d);
      all += msg + "\n";
      found = found || (d.code == code && msg.find(what) != std::string::npos && msg.find("t.yaml:") != std::string::npos);
    }
    EXPECT_TRUE(found) << code << " " << what << " in:\n" << all;
  }
}

TEST(WarmStartKeys, MisusedOnInferenceTracesAndExpansions) {
  const std::string base = "name: t\nstart: 2027-01-01\nhorizon: 10 d\nsites:\n  - name: s\n    halls:\n      - name: h\n"
                           "        racks: [{count: 4, server: dgx-h100}]\n";
  const LoadResult inference = load_scenario_text(
      base + "workloads:\n  - name: api\n    kind: inference\n    service: {throughput: 20 /s, base_rate: 10 /s}\n"
             "    initial: {steady_state: yes}\n",
      "t.yaml");
  ASSERT_FALSE(inference.ok());
  EXPECT_EQ(inference.diagnostics[0].code, "S104");
  EXPECT_NE(format_diagnostic(inference.diagnostics[0]).find("takes no 'initial'"), std::string::npos);

  const LoadResult trace = load_scenario_text(
      base + "workloads:\n  - name: w\n    arrivals: {process: trace, file: jobs.csv, format: csv}\n"
             "    initial: {steady_state: yes}\n",
      "t.yaml");
  ASSERT_FALSE(trace.ok());
  EXPECT_EQ(trace.diagnostics[0].code, "S112");
  EXPECT_NE(format_diagnostic(trace.diagnostics[0]).find("needs Poisson arrivals"), std::string::npos);

  const LoadResult expansion = load_scenario_text(
      base + "workloads:\n  - {name: w, arrivals: {rate: 1 /day}, gpus: 8, duration: 1 h}\n"
             "expansions:\n  - {name: x, site: s, hall: h, online: 2027-01-05, racks: [{count: 1, server: dgx-h100, age_months: 3}]}\n",
      "t.yaml");
  ASSERT_FALSE(expansion.ok());
  EXPECT_EQ(expansion.diagnostics[0].code, "S104");
  EXPECT_NE(format_diagnostic(expansion.diagnostics[0]).find("take no 'age_months'"), std::string::npos);
}

}  // namespace
}  // namespace dcsim::scenario
