// Many runs of one scenario: seeds of independent replications, statistics of a KPI across
// replications (mean, sd, Student-t interval, nearest-rank percentiles), Welch's t-test, and
// the variants of a parameter sweep. Pure functions: no threads, files or printing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dcsim::run {

// SplitMix64's output function: a bijective mix of 64 bits.
std::uint64_t splitmix64(std::uint64_t x);

// Seed of replication `index` (0-based) of a scenario seeded `base`: replication 0 keeps the
// base seed (it is the plain run); the others are splitmix64-derived and well apart.
std::uint64_t replication_seed(std::uint64_t base, std::uint32_t index);

struct KpiStats {
  std::size_t n = 0;
  double mean = 0.0;
  double sd = 0.0;         // sample standard deviation (n - 1); 0 for one value
  double ci95_low = 0.0;   // mean -+ t(0.975, n-1) sd / sqrt(n); NaN for fewer than two values
  double ci95_high = 0.0;
  double p10 = 0.0;        // nearest rank
  double p50 = 0.0;
  double p90 = 0.0;
};

// Statistics of the values in the order given (the result does not depend on that order
// except for rounding in the sums, which run in index order).
KpiStats kpi_stats(const std::vector<double>& values);

// Nearest-rank percentile: the smallest value with at least p% of the values at or below it
// (rank ceil(p/100 n), at least 1). `sorted` ascending and non-empty; p in [0, 100].
double nearest_rank(const std::vector<double>& sorted, double p);

// Student's t distribution with `df` degrees of freedom (df > 0, need not be an integer).
double student_t_cdf(double t, double df);
// The q-quantile (0 < q < 1).
double student_t_quantile(double q, double df);

struct WelchTest {
  double t = 0.0;
  double df = 0.0;
  double p_value = 1.0;  // two-sided
  bool valid = false;    // false with fewer than two values on a side
};

// Welch's unequal-variances t-test of mean(b) - mean(a).
WelchTest welch_t_test(const std::vector<double>& a, const std::vector<double>& b);

// One `--vary key.path=v1,v2,...` input. Values split on commas outside brackets and braces,
// so `{discrete: {8: 0.5, 16: 0.5}}` stays one value.
struct VaryInput {
  std::string path;
  std::vector<std::string> values;
};

struct VaryParse {
  VaryInput input;
  std::string error;  // non-empty: the argument is malformed
  bool ok() const { return error.empty(); }
};

VaryParse parse_vary(const std::string& argument);

// A `key=low..high` range for Latin hypercube sampling: numbers with an optional shared unit
// suffix ("1.2..1.5", "20/day..40/day", "0.05 USD/kWh..0.1 USD/kWh").
struct VaryRange {
  std::string path;
  double low = 0.0;
  double high = 0.0;
  std::string unit;  // text after the number, shared by both ends ("" if none)
};

struct RangeParse {
  VaryRange range;
  std::string error;
  bool ok() const { return error.empty(); }
};

RangeParse parse_vary_range(const std::string& argument);

// One variant of a sweep: the value of each input, in input order.
using VariantValues = std::vector<std::string>;

// The full grid, first input slowest: {a1,a2} x {b1,b2} -> a1b1, a1b2, a2b1, a2b2.
std::vector<VariantValues> full_grid(const std::vector<VaryInput>& inputs);

// `samples` points of a Latin hypercube over the ranges: each range is cut into `samples`
// equal strata and every stratum is used exactly once; deterministic for a given seed.
std::vector<std::vector<double>> latin_hypercube(const std::vector<VaryRange>& ranges, std::size_t samples,
                                                 std::uint64_t seed);

}  // namespace dcsim::run
