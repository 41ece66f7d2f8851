// The market projection, growth-curve fits and market-driven demand (docs/market.md). This is the
// one translation unit that includes Eigen.
#include "sim/finance/market.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace dcsim::finance {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Shares of a dimension are normalised exactly; this much rounding in the input is forgiven.
constexpr double kShareSumTolerance = 1e-3;

bool finite(double x) { return std::isfinite(x); }

std::string join(const std::vector<std::string>& problems) {
  std::string text;
  for (const auto& p : problems) {
    if (!text.empty()) text += "; ";
    text += p;
  }
  return text;
}

void require_valid(const MarketSpec& spec) {
  const auto problems = validate_market_spec(spec);
  if (!problems.empty()) throw std::invalid_argument("invalid market spec: " + join(problems));
}

std::vector<MarketAnchor> sorted_anchors(const MarketSpec& spec) {
  auto anchors = spec.anchors;
  std::sort(anchors.begin(), anchors.end(), [](const auto& x, const auto& y) { return x.year < y.year; });
  return anchors;
}

// Base-case total for a validated spec: exact at anchors, geometric between them, the nearest
// pair's rate beyond them.
double base_total(const std::vector<MarketAnchor>& anchors, int year) {
  for (const auto& anchor : anchors) {
    if (anchor.year == year) return anchor.usd_bn;
  }
  std::size_t i = 0;  // the pair (i, i+1) whose rate applies
  while (i + 2 < anchors.size() && year > anchors[i + 1].year) ++i;
  const auto& lo = anchors[i];
  const auto& hi = anchors[i + 1];
  const double span = hi.year - lo.year;
  const double log_rate = std::log(hi.usd_bn / lo.usd_bn) / span;
  // Measure from the nearer end so the anchors' own values stay exact in the arithmetic.
  if (year > hi.year) return hi.usd_bn * std::exp(log_rate * (year - hi.year));
  return lo.usd_bn * std::exp(log_rate * (year - lo.year));
}

// Totals of one case over [from, to] (index 0 = from). A case equals the base case up to and
// including the pivot year; after it, each year grows by the base case's rate plus the offset.
std::vector<double> case_totals(const MarketSpec& spec, const std::vector<MarketAnchor>& anchors, double offset,
                                int from, int to) {
  const int pivot = spec.cases_diverge_after_year;
  const int lo = std::min(from, pivot);
  std::vector<double> totals;
  totals.reserve(static_cast<std::size_t>(to - from + 1));
  double value = base_total(anchors, lo);
  for (int year = lo; year <= to; ++year) {
    if (year <= pivot || offset == 0.0) {  // the base case itself stays exact at its anchors
      value = base_total(anchors, year);
    } else {
      const double factor = base_total(anchors, year) / base_total(anchors, year - 1) + offset;
      if (!(factor > 0.0)) {
        throw std::invalid_argument("market case growth falls to -100% or below in " + std::to_string(year) +
                                    ": make the low growth offset smaller");
      }
      value *= factor;
    }
    if (year >= from) totals.push_back(value);
  }
  return totals;
}

struct Dimension {
  std::string name;
  std::vector<const SegmentShare*> segments;
};

std::vector<Dimension> dimensions_of(const MarketSpec& spec) {
  std::vector<Dimension> dims;
  for (const auto& s : spec.segments) {
    auto it = std::find_if(dims.begin(), dims.end(), [&](const Dimension& d) { return d.name == s.dimension; });
    if (it == dims.end()) {
      dims.push_back({s.dimension, {}});
      it = std::prev(dims.end());
    }
    it->segments.push_back(&s);
  }
  return dims;
}

// Shares of a dimension's segments in a year: base share x (1 + delta)^(year - base), normalised.
std::vector<double> shares_in_year(const Dimension& dim, int base_year, int year) {
  std::vector<double> weights;
  double sum = 0.0;
  for (const auto* s : dim.segments) {
    const double w = s->share_of_market * std::pow(1.0 + s->growth_delta, year - base_year);
    weights.push_back(w);
    sum += w;
  }
  for (auto& w : weights) w /= sum;
  return weights;
}

