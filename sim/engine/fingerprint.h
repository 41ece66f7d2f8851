// An order-sensitive 64-bit hash of the processed events, for golden-run comparisons: two runs
// agree on it only if they processed the same (time, kind, id) sequence.
#pragma once
#include <cstdint>
#include <string>

#include "sim/engine/time.h"

namespace dcsim::engine {

// h starts at the FNV-1a offset basis; per event h = mix(h ^ time), h = mix(h ^ (kind << 32 | id)),
// with mix the splitmix64 finaliser plus the golden-ratio increment (so a zero input still moves h).
// The recipe is part of every stored golden value: do not change it lightly.
class EventFingerprint {
 public:
  void add(SimTime time, std::uint16_t kind, std::uint32_t id) {
    h_ = mix(h_ ^ static_cast<std::uint64_t>(time));
    h_ = mix(h_ ^ ((static_cast<std::uint64_t>(kind) << 32) | id));
  }

  std::uint64_t value() const { return h_; }

  // 16 lowercase hex digits, zero-padded.
  std::string hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    std::uint64_t v = h_;
    for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 0xf];
    return out;
  }

 private:
  static constexpr std::uint64_t mix(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace dcsim::engine
