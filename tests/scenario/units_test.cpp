// Units: every unit of every dimension, spacing, scientific notation, and the errors people see.
#include <gtest/gtest.h>

#include "sim/scenario/units.h"

namespace dcsim::scenario::units {
namespace {

double base(const std::string& text, Dimension d) {
  const QuantityResult r = parse_quantity(text, d);
  EXPECT_TRUE(r.value.has_value()) << text << ": " << (r.error ? r.error->message : "");
  return r.value ? r.value->base : -1.0;
}

std::string error_code(const std::string& text, Dimension d) {
  const QuantityResult r = parse_quantity(text, d);
  return r.error ? r.error->code : "";
}

TEST(Units, PowerUnitsConvertToWatts) {
  EXPECT_EQ(base("700 W", Dimension::power), 700.0);
  EXPECT_EQ(base("41 kW", Dimension::power), 41000.0);
  EXPECT_EQ(base("1.5 MW", Dimension::power), 1.5e6);
}

TEST(Units, EnergyUnitsConvertToKilowattHours) {
  EXPECT_EQ(base("12 kWh", Dimension::energy), 12.0);
  EXPECT_EQ(base("2 MWh", Dimension::energy), 2000.0);
}

TEST(Units, TimeUnitsConvertToSeconds) {
  EXPECT_EQ(base("30 s", Dimension::time), 30.0);
  EXPECT_EQ(base("5 min", Dimension::time), 300.0);
  EXPECT_EQ(base("6 h", Dimension::time), 21600.0);
  EXPECT_EQ(base("90 d", Dimension::time), 7776000.0);
  EXPECT_EQ(base("2 w", Dimension::time), 1209600.0);
  EXPECT_EQ(base("1 y", Dimension::time), 365.0 * 86400.0);
}

TEST(Units, RateUnitsConvertToPerSecond) {
  EXPECT_EQ(base("2 /s", Dimension::rate), 2.0);
  EXPECT_EQ(base("3 /min", Dimension::rate), 3.0 / 60.0);
  EXPECT_EQ(base("4 /h", Dimension::rate), 4.0 / 3600.0);
  EXPECT_EQ(base("30 /day", Dimension::rate), 30.0 / 86400.0);
  EXPECT_EQ(base("30 /d", Dimension::rate), 30.0 / 86400.0);
  EXPECT_EQ(base("7 /week", Dimension::rate), 7.0 / 604800.0);
}

TEST(Units, MoneyPriceAndMemoryUnits) {
  EXPECT_EQ(base("25000 USD", Dimension::money), 25000.0);
  EXPECT_EQ(base("0.0806 USD/kWh", Dimension::energy_price), 0.0806);
  EXPECT_EQ(base("2.5 USD/GPU-hour", Dimension::gpu_hour_price), 2.5);
  EXPECT_EQ(base("150 USD/kW-month", Dimension::capacity_price), 150.0);
  EXPECT_EQ(base("80 GB", Dimension::memory), 80.0);
}

TEST(Units, SpaceBeforeUnitIsOptional) {
  EXPECT_EQ(base("30/day", Dimension::rate), base("30 /day", Dimension::rate));
  EXPECT_EQ(base("41kW", Dimension::power), 41000.0);
  EXPECT_EQ(base("  6 h  ", Dimension::time), 21600.0);
}

TEST(Units, ScientificNotationIsAccepted) {
  EXPECT_EQ(base("4.1e4 W", Dimension::power), 41000.0);
  EXPECT_EQ(base("1E-3 MW", Dimension::power), 1000.0);
  EXPECT_EQ(base("2.5e+1 kW", Dimension::power), 25000.0);
  EXPECT_EQ(base(".5 h", Dimension::time), 1800.0);
}

TEST(Units, BareNumberIsMissingUnitAndHintListsUnitsThatFit) {
  const QuantityResult r = parse_quantity("41", Dimension::power, "power_limit");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, "S110");
  EXPECT_NE(r.error->message.find("power_limit"), std::string::npos);
  EXPECT_NE(r.error->hint.find("W, kW, MW"), std::string::npos);
  EXPECT_NE(r.error->hint.find("41 kW"), std::string::npos);
}

TEST(Units, UnitOfWrongDimensionNamesExpectedDimension) {
  const QuantityResult r = parse_quantity("41 kWh", Dimension::power);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, "S111");
  EXPECT_NE(r.error->message.find("an energy"), std::string::npos);
  EXPECT_NE(r.error->message.find("expected a power"), std::string::npos);
  EXPECT_NE(r.error->hint.find("W, kW, MW"), std::string::npos);
  EXPECT_EQ(error_code("6 h", Dimension::rate), "S111");
}

