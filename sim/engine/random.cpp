// xoshiro256** streams keyed by (seed, stream name). The seeding recipe below is part of the
// output format: changing it changes every simulated run, and every golden fingerprint.
#include "sim/engine/random.h"

#include <cassert>

namespace dcsim::engine {
namespace {

constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// The seed goes through one splitmix64 step before the name hash is mixed in, so nearby seeds
// and related names do not cancel; four more steps fill the state. Consecutive splitmix64
// outputs are distinct, so the state is never all zero.
RandomStream::RandomStream(std::uint64_t seed, std::string_view stream_name) {
  std::uint64_t sm = seed;
  std::uint64_t state = splitmix64_next(sm) ^ fnv1a64(stream_name);
  for (std::uint64_t& word : s_) word = splitmix64_next(state);
}

// Lemire's multiply-shift with rejection (Lemire 2019): unbiased, one draw almost always.
std::uint64_t RandomStream::below(std::uint64_t n) {
  assert(n > 0);
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace dcsim::engine
