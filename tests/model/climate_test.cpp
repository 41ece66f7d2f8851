// Outdoor temperature: the seeded sinusoidal climate (mean, season, day, noise, determinism),
// the presets, and hourly series from weather files (wrap-around, leap days, time zones).
#include "sim/model/climate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/engine/calendar.h"

namespace dcsim::model {
namespace {

std::int64_t unix_s(int year, int month, int day, int hour = 0) {
  return engine::days_from_civil({year, month, day}) * 86'400 + hour * 3'600;
}

double mean(const std::vector<double>& v, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  to = std::min(to, v.size());
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}

// Mean of each calendar month of a year's hourly series starting 1 January.
std::vector<double> monthly_means(const std::vector<double>& year, int y) {
  std::vector<double> out;
  std::size_t from = 0;
  for (int m = 1; m <= 12; ++m) {
    const std::size_t n = static_cast<std::size_t>(engine::days_in_month(y, m)) * 24;
    out.push_back(mean(year, from, from + n));
    from += n;
  }
  return out;
}

int warmest_month(const std::vector<double>& monthly) {
  return static_cast<int>(std::max_element(monthly.begin(), monthly.end()) - monthly.begin()) + 1;
}

TEST(Climate, AnnualMeanOfTheHourlySeriesIsTheClimateMean) {
  const SinusoidalClimate c = *climate_preset("temperate");
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto year = OutdoorTemperature::sinusoidal(c, seed, "site-a").hourly(unix_s(2026, 1, 1), 8760);
    ASSERT_EQ(year.size(), 8760u);
    // Noise sd 3 C with a 48 h correlation: about 90 independent samples, standard error 0.3 C.
    EXPECT_NEAR(mean(year), c.annual_mean_c, 1.0) << "seed " << seed;
  }
  // Without noise the seasonal and daily cosines cancel over a whole year.
  SinusoidalClimate quiet = c;
  quiet.noise_sd_c = 0.0;
  EXPECT_NEAR(mean(OutdoorTemperature::sinusoidal(quiet, 1, "x").hourly(unix_s(2026, 1, 1), 8760)), 13.0, 1e-6);
}

TEST(Climate, WarmestMonthFollowsTheWarmestDay) {
  SinusoidalClimate c;  // warmest day 200 = 19 July
  c.noise_sd_c = 0.0;
  auto year = OutdoorTemperature::sinusoidal(c, 1, "x").hourly(unix_s(2026, 1, 1), 8760);
  std::vector<double> months = monthly_means(year, 2026);
  EXPECT_EQ(warmest_month(months), 7);
  EXPECT_EQ(static_cast<int>(std::min_element(months.begin(), months.end()) - months.begin()) + 1, 1);
  // Summer-winter swing of monthly means close to twice the seasonal amplitude.
  EXPECT_NEAR(months[6] - months[0], 2 * c.seasonal_amplitude_c, 1.5);

  c.warmest_day_of_year = 20;  // southern hemisphere
  year = OutdoorTemperature::sinusoidal(c, 1, "x").hourly(unix_s(2026, 1, 1), 8760);
  EXPECT_EQ(warmest_month(monthly_means(year, 2026)), 1);

  // With the preset's weather noise the warmest month stays in high summer.
  year = OutdoorTemperature::sinusoidal(*climate_preset("temperate"), 7, "site").hourly(unix_s(2026, 1, 1), 8760);
  const int m = warmest_month(monthly_means(year, 2026));
  EXPECT_GE(m, 6);
  EXPECT_LE(m, 8);
}

TEST(Climate, DailyPeakIsAtTheWarmestLocalHour) {
  SinusoidalClimate c;
  c.noise_sd_c = 0.0;
  c.seasonal_amplitude_c = 0.0;
  c.warmest_hour = 15;
  const auto utc = OutdoorTemperature::sinusoidal(c, 1, "x").hourly(unix_s(2026, 4, 1), 24);
  EXPECT_EQ(std::max_element(utc.begin(), utc.end()) - utc.begin(), 15);
  EXPECT_NEAR(utc[15], c.annual_mean_c + c.daily_amplitude_c, 1e-9);
  EXPECT_NEAR(utc[3], c.annual_mean_c - c.daily_amplitude_c, 1e-9);
  // Five hours behind UTC: the local 15:00 hour is 20:00 UTC.
  const auto east_coast = OutdoorTemperature::sinusoidal(c, 1, "x", -5.0).hourly(unix_s(2026, 4, 1), 24);
  EXPECT_EQ(std::max_element(east_coast.begin(), east_coast.end()) - east_coast.begin(), 20);
}

TEST(Climate, NoiseIsDeterministicPerSeedAndStream) {
  const SinusoidalClimate c = *climate_preset("hot");
  const auto a = OutdoorTemperature::sinusoidal(c, 42, "phoenix").hourly(unix_s(2026, 1, 1), 2000);
  const auto b = OutdoorTemperature::sinusoidal(c, 42, "phoenix").hourly(unix_s(2026, 1, 1), 2000);
  const auto other_name = OutdoorTemperature::sinusoidal(c, 42, "dallas").hourly(unix_s(2026, 1, 1), 2000);
  const auto other_seed = OutdoorTemperature::sinusoidal(c, 43, "phoenix").hourly(unix_s(2026, 1, 1), 2000);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, other_name);
  EXPECT_NE(a, other_seed);
  // One object, called twice: same answer (no hidden stream state).
  const auto t = OutdoorTemperature::sinusoidal(c, 42, "phoenix");
  EXPECT_EQ(t.hourly(unix_s(2026, 1, 1), 100), t.hourly(unix_s(2026, 1, 1), 100));
  // A shorter request is a prefix of a longer one.
  const auto prefix = t.hourly(unix_s(2026, 1, 1), 100);
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), a.begin()));
}