double r_squared_levels(const std::vector<MarketAnchor>& points, const std::vector<double>& fitted) {
  double mean = 0.0;
  for (const auto& p : points) mean += p.usd_bn;
  mean /= static_cast<double>(points.size());
  double sse = 0.0;
  double sst = 0.0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    sse += (points[i].usd_bn - fitted[i]) * (points[i].usd_bn - fitted[i]);
    sst += (points[i].usd_bn - mean) * (points[i].usd_bn - mean);
  }
  return sst > 0.0 ? 1.0 - sse / sst : (sse == 0.0 ? 1.0 : 0.0);
}

// Problems shared by both fits: positive sizes, distinct years.
std::string check_points(const std::vector<MarketAnchor>& points, std::size_t needed) {
  if (points.size() < needed) {
    return "needs at least " + std::to_string(needed) + " points, got " + std::to_string(points.size());
  }
  std::set<int> years;
  for (const auto& p : points) {
    if (!finite(p.usd_bn) || p.usd_bn <= 0.0) return "sizes must be finite and > 0 (year " + std::to_string(p.year) + ")";
    if (!years.insert(p.year).second) return "year " + std::to_string(p.year) + " appears twice";
  }
  return {};
}

double logistic(double k, double r, double t0, double t) { return k / (1.0 + std::exp(-r * (t - t0))); }

// Jacobian of the logistic with respect to (K, r, t0) at each point, and the residuals y - f.
void logistic_jacobian(const std::vector<MarketAnchor>& points, const Eigen::Vector3d& p, Eigen::MatrixXd& jac,
                       Eigen::VectorXd& residuals) {
  const auto n = static_cast<Eigen::Index>(points.size());
  jac.resize(n, 3);
  residuals.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double t = points[static_cast<std::size_t>(i)].year;
    const double e = std::exp(-p(1) * (t - p(2)));
    const double d = 1.0 + e;
    jac(i, 0) = 1.0 / d;
    jac(i, 1) = p(0) * e * (t - p(2)) / (d * d);
    jac(i, 2) = -p(0) * e * p(1) / (d * d);
    residuals(i) = points[static_cast<std::size_t>(i)].usd_bn - p(0) / d;
  }
}

double sse_of(const std::vector<MarketAnchor>& points, const Eigen::Vector3d& p) {
  double sse = 0.0;
  for (const auto& pt : points) {
    const double r = pt.usd_bn - logistic(p(0), p(1), p(2), pt.year);
    sse += r * r;
  }
  return sse;
}

// Starting guess: for each trial capacity K above the data, log(K/y - 1) = -r (t - t0) is linear
// in t; keep the K whose curve fits best.
Eigen::Vector3d logistic_start(const std::vector<MarketAnchor>& points) {
  double y_max = 0.0;
  for (const auto& p : points) y_max = std::max(y_max, p.usd_bn);
  const auto n = static_cast<Eigen::Index>(points.size());
  Eigen::Vector3d best(2.0 * y_max, 0.1, points.front().year);
  double best_sse = std::numeric_limits<double>::infinity();
  for (double factor : {1.02, 1.05, 1.1, 1.2, 1.35, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 6.0, 10.0, 20.0, 50.0}) {
    const double k = factor * y_max;
    Eigen::MatrixXd x(n, 2);
    Eigen::VectorXd z(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto& p = points[static_cast<std::size_t>(i)];
      x(i, 0) = 1.0;
      x(i, 1) = p.year;
      z(i) = std::log(k / p.usd_bn - 1.0);
    }
    const Eigen::Vector2d beta = x.colPivHouseholderQr().solve(z);  // z = beta0 + beta1 t
    const double r = -beta(1);
    if (!(r != 0.0) || !finite(r)) continue;
    const Eigen::Vector3d trial(k, r, beta(0) / r);
    const double sse = sse_of(points, trial);
    if (sse < best_sse) {
      best_sse = sse;
      best = trial;
    }
  }
  return best;
}

}  // namespace

