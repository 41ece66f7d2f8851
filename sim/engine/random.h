// Seeded random streams: one independent stream per purpose, derived from (scenario seed, stream
// name), so adding a stream never changes the numbers another stream draws.
#pragma once
#include <cstdint>
#include <string_view>

namespace dcsim::engine {

// xoshiro256** (Blackman and Vigna), seeded through splitmix64 from the seed and a 64-bit
// FNV-1a hash of the stream name. Output depends on nothing but these, on any platform.
class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::string_view stream_name);

  // Inline: a run draws a few numbers per event.
  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in the open interval (0, 1): safe to take the log of. The midpoints (k + 0.5) / 2^52
  // of 2^52 equal cells: every value is exact, the smallest is 2^-53 and the largest 1 - 2^-53.
  // (With 53 bits, k + 0.5 is not representable near 2^53 and rounds up to 2^53, giving exactly
  // 1.0.) The set is symmetric, so 1 - u has the same law as u.
  double uniform01() { return (static_cast<double>(next_u64() >> 12) + 0.5) * 0x1.0p-52; }
  // Uniform integer in [0, n), n > 0, without modulo bias.
  std::uint64_t below(std::uint64_t n);

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// 64-bit FNV-1a of a string: stable across platforms and library versions.
std::uint64_t fnv1a64(std::string_view text);

}  // namespace dcsim::engine
