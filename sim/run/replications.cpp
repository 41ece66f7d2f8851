// Seeds, statistics and sweep variants of many runs (see replications.h).
#include "sim/run/replications.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace dcsim::run {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t replication_seed(std::uint64_t base, std::uint32_t index) {
  if (index == 0) return base;
  return splitmix64(base ^ splitmix64(0x5EED0000ULL + index));
}

double nearest_rank(const std::vector<double>& sorted, double p) {
  const double n = static_cast<double>(sorted.size());
  std::size_t rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

KpiStats kpi_stats(const std::vector<double>& values) {
  KpiStats s;
  s.n = values.size();
  if (values.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    s.mean = s.sd = s.ci95_low = s.ci95_high = s.p10 = s.p50 = s.p90 = nan;
    return s;
  }
  double sum = 0.0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(s.n);
  if (s.n > 1) {
    double ss = 0.0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(ss / static_cast<double>(s.n - 1));
    const double half = student_t_quantile(0.975, static_cast<double>(s.n - 1)) * s.sd / std::sqrt(static_cast<double>(s.n));
    s.ci95_low = s.mean - half;
    s.ci95_high = s.mean + half;
  } else {
    s.ci95_low = s.ci95_high = std::numeric_limits<double>::quiet_NaN();
  }
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  s.p10 = nearest_rank(sorted, 10);
  s.p50 = nearest_rank(sorted, 50);
  s.p90 = nearest_rank(sorted, 90);
  return s;
}

namespace {

// Continued fraction of the incomplete beta function (modified Lentz).
double beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 500; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < 1e-16) break;
  }
  return h;
}

// Regularized incomplete beta I_x(a, b).
double incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double ln_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(ln_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_fraction(a, b, x) / a;
  return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

}  // namespace

double student_t_cdf(double t, double df) {
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  const double tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
  return t >= 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double q, double df) {
  if (q == 0.5) return 0.0;
  if (q < 0.5) return -student_t_quantile(1.0 - q, df);
  double lo = 0.0, hi = 1.0;
  while (student_t_cdf(hi, df) < q && hi < 1e12) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (student_t_cdf(mid, df) < q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

WelchTest welch_t_test(const std::vector<double>& a, const std::vector<double>& b) {
  WelchTest w;
  if (a.size() < 2 || b.size() < 2) return w;
  const KpiStats sa = kpi_stats(a), sb = kpi_stats(b);
  const double va = sa.sd * sa.sd / static_cast<double>(a.size());
  const double vb = sb.sd * sb.sd / static_cast<double>(b.size());
  w.valid = true;
  const double diff = sb.mean - sa.mean;
  if (va + vb == 0.0) {
    // No spread on either side: any difference is certain, none is none.
    w.t = diff == 0.0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), diff);
    w.df = static_cast<double>(a.size() + b.size() - 2);
    w.p_value = diff == 0.0 ? 1.0 : 0.0;
    return w;
  }
  w.t = diff / std::sqrt(va + vb);
  w.df = (va + vb) * (va + vb) /
         (va * va / static_cast<double>(a.size() - 1) + vb * vb / static_cast<double>(b.size() - 1));
  w.p_value = 2.0 * (1.0 - student_t_cdf(std::fabs(w.t), w.df));
  w.p_value = std::clamp(w.p_value, 0.0, 1.0);
  return w;
}

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

VaryParse parse_vary(const std::string& argument) {
  VaryParse r;
  const auto eq = argument.find('=');
  if (eq == std::string::npos || eq == 0) {
    r.error = "expected key.path=v1,v2,...";
    return r;
  }
  r.input.path = trim(argument.substr(0, eq));
  const std::string rest = argument.substr(eq + 1);
  int depth = 0;
  std::string cur;
  for (char c : rest) {
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    if (c == ',' && depth == 0) {
      r.input.values.push_back(trim(cur));
      cur.clear();
      continue;
    }
    cur += c;
  }
  r.input.values.push_back(trim(cur));
  if (depth != 0) {
    r.error = "unbalanced brackets in the values";
    return r;
  }
  for (const std::string& v : r.input.values) {
    if (v.empty()) {
      r.error = "empty value (expected key.path=v1,v2,...)";
      return r;
    }
  }
  return r;
}

namespace {

// A number at the start of `text`, the rest (trimmed) as its unit.
bool split_number(const std::string& text, double& value, std::string& unit) {
  const std::string t = trim(text);
  std::size_t used = 0;
  try {
    value = std::stod(t, &used);
  } catch (const std::exception&) {
    return false;
  }
  if (!std::isfinite(value)) return false;
  unit = t.substr(used);
  return true;
}

}  // namespace

RangeParse parse_vary_range(const std::string& argument) {
  RangeParse r;
  const auto eq = argument.find('=');
  const auto dots = argument.find("..", eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || dots == std::string::npos) {
    r.error = "expected key.path=low..high";
    return r;
  }
  r.range.path = trim(argument.substr(0, eq));
  std::string unit_low, unit_high;
  if (!split_number(argument.substr(eq + 1, dots - eq - 1), r.range.low, unit_low) ||
      !split_number(argument.substr(dots + 2), r.range.high, unit_high)) {
    r.error = "expected numbers: key.path=low..high";
    return r;
  }
  if (!unit_low.empty() && !unit_high.empty() && unit_low != unit_high) {
    r.error = "the two ends have different units ('" + unit_low + "', '" + unit_high + "')";
    return r;
  }
  r.range.unit = unit_high.empty() ? unit_low : unit_high;
  if (!(r.range.low < r.range.high)) r.error = "low must be below high";
  return r;
}

std::vector<VariantValues> full_grid(const std::vector<VaryInput>& inputs) {
  std::vector<VariantValues> out(1);
  for (const VaryInput& in : inputs) {
    std::vector<VariantValues> next;
    next.reserve(out.size() * in.values.size());
    for (const VariantValues& prefix : out) {
      for (const std::string& v : in.values) {
        next.push_back(prefix);
        next.back().push_back(v);
      }
    }
    out = std::move(next);
  }
  return out;
}

std::vector<std::vector<double>> latin_hypercube(const std::vector<VaryRange>& ranges, std::size_t samples,
                                                 std::uint64_t seed) {
  std::vector<std::vector<double>> out(samples, std::vector<double>(ranges.size()));
  std::uint64_t state = splitmix64(seed ^ 0x1A7E5A3B1E5ULL);
  auto next = [&state] {
    state = splitmix64(state);
    return state;
  };
  auto uniform = [&next] { return static_cast<double>(next() >> 11) * 0x1.0p-53; };
  for (std::size_t d = 0; d < ranges.size(); ++d) {
    std::vector<std::size_t> strata(samples);
    for (std::size_t i = 0; i < samples; ++i) strata[i] = i;
    for (std::size_t i = samples; i > 1; --i) std::swap(strata[i - 1], strata[next() % i]);  // Fisher-Yates
    for (std::size_t i = 0; i < samples; ++i) {
      const double u = (static_cast<double>(strata[i]) + uniform()) / static_cast<double>(samples);
      out[i][d] = ranges[d].low + u * (ranges[d].high - ranges[d].low);
    }
  }
  return out;
}

}  // namespace dcsim::run
