// The AI infrastructure-as-a-service market: yearly projection by segment from anchor years,
// growth-curve fitting, and the GPU-hours our share of it demands (docs/market.md).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "sim/engine/calendar.h"
#include "sim/engine/time.h"

namespace dcsim::finance {

// A known market size: a year and its size in billions of US dollars.
struct MarketAnchor {
  int year = 0;
  double usd_bn = 0.0;
};

// One segment of one way of slicing the market. Within a dimension the base-year shares sum to 1.
// A segment's weight grows by (1 + growth_delta) a year relative to a segment with delta 0; the
// weights of a dimension are renormalised every year, so the segments always sum to the market.
struct SegmentShare {
  std::string dimension;  // infrastructure_type, workload, deployment, enterprise_size, industry, region
  std::string segment;    // e.g. "inference"
  double share_of_market = 0.0;  // in MarketSpec::share_base_year, 0..1
  double growth_delta = 0.0;     // extra yearly growth relative to the dimension, e.g. +0.05
};

struct MarketSpec {
  // Known sizes; the base-case total passes through each exactly. Between anchors the growth
  // rate is constant (geometric interpolation); before the first and after the last anchor the
  // rate of the nearest pair of anchors continues.
  std::vector<MarketAnchor> anchors;
  std::vector<SegmentShare> segments;
  int share_base_year = 2025;  // the year the segment shares describe
  // The low and high cases follow the base case up to and including this year, then grow by the
  // base case's yearly rate plus these offsets (e.g. -0.04 = four percentage points slower).
  int cases_diverge_after_year = 2026;
  double low_growth_offset = -0.04;
  double high_growth_offset = 0.04;
  int first_year = 2025;  // first and last year projected, inclusive
  int last_year = 2036;
};

// The report's figures (REFERENCE.md, "The AI infrastructure-as-a-service market") and the
// illustrative segment shares documented in docs/market.md (labelled assumptions: the report
// gives no percentages).
MarketSpec default_market_spec();

// Every problem with the spec, one message each; empty when it is usable.
std::vector<std::string> validate_market_spec(const MarketSpec& spec);

// Size of the whole market in a year, base case (USD bn). Throws std::invalid_argument on an
// invalid spec, as the functions below do.
double market_total(const MarketSpec& spec, int year);
// Constant yearly growth rate that takes the base-case total from one year to another.
double implied_cagr(const MarketSpec& spec, int from_year, int to_year);

inline constexpr const char* kCaseLow = "low";
inline constexpr const char* kCaseBase = "base";
inline constexpr const char* kCaseHigh = "high";
inline constexpr const char* kTotal = "total";

struct MarketRow {
  int year = 0;
  std::string scenario_case;  // low, base, high
  std::string dimension;      // "total" for the whole market
  std::string segment;        // "total" for the whole market
  double share = 1.0;         // of the market, within the dimension (1 for the total)
  double usd_bn = 0.0;
  double growth = 0.0;        // versus the previous year
};

// Rows ordered by case (base, low, high), year, dimension ("total" first, then the order the
// dimensions first appear in spec.segments), segment (spec order).
std::vector<MarketRow> project_market(const MarketSpec& spec);

// The (year, usd_bn) series of one slice of a projection, in year order (empty if absent).
std::vector<MarketAnchor> market_series(const std::vector<MarketRow>& projection, const std::string& scenario_case,
                                        const std::string& dimension, const std::string& segment);

// ---- Fitting growth curves to yearly points (least squares with Eigen) ----

enum class GrowthModel { exponential, logistic };
const char* to_string(GrowthModel model);

struct GrowthFit {
  GrowthModel model = GrowthModel::exponential;
  bool ok = false;      // false: too few points or no convergence; `message` says why
  std::string message;
  int points = 0;
  int iterations = 0;   // Levenberg-Marquardt iterations (0 for the exponential)
  // exponential: y = exp(a + b (t - c)); c is the mean of the data years (fixed, so a and b are
  //   uncorrelated), a the log of the fitted size there, b the continuous growth rate.
  // logistic:    y = a / (1 + exp(-b (t - c))); a the capacity K, b the rate r, c the midpoint t0.
  double a = 0.0, b = 0.0, c = 0.0;
  double a_stderr = 0.0, b_stderr = 0.0, c_stderr = 0.0;  // NaN when the data leave no residual dof
  // exponential: e^b - 1. logistic: the fitted curve's CAGR from the first to the last data year.
  double cagr = 0.0;
  double cagr_stderr = 0.0;  // delta method from the parameter covariance
  double r_squared = 0.0;    // 1 - SSE/SST on the sizes themselves (not their logs), for both models
  double residual_sd = 0.0;  // of log(y) for the exponential, of y for the logistic
  std::vector<double> fitted;  // at the data years, in year order
};

// Linear least squares on log(y) (multiplicative errors). Needs >= 2 points with distinct years
// and y > 0; standard errors need >= 3.
GrowthFit fit_exponential(const std::vector<MarketAnchor>& points);
// Levenberg-Marquardt from a linearised starting guess. Needs >= 4 points (3 parameters) and
// y > 0; fails when it does not converge or the data show no saturation (K above 1000 x max y).
GrowthFit fit_logistic(const std::vector<MarketAnchor>& points);
// The fitted curve at the given years. sigmas shifts the growth parameter b by sigmas x b_stderr
// (the exponential pivots on its centre year c) for low/high cases, e.g. -1.96 and +1.96.
// Throws std::invalid_argument when the fit is not ok.
std::vector<double> project_fit(const GrowthFit& fit, const std::vector<int>& years, double sigmas = 0.0);

// ---- Our demand: share x market slice / price per GPU-hour ----

struct DemandSpec {
  std::string dimension = kTotal;  // which slice of the market we sell into
  std::string segment = kTotal;
  double market_share = 0.001;     // of that slice; used when share_by_year is empty
  // (year, share) points, linearly interpolated between years, held flat outside them.
  std::vector<std::pair<int, double>> share_by_year;
  double usd_per_gpu_hour = 3.5;        // midpoint of the report's 2-5 USD for H100/H200 (REFERENCE.md)
  double price_decline_per_year = 0.0;  // price(y) = price x (1 - decline)^(y - price_base_year)
  int price_base_year = 2025;
};

std::vector<std::string> validate_demand_spec(const DemandSpec& spec);
double share_in_year(const DemandSpec& spec, int year);
double price_in_year(const DemandSpec& spec, int year);

struct DemandPoint {
  int year = 0;
  double market_share = 0.0;
  double segment_usd_bn = 0.0;
  double usd_per_gpu_hour = 0.0;
  double gpu_hours = 0.0;  // share x segment x 1e9 / price
};

// One point per year of the projection for the chosen slice and case. Throws
// std::invalid_argument when the slice or case is not in the projection or the spec is invalid.
std::vector<DemandPoint> demand_by_year(const std::vector<MarketRow>& projection, const DemandSpec& spec,
                                        const std::string& scenario_case = kCaseBase);
double gpu_hours_demanded(const std::vector<MarketRow>& projection, const DemandSpec& spec, int year,
                          const std::string& scenario_case = kCaseBase);

// Yearly demand as a smooth function of time in fractional calendar years (2026.0 = 1 January
// 2026): each year's figure sits at its midpoint (year + 0.5), values between midpoints are
// geometric interpolations (linear where one side is 0), and the first and last pairs' rates
// continue beyond the ends.
double demand_at(const std::vector<DemandPoint>& demand, double year_time);
// demand_at(t) / demand_at(start): scales a workload's arrival rate, rate(t) = base_rate x
// multiplier(t), where base_rate is the rate at the start of the run. Throws
// std::invalid_argument when there is no demand at the start.
double demand_multiplier(const std::vector<DemandPoint>& demand, double start_year_time, double year_time);
double demand_multiplier(const std::vector<MarketRow>& projection, const DemandSpec& spec, double start_year_time,
                         double year_time, const std::string& scenario_case = kCaseBase);
// Largest multiplier over [from, to]: the bound a thinning sampler of a time-varying Poisson
// process needs.
double max_demand_multiplier(const std::vector<DemandPoint>& demand, double start_year_time, double from_year_time,
                             double to_year_time);

// A simulated instant as a fractional calendar year (UTC): 2026.5 is about 2 July 2026.
double fractional_year(const engine::Calendar& calendar, engine::SimTime t);

}  // namespace dcsim::finance
