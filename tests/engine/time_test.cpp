// Simulated time conversions: from_seconds rounds as std::llround does.
#include "sim/engine/time.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/engine/random.h"

namespace dcsim::engine {
namespace {

// from_seconds rounds inline below 2^52 microseconds: the same value as std::llround everywhere,
// halves (away from zero), the largest doubles under a half and both signs included.
TEST(FromSeconds, RoundsAsLlround) {
  const std::vector<double> us = {0.0,  0.5,   1.5,   2.5,  -0.5,  -1.5, 0.49999999999999994, -0.49999999999999994,
                                  1e6,  1e15,  4503599627370495.5, 4503599627370496.0, 9.1e18, -9.1e18, 3.6e9 + 0.5};
  for (double x : us) EXPECT_EQ(from_seconds(x / 1e6), std::llround(x / 1e6 * 1e6)) << x;
  RandomStream rng(3, "from_seconds");
  for (int i = 0; i < 200000; ++i) {
    const double s = (rng.uniform01() - 0.5) * std::ldexp(1.0, static_cast<int>(rng.below(60)) - 20);
    ASSERT_EQ(from_seconds(s), std::llround(s * 1e6)) << s;
  }
  // Exact halves: m / 128 s is m x 7812.5 us, a half for odd m.
  for (int i = 0; i < 20000; ++i) {
    const double m = static_cast<double>(2 * static_cast<std::int64_t>(rng.below(1u << 30)) + 1);
    for (const double s : {m / 128.0, -m / 128.0}) ASSERT_EQ(from_seconds(s), std::llround(s * 1e6)) << s;
  }
}

}  // namespace
}  // namespace dcsim::engine
