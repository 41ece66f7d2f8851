#include "sim/finance/kpis.h"

#include <cmath>

namespace dcsim::finance {

double npv(double annual_rate, double initial_usd, const std::vector<double>& monthly_usd) {
  double sum = initial_usd;
  const double monthly_factor = std::pow(1.0 + annual_rate, -1.0 / 12.0);
  double factor = 1.0;
  for (double cf : monthly_usd) {
    factor *= monthly_factor;
    sum += cf * factor;
  }
  return sum;
}

IrrResult irr(double initial_usd, const std::vector<double>& monthly_usd) {
  bool positive = initial_usd > 0, negative = initial_usd < 0;
  for (double cf : monthly_usd) {
    positive = positive || cf > 0;
    negative = negative || cf < 0;
  }
  if (!positive || !negative) return {std::nullopt, "cash flows never change sign"};
  double lo = -0.99, hi = 10.0;
  double f_lo = npv(lo, initial_usd, monthly_usd), f_hi = npv(hi, initial_usd, monthly_usd);
  if ((f_lo > 0) == (f_hi > 0)) return {std::nullopt, "the NPV does not cross zero between -99% and 1000% a year"};
  for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
    const double mid = 0.5 * (lo + hi);
    const double f_mid = npv(mid, initial_usd, monthly_usd);
    if ((f_mid > 0) == (f_lo > 0)) {
      lo = mid;
      f_lo = f_mid;
    } else {
      hi = mid;
    }
  }
  return {0.5 * (lo + hi), ""};
}

std::optional<int> payback_month(double initial_usd, const std::vector<double>& monthly_usd) {
  double cumulative = initial_usd;
  if (cumulative >= 0 && monthly_usd.empty()) return 0;
  for (std::size_t m = 0; m < monthly_usd.size(); ++m) {
    cumulative += monthly_usd[m];
    if (cumulative >= 0) return static_cast<int>(m);
  }
  return std::nullopt;
}

}  // namespace dcsim::finance
