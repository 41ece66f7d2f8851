// The market projection reproduces the report's figures, segments add up to the market, the
// growth fits recover known curves, and demand follows share x market / price.
#include "sim/finance/market.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/engine/distribution.h"
#include "sim/engine/random.h"

namespace dcsim::finance {
namespace {

const MarketRow& row_of(const std::vector<MarketRow>& rows, int year, const std::string& scenario_case,
                        const std::string& dimension, const std::string& segment) {
  for (const auto& row : rows) {
    if (row.year == year && row.scenario_case == scenario_case && row.dimension == dimension && row.segment == segment) {
      return row;
    }
  }
  throw std::runtime_error("no row " + std::to_string(year) + " " + scenario_case + " " + dimension + "/" + segment);
}

double total(const std::vector<MarketRow>& rows, int year, const std::string& scenario_case = kCaseBase) {
  return row_of(rows, year, scenario_case, kTotal, kTotal).usd_bn;
}

// REFERENCE.md: USD 82.3 bn in 2025, 118.6 bn in 2026, 612.4 bn in 2036.
TEST(MarketDefaults, ReproduceTheReportsSizesInTheAnchorYears) {
  const auto rows = project_market(default_market_spec());
  EXPECT_NEAR(total(rows, 2025), 82.3, 1e-9);
  EXPECT_NEAR(total(rows, 2026), 118.6, 1e-9);
  EXPECT_NEAR(total(rows, 2036), 612.4, 1e-9);
  EXPECT_NEAR(market_total(default_market_spec(), 2036), 612.4, 1e-9);
  EXPECT_EQ(rows.front().year, 2025);
  EXPECT_EQ(rows.back().year, 2036);
}

TEST(MarketDefaults, ImpliedGrowthRoundsToTheReportsCagr) {
  const auto spec = default_market_spec();
  const double cagr = implied_cagr(spec, 2026, 2036);
  // (612.4 / 118.6)^(1/10) - 1 = 0.178406: 17.8% to one decimal. The report prints 17.9%, but
  // its three figures are not exactly consistent: 118.6 x 1.179^10 = 615.5, not 612.4.
  EXPECT_NEAR(cagr, 0.178406, 1e-6);
  EXPECT_DOUBLE_EQ(std::round(cagr * 1000.0) / 10.0, 17.8);
  EXPECT_NEAR(118.6 * std::pow(1.179, 10), 615.5, 0.05);
  EXPECT_GT(118.6 * std::pow(1.179, 10) - 612.4, 3.0);
  // Every year between the anchors grows at that one rate; 2025 -> 2026 is the report's 44.1%.
  const auto rows = project_market(spec);
  for (int year = 2027; year <= 2036; ++year) {
    EXPECT_NEAR(row_of(rows, year, kCaseBase, kTotal, kTotal).growth, cagr, 1e-12) << year;
  }
  EXPECT_NEAR(row_of(rows, 2026, kCaseBase, kTotal, kTotal).growth, 118.6 / 82.3 - 1.0, 1e-12);
}

TEST(MarketProjection, SegmentsOfEachDimensionSumToTheMarketEveryYearAndCase) {
  const auto rows = project_market(default_market_spec());
  std::map<std::tuple<std::string, int, std::string>, double> sums;
  std::map<std::tuple<std::string, int, std::string>, double> share_sums;
  for (const auto& row : rows) {
    if (row.dimension == kTotal) continue;
    sums[{row.scenario_case, row.year, row.dimension}] += row.usd_bn;
    share_sums[{row.scenario_case, row.year, row.dimension}] += row.share;
  }
  ASSERT_EQ(sums.size(), 3u * 12u * 6u);  // 3 cases x 12 years x 6 dimensions
  for (const auto& [key, sum] : sums) {
    const auto& [scenario_case, year, dimension] = key;
    EXPECT_NEAR(sum, total(rows, year, scenario_case), 1e-9 * sum) << scenario_case << " " << year << " " << dimension;
    EXPECT_NEAR(share_sums[key], 1.0, 1e-12);
  }
}

// The report names the largest and the fastest-growing segment of each dimension; the
// illustrative shares must agree with it over the whole forecast.
TEST(MarketDefaults, SharesAgreeWithTheReportsLargestAndFastestSegments) {
  const std::map<std::string, std::pair<std::string, std::string>> named = {
      {"infrastructure_type", {"compute", "platform_orchestration"}},
      {"workload", {"model_training", "generative_ai"}},
      {"deployment", {"public_cloud", "edge"}},
      {"enterprise_size", {"large_enterprises", "smes"}},
      {"industry", {"it_telecom", "healthcare_life_sciences"}},
      {"region", {"north_america", "asia_pacific"}},
  };
  const auto rows = project_market(default_market_spec());
  for (int year = 2025; year <= 2036; ++year) {
    std::map<std::string, const MarketRow*> largest;
    std::map<std::string, const MarketRow*> fastest;
    for (const auto& row : rows) {
      if (row.scenario_case != kCaseBase || row.year != year || row.dimension == kTotal) continue;
      auto& l = largest[row.dimension];
      if (!l || row.usd_bn > l->usd_bn) l = &row;
      auto& f = fastest[row.dimension];
      if (!f || row.growth > f->growth) f = &row;
    }
    ASSERT_EQ(largest.size(), named.size());
    for (const auto& [dimension, expected] : named) {
      EXPECT_EQ(largest[dimension]->segment, expected.first) << dimension << " " << year;
      EXPECT_EQ(fastest[dimension]->segment, expected.second) << dimension << " " << year;
    }
  }
}

TEST(MarketProjection, LowAndHighCasesDivergeAfter2026ByTheirOffsets) {
  const auto spec = default_market_spec();
  const auto rows = project_market(spec);
  for (int year = 2025; year <= 2026; ++year) {
    EXPECT_DOUBLE_EQ(total(rows, year, kCaseLow), total(rows, year));
    EXPECT_DOUBLE_EQ(total(rows, year, kCaseHigh), total(rows, year));
  }
  const double cagr = implied_cagr(spec, 2026, 2036);
  for (int year = 2027; year <= 2036; ++year) {
    EXPECT_NEAR(row_of(rows, year, kCaseLow, kTotal, kTotal).growth, cagr - 0.04, 1e-12);
    EXPECT_NEAR(row_of(rows, year, kCaseHigh, kTotal, kTotal).growth, cagr + 0.04, 1e-12);
  }
  EXPECT_NEAR(total(rows, 2036, kCaseLow), 118.6 * std::pow(1.0 + cagr - 0.04, 10), 1e-9);
  EXPECT_NEAR(total(rows, 2036, kCaseHigh), 118.6 * std::pow(1.0 + cagr + 0.04, 10), 1e-9);
  // The mix of a segment does not depend on the case.
  EXPECT_DOUBLE_EQ(row_of(rows, 2030, kCaseLow, "workload", "inference").share,
                   row_of(rows, 2030, kCaseHigh, "workload", "inference").share);
}

TEST(MarketProjection, ExtrapolatesWithTheNearestPairsRate) {
  auto spec = default_market_spec();
  spec.first_year = 2023;
  spec.last_year = 2040;
  const auto rows = project_market(spec);
  const double late = std::pow(612.4 / 118.6, 0.1);
  EXPECT_NEAR(total(rows, 2040), 612.4 * std::pow(late, 4), 1e-9);
  EXPECT_NEAR(total(rows, 2023), 82.3 * std::pow(82.3 / 118.6, 2), 1e-9);
  EXPECT_NEAR(total(rows, 2036), 612.4, 1e-9);
}

TEST(MarketProjection, InvalidSpecsAreListedAndRefused) {
  auto spec = default_market_spec();
  spec.anchors = {{2025, 82.3}, {2025, 90.0}, {2030, -1.0}};
  spec.segments.push_back({"workload", "inference", 0.1, 0.0});  // duplicate, and the sum is 1.1
  spec.segments.push_back({"total", "x", 1.0, 0.0});
  const auto problems = validate_market_spec(spec);
  EXPECT_GE(problems.size(), 4u);
  EXPECT_THROW(project_market(spec), std::invalid_argument);
  EXPECT_TRUE(validate_market_spec(default_market_spec()).empty());
  MarketSpec one_anchor;
  one_anchor.anchors = {{2025, 82.3}};
  EXPECT_FALSE(validate_market_spec(one_anchor).empty());
  auto steep = default_market_spec();
  steep.anchors = {{2025, 100.0}, {2026, 90.0}};  // a shrinking market: -10% a year
  steep.low_growth_offset = -0.95;                // -105% a year: the low case would vanish
  EXPECT_THROW(project_market(steep), std::invalid_argument);
}

// y = 100 x 1.15^(t - 2020) x exp(eps), eps ~ N(0, 0.05), one point a year.
std::vector<MarketAnchor> noisy_exponential(int first, int count, std::uint64_t seed) {
  engine::RandomStream rng(seed, "market_fit_test");
  const auto noise = engine::Distribution::normal(0.0, 0.05);
  std::vector<MarketAnchor> points;
  for (int i = 0; i < count; ++i) {
    const int year = first + i;
    points.push_back({year, 100.0 * std::pow(1.15, year - 2020) * std::exp(noise.sample(rng))});
  }
  return points;
}

TEST(GrowthFit, ExponentialRecoversAKnownCagrWithinItsStandardError) {
  const auto fit = fit_exponential(noisy_exponential(2020, 11, 42));
  ASSERT_TRUE(fit.ok) << fit.message;
  EXPECT_GT(fit.cagr_stderr, 0.0);
  EXPECT_LT(std::abs(fit.cagr - 0.15), 3.0 * fit.cagr_stderr) << fit.cagr << " +- " << fit.cagr_stderr;
  EXPECT_GT(fit.r_squared, 0.95);
  EXPECT_EQ(fit.fitted.size(), 11u);

  const auto more = fit_exponential(noisy_exponential(2000, 41, 42));
  ASSERT_TRUE(more.ok);
  EXPECT_LT(more.cagr_stderr, fit.cagr_stderr);
  EXPECT_LT(std::abs(more.cagr - 0.15), 3.0 * more.cagr_stderr);
}

// Over many replications the reported standard error matches the actual scatter of the estimate.
TEST(GrowthFit, ExponentialStandardErrorIsCalibrated) {
  constexpr int kReplications = 400;
  double sum = 0.0;
  double sum_sq = 0.0;
  double stderr_sum = 0.0;
  int within_two = 0;
  for (int rep = 0; rep < kReplications; ++rep) {
    const auto fit = fit_exponential(noisy_exponential(2020, 11, 1000 + static_cast<std::uint64_t>(rep)));
    ASSERT_TRUE(fit.ok);
    sum += fit.cagr;
    sum_sq += fit.cagr * fit.cagr;
    stderr_sum += fit.cagr_stderr;
    if (std::abs(fit.cagr - 0.15) < 2.0 * fit.cagr_stderr) ++within_two;
  }
  const double mean = sum / kReplications;
  const double sd = std::sqrt(sum_sq / kReplications - mean * mean);
  const double mean_stderr = stderr_sum / kReplications;
  EXPECT_NEAR(mean, 0.15, 0.002);
  EXPECT_NEAR(sd / mean_stderr, 1.0, 0.12);
  // A t distribution with 9 dof puts 92.4% within 2 standard errors.
  EXPECT_NEAR(within_two / static_cast<double>(kReplications), 0.924, 0.04);
}

TEST(GrowthFit, ExponentialIsExactOnNoiseFreePointsAndNeedsTwoPoints) {
  const std::vector<MarketAnchor> exact = {{2025, 82.3}, {2026, 82.3 * 1.2}, {2027, 82.3 * 1.44}};
  const auto fit = fit_exponential(exact);
  ASSERT_TRUE(fit.ok);
  EXPECT_NEAR(fit.cagr, 0.2, 1e-12);
  EXPECT_NEAR(fit.cagr_stderr, 0.0, 1e-9);
  EXPECT_NEAR(fit.r_squared, 1.0, 1e-12);
  const auto two = fit_exponential({{2025, 82.3}, {2026, 118.6}});
  ASSERT_TRUE(two.ok);
  EXPECT_NEAR(two.cagr, 118.6 / 82.3 - 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(two.cagr_stderr));
  EXPECT_FALSE(fit_exponential({{2025, 82.3}}).ok);
  EXPECT_FALSE(fit_exponential({{2025, 82.3}, {2026, 0.0}}).ok);
  EXPECT_FALSE(fit_exponential({{2025, 82.3}, {2025, 90.0}}).ok);
}

TEST(GrowthFit, LogisticRecoversItsParametersFromNoiseFreePoints) {
  constexpr double kCapacity = 1000.0;
  constexpr double kRate = 0.35;
  constexpr double kMidpoint = 2032.0;
  std::vector<MarketAnchor> points;
  for (int year = 2020; year <= 2040; ++year) {
    points.push_back({year, kCapacity / (1.0 + std::exp(-kRate * (year - kMidpoint)))});
  }
  const auto fit = fit_logistic(points);
  ASSERT_TRUE(fit.ok) << fit.message;
  EXPECT_NEAR(fit.a, kCapacity, 1e-6);
  EXPECT_NEAR(fit.b, kRate, 1e-6);
  EXPECT_NEAR(fit.c, kMidpoint, 1e-6);
  EXPECT_NEAR(fit.r_squared, 1.0, 1e-12);
  const double cagr = std::pow(points.back().usd_bn / points.front().usd_bn, 1.0 / 20.0) - 1.0;
  EXPECT_NEAR(fit.cagr, cagr, 1e-9);
  const auto projected = project_fit(fit, {2050});
  EXPECT_NEAR(projected[0], kCapacity / (1.0 + std::exp(-kRate * (2050 - kMidpoint))), 1e-6);
}

TEST(GrowthFit, LogisticFitsNoisyPointsWithFiniteStandardErrors) {
  engine::RandomStream rng(7, "logistic_noise");
  const auto noise = engine::Distribution::normal(0.0, 0.02);
  std::vector<MarketAnchor> points;
  for (int year = 2018; year <= 2040; ++year) {
    points.push_back({year, 800.0 / (1.0 + std::exp(-0.4 * (year - 2030.0))) * std::exp(noise.sample(rng))});
  }
  const auto fit = fit_logistic(points);
  ASSERT_TRUE(fit.ok) << fit.message;
  EXPECT_LT(std::abs(fit.a - 800.0), 4.0 * fit.a_stderr + 1e-9);
  EXPECT_LT(std::abs(fit.b - 0.4), 4.0 * fit.b_stderr + 1e-9);
  EXPECT_LT(std::abs(fit.c - 2030.0), 4.0 * fit.c_stderr + 1e-9);
  EXPECT_GT(fit.cagr_stderr, 0.0);
  EXPECT_TRUE(std::isfinite(fit.cagr_stderr));
}

TEST(GrowthFit, LogisticReportsFailureOnTooFewPointsOrNoSaturation) {
  const auto three = fit_logistic({{2025, 82.3}, {2026, 118.6}, {2036, 612.4}});
  EXPECT_FALSE(three.ok);
  EXPECT_NE(three.message.find("at least 4"), std::string::npos) << three.message;
  std::vector<MarketAnchor> exponential;
  for (int year = 2020; year <= 2030; ++year) exponential.push_back({year, 100.0 * std::pow(1.2, year - 2020)});
  const auto unbounded = fit_logistic(exponential);
  EXPECT_FALSE(unbounded.ok);
  EXPECT_FALSE(unbounded.message.empty());
  EXPECT_THROW(project_fit(unbounded, {2040}), std::invalid_argument);
}

TEST(GrowthFit, ProjectionCasesBracketTheFitAwayFromItsCentre) {
  const auto fit = fit_exponential(noisy_exponential(2020, 11, 42));
  ASSERT_TRUE(fit.ok);
  const std::vector<int> years = {2020, 2025, 2030, 2035};
  const auto base = project_fit(fit, years);
  EXPECT_NEAR(base[0], fit.fitted[0], 1e-9);
  for (std::size_t i = 0; i < years.size(); ++i) {
    EXPECT_NEAR(base[i] / fit.fitted[0], std::exp(fit.b * (years[i] - 2020)), 1e-9);
  }
  const auto low = project_fit(fit, years, -1.96);
  const auto high = project_fit(fit, years, 1.96);
  EXPECT_NEAR(project_fit(fit, {2025}, 1.96)[0], project_fit(fit, {2025})[0], 1e-9);  // 2025 is the centre
  EXPECT_LT(low[3], base[3]);
  EXPECT_GT(high[3], base[3]);
  EXPECT_GT(low[0], base[0]);  // before the centre the slower curve lies above
}

TEST(Demand, GpuHoursAreShareTimesSegmentOverPrice) {
  const auto spec = default_market_spec();
  const auto rows = project_market(spec);
  DemandSpec demand;
  demand.dimension = "workload";
  demand.segment = "inference";
  demand.share_by_year = {{2025, 0.01}, {2035, 0.03}};
  demand.usd_per_gpu_hour = 2.5;
  demand.price_decline_per_year = 0.1;
  // By hand for 2030: market 118.6 x (612.4/118.6)^(4/10); inference share 0.26 x 1.02^5
  // renormalised over the workload segments; our share halfway from 1% to 3%; price 2.5 x 0.9^5.
  const double market = 118.6 * std::pow(612.4 / 118.6, 0.4);
  const double weights = 0.36 + 0.26 * std::pow(1.02, 5) + 0.16 * std::pow(1.045, 5) + 0.13 * std::pow(0.98, 5) +
                         0.09 * std::pow(0.97, 5);
  const double inference = market * 0.26 * std::pow(1.02, 5) / weights;
  const double expected = 0.02 * inference * 1e9 / (2.5 * std::pow(0.9, 5));
  EXPECT_NEAR(gpu_hours_demanded(rows, demand, 2030), expected, 1e-6 * expected);
  EXPECT_DOUBLE_EQ(share_in_year(demand, 2020), 0.01);
  EXPECT_DOUBLE_EQ(share_in_year(demand, 2040), 0.03);
  EXPECT_THROW(gpu_hours_demanded(rows, demand, 2050), std::invalid_argument);
  demand.segment = "no_such_segment";
  EXPECT_THROW(gpu_hours_demanded(rows, demand, 2030), std::invalid_argument);
  demand.segment = "inference";
  demand.usd_per_gpu_hour = 0.0;
  EXPECT_FALSE(validate_demand_spec(demand).empty());
}

TEST(Demand, MultiplierIsOneAtTheStartAndGrowsWithTheSegment) {
  const auto rows = project_market(default_market_spec());
  DemandSpec demand;  // the whole market, constant share and price
  demand.market_share = 0.002;
  const auto points = demand_by_year(rows, demand);
  const double start = 2026.5;  // midpoint of the first simulated year, 2026
  EXPECT_DOUBLE_EQ(demand_multiplier(points, start, start), 1.0);
  const double g = implied_cagr(default_market_spec(), 2026, 2036);
  EXPECT_NEAR(demand_multiplier(points, start, 2027.5), 1.0 + g, 1e-12);
  EXPECT_NEAR(demand_multiplier(points, start, 2028.5), (1.0 + g) * (1.0 + g), 1e-12);
  // Geometric within a year, continuous across midpoints.
  EXPECT_NEAR(demand_multiplier(points, start, 2027.0), std::sqrt(1.0 + g), 1e-12);
  EXPECT_NEAR(demand_multiplier(points, start, 2027.5 - 1e-9), demand_multiplier(points, start, 2027.5 + 1e-9), 1e-8);
  // A segment: one year later the multiplier is the segment's own growth.
  demand.dimension = "deployment";
  demand.segment = "edge";
  const auto edge = demand_by_year(rows, demand);
  EXPECT_NEAR(demand_multiplier(edge, start, 2027.5), 1.0 + row_of(rows, 2027, kCaseBase, "deployment", "edge").growth,
              1e-12);
  EXPECT_NEAR(demand_multiplier(rows, demand, start, 2027.5), demand_multiplier(edge, start, 2027.5), 1e-15);
  EXPECT_NEAR(max_demand_multiplier(edge, start, 2026.0, 2031.0), demand_multiplier(edge, start, 2031.0), 1e-12);
  // Starting on 1 January: 1 then, the market's rate thereafter.
  EXPECT_DOUBLE_EQ(demand_multiplier(points, 2026.0, 2026.0), 1.0);
  EXPECT_NEAR(demand_multiplier(points, 2026.0, 2027.0), std::sqrt((1.0 + g) * (118.6 / 82.3)), 1e-12);
}

TEST(Demand, FractionalYearFollowsTheCalendar) {
  const engine::Calendar jan2026(1767225600);  // 2026-01-01T00:00:00Z
  EXPECT_DOUBLE_EQ(fractional_year(jan2026, 0), 2026.0);
  EXPECT_DOUBLE_EQ(fractional_year(jan2026, 365 * engine::kMicrosPerDay / 2), 2026.5);
  EXPECT_DOUBLE_EQ(fractional_year(jan2026, 365 * engine::kMicrosPerDay), 2027.0);
  EXPECT_DOUBLE_EQ(fractional_year(jan2026, (365 + 365) * engine::kMicrosPerDay), 2028.0);
  EXPECT_DOUBLE_EQ(fractional_year(jan2026, (365 + 365 + 183) * engine::kMicrosPerDay), 2028.5);  // leap year
}

}  // namespace
}  // namespace dcsim::finance
