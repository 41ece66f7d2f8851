// Many runs: replication seeds, KPI statistics against hand-computed values, Welch's test,
// --vary parsing, grids and Latin hypercubes; and the file trees of replicated runs.
#include "sim/run/replications.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "reports/many_runs.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"

namespace {

using namespace dcsim;

TEST(Replications, ReplicationZeroKeepsTheSeedAndTheOthersDiffer) {
  EXPECT_EQ(run::replication_seed(7, 0), 7u);
  std::set<std::uint64_t> seen;
  for (std::uint32_t i = 0; i < 1000; ++i) seen.insert(run::replication_seed(7, i));
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_NE(run::replication_seed(7, 1), run::replication_seed(8, 1));
  EXPECT_EQ(run::replication_seed(7, 3), run::replication_seed(7, 3));
}

TEST(Replications, StatisticsMatchHandComputedValues) {
  // 1..5: mean 3, sd sqrt(2.5), t(0.975, 4) = 2.7764451051977987.
  const run::KpiStats s = run::kpi_stats({5, 1, 4, 2, 3});
  EXPECT_EQ(s.n, 5u);
  EXPECT_DOUBLE_EQ(s.mean, 3.0);
  EXPECT_NEAR(s.sd, std::sqrt(2.5), 1e-15);
  const double half = 2.7764451051977987 * std::sqrt(2.5) / std::sqrt(5.0);
  EXPECT_NEAR(s.ci95_low, 3.0 - half, 1e-12);
  EXPECT_NEAR(s.ci95_high, 3.0 + half, 1e-12);
  // Nearest rank: ceil(0.1*5) = 1st, ceil(0.5*5) = 3rd, ceil(0.9*5) = 5th.
  EXPECT_EQ(s.p10, 1.0);
  EXPECT_EQ(s.p50, 3.0);
  EXPECT_EQ(s.p90, 5.0);
}

TEST(Replications, NearestRankPercentiles) {
  const std::vector<double> ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(run::nearest_rank(ten, 10), 1.0);
  EXPECT_EQ(run::nearest_rank(ten, 50), 5.0);
  EXPECT_EQ(run::nearest_rank(ten, 90), 9.0);
  EXPECT_EQ(run::nearest_rank(ten, 91), 10.0);
  EXPECT_EQ(run::nearest_rank(ten, 0), 1.0);
  EXPECT_EQ(run::nearest_rank({42}, 90), 42.0);
}

TEST(Replications, OneValueHasNoInterval) {
  const run::KpiStats s = run::kpi_stats({2.5});
  EXPECT_EQ(s.mean, 2.5);
  EXPECT_EQ(s.sd, 0.0);
  EXPECT_TRUE(std::isnan(s.ci95_low));
  EXPECT_EQ(s.p90, 2.5);
}

TEST(Replications, StudentTAgainstClosedFormsAndTables) {
  // df = 1 is Cauchy; df = 2 has F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
  for (double t : {-3.0, -0.5, 0.0, 0.7, 2.0, 10.0}) {
    EXPECT_NEAR(run::student_t_cdf(t, 1), 0.5 + std::atan(t) / M_PI, 1e-13) << t;
    EXPECT_NEAR(run::student_t_cdf(t, 2), 0.5 + t / (2 * std::sqrt(2 + t * t)), 1e-13) << t;
  }
  EXPECT_NEAR(run::student_t_quantile(0.975, 1), 12.706204736174698, 1e-8);
  EXPECT_NEAR(run::student_t_quantile(0.975, 4), 2.7764451051977987, 1e-9);
  EXPECT_NEAR(run::student_t_quantile(0.975, 9), 2.2621571627409915, 1e-9);
  EXPECT_NEAR(run::student_t_quantile(0.975, 30), 2.0422724563012373, 1e-9);
  EXPECT_NEAR(run::student_t_quantile(0.025, 4), -2.7764451051977987, 1e-9);
}

TEST(Replications, WelchTestByHand) {
  // Equal variances 1 and n = 3 on each side: t = 3 / sqrt(2/3), df = 4.
  const run::WelchTest w = run::welch_t_test({1, 2, 3}, {4, 5, 6});
  ASSERT_TRUE(w.valid);
  EXPECT_NEAR(w.t, 3.0 / std::sqrt(2.0 / 3.0), 1e-12);
  EXPECT_NEAR(w.df, 4.0, 1e-12);
  // df = 4: F(t) = 1/2 + x (3 - x^2) / 4 with x = t / sqrt(t^2 + 4).
  const double x = w.t / std::sqrt(w.t * w.t + 4.0);
  const double cdf = 0.5 + x * (3.0 - x * x) / 4.0;
  EXPECT_NEAR(w.p_value, 2 * (1 - cdf), 1e-12);
  EXPECT_LT(w.p_value, 0.05);
  // Unequal variances: df from the Welch-Satterthwaite formula.
  const run::WelchTest u = run::welch_t_test({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10});
  EXPECT_NEAR(u.t, 3.0 / std::sqrt(2.5), 1e-12);
  EXPECT_NEAR(u.df, 6.25 / 1.0625, 1e-12);
  EXPECT_GT(u.p_value, 0.05);
  EXPECT_FALSE(run::welch_t_test({1}, {2, 3}).valid);
  EXPECT_EQ(run::welch_t_test({1, 1}, {1, 1}).p_value, 1.0);
  EXPECT_EQ(run::welch_t_test({1, 1}, {2, 2}).p_value, 0.0);
}

TEST(Replications, ParsesVaryArguments) {
  const run::VaryParse p = run::parse_vary("scheduler.policy=fifo, easy-backfill");
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.input.path, "scheduler.policy");
  EXPECT_EQ(p.input.values, (std::vector<std::string>{"fifo", "easy-backfill"}));
  const run::VaryParse braces = run::parse_vary("workloads.research.gpus={discrete: {8: 0.5, 16: 0.5}},8");
  ASSERT_TRUE(braces.ok());
  EXPECT_EQ(braces.input.values, (std::vector<std::string>{"{discrete: {8: 0.5, 16: 0.5}}", "8"}));
  EXPECT_FALSE(run::parse_vary("scheduler.policy").ok());
  EXPECT_FALSE(run::parse_vary("=a,b").ok());
  EXPECT_FALSE(run::parse_vary("a=x,,y").ok());
  EXPECT_FALSE(run::parse_vary("a={x,y").ok());
}