MarketSpec default_market_spec() {
  MarketSpec spec;
  // REFERENCE.md, "The AI infrastructure-as-a-service market".
  spec.anchors = {{2025, 82.3}, {2026, 118.6}, {2036, 612.4}};
  // Illustrative shares (labelled assumptions, docs/market.md): the report names only the largest
  // and the fastest-growing segment of each dimension. Largest = biggest base share; fastest =
  // biggest growth_delta; each largest segment stays largest through 2036.
  spec.segments = {
      {"infrastructure_type", "compute", 0.55, 0.00},
      {"infrastructure_type", "storage", 0.17, -0.02},
      {"infrastructure_type", "networking", 0.13, 0.00},
      {"infrastructure_type", "platform_orchestration", 0.15, 0.05},
      {"workload", "model_training", 0.36, 0.00},
      {"workload", "inference", 0.26, 0.02},
      {"workload", "generative_ai", 0.16, 0.045},
      {"workload", "data_processing_analytics", 0.13, -0.02},
      {"workload", "hpc", 0.09, -0.03},
      {"deployment", "public_cloud", 0.62, 0.00},
      {"deployment", "private_cloud", 0.18, -0.02},
      {"deployment", "hybrid_cloud", 0.14, 0.01},
      {"deployment", "edge", 0.06, 0.06},
      {"enterprise_size", "large_enterprises", 0.72, 0.00},
      {"enterprise_size", "smes", 0.28, 0.04},
      {"industry", "it_telecom", 0.28, 0.00},
      {"industry", "bfsi", 0.17, 0.00},
      {"industry", "retail_ecommerce", 0.12, 0.00},
      {"industry", "manufacturing", 0.11, 0.01},
      {"industry", "healthcare_life_sciences", 0.11, 0.05},
      {"industry", "other", 0.21, -0.01},
      {"region", "north_america", 0.42, 0.00},
      {"region", "europe", 0.24, -0.01},
      {"region", "asia_pacific", 0.26, 0.035},
      {"region", "rest_of_world", 0.08, 0.01},
  };
  return spec;
}

std::vector<std::string> validate_market_spec(const MarketSpec& spec) {
  std::vector<std::string> problems;
  if (spec.anchors.size() < 2) problems.push_back("the market needs at least 2 anchor years");
  std::set<int> years;
  for (const auto& a : spec.anchors) {
    if (!finite(a.usd_bn) || a.usd_bn <= 0.0) {
      problems.push_back("anchor " + std::to_string(a.year) + ": usd_bn must be finite and > 0");
    }
    if (!years.insert(a.year).second) problems.push_back("anchor year " + std::to_string(a.year) + " appears twice");
  }
  if (spec.first_year > spec.last_year) problems.push_back("first_year must not be after last_year");
  if (spec.last_year - spec.first_year > 200) problems.push_back("the projection may span at most 200 years");
  if (!finite(spec.low_growth_offset) || spec.low_growth_offset <= -1.0) {
    problems.push_back("low_growth_offset must be finite and > -1");
  }
  if (!finite(spec.high_growth_offset) || spec.high_growth_offset <= -1.0) {
    problems.push_back("high_growth_offset must be finite and > -1");
  }
  for (const auto& dim : dimensions_of(spec)) {
    if (dim.name.empty()) problems.push_back("a segment has no dimension");
    if (dim.name == kTotal) problems.push_back("'total' is reserved for the whole market, not a dimension");
    double sum = 0.0;
    std::set<std::string> names;
    for (const auto* s : dim.segments) {
      const std::string where = "segment " + dim.name + "/" + s->segment;
      if (s->segment.empty()) problems.push_back("a segment of " + dim.name + " has no name");
      if (!names.insert(s->segment).second) problems.push_back(where + " appears twice");
      if (!finite(s->share_of_market) || s->share_of_market < 0.0 || s->share_of_market > 1.0) {
        problems.push_back(where + ": share_of_market must be in [0, 1]");
      } else {
        sum += s->share_of_market;
      }
      if (!finite(s->growth_delta) || s->growth_delta <= -1.0) {
        problems.push_back(where + ": growth_delta must be finite and > -1");
      }
    }
    if (std::abs(sum - 1.0) > kShareSumTolerance) {
      problems.push_back("the shares of dimension " + dim.name + " sum to " + std::to_string(sum) + ", not 1");
    }
  }
  return problems;
}

double market_total(const MarketSpec& spec, int year) {
  require_valid(spec);
  return base_total(sorted_anchors(spec), year);
}

