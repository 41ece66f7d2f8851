// Probability distributions written here (not <random>'s, whose output differs between standard
// library versions), so a seed gives the same draws everywhere.
#pragma once
#include <cmath>
#include <vector>

#include "sim/engine/random.h"

namespace dcsim::engine {

class Distribution {
 public:
  enum class Kind { constant, exponential, normal, lognormal, weibull, gamma, uniform, discrete, empirical };

  Distribution() = default;  // constant 0
  static Distribution constant(double value);
  static Distribution exponential(double mean);
  static Distribution normal(double mean, double sd);
  static Distribution lognormal(double median, double sigma);  // sigma of the underlying normal
  static Distribution weibull(double shape, double scale);
  static Distribution gamma(double shape, double scale);
  static Distribution uniform(double min, double max);
  // values[i] with probability probabilities[i]; probabilities are normalised to sum to 1.
  static Distribution discrete(std::vector<double> values, std::vector<double> probabilities);
  // Resamples the given observations uniformly (bootstrap).
  static Distribution empirical(std::vector<double> samples);

  // The exponential case inline (a run draws one per job: durations, gaps); the others in
  // sample_other. The same draws either way.
  double sample(RandomStream& rng) const {
    if (kind_ == Kind::exponential) return -a_ * std::log(rng.uniform01());
    return sample_other(rng);
  }
  double mean() const;  // analytic
  double max_value() const;  // largest possible value (infinity for unbounded kinds)

  Kind kind() const { return kind_; }
  // Parameters as given: constant (value), exponential (mean), normal (mean, sd),
  // lognormal (median, sigma), weibull/gamma (shape, scale), uniform (min, max).
  double a() const { return a_; }
  double b() const { return b_; }
  const std::vector<double>& values() const { return values_; }          // discrete and empirical
  const std::vector<double>& probabilities() const { return probabilities_; }  // discrete

 private:
  double sample_other(RandomStream& rng) const;
  Kind kind_ = Kind::constant;
  double a_ = 0.0;
  double b_ = 0.0;
  std::vector<double> values_;
  std::vector<double> probabilities_;
  std::vector<double> cumulative_;  // discrete: running sums for binary search
};

}  // namespace dcsim::engine