TEST(Replications, ParsesRanges) {
  const run::RangeParse r = run::parse_vary_range("workloads.research.arrivals.rate=20/day..40/day");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.range.low, 20);
  EXPECT_EQ(r.range.high, 40);
  EXPECT_EQ(r.range.unit, "/day");
  EXPECT_EQ(run::parse_vary_range("sites.a.pue=1.2..1.5").range.unit, "");
  EXPECT_FALSE(run::parse_vary_range("x=2..1").ok());
  EXPECT_FALSE(run::parse_vary_range("x=1 kW..2 MW").ok());
  EXPECT_FALSE(run::parse_vary_range("x=a..b").ok());
}

TEST(Replications, FullGridHasTheFirstInputSlowest) {
  const auto g = run::full_grid({{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}});
  ASSERT_EQ(g.size(), 6u);
  EXPECT_EQ(g[0], (run::VariantValues{"1", "x"}));
  EXPECT_EQ(g[2], (run::VariantValues{"1", "z"}));
  EXPECT_EQ(g[3], (run::VariantValues{"2", "x"}));
}

TEST(Replications, LatinHypercubeUsesEveryStratumOnce) {
  const std::vector<run::VaryRange> ranges = {{"a", 0, 10, ""}, {"b", 100, 200, ""}};
  const auto pts = run::latin_hypercube(ranges, 8, 42);
  ASSERT_EQ(pts.size(), 8u);
  for (std::size_t d = 0; d < 2; ++d) {
    std::set<int> strata;
    for (const auto& p : pts) {
      const double u = (p[d] - ranges[d].low) / (ranges[d].high - ranges[d].low);
      strata.insert(static_cast<int>(u * 8));
    }
    EXPECT_EQ(strata.size(), 8u);
  }
  EXPECT_EQ(pts, run::latin_hypercube(ranges, 8, 42));
}

