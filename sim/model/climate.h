// Outdoor temperature per site, hour by hour: a seeded sinusoidal climate (annual mean, seasonal
// and daily swings, AR(1) noise) or an hourly series read from an EnergyPlus weather file.
// The cooling model (cooling.h) turns it into PUE, capacity derating and water use.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcsim::model {

struct SinusoidalClimate {
  double annual_mean_c = 15.0;
  double seasonal_amplitude_c = 10.0;  // half the summer-winter swing of daily means
  int warmest_day_of_year = 200;       // 1..366; the seasonal peak is at the middle of this day
  double daily_amplitude_c = 5.0;      // half the day-night swing
  int warmest_hour = 15;               // local hour 0..23; the daily peak is at the middle of it
  double noise_sd_c = 1.5;             // standard deviation of the weather noise
  double noise_correlation_hours = 24.0;  // AR(1) e-folding time; 0 gives independent hours
};

// Problems with a climate, one sentence each; empty when it is usable.
std::vector<std::string> climate_problems(const SinusoidalClimate& climate);

// Named presets for examples and tests (approximations of 1991-2020 climate normals, rounded;
// not measured data):
//   "temperate"  Ashburn / Dulles, Virginia (US data-center alley): mean 13 C, Jan about 1 C,
//                Jul about 25 C, day-night swing about 11 C.
//   "hot"        Phoenix, Arizona (hot and dry): mean 24 C, Jan about 13 C, Jul about 35 C,
//                day-night swing about 13 C.
//   "cool"       Quincy, Washington (dry continental, a hyperscale cluster): mean 10 C,
//                Jan about -2 C, Jul about 23 C, day-night swing about 14 C.
//   "cold"       Lulea, northern Sweden (Nordic data centers): mean 2 C, Jan about -11 C,
//                Jul about 16 C, day-night swing about 7 C.
std::optional<SinusoidalClimate> climate_preset(std::string_view name);
std::vector<std::string> climate_preset_names();  // in the order above

// Hourly outdoor dry-bulb temperature, degrees C. Copyable; holds no stream state: every call
// of hourly() draws the noise afresh, so equal arguments give equal series.
class OutdoorTemperature {
 public:
  // Sinusoid plus AR(1) noise drawn from engine::RandomStream(seed, stream_name). The daily
  // cycle follows local time = UTC + utc_offset_hours. Assumes climate_problems() is empty.
  static OutdoorTemperature sinusoidal(const SinusoidalClimate& climate, std::uint64_t seed, std::string stream_name,
                                       double utc_offset_hours = 0.0);
  // A typical year of hourly values in file order (an EPW's dry bulb: element 0 is 1 January
  // 00:00-01:00 local standard time), 8760 values or 8784 for a leap-year file; the same year
  // repeats for every simulated year. utc_offset_hours is the file's time zone (EPW LOCATION).
  // Leap days: a simulated 29 February reuses 28 February of an 8760-value file; an 8784-value
  // file's 29 February is skipped in common years. Throws std::invalid_argument for any other
  // length or a non-finite value (the EPW reader never hands in such a series).
  static OutdoorTemperature hourly_series(std::vector<double> year_c, double utc_offset_hours = 0.0);

  // Temperatures of `hours` consecutive hours, the first starting at start_unix_s (seconds
  // since 1970-01-01 UTC). Element i is the value for [start + 3600 i, start + 3600 (i+1)):
  // the sinusoid at the middle of that hour, or the series value of the local hour holding it.
  // The noise is an AR(1) walk started at start_unix_s (stationary start) and drawn in hour
  // order, so it depends on (seed, stream name, start, i) only.
  std::vector<double> hourly(std::int64_t start_unix_s, std::int64_t hours) const;

  // The value at an instant without noise: the sinusoid, or the series value of its hour.
  double expected_at(std::int64_t unix_s) const;

  bool is_series() const { return !series_.empty(); }

 private:
  OutdoorTemperature() = default;
  double sinusoid_at(double unix_s) const;
  double series_at(std::int64_t unix_s) const;

  SinusoidalClimate climate_;
  std::uint64_t seed_ = 0;
  std::string stream_name_;
  std::int64_t utc_offset_s_ = 0;
  std::vector<double> series_;
};

}  // namespace dcsim::model
