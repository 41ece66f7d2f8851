// The k-th smallest of values held in several arrays (a percentile over every workload's waits),
// found without joining, copying or reordering them: at millions of values a joined copy for
// std::nth_element costs more in page faults than the selection itself.
#pragma once
#include <algorithm>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dcsim::engine {

// Radix select over the values' bits, 16 bits per pass, four read-only passes. k counts from 0
// and must be below the total count; no value may be NaN. The result is the value that
// std::nth_element would leave at position k of the arrays joined in any order (bit for bit,
// except that -0.0 counts as smaller than +0.0 here).
inline double kth_smallest(std::span<const std::span<const double>> parts, std::size_t k) {
  // Doubles ordered as unsigned integers: negatives flip every bit, the others the sign bit.
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  const auto key = [](double x) {
    const auto u = std::bit_cast<std::uint64_t>(x);
    return (u & kSign) != 0 ? ~u : u | kSign;
  };
  std::vector<std::size_t> counts(std::size_t{1} << 16);
  std::uint64_t prefix = 0;  // the key's digits settled so far
  for (int shift = 48; shift >= 0; shift -= 16) {
    // Only keys that agree with the settled digits (none at the first pass) are counted.
    const std::uint64_t settled = shift == 48 ? 0 : ~std::uint64_t{0} << (shift + 16);
    std::fill(counts.begin(), counts.end(), 0);
    for (std::span<const double> part : parts) {
      for (double x : part) {
        const std::uint64_t kx = key(x);
        if ((kx & settled) == prefix) ++counts[(kx >> shift) & 0xFFFF];
      }
    }
    std::size_t digit = 0;
    while (k >= counts[digit]) {
      k -= counts[digit];
      ++digit;
      assert(digit < counts.size() && "k is below the number of values");
    }
    prefix |= static_cast<std::uint64_t>(digit) << shift;
  }
  return std::bit_cast<double>((prefix & kSign) != 0 ? prefix & ~kSign : ~prefix);
}

}  // namespace dcsim::engine
