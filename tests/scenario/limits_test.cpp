// Hostile input the loader refuses quickly and clearly: alias bombs, deep nesting, numbers that
// are not finite or out of range, dates before 1970, time spans over 1000 years; and `limits:`.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "sim/scenario/loader.h"
#include "sim/scenario/units.h"

namespace dcsim::scenario {
namespace {

const std::string kValid = R"(name: t
start: 2026-01-01
horizon: 10 d
sites:
  - name: s
    pue: 1.2
    electricity: {price: 0.1 USD/kWh}
    halls:
      - name: h
        racks:
          - {count: 2, server: dgx-h100, servers_per_rack: 4}
workloads:
  - name: w
    kind: training
    arrivals: {process: poisson, rate: 10 /day}
    gpus: 8
    duration: 2 h
)";

std::string first_code(const LoadResult& r) { return r.diagnostics.empty() ? "" : r.diagnostics.front().code; }

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST(HostileInput, BillionLaughsIsRefusedQuickly) {
  std::string bomb = kValid + "description: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a0";
  for (int i = 1; i <= 9; ++i) {
    const std::string name = "a" + std::to_string(i);
    bomb += "k" + std::to_string(i) + ": &" + name + " [";
    for (int j = 0; j < 10; ++j) bomb += (j ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = name;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const LoadResult r = load_scenario_text(bomb, "bomb.yaml");
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(first_code(r), "S207");
  EXPECT_LT(seconds, 60.0);  // bounded work even under sanitizers; 10^10 values otherwise
}

TEST(HostileInput, SelfReferentialAliasIsRefused) {
  EXPECT_EQ(first_code(load_scenario_text(kValid + "description: &a [*a]\n", "cycle.yaml")), "S206");
  EXPECT_EQ(first_code(load_scenario_text(kValid + "description: &m {k: *m}\n", "cycle.yaml")), "S206");
}

TEST(HostileInput, DeepNestingIsRefused) {
  const std::string deep = "description: " + std::string(100, '[') + std::string(100, ']') + "\n";
  EXPECT_EQ(first_code(load_scenario_text(kValid + deep, "deep.yaml")), "S206");
  const std::string ok = "description: " + std::string(10, '[') + std::string(10, ']') + "\n";
  EXPECT_EQ(first_code(load_scenario_text(kValid + ok, "ok.yaml")), "S102");  // only the type is wrong
}

TEST(HostileInput, VeryDeepNestingIsAYamlErrorNotACrash) {
  const std::string deep = "description: " + std::string(100000, '[') + "\n";
  EXPECT_EQ(first_code(load_scenario_text(kValid + deep, "deep.yaml")), "S100");
}

TEST(HostileInput, NonFiniteAndHugeNumbersAreOutOfRange) {
  for (const char* v : {"nan W", "inf W", "-inf W", ".nan W", "Infinity kW", "1e400 kW", "1e306 MW"}) {
    const LoadResult r = load_scenario_text(
        replaced(kValid, "servers_per_rack: 4}", std::string("servers_per_rack: 4, power_limit: ") + v + "}"), "t.yaml");
    EXPECT_EQ(first_code(r), "S112") << v;
  }
  EXPECT_EQ(first_code(load_scenario_text(replaced(kValid, "pue: 1.2", "pue: .nan"), "t.yaml")), "S112");
  EXPECT_EQ(first_code(load_scenario_text(replaced(kValid, "pue: 1.2", "pue: 1e400"), "t.yaml")), "S112");
  EXPECT_EQ(first_code(load_scenario_text(replaced(kValid, "count: 2,", "count: nan,"), "t.yaml")), "S112");
  EXPECT_EQ(first_code(load_scenario_text(replaced(kValid, "count: 2,", "count: 1e400,"), "t.yaml")), "S112");
  EXPECT_EQ(first_code(load_scenario_text(replaced(kValid, "rate: 10 /day", "rate: inf /day"), "t.yaml")), "S112");
}

TEST(HostileInput, TinyNumbersUnderflowToZero) {
  double v = 1.0;
  EXPECT_EQ(units::scan_number("1e-400", v), 6u);
  EXPECT_EQ(v, 0.0);
  EXPECT_FALSE(units::parse_number("1e400").has_value());
}

TEST(HostileInput, DatesBefore1970AndLongSpansAreRefused) {
  EXPECT_EQ(first_code(load_scenario_text(replaced(kValid, "2026-01-01", "1969-12-31"), "t.yaml")), "S115");
  EXPECT_EQ(first_code(load_scenario_text(replaced(kValid, "2026-01-01", "10000-01-01"), "t.yaml")), "S115");
  EXPECT_EQ(first_code(load_scenario_text(replaced(kValid, "horizon: 10 d", "horizon: 1001 y"), "t.yaml")), "S112");
  EXPECT_EQ(first_code(load_scenario_text(replaced(kValid, "duration: 2 h", "duration: 1e300 h"), "t.yaml")), "S112");
  EXPECT_TRUE(load_scenario_text(replaced(kValid, "horizon: 10 d", "horizon: 1000 y"), "t.yaml").ok());
}

TEST(Limits, AreReadAndResolvedOnlyWhenSet) {
  const LoadResult plain = load_scenario_text(kValid, "t.yaml");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain.scenario->limits.has_value());
  EXPECT_EQ(to_resolved_yaml(*plain.scenario).find("limits"), std::string::npos);

  const LoadResult set = load_scenario_text(kValid + "limits: {max_gpus: 20000000}\n", "t.yaml");
  ASSERT_TRUE(set.ok());
  ASSERT_TRUE(set.scenario->limits.has_value());
  EXPECT_EQ(set.scenario->limits->gpus(), 20000000u);
  EXPECT_EQ(set.scenario->limits->servers(), LimitsSpec::default_max_servers);
  const std::string resolved = to_resolved_yaml(*set.scenario);
  EXPECT_NE(resolved.find("limits: {max_gpus: 20000000, max_servers: 5000000, max_hours: 1752000}"), std::string::npos);
  const LoadResult again = load_scenario_text(resolved, "resolved.yaml");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(to_resolved_yaml(*again.scenario), resolved);

  EXPECT_EQ(first_code(load_scenario_text(kValid + "limits: {max_gpus: 0}\n", "t.yaml")), "S112");
  EXPECT_EQ(first_code(load_scenario_text(kValid + "limits: {max_gpu: 5}\n", "t.yaml")), "S104");
}

}  // namespace
}  // namespace dcsim::scenario