TEST(ManyRunsFiles, ResultsTreeHoldsWhatWriteResultsFolderWrites) {
  scenario::LoadResult loaded =
      scenario::load_scenario_file(std::string(DCSIM_SOURCE_DIR) + "/scenarios/default.yaml", {{"horizon", "3d"}});
  ASSERT_TRUE(loaded.ok());
  run::RunRequest request;
  request.scenario = std::move(*loaded.scenario);
  request.record_jobs = true;
  const run::RunResult result = run::run(std::move(request));
  ASSERT_TRUE(result.ok());
  const reports::ResultsFiles files = reports::render_results(result, scenario::to_resolved_yaml(result.scenario));
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("dcsim-results-tree-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(reports::write_results_folder(files, dir, false).ok);
  std::set<std::string> written;
  for (const auto& e : std::filesystem::directory_iterator(dir)) written.insert(e.path().filename().string());
  const reports::FileTree tree = reports::results_tree(files);
  std::set<std::string> listed;
  for (const auto& [path, text] : tree.files) {
    listed.insert(path);
    std::ifstream f(dir / path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    EXPECT_EQ(s.str(), text) << path;
  }
  EXPECT_EQ(listed, written);
  std::filesystem::remove_all(dir);
}

TEST(ManyRunsFiles, TreesSurviveSerialization) {
  reports::FileTree t;
  t.add("summary.json", "{}\n");
  t.add("a/b.csv", std::string("x\0y", 3));
  const auto back = reports::deserialize_tree(reports::serialize_tree(t));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->files, t.files);
  EXPECT_FALSE(reports::deserialize_tree("garbage"));
  EXPECT_FALSE(reports::deserialize_tree(reports::serialize_tree(t).substr(0, 20)));
}

TEST(ManyRunsFiles, ReplicatedSummaryHoldsStatisticsOfEachKpi) {
  std::vector<reports::FileTree> reps;
  for (int i = 0; i < 3; ++i) {
    reports::FileTree t;
    t.add("summary.json", "{\n  \"scenario\": \"s\",\n  \"seed\": " + std::to_string(10 + i) +
                              ",\n  \"total_cost_usd\": " + std::to_string(100 + 10 * i) +
                              ",\n  \"wall_seconds\": 0.5,\n  \"envelopes\": [{\"limit\": 3}]\n}\n");
    t.add("timeseries.csv", "time,gpus_total,gpus_busy,utilization,it_power_kw,facility_power_kw,queue_length\n"
                            "T0,8,4," + std::to_string(0.25 * (i + 1)) + ",10,13,0\n");
    reps.push_back(t);
  }
  const reports::FileTree tree = reports::replicated_tree(reps);
  const std::optional<reports::RunKpis> k = reports::kpis_of_tree(tree);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->replications, 3);
  ASSERT_EQ(k->kpis.size(), 1u);  // no seed, no timing, no nested values
  EXPECT_EQ(k->kpis[0].name, "total_cost_usd");
  EXPECT_EQ(k->kpis[0].value, 110);
  EXPECT_EQ(k->kpis[0].samples, (std::vector<double>{100, 110, 120}));
  EXPECT_NEAR(k->kpis[0].stats.ci95_high, 110 + 4.302652729749464 * 10 / std::sqrt(3.0), 1e-9);
  const std::string* summary = tree.find("summary.json");
  ASSERT_TRUE(summary);
  EXPECT_NE(summary->find("\"seeds\": [10, 11, 12]"), std::string::npos);
  const std::string* bands = tree.find("timeseries_bands.csv");
  ASSERT_TRUE(bands);
  EXPECT_NE(bands->find("T0,0.5,0.25,0.5,0.75,10,10,10,10,13,13,13,13,0,0,0,0"), std::string::npos) << *bands;
  EXPECT_TRUE(tree.find("replications/rep-0003/summary.json"));
}

// The services' hourly SLO attainment gets bands too: per service, the mean and P10/P50/P90 of
// its timeseries.csv column across the replications (a quoted service name stays one column;
// an empty cell, an hour the service had no interval, is left out of that hour's figures).
TEST(ManyRunsFiles, BandsCoverEachServicesSloAttainment) {
  std::vector<reports::FileTree> reps;
  const char* chat_t1[] = {"1", "0.5", ""};
  for (int i = 0; i < 3; ++i) {
    reports::FileTree t;
    t.add("summary.json", "{\n  \"scenario\": \"s\",\n  \"seed\": 1\n}\n");
    t.add("timeseries.csv",
          "time,gpus_total,gpus_busy,utilization,it_power_kw,facility_power_kw,queue_length,chat:slo_attainment,"
          "\"a,b:slo_attainment\"\n"
          "T0,8,4,0.5,10,13,0," + std::to_string(0.25 * (i + 1)) + "," + std::to_string(i) + "\n"
          "T1,8,4,0.5,10,13,0," + chat_t1[i] + ",1\n");
    reps.push_back(t);
  }
  const reports::FileTree tree = reports::replicated_tree(reps);
  const std::string* bands = tree.find("timeseries_bands.csv");
  ASSERT_TRUE(bands);
  const std::string header = bands->substr(0, bands->find('\n'));
  EXPECT_NE(header.find(",chat:slo_attainment_mean,chat:slo_attainment_p10,chat:slo_attainment_p50,chat:slo_attainment_p90,"
                        "\"a,b:slo_attainment_mean\""),
            std::string::npos)
      << header;
  // T0: chat 0.25, 0.5, 0.75; "a,b" 0, 1, 2. T1: chat 1, 0.5 (the third empty); "a,b" 1, 1, 1.
  EXPECT_NE(bands->find("T0,0.5,0.5,0.5,0.5,10,10,10,10,13,13,13,13,0,0,0,0,0.5,0.25,0.5,0.75,1,0,1,2\n"), std::string::npos)
      << *bands;
  EXPECT_NE(bands->find("T1,0.5,0.5,0.5,0.5,10,10,10,10,13,13,13,13,0,0,0,0,0.75,0.5,0.5,1,1,1,1,1\n"), std::string::npos)
      << *bands;
}

TEST(ManyRunsFiles, SensitivitySwingIsHighMinusLow) {
  auto kpis = [](double cost) {
    reports::RunKpis r;
    r.kpis.push_back({"total_cost_usd", cost, {}, {cost}});
    return r;
  };
  const std::string csv = reports::render_sensitivity_csv(
      kpis(100), {{"a", "1", "2", kpis(90), kpis(120)}, {"b", "x", "y", kpis(105), kpis(95)}});
  EXPECT_NE(csv.find("a,1,2,total_cost_usd,90,100,120,30\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("b,x,y,total_cost_usd,105,100,95,-10\n"), std::string::npos) << csv;
  EXPECT_LT(csv.find("a,1,2"), csv.find("b,x,y"));  // larger |swing| first
}

}  // namespace
