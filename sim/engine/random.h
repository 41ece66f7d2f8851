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

  std::uint64_t next_u64();
  // Uniform in the open interval (0, 1): safe to take the log of.
  double uniform01();
  // Uniform integer in [0, n), n > 0, without modulo bias.
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t s_[4];
};

// 64-bit FNV-1a of a string: stable across platforms and library versions.
std::uint64_t fnv1a64(std::string_view text);

}  // namespace dcsim::engine