TEST(Units, UnknownUnitSuggestsNearestOfTheDimension) {
  const QuantityResult r = parse_quantity("41 kw", Dimension::power);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, "S111");
  EXPECT_NE(r.error->hint.find("did you mean 'kW'?"), std::string::npos);
  EXPECT_EQ(error_code("3 hours", Dimension::time), "S111");
}

TEST(Units, NegativeValuesAreOutOfRange) {
  EXPECT_EQ(error_code("-5 kW", Dimension::power), "S112");
  EXPECT_EQ(error_code("-1 h", Dimension::time), "S112");
  EXPECT_EQ(error_code("-3 USD", Dimension::money), "S112");
  EXPECT_EQ(error_code("-1 /day", Dimension::rate), "S112");
}

TEST(Units, TextThatIsNoNumberIsWrongType) {
  EXPECT_EQ(error_code("lots", Dimension::power), "S102");
  EXPECT_EQ(error_code("kW", Dimension::power), "S102");
}

TEST(Units, FormatPicksNicerUnitOnlyWhenExact) {
  EXPECT_EQ(format_quantity(21600.0, Dimension::time), "6 h");
  EXPECT_EQ(format_quantity(7776000.0, Dimension::time), "90 d");
  EXPECT_EQ(format_quantity(41000.0, Dimension::power), "41 kW");
  EXPECT_EQ(format_quantity(30.0 / 86400.0, Dimension::rate), "30 /day");
  EXPECT_EQ(format_quantity(0.0806, Dimension::energy_price), "0.0806 USD/kWh");
  EXPECT_EQ(format_quantity(0.0, Dimension::time), "0 s");
  EXPECT_EQ(format_quantity(1234.5678, Dimension::time), "1234.5678 s");
  EXPECT_EQ(format_quantity(1800.0, Dimension::time), "30 min");
  EXPECT_EQ(format_quantity(129600.0, Dimension::time), "36 h");
  EXPECT_EQ(format_quantity(12300.0, Dimension::power), "12.3 kW");
  EXPECT_EQ(format_quantity(31536000.0, Dimension::time), "1 y");
  EXPECT_EQ(format_quantity(1e-5, Dimension::rate), "1e-05 /s");
}

TEST(Units, FormattedQuantitiesParseBackToTheSameDouble) {
  const double samples[] = {0.1, 1.0 / 3.0, 30.0 / 86400.0, 12345.678e3, 1e-9, 86400.0 * 1.1, 3.14159e7};
  for (const Unit& u : all_units()) {
    for (double s : samples) {
      const std::string text = format_quantity(s, u.dimension);
      const QuantityResult r = parse_quantity(text, u.dimension);
      ASSERT_TRUE(r.value) << text;
      EXPECT_EQ(r.value->base, s) << text;
    }
  }
}

TEST(Units, PatternsNameEveryUnitOfTheDimension) {
  EXPECT_NE(quantity_pattern(Dimension::rate).find("/day"), std::string::npos);
  EXPECT_NE(quantity_pattern(Dimension::power).find("kW"), std::string::npos);
}

TEST(Units, WholeNumbersRejectSignsFractionsAndUnits) {
  EXPECT_EQ(parse_whole("16"), 16u);
  EXPECT_FALSE(parse_whole("1.5"));
  EXPECT_FALSE(parse_whole("-2"));
  EXPECT_FALSE(parse_whole("8 GPUs"));
}

}  // namespace
}  // namespace dcsim::scenario::units
