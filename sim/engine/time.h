// Simulated time: an integer count of microseconds since the scenario's start.
#pragma once
#include <cmath>
#include <cstdint>

namespace dcsim::engine {

using SimTime = std::int64_t;  // microseconds since the scenario start

inline constexpr SimTime kMicrosPerSecond = 1'000'000;
inline constexpr SimTime kMicrosPerHour = 3'600 * kMicrosPerSecond;
inline constexpr SimTime kMicrosPerDay = 24 * kMicrosPerHour;
inline constexpr SimTime kNever = INT64_MAX;

// Rounds to the nearest microsecond (halves away from zero, as std::llround); spans from scenario
// files are finite and checked. Below 2^52 microseconds (142 years) the rounding is done inline,
// bit for bit as llround does it (there x - trunc(x) is exact): runs convert a few draws per event,
// and the library call was a visible part of that.
inline SimTime from_seconds(double seconds) {
  const double us = seconds * 1e6;
  if (!(std::abs(us) < 0x1p52)) return static_cast<SimTime>(std::llround(us));
  auto whole = static_cast<SimTime>(us);  // toward zero
  const double frac = us - static_cast<double>(whole);
  if (frac >= 0.5) {
    ++whole;
  } else if (frac <= -0.5) {
    --whole;
  }
  return whole;
}
inline constexpr double to_seconds(SimTime t) { return static_cast<double>(t) / 1e6; }
inline constexpr double to_hours(SimTime t) { return static_cast<double>(t) / 3.6e9; }

}  // namespace dcsim::engine
