// Site key `backup_generation`: it loads, prints back the same in the resolved view, and a
// value that is not a positive power is reported at the value.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.h"

namespace dcsim::scenario {
namespace {

std::string scenario_with(const std::string& site_extra) {
  return "name: t\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n" + site_extra +
         "    halls:\n      - name: h\n        racks: [{count: 4, server: dgx-h100}]\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n";
}

TEST(BackupGenerationKeys, LoadsAsPowerAndDefaultsToNone) {
  const LoadResult none = load_scenario_text(scenario_with(""), "t.yaml");
  ASSERT_TRUE(none.ok()) << format_diagnostic(none.diagnostics[0]);
  EXPECT_FALSE(none.scenario->sites[0].backup_generation_w.has_value());
  const LoadResult r = load_scenario_text(scenario_with("    backup_generation: 2.5 MW\n"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  ASSERT_TRUE(r.scenario->sites[0].backup_generation_w.has_value());
  EXPECT_DOUBLE_EQ(*r.scenario->sites[0].backup_generation_w, 2.5e6);
}

TEST(BackupGenerationKeys, ResolvedViewPrintsItAndLoadsBackTheSame) {
  const LoadResult r = load_scenario_text(scenario_with("    backup_generation: 750 kW\n"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const std::string resolved = to_resolved_yaml(*r.scenario);
  EXPECT_NE(resolved.find("    backup_generation: "), std::string::npos) << resolved;
  EXPECT_EQ(to_resolved_yaml(*load_scenario_text(scenario_with(""), "t.yaml").scenario).find("backup_generation"),
            std::string::npos);
  const LoadResult back = load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(back.ok()) << format_diagnostic(back.diagnostics[0]);
  EXPECT_EQ(to_resolved_yaml(*back.scenario), resolved);
  EXPECT_DOUBLE_EQ(*back.scenario->sites[0].backup_generation_w, 750e3);
}

TEST(BackupGenerationKeys, BadValuesAreReportedAtTheValue) {
  for (const std::string value : {"0 MW", "-3 MW", "40", "40 GB"}) {
    const LoadResult r = load_scenario_text(scenario_with("    backup_generation: " + value + "\n"), "t.yaml");
    ASSERT_FALSE(r.ok()) << value;
    const std::string msg = format_diagnostic(r.diagnostics[0]);
    EXPECT_NE(msg.find("t.yaml:6:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("backup_generation"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace dcsim::scenario