TEST(Climate, NoiseHasTheConfiguredSpreadAndCorrelation) {
  SinusoidalClimate c;
  c.seasonal_amplitude_c = 0.0;
  c.daily_amplitude_c = 0.0;
  c.annual_mean_c = 0.0;
  c.noise_sd_c = 2.0;
  c.noise_correlation_hours = 10.0;
  const auto v = OutdoorTemperature::sinusoidal(c, 5, "noise").hourly(unix_s(2026, 1, 1), 200'000);
  const double m = mean(v);
  double var = 0.0;
  double cov = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    var += (v[i] - m) * (v[i] - m);
    if (i > 0) cov += (v[i] - m) * (v[i - 1] - m);
  }
  EXPECT_NEAR(std::sqrt(var / v.size()), 2.0, 0.15);
  EXPECT_NEAR(cov / var, std::exp(-0.1), 0.02);

  c.noise_sd_c = 0.0;  // no noise: exactly the sinusoid
  const auto t = OutdoorTemperature::sinusoidal(c, 5, "noise");
  for (double x : t.hourly(unix_s(2026, 1, 1), 48)) EXPECT_EQ(x, 0.0);
}

TEST(Climate, PresetsAreValidAndOrdered) {
  ASSERT_EQ(climate_preset_names().size(), 4u);
  for (const std::string& name : climate_preset_names()) {
    const auto c = climate_preset(name);
    ASSERT_TRUE(c.has_value()) << name;
    EXPECT_TRUE(climate_problems(*c).empty()) << name;
  }
  EXPECT_FALSE(climate_preset("tropical").has_value());
  EXPECT_LT(climate_preset("cold")->annual_mean_c, climate_preset("cool")->annual_mean_c);
  EXPECT_LT(climate_preset("cool")->annual_mean_c, climate_preset("temperate")->annual_mean_c);
  EXPECT_LT(climate_preset("temperate")->annual_mean_c, climate_preset("hot")->annual_mean_c);
}

