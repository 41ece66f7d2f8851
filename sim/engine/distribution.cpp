// Sampling, means and bounds of the engine's distributions, from <cmath> only, so that a seed
// gives the same draws with any standard library.
#include "sim/engine/distribution.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace dcsim::engine {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Factories are the last line of defence behind the scenario validator: bad parameters there are
// a bug, but they must not turn into NaN draws in a release build.
void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("Distribution: ") + what);
}

bool finite(double x) { return std::isfinite(x); }

// Box-Muller, cosine branch only: sample() is const, so the sine partner is not kept.
double standard_normal(RandomStream& rng) {
  const double u1 = rng.uniform01();
  const double u2 = rng.uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

// Marsaglia and Tsang (2000) for shape >= 1, unit scale.
double gamma_shape_at_least_one(double shape, RandomStream& rng) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double z = standard_normal(rng);
    const double t = 1.0 + c * z;
    if (t <= 0.0) continue;
    const double v = t * t * t;
    const double u = rng.uniform01();
    if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v)) return d * v;
  }
}

}  // namespace

Distribution Distribution::constant(double value) {
  require(finite(value), "constant value must be finite");
  Distribution d;
  d.kind_ = Kind::constant;
  d.a_ = value;
  return d;
}

Distribution Distribution::exponential(double mean) {
  require(finite(mean) && mean >= 0.0, "exponential mean must be finite and >= 0");
  Distribution d;
  d.kind_ = Kind::exponential;
  d.a_ = mean;
  return d;
}

Distribution Distribution::normal(double mean, double sd) {
  require(finite(mean) && finite(sd) && sd >= 0.0, "normal needs a finite mean and a finite sd >= 0");
  Distribution d;
  d.kind_ = Kind::normal;
  d.a_ = mean;
  d.b_ = sd;
  return d;
}

Distribution Distribution::lognormal(double median, double sigma) {
  require(finite(median) && median > 0.0 && finite(sigma) && sigma >= 0.0,
          "lognormal needs a finite median > 0 and a finite sigma >= 0");
  Distribution d;
  d.kind_ = Kind::lognormal;
  d.a_ = median;
  d.b_ = sigma;
  return d;
}

Distribution Distribution::weibull(double shape, double scale) {
  require(finite(shape) && shape > 0.0 && finite(scale) && scale > 0.0,
          "weibull needs a finite shape > 0 and a finite scale > 0");
  Distribution d;
  d.kind_ = Kind::weibull;
  d.a_ = shape;
  d.b_ = scale;
  return d;
}

Distribution Distribution::gamma(double shape, double scale) {
  require(finite(shape) && shape > 0.0 && finite(scale) && scale > 0.0,
          "gamma needs a finite shape > 0 and a finite scale > 0");
  Distribution d;
  d.kind_ = Kind::gamma;
  d.a_ = shape;
  d.b_ = scale;
  return d;
}

Distribution Distribution::uniform(double min, double max) {
  require(finite(min) && finite(max) && min <= max, "uniform needs finite min <= max");
  Distribution d;
  d.kind_ = Kind::uniform;
  d.a_ = min;
  d.b_ = max;
  return d;
}

Distribution Distribution::discrete(std::vector<double> values, std::vector<double> probabilities) {
  require(!values.empty() && values.size() == probabilities.size(),
          "discrete needs as many probabilities as values, and at least one");
  double total = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    require(finite(values[i]), "discrete values must be finite");
    require(finite(probabilities[i]) && probabilities[i] >= 0.0, "discrete probabilities must be finite and >= 0");
    total += probabilities[i];
  }
  require(total > 0.0 && finite(total), "discrete probabilities must have a positive finite sum");
  Distribution d;
  d.kind_ = Kind::discrete;
  d.cumulative_.reserve(probabilities.size());
  double running = 0.0;
  for (double& p : probabilities) {
    p /= total;
    running += p;
    d.cumulative_.push_back(running);
  }
  d.values_ = std::move(values);
  d.probabilities_ = std::move(probabilities);
  return d;
}

Distribution Distribution::empirical(std::vector<double> samples) {
  require(!samples.empty(), "empirical needs at least one sample");
  for (const double x : samples) require(finite(x), "empirical samples must be finite");
  Distribution d;
  d.kind_ = Kind::empirical;
  d.values_ = std::move(samples);
  return d;
}

double Distribution::sample_other(RandomStream& rng) const {
  switch (kind_) {
    case Kind::constant:
      return a_;
    case Kind::exponential:
      return -a_ * std::log(rng.uniform01());
    case Kind::normal:
      return a_ + b_ * standard_normal(rng);
    case Kind::lognormal:
      return a_ * std::exp(b_ * standard_normal(rng));
    case Kind::weibull:
      return b_ * std::pow(-std::log(rng.uniform01()), 1.0 / a_);
    case Kind::gamma: {
      if (a_ >= 1.0) return b_ * gamma_shape_at_least_one(a_, rng);
      // Shape < 1: draw with shape + 1 and scale down by u^(1/shape) (Marsaglia and Tsang).
      const double g = gamma_shape_at_least_one(a_ + 1.0, rng);
      return b_ * g * std::pow(rng.uniform01(), 1.0 / a_);
    }
    case Kind::uniform:
      return a_ + (b_ - a_) * rng.uniform01();
    case Kind::discrete: {
      const double u = rng.uniform01();
      const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
      auto i = static_cast<std::size_t>(it - cumulative_.begin());
      if (i == cumulative_.size()) {
        // The running sum fell short of 1 by rounding: take the last value that can occur.
        i = cumulative_.size() - 1;
        while (i > 0 && probabilities_[i] == 0.0) --i;
      }
      return values_[i];
    }
    case Kind::empirical:
      return values_[rng.below(values_.size())];
  }
  assert(false && "unknown distribution kind");
  return 0.0;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::constant:
    case Kind::exponential:
    case Kind::normal:
      return a_;
    case Kind::lognormal:
      return a_ * std::exp(0.5 * b_ * b_);
    case Kind::weibull:
      return b_ * std::tgamma(1.0 + 1.0 / a_);
    case Kind::gamma:
      return a_ * b_;
    case Kind::uniform:
      return 0.5 * (a_ + b_);
    case Kind::discrete: {
      double m = 0.0;
      for (std::size_t i = 0; i < values_.size(); ++i) m += values_[i] * probabilities_[i];
      return m;
    }
    case Kind::empirical: {
      double sum = 0.0;
      for (const double x : values_) sum += x;
      return sum / static_cast<double>(values_.size());
    }
  }
  assert(false && "unknown distribution kind");
  return 0.0;
}

double Distribution::max_value() const {
  switch (kind_) {
    case Kind::constant:
      return a_;
    case Kind::uniform:
      return b_;
    case Kind::discrete: {
      double m = -kInfinity;
      for (std::size_t i = 0; i < values_.size(); ++i)
        if (probabilities_[i] > 0.0) m = std::max(m, values_[i]);
      return m;
    }
    case Kind::empirical:
      return *std::max_element(values_.begin(), values_.end());
    case Kind::exponential:
    case Kind::normal:
    case Kind::lognormal:
    case Kind::weibull:
    case Kind::gamma:
      return kInfinity;
  }
  assert(false && "unknown distribution kind");
  return kInfinity;
}

}  // namespace dcsim::engine