double implied_cagr(const MarketSpec& spec, int from_year, int to_year) {
  require_valid(spec);
  if (from_year == to_year) throw std::invalid_argument("implied_cagr needs two different years");
  const auto anchors = sorted_anchors(spec);
  return std::pow(base_total(anchors, to_year) / base_total(anchors, from_year), 1.0 / (to_year - from_year)) - 1.0;
}

std::vector<MarketRow> project_market(const MarketSpec& spec) {
  require_valid(spec);
  const auto anchors = sorted_anchors(spec);
  const auto dims = dimensions_of(spec);
  // The year before the first gives the first year's growth.
  const int from = spec.first_year - 1;
  const int to = spec.last_year;
  std::vector<MarketRow> rows;
  const std::pair<const char*, double> cases[] = {
      {kCaseBase, 0.0}, {kCaseLow, spec.low_growth_offset}, {kCaseHigh, spec.high_growth_offset}};
  for (const auto& [name, offset] : cases) {
    const auto totals = case_totals(spec, anchors, offset, from, to);
    for (int year = spec.first_year; year <= to; ++year) {
      const auto i = static_cast<std::size_t>(year - from);
      const double total = totals[i];
      const double previous = totals[i - 1];
      rows.push_back({year, name, kTotal, kTotal, 1.0, total, total / previous - 1.0});
      for (const auto& dim : dims) {
        const auto shares = shares_in_year(dim, spec.share_base_year, year);
        const auto shares_before = shares_in_year(dim, spec.share_base_year, year - 1);
        for (std::size_t s = 0; s < dim.segments.size(); ++s) {
          const double value = shares[s] * total;
          const double before = shares_before[s] * previous;
          rows.push_back({year, name, dim.name, dim.segments[s]->segment, shares[s], value,
                          before > 0.0 ? value / before - 1.0 : 0.0});
        }
      }
    }
  }
  return rows;
}

std::vector<MarketAnchor> market_series(const std::vector<MarketRow>& projection, const std::string& scenario_case,
                                        const std::string& dimension, const std::string& segment) {
  std::vector<MarketAnchor> series;
  for (const auto& row : projection) {
    if (row.scenario_case == scenario_case && row.dimension == dimension && row.segment == segment) {
      series.push_back({row.year, row.usd_bn});
    }
  }
  std::sort(series.begin(), series.end(), [](const auto& x, const auto& y) { return x.year < y.year; });
  return series;
}

const char* to_string(GrowthModel model) {
  switch (model) {
    case GrowthModel::exponential: return "exponential";
    case GrowthModel::logistic: return "logistic";
  }
  return "unknown";
}

GrowthFit fit_exponential(const std::vector<MarketAnchor>& points_in) {
  GrowthFit fit;
  fit.model = GrowthModel::exponential;
  fit.points = static_cast<int>(points_in.size());
  fit.message = check_points(points_in, 2);
  if (!fit.message.empty()) return fit;
  auto points = points_in;
  std::sort(points.begin(), points.end(), [](const auto& x, const auto& y) { return x.year < y.year; });

  const auto n = static_cast<Eigen::Index>(points.size());
  double centre = 0.0;
  for (const auto& p : points) centre += p.year;
  centre /= static_cast<double>(n);
  Eigen::MatrixXd x(n, 2);
  Eigen::VectorXd log_y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& p = points[static_cast<std::size_t>(i)];
    x(i, 0) = 1.0;
    x(i, 1) = p.year - centre;
    log_y(i) = std::log(p.usd_bn);
  }
  const Eigen::Vector2d beta = x.colPivHouseholderQr().solve(log_y);
  const Eigen::VectorXd residuals = log_y - x * beta;
  fit.a = beta(0);
  fit.b = beta(1);
  fit.c = centre;
  fit.cagr = std::exp(fit.b) - 1.0;
  const Eigen::Index dof = n - 2;
  if (dof > 0) {
    const double variance = residuals.squaredNorm() / static_cast<double>(dof);
    const Eigen::Matrix2d covariance = variance * (x.transpose() * x).inverse();
    fit.residual_sd = std::sqrt(variance);
    fit.a_stderr = std::sqrt(covariance(0, 0));
    fit.b_stderr = std::sqrt(covariance(1, 1));
    fit.cagr_stderr = std::exp(fit.b) * fit.b_stderr;  // d(e^b - 1)/db = e^b
  } else {
    fit.a_stderr = fit.b_stderr = fit.cagr_stderr = fit.residual_sd = kNaN;
  }
  for (Eigen::Index i = 0; i < n; ++i) fit.fitted.push_back(std::exp(x.row(i).dot(beta)));
  fit.r_squared = r_squared_levels(points, fit.fitted);
  fit.ok = true;
  return fit;
}