TEST(Climate, ProblemsAreReported) {
  SinusoidalClimate c;
  c.noise_sd_c = -1.0;
  c.warmest_hour = 24;
  c.warmest_day_of_year = 0;
  c.annual_mean_c = std::nan("");
  EXPECT_EQ(climate_problems(c).size(), 4u);
  EXPECT_TRUE(climate_problems(SinusoidalClimate{}).empty());
}

std::vector<double> ramp(std::size_t n) {
  std::vector<double> v(n);
  std::iota(v.begin(), v.end(), 0.0);
  return v;
}

TEST(Climate, SeriesIsIndexedByHourOfYearAndWrapsIntoLaterYears) {
  const auto t = OutdoorTemperature::hourly_series(ramp(8760));
  EXPECT_TRUE(t.is_series());
  const auto two_years = t.hourly(unix_s(2026, 1, 1), 2 * 8760);
  for (std::size_t i = 0; i < 8760; ++i) {
    ASSERT_EQ(two_years[i], static_cast<double>(i));
    ASSERT_EQ(two_years[8760 + i], static_cast<double>(i));
  }
  // Starting mid-year: 1 July 2026 is day 181 (0-based) of the year.
  const auto mid = t.hourly(unix_s(2026, 7, 1, 6), 3);
  EXPECT_EQ(mid, (std::vector<double>{181 * 24 + 6, 181 * 24 + 7, 181 * 24 + 8}));
  // And the turn of the year.
  const auto turn = t.hourly(unix_s(2026, 12, 31, 23), 2);
  EXPECT_EQ(turn, (std::vector<double>{8759, 0}));
  EXPECT_EQ(t.expected_at(unix_s(2027, 1, 1, 5) + 1234), 5.0);
}

TEST(Climate, SeriesFollowsTheFilesTimeZone) {
  // EPW hours are local standard time: at UTC-5, 05:00 UTC on 1 January is the file's first hour.
  const auto t = OutdoorTemperature::hourly_series(ramp(8760), -5.0);
  EXPECT_EQ(t.hourly(unix_s(2026, 1, 1, 5), 2), (std::vector<double>{0, 1}));
  EXPECT_EQ(t.hourly(unix_s(2026, 1, 1, 0), 1), (std::vector<double>{8755}));  // 19:00 on 31 December
}

TEST(Climate, LeapDays) {
  // A leap simulated year with a common-year file: 29 February repeats 28 February.
  const auto common_file = OutdoorTemperature::hourly_series(ramp(8760));
  const auto feb29 = common_file.hourly(unix_s(2028, 2, 29), 24);
  const auto feb28 = common_file.hourly(unix_s(2028, 2, 28), 24);
  EXPECT_EQ(feb29, feb28);
  EXPECT_EQ(feb28.front(), 58 * 24);
  EXPECT_EQ(common_file.hourly(unix_s(2028, 3, 1), 1).front(), 59 * 24);
  EXPECT_EQ(common_file.hourly(unix_s(2028, 12, 31, 23), 1).front(), 8759);

  // A leap-year file in a common year: its 29 February is skipped.
  const auto leap_file = OutdoorTemperature::hourly_series(ramp(8784));
  EXPECT_EQ(leap_file.hourly(unix_s(2026, 2, 28, 23), 2), (std::vector<double>{59 * 24 - 1, 60 * 24}));
  EXPECT_EQ(leap_file.hourly(unix_s(2026, 12, 31, 23), 1).front(), 8783);
  // And used in full in a leap year.
  EXPECT_EQ(leap_file.hourly(unix_s(2028, 2, 29), 1).front(), 59 * 24);
  EXPECT_EQ(leap_file.hourly(unix_s(2028, 12, 31, 23), 1).front(), 8783);
}

TEST(Climate, SeriesOfAnotherLengthIsRefused) {
  EXPECT_THROW(OutdoorTemperature::hourly_series(ramp(8000)), std::invalid_argument);
  std::vector<double> bad = ramp(8760);
  bad[3] = std::nan("");
  EXPECT_THROW(OutdoorTemperature::hourly_series(bad), std::invalid_argument);
}

}  // namespace
}  // namespace dcsim::model
