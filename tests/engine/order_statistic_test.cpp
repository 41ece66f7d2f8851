// kth_smallest against std::nth_element over the same values joined, on values that stress the
// radix passes: duplicates, zeros, negatives, infinities, subnormals and empty parts.
#include "sim/engine/order_statistic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "sim/engine/random.h"

namespace dcsim::engine {
namespace {

std::vector<double> joined(const std::vector<std::vector<double>>& parts) {
  std::vector<double> all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

// Every k of the joined values, compared bit for bit with what nth_element leaves at k.
void expect_every_rank(const std::vector<std::vector<double>>& parts) {
  std::vector<std::span<const double>> spans(parts.begin(), parts.end());
  const std::vector<double> all = joined(parts);
  for (std::size_t k = 0; k < all.size(); ++k) {
    std::vector<double> copy = all;
    std::nth_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(k), copy.end());
    EXPECT_EQ(std::bit_cast<std::uint64_t>(kth_smallest(spans, k)), std::bit_cast<std::uint64_t>(copy[k]))
        << "k = " << k << " of " << all.size();
  }
}

TEST(KthSmallest, OneValue) { expect_every_rank({{3.5}}); }

TEST(KthSmallest, SpecialValuesAcrossPartsWithEmptyOnes) {
  const double inf = std::numeric_limits<double>::infinity();
  const double tiny = std::numeric_limits<double>::denorm_min();
  expect_every_rank({{}, {2.0, -1.0, 0.0, inf}, {}, {-inf, tiny, -tiny, 0.0, 2.0, 1e300, -1e-300}, {}});
}

TEST(KthSmallest, ManyEqualValues) {
  // Every wait zero, as at the mmc-gang speed point, then a few that waited.
  std::vector<double> zeros(5000, 0.0);
  std::vector<double> waited = {0.25, 0.25, 1.0 / 3600.0};
  std::vector<std::span<const double>> spans = {zeros, waited};
  EXPECT_EQ(kth_smallest(spans, 0), 0.0);
  EXPECT_EQ(kth_smallest(spans, 4999), 0.0);
  EXPECT_EQ(kth_smallest(spans, 5000), 1.0 / 3600.0);
  EXPECT_EQ(kth_smallest(spans, 5001), 0.25);
  EXPECT_EQ(kth_smallest(spans, 5002), 0.25);
}

TEST(KthSmallest, RandomWaitsMatchNthElement) {
  // Waits in hours as the model makes them: many zeros, exponential tails, values that share
  // their leading bits (so later radix passes decide), in three parts.
  RandomStream rng(7, "order-statistic");
  std::vector<std::vector<double>> parts(3);
  for (int i = 0; i < 600; ++i) {
    const double u = rng.uniform01();
    double x = u < 0.3 ? 0.0 : -std::log(rng.uniform01()) * 2.0;
    if (u > 0.9) x = 1.0 + static_cast<double>(i % 7) * std::numeric_limits<double>::epsilon();
    parts[static_cast<std::size_t>(i % 3)].push_back(x);
  }
  expect_every_rank(parts);
}

}  // namespace
}  // namespace dcsim::engine
