// Hall key `hot_spares`: it loads (default 0), prints back in the resolved view only when set,
// and a bad value or more spares than a server type has in the hall is reported at the value.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.h"

namespace dcsim::scenario {
namespace {

// A hall of 4 x 2 dgx-h100 and one rack of 3 inline 4-GPU servers.
std::string scenario_with(const std::string& hall_extra) {
  return "name: t\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n    halls:\n      - name: h\n" + hall_extra +
         "        racks:\n"
         "          - {count: 4, server: dgx-h100, servers_per_rack: 2}\n"
         "          - {count: 1, servers_per_rack: 3, server: {gpu: h100-sxm, gpus: 4}}\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n";
}

TEST(HotSparesKeys, LoadsAndDefaultsToNone) {
  const LoadResult none = load_scenario_text(scenario_with(""), "t.yaml");
  ASSERT_TRUE(none.ok()) << format_diagnostic(none.diagnostics[0]);
  EXPECT_EQ(none.scenario->sites[0].halls[0].hot_spares, 0);
  const LoadResult r = load_scenario_text(scenario_with("        hot_spares: 2\n"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  EXPECT_EQ(r.scenario->sites[0].halls[0].hot_spares, 2);
}

TEST(HotSparesKeys, ResolvedViewPrintsItOnlyWhenSetAndLoadsBackTheSame) {
  const LoadResult r = load_scenario_text(scenario_with("        hot_spares: 1\n"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const std::string resolved = to_resolved_yaml(*r.scenario);
  EXPECT_NE(resolved.find("        hot_spares: 1\n"), std::string::npos) << resolved;
  EXPECT_EQ(to_resolved_yaml(*load_scenario_text(scenario_with(""), "t.yaml").scenario).find("hot_spares"),
            std::string::npos);
  const LoadResult back = load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(back.ok()) << format_diagnostic(back.diagnostics[0]);
  EXPECT_EQ(to_resolved_yaml(*back.scenario), resolved);
  EXPECT_EQ(back.scenario->sites[0].halls[0].hot_spares, 1);
}

TEST(HotSparesKeys, BadValuesAreReportedAtTheValue) {
  for (const std::string value : {"-1", "1.5", "two", "2 servers"}) {
    const LoadResult r = load_scenario_text(scenario_with("        hot_spares: " + value + "\n"), "t.yaml");
    ASSERT_FALSE(r.ok()) << value;
    const std::string msg = format_diagnostic(r.diagnostics[0]);
    EXPECT_NE(msg.find("t.yaml:8:21:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("hot_spares"), std::string::npos) << msg;
  }
}

TEST(HotSparesKeys, MoreSparesThanAServerTypeHasIsAnError) {
  // 8 dgx-h100 but only 3 inline servers: 3 spares leave the inline servers none to run jobs.
  const LoadResult r = load_scenario_text(scenario_with("        hot_spares: 3\n"), "t.yaml");
  ASSERT_FALSE(r.ok());
  const std::string msg = format_diagnostic(r.diagnostics[0]);
  EXPECT_NE(msg.find("t.yaml:8:21: error[S112]: hot_spares 3 of hall 'h' leaves no server of inline server of rack "
                     "group 2 to run jobs: it has 3 servers"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("use at most 2"), std::string::npos) << msg;
  const LoadResult dgx = load_scenario_text(
      "name: t\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n    halls:\n      - name: h\n"
      "        hot_spares: 9\n        racks: [{count: 4, server: dgx-h100, servers_per_rack: 2}]\n"
      "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 1 /day}\n    gpus: 8\n    duration: 1 h\n",
      "t.yaml");
  ASSERT_FALSE(dgx.ok());
  EXPECT_NE(format_diagnostic(dgx.diagnostics[0]).find("no server of type 'dgx-h100' to run jobs: it has 8 servers"),
            std::string::npos)
      << format_diagnostic(dgx.diagnostics[0]);
  // A typo is answered with the key.
  const LoadResult typo = load_scenario_text(scenario_with("        hot_spare: 1\n"), "t.yaml");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(format_diagnostic(typo.diagnostics[0]).find("did you mean 'hot_spares'?"), std::string::npos)
      << format_diagnostic(typo.diagnostics[0]);
}

}  // namespace
}  // namespace dcsim::scenario
