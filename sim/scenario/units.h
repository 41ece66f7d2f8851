// The one table of units the scenario format accepts: parsing "41 kW" into base units, printing
// base units back with a readable unit, and the lists and regex patterns errors and schema show.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcsim::scenario::units {

// Base units: power W, energy kWh (so that energy x USD/kWh is USD), time s, rate 1/s, money USD, energy price USD/kWh,
// GPU-hour price USD/GPU-hour, capacity price USD/kW-month, memory GB, bandwidth Gb/s, latency ns.
enum class Dimension { power, energy, time, rate, money, energy_price, gpu_hour_price, capacity_price, memory, bandwidth, latency };

struct Unit {
  std::string_view symbol;  // as written after the number, e.g. "kW", "/day"
  Dimension dimension;
  double multiply;          // base value = number * multiply / divide
  double divide;
  bool preferred;           // used when printing (aliases such as "/d" are not)
};

const std::vector<Unit>& all_units();
std::string_view dimension_name(Dimension d);        // "power", "time span", ...
std::string_view dimension_article_name(Dimension d);  // "a power", "an energy", ...
std::vector<std::string> symbols_of(Dimension d);     // preferred first, in table order
std::string symbols_list(Dimension d);                // "W, kW, MW"
const Unit* find_unit(std::string_view symbol);

// A unit-free number as the format writes it: [+-]digits[.digits][e[+-]digits].
// Returns the number of characters consumed (0 if none) and the value.
std::size_t scan_number(std::string_view text, double& value);
// The text spells NaN or infinity ("nan", "inf", "-Infinity", YAML's ".nan", ".inf"), perhaps
// followed by a unit: worth its own message, since it is a number of a kind the format refuses.
bool names_non_finite(std::string_view text);
// The whole text is one number (surrounding spaces allowed).
std::optional<double> parse_number(std::string_view text);
// The whole text is a non-negative whole number (no sign, no fraction, no exponent).
std::optional<unsigned long long> parse_whole(std::string_view text);

struct QuantityError {
  std::string code;     // S110 missing unit, S111 wrong or unknown unit, S112 negative, S102 not a number
  std::string message;
  std::string hint;
};

struct Quantity {
  double number = 0.0;   // as written
  const Unit* unit = nullptr;
  double base = 0.0;     // in the dimension's base unit
};

struct QuantityResult {
  std::optional<Quantity> value;
  std::optional<QuantityError> error;
};

// "41 kW", "41kW", "4.1e4 W" -> 41000 (W). Negative values are errors (S112). `label` (e.g. the
// key, "power_limit") names the value in error messages.
QuantityResult parse_quantity(std::string_view text, Dimension d, std::string_view label = {});

// Shortest text that parses back to exactly `base`: a nicer unit only when the conversion is exact.
std::string format_quantity(double base, Dimension d);
// Shortest round-trip decimal form of a double ("0.0806", "7776000", "1e-05").
std::string format_number(double v);

// Regex (ECMA/JSON Schema flavour) of "number unit" for the dimension.
std::string quantity_pattern(Dimension d);
// Regex of a plain number as scan_number accepts it (no anchors).
std::string_view number_pattern();

}  // namespace dcsim::scenario::units