GrowthFit fit_logistic(const std::vector<MarketAnchor>& points_in) {
  GrowthFit fit;
  fit.model = GrowthModel::logistic;
  fit.points = static_cast<int>(points_in.size());
  fit.message = check_points(points_in, 4);
  if (!fit.message.empty()) return fit;
  auto points = points_in;
  std::sort(points.begin(), points.end(), [](const auto& x, const auto& y) { return x.year < y.year; });
  double y_max = 0.0;
  double y_scale = 0.0;
  for (const auto& p : points) {
    y_max = std::max(y_max, p.usd_bn);
    y_scale += p.usd_bn * p.usd_bn;
  }

  // Levenberg-Marquardt with Marquardt's diagonal scaling.
  Eigen::Vector3d p = logistic_start(points);
  Eigen::MatrixXd jac;
  Eigen::VectorXd residuals;
  logistic_jacobian(points, p, jac, residuals);
  double sse = residuals.squaredNorm();
  Eigen::Matrix3d jtj = jac.transpose() * jac;
  double lambda = 1e-3;
  bool converged = false;
  constexpr int kMaxIterations = 500;
  int iteration = 0;
  for (; iteration < kMaxIterations && !converged; ++iteration) {
    if (sse <= 1e-28 * y_scale) {  // exact to rounding
      converged = true;
      break;
    }
    const Eigen::Vector3d gradient = jac.transpose() * residuals;
    bool stepped = false;
    while (lambda < 1e16) {
      Eigen::Matrix3d a = jtj;
      for (int d = 0; d < 3; ++d) a(d, d) += lambda * std::max(jtj(d, d), 1e-300);
      const Eigen::Vector3d step = a.ldlt().solve(gradient);
      const Eigen::Vector3d trial = p + step;
      const double trial_sse = trial(0) > 0.0 && step.allFinite() ? sse_of(points, trial) : kNaN;
      if (trial_sse < sse) {
        const bool tiny_step = (step.array().abs() <= 1e-12 * (p.array().abs() + 1e-12)).all();
        const bool tiny_gain = sse - trial_sse <= 1e-15 * sse;
        p = trial;
        sse = trial_sse;
        lambda = std::max(lambda / 3.0, 1e-12);
        logistic_jacobian(points, p, jac, residuals);
        jtj = jac.transpose() * jac;
        converged = tiny_step || tiny_gain;
        stepped = true;
        break;
      }
      lambda *= 4.0;
    }
    if (!stepped) {
      converged = true;  // no step lowers the error: a minimum to working precision
      break;
    }
    if (p(0) > 1e3 * y_max) break;  // running off towards an exponential
  }
  fit.iterations = iteration;
  fit.a = p(0);
  fit.b = p(1);
  fit.c = p(2);
  for (const auto& pt : points) fit.fitted.push_back(logistic(p(0), p(1), p(2), pt.year));
  fit.r_squared = r_squared_levels(points, fit.fitted);
  if (!p.allFinite()) {
    fit.message = "the logistic fit diverged";
    return fit;
  }
  if (p(0) > 1e3 * y_max) {
    fit.message = "the data show no saturation (capacity runs off to infinity): fit an exponential instead";
    return fit;
  }
  if (!converged) {
    fit.message = "the logistic fit did not converge in " + std::to_string(kMaxIterations) + " iterations";
    return fit;
  }

  // CAGR of the fitted curve over the data span, and its standard error by the delta method:
  // cagr = (f_n / f_1)^(1/span) - 1, d cagr/dp = (1 + cagr)/span x (J_n / f_n - J_1 / f_1).
  const double span = points.back().year - points.front().year;
  const double f_first = fit.fitted.front();
  const double f_last = fit.fitted.back();
  fit.cagr = std::pow(f_last / f_first, 1.0 / span) - 1.0;
  const Eigen::Index last = jac.rows() - 1;
  const Eigen::Vector3d cagr_gradient =
      (1.0 + fit.cagr) / span * (jac.row(last).transpose() / f_last - jac.row(0).transpose() / f_first);

  const auto dof = static_cast<double>(points.size()) - 3.0;
  const double variance = sse / dof;
  fit.residual_sd = std::sqrt(variance);
  const Eigen::LDLT<Eigen::Matrix3d> ldlt(jtj);
  if (ldlt.info() != Eigen::Success || !ldlt.isPositive()) {
    fit.message = "the logistic parameters are not identifiable from these points";
    return fit;
  }
  const Eigen::Matrix3d covariance = variance * ldlt.solve(Eigen::Matrix3d::Identity());
  fit.a_stderr = std::sqrt(std::max(covariance(0, 0), 0.0));
  fit.b_stderr = std::sqrt(std::max(covariance(1, 1), 0.0));
  fit.c_stderr = std::sqrt(std::max(covariance(2, 2), 0.0));
  fit.cagr_stderr = std::sqrt(std::max(cagr_gradient.dot(covariance * cagr_gradient), 0.0));
  fit.ok = true;
  return fit;
}

