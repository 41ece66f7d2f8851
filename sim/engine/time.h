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

// Rounds to the nearest microsecond; spans from scenario files are finite and checked.
inline SimTime from_seconds(double seconds) { return static_cast<SimTime>(std::llround(seconds * 1e6)); }
inline constexpr double to_seconds(SimTime t) { return static_cast<double>(t) / 1e6; }
inline constexpr double to_hours(SimTime t) { return static_cast<double>(t) / 3.6e9; }

}  // namespace dcsim::engine
