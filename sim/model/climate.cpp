// Outdoor temperature per site: see climate.h and docs/cooling.md.
#include "sim/model/climate.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "sim/engine/calendar.h"
#include "sim/engine/random.h"

namespace dcsim::model {

namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr double kTwoPi = 2.0 * std::numbers::pi;

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Floor division for times before 1970.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Box-Muller: the same standard normal that engine::Distribution draws.
double standard_normal(engine::RandomStream& rng) {
  const double u1 = rng.uniform01();
  const double u2 = rng.uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

}  // namespace

std::vector<std::string> climate_problems(const SinusoidalClimate& c) {
  std::vector<std::string> problems;
  if (!std::isfinite(c.annual_mean_c) || c.annual_mean_c < -60.0 || c.annual_mean_c > 50.0) {
    problems.push_back("annual mean must be between -60 C and 50 C");
  }
  auto non_negative = [&](double v, const char* name) {
    if (!std::isfinite(v) || v < 0.0 || v > 60.0) problems.push_back(std::string(name) + " must be between 0 and 60");
  };
  non_negative(c.seasonal_amplitude_c, "seasonal amplitude (C)");
  non_negative(c.daily_amplitude_c, "daily amplitude (C)");
  non_negative(c.noise_sd_c, "noise standard deviation (C)");
  if (!std::isfinite(c.noise_correlation_hours) || c.noise_correlation_hours < 0.0) {
    problems.push_back("noise correlation time must be a finite number of hours >= 0");
  }
  if (c.warmest_day_of_year < 1 || c.warmest_day_of_year > 366) problems.push_back("warmest day of year must be 1..366");
  if (c.warmest_hour < 0 || c.warmest_hour > 23) problems.push_back("warmest hour must be 0..23");
  return problems;
}

std::optional<SinusoidalClimate> climate_preset(std::string_view name) {
  SinusoidalClimate c;
  c.warmest_day_of_year = 200;  // about 19 July in all four places
  c.warmest_hour = 15;
  c.noise_correlation_hours = 48.0;  // weather systems last two to three days
  if (name == "temperate") {  // Ashburn / Dulles, Virginia
    c.annual_mean_c = 13.0;
    c.seasonal_amplitude_c = 12.0;
    c.daily_amplitude_c = 5.5;
    c.noise_sd_c = 3.0;
  } else if (name == "hot") {  // Phoenix, Arizona
    c.annual_mean_c = 24.0;
    c.seasonal_amplitude_c = 10.7;
    c.daily_amplitude_c = 6.5;
    c.noise_sd_c = 2.0;
  } else if (name == "cool") {  // Quincy, Washington
    c.annual_mean_c = 10.0;
    c.seasonal_amplitude_c = 12.5;
    c.daily_amplitude_c = 7.0;
    c.noise_sd_c = 3.0;
  } else if (name == "cold") {  // Lulea, Sweden
    c.annual_mean_c = 2.0;
    c.seasonal_amplitude_c = 13.5;
    c.daily_amplitude_c = 3.5;
    c.noise_sd_c = 3.5;
  } else {
    return std::nullopt;
  }
  return c;
}

std::vector<std::string> climate_preset_names() { return {"temperate", "hot", "cool", "cold"}; }

OutdoorTemperature OutdoorTemperature::sinusoidal(const SinusoidalClimate& climate, std::uint64_t seed,
                                                  std::string stream_name, double utc_offset_hours) {
  OutdoorTemperature t;
  t.climate_ = climate;
  t.seed_ = seed;
  t.stream_name_ = std::move(stream_name);
  t.utc_offset_s_ = std::llround(utc_offset_hours * 3600.0);
  return t;
}

OutdoorTemperature OutdoorTemperature::hourly_series(std::vector<double> year_c, double utc_offset_hours) {
  if (year_c.size() != 8760 && year_c.size() != 8784) {
    throw std::invalid_argument("an hourly weather series needs 8760 or 8784 values, got " +
                                std::to_string(year_c.size()));
  }
  for (double v : year_c) {
    if (!std::isfinite(v)) throw std::invalid_argument("an hourly weather series holds a non-finite value");
  }
  OutdoorTemperature t;
  t.series_ = std::move(year_c);
  t.utc_offset_s_ = std::llround(utc_offset_hours * 3600.0);
  return t;
}

double OutdoorTemperature::sinusoid_at(double unix_s) const {
  const double local_s = unix_s + static_cast<double>(utc_offset_s_);
  const auto day = static_cast<std::int64_t>(std::floor(local_s / kSecondsPerDay));
  const double hour_of_day = (local_s - static_cast<double>(day) * kSecondsPerDay) / 3600.0;
  const engine::CivilDate date = engine::civil_from_days(day);
  const std::int64_t day_of_year = day - engine::days_from_civil({date.year, 1, 1});  // 0-based
  const double year_days = is_leap(date.year) ? 366.0 : 365.0;
  const double day_fraction = static_cast<double>(day_of_year) + hour_of_day / 24.0;
  const double seasonal =
      std::cos(kTwoPi * (day_fraction - (climate_.warmest_day_of_year - 1 + 0.5)) / year_days);
  const double daily = std::cos(kTwoPi * (hour_of_day - (climate_.warmest_hour + 0.5)) / 24.0);
  return climate_.annual_mean_c + climate_.seasonal_amplitude_c * seasonal + climate_.daily_amplitude_c * daily;
}

double OutdoorTemperature::series_at(std::int64_t unix_s) const {
  const std::int64_t local_s = unix_s + utc_offset_s_;
  const std::int64_t day = floor_div(local_s, kSecondsPerDay);
  const auto hour = static_cast<std::int64_t>((local_s - day * kSecondsPerDay) / 3600);
  const engine::CivilDate date = engine::civil_from_days(day);
  std::int64_t day_of_year = day - engine::days_from_civil({date.year, 1, 1});  // 0-based; 59 is 29 Feb
  const bool leap_file = series_.size() == 8784;
  if (is_leap(date.year) && !leap_file && day_of_year >= 59) {
    day_of_year -= 1;  // 29 Feb repeats 28 Feb; later days shift back by one
  } else if (!is_leap(date.year) && leap_file && day_of_year >= 59) {
    day_of_year += 1;  // skip the file's 29 Feb
  }
  return series_[static_cast<std::size_t>(day_of_year * 24 + hour)];
}

double OutdoorTemperature::expected_at(std::int64_t unix_s) const {
  return is_series() ? series_at(unix_s) : sinusoid_at(static_cast<double>(unix_s));
}

std::vector<double> OutdoorTemperature::hourly(std::int64_t start_unix_s, std::int64_t hours) const {
  std::vector<double> out;
  if (hours <= 0) return out;
  out.reserve(static_cast<std::size_t>(hours));
  if (is_series()) {
    for (std::int64_t i = 0; i < hours; ++i) out.push_back(series_at(start_unix_s + 3600 * i + 1800));
    return out;
  }
  const double sd = climate_.noise_sd_c;
  const double tau = climate_.noise_correlation_hours;
  const double phi = tau > 0.0 ? std::exp(-1.0 / tau) : 0.0;
  const double innovation_sd = sd * std::sqrt(1.0 - phi * phi);
  engine::RandomStream rng(seed_, stream_name_);
  double noise = 0.0;
  for (std::int64_t i = 0; i < hours; ++i) {
    if (sd > 0.0) noise = i == 0 ? sd * standard_normal(rng) : phi * noise + innovation_sd * standard_normal(rng);
    const double mid = static_cast<double>(start_unix_s) + 3600.0 * static_cast<double>(i) + 1800.0;
    out.push_back(sinusoid_at(mid) + noise);
  }
  return out;
}

}  // namespace dcsim::model