std::vector<double> project_fit(const GrowthFit& fit, const std::vector<int>& years, double sigmas) {
  if (!fit.ok) throw std::invalid_argument("cannot project a failed " + std::string(to_string(fit.model)) + " fit: " + fit.message);
  const double shift = sigmas == 0.0 ? 0.0 : sigmas * fit.b_stderr;
  if (!finite(shift)) throw std::invalid_argument("the fit has no standard error to shift by");
  std::vector<double> values;
  values.reserve(years.size());
  for (int year : years) {
    if (fit.model == GrowthModel::exponential) {
      values.push_back(std::exp(fit.a + (fit.b + shift) * (year - fit.c)));
    } else {
      values.push_back(logistic(fit.a, fit.b + shift, fit.c, year));
    }
  }
  return values;
}

std::vector<std::string> validate_demand_spec(const DemandSpec& spec) {
  std::vector<std::string> problems;
  if (spec.dimension.empty() || spec.segment.empty()) problems.push_back("demand needs a dimension and a segment");
  if (spec.share_by_year.empty()) {
    if (!finite(spec.market_share) || spec.market_share < 0.0 || spec.market_share > 1.0) {
      problems.push_back("market_share must be in [0, 1]");
    }
  }
  for (std::size_t i = 0; i < spec.share_by_year.size(); ++i) {
    const auto& [year, share] = spec.share_by_year[i];
    if (!finite(share) || share < 0.0 || share > 1.0) {
      problems.push_back("market share in " + std::to_string(year) + " must be in [0, 1]");
    }
    if (i > 0 && year <= spec.share_by_year[i - 1].first) {
      problems.push_back("market share years must increase (" + std::to_string(year) + ")");
    }
  }
  if (!finite(spec.usd_per_gpu_hour) || spec.usd_per_gpu_hour <= 0.0) {
    problems.push_back("usd_per_gpu_hour must be finite and > 0");
  }
  if (!finite(spec.price_decline_per_year) || spec.price_decline_per_year >= 1.0 ||
      spec.price_decline_per_year <= -1.0) {
    problems.push_back("price_decline_per_year must be in (-1, 1)");
  }
  return problems;
}

double share_in_year(const DemandSpec& spec, int year) {
  const auto& pts = spec.share_by_year;
  if (pts.empty()) return spec.market_share;
  if (year <= pts.front().first) return pts.front().second;
  if (year >= pts.back().first) return pts.back().second;
  for (std::size_t i = 1; i < pts.size(); ++i) {
    if (year <= pts[i].first) {
      const double f = static_cast<double>(year - pts[i - 1].first) / (pts[i].first - pts[i - 1].first);
      return pts[i - 1].second + f * (pts[i].second - pts[i - 1].second);
    }
  }
  return pts.back().second;
}

