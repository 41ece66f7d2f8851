// Hall key `hot_spares`: it loads (default 0), prints back in the resolved view only when set,
// and a bad value or more spares than a server type has in the hall is reported at the value;
// the map form per server type likewise, and an unknown type is answered with the nearest.
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

// The map form: spares per named server type; the others keep none.
TEST(HotSparesKeys, MapFormGivesEachServerTypeItsOwnNumberAndPrintsBack) {
  const LoadResult r = load_scenario_text(scenario_with("        hot_spares: {dgx-h100: 2}\n"), "t.yaml");
  ASSERT_TRUE(r.ok()) << format_diagnostic(r.diagnostics[0]);
  const HallSpec& hall = r.scenario->sites[0].halls[0];
  EXPECT_EQ(hall.hot_spares, 0);
  ASSERT_EQ(hall.hot_spares_by_type.size(), 1u);
  EXPECT_EQ(hall.hot_spares_by_type[0].first, "dgx-h100");
  EXPECT_EQ(hall.hot_spares_by_type[0].second, 2);
  const std::string resolved = to_resolved_yaml(*r.scenario);
  EXPECT_NE(resolved.find("        hot_spares: {dgx-h100: 2}\n"), std::string::npos) << resolved;
  const LoadResult back = load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(back.ok()) << format_diagnostic(back.diagnostics[0]);
  EXPECT_EQ(to_resolved_yaml(*back.scenario), resolved);
  // --set reaches one type's number in the map.
  const LoadResult set = load_scenario_text(scenario_with("        hot_spares: {dgx-h100: 2}\n"), "t.yaml", ".",
                                            {Override{"sites.s.halls.h.hot_spares.dgx-h100", "5"}});
  ASSERT_TRUE(set.ok()) << format_diagnostic(set.diagnostics[0]);
  EXPECT_EQ(set.scenario->sites[0].halls[0].hot_spares_by_type[0].second, 5);
}

TEST(HotSparesKeys, MapFormNamesAServerTypeOfTheHallWithRoomToRunJobs) {
  // A type the hall does not have: S200 at the name, with the nearest type of the hall.
  const LoadResult typo = load_scenario_text(scenario_with("        hot_spares: {dgx-h10: 1}\n"), "t.yaml");
  ASSERT_FALSE(typo.ok());
  std::string msg = format_diagnostic(typo.diagnostics[0]);
  EXPECT_NE(msg.find("t.yaml:8:22: error[S200]: hot_spares names server type 'dgx-h10', but hall 'h' has no racks of "
                     "it at the start"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("did you mean 'dgx-h100'?"), std::string::npos) << msg;
  // All 8 dgx-h100 as spares leave none to run jobs: S112 at the number.
  const LoadResult all = load_scenario_text(scenario_with("        hot_spares: {dgx-h100: 8}\n"), "t.yaml");
  ASSERT_FALSE(all.ok());
  msg = format_diagnostic(all.diagnostics[0]);
  EXPECT_NE(msg.find("t.yaml:8:32: error[S112]: hot_spares 8 of type 'dgx-h100' in hall 'h' leaves no server of that "
                     "type to run jobs: it has 8 servers"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("use at most 7"), std::string::npos) << msg;
  // A bad number, and a name written twice.
  const LoadResult bad = load_scenario_text(scenario_with("        hot_spares: {dgx-h100: two}\n"), "t.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(format_diagnostic(bad.diagnostics[0]).find("t.yaml:8:32: error[S102]"), std::string::npos)
      << format_diagnostic(bad.diagnostics[0]);
  const LoadResult twice = load_scenario_text(scenario_with("        hot_spares: {dgx-h100: 1, dgx-h100: 2}\n"), "t.yaml");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(format_diagnostic(twice.diagnostics[0]).find("error[S117]: duplicate key 'dgx-h100' in hot_spares"),
            std::string::npos)
      << format_diagnostic(twice.diagnostics[0]);
}

}  // namespace
}  // namespace dcsim::scenario