double price_in_year(const DemandSpec& spec, int year) {
  return spec.usd_per_gpu_hour * std::pow(1.0 - spec.price_decline_per_year, year - spec.price_base_year);
}

std::vector<DemandPoint> demand_by_year(const std::vector<MarketRow>& projection, const DemandSpec& spec,
                                        const std::string& scenario_case) {
  const auto problems = validate_demand_spec(spec);
  if (!problems.empty()) throw std::invalid_argument("invalid demand spec: " + join(problems));
  const auto series = market_series(projection, scenario_case, spec.dimension, spec.segment);
  if (series.empty()) {
    throw std::invalid_argument("the market projection has no " + scenario_case + " case of " + spec.dimension + "/" +
                                spec.segment);
  }
  std::vector<DemandPoint> demand;
  demand.reserve(series.size());
  for (const auto& [year, usd_bn] : series) {
    const double share = share_in_year(spec, year);
    const double price = price_in_year(spec, year);
    demand.push_back({year, share, usd_bn, price, share * usd_bn * 1e9 / price});
  }
  return demand;
}

double gpu_hours_demanded(const std::vector<MarketRow>& projection, const DemandSpec& spec, int year,
                          const std::string& scenario_case) {
  for (const auto& point : demand_by_year(projection, spec, scenario_case)) {
    if (point.year == year) return point.gpu_hours;
  }
  throw std::invalid_argument("the market projection does not cover " + std::to_string(year));
}

double demand_at(const std::vector<DemandPoint>& demand, double year_time) {
  if (demand.empty()) throw std::invalid_argument("no demand points");
  if (demand.size() == 1) return demand.front().gpu_hours;
  // The piece [mid_i, mid_{i+1}] holding t; the end pieces extend beyond the midpoints.
  std::size_t i = 0;
  while (i + 2 < demand.size() && year_time > demand[i + 1].year + 0.5) ++i;
  const double d0 = demand[i].gpu_hours;
  const double d1 = demand[i + 1].gpu_hours;
  const double f = (year_time - (demand[i].year + 0.5)) / (demand[i + 1].year - demand[i].year);
  if (d0 > 0.0 && d1 > 0.0) return d0 * std::pow(d1 / d0, f);
  return std::max(0.0, d0 + f * (d1 - d0));
}

double demand_multiplier(const std::vector<DemandPoint>& demand, double start_year_time, double year_time) {
  const double start = demand_at(demand, start_year_time);
  if (!(start > 0.0)) throw std::invalid_argument("no market demand at the start: the multiplier is undefined");
  return demand_at(demand, year_time) / start;
}

double demand_multiplier(const std::vector<MarketRow>& projection, const DemandSpec& spec, double start_year_time,
                         double year_time, const std::string& scenario_case) {
  return demand_multiplier(demand_by_year(projection, spec, scenario_case), start_year_time, year_time);
}

double max_demand_multiplier(const std::vector<DemandPoint>& demand, double start_year_time, double from_year_time,
                             double to_year_time) {
  // Each piece is monotone, so the maximum sits at an end of the interval or at a midpoint.
  double best = std::max(demand_multiplier(demand, start_year_time, from_year_time),
                         demand_multiplier(demand, start_year_time, to_year_time));
  for (const auto& point : demand) {
    const double mid = point.year + 0.5;
    if (mid > from_year_time && mid < to_year_time) {
      best = std::max(best, demand_multiplier(demand, start_year_time, mid));
    }
  }
  return best;
}

double fractional_year(const engine::Calendar& calendar, engine::SimTime t) {
  const int year = calendar.date_of(t).year;
  const std::int64_t start_day = engine::days_from_civil({year, 1, 1});
  const std::int64_t end_day = engine::days_from_civil({year + 1, 1, 1});
  // Microseconds since the Unix epoch, exact in int64 for any plausible date.
  const std::int64_t micros = calendar.start_unix_seconds() * engine::kMicrosPerSecond + t;
  const std::int64_t into_year = micros - start_day * engine::kMicrosPerDay;
  return year + static_cast<double>(into_year) / static_cast<double>((end_day - start_day) * engine::kMicrosPerDay);
}

}  // namespace dcsim::finance
