// The units table and everything derived from it: parsing, printing, error texts, schema patterns.
#include "sim/scenario/units.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "sim/scenario/diagnostics.h"

namespace dcsim::scenario::units {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The unit the "missing unit" hint suggests.
std::string_view example_symbol(Dimension d) {
  switch (d) {
    case Dimension::power: return "kW";
    case Dimension::energy: return "kWh";
    case Dimension::time: return "h";
    case Dimension::rate: return "/day";
    case Dimension::money: return "USD";
    case Dimension::energy_price: return "USD/kWh";
    case Dimension::gpu_hour_price: return "USD/GPU-hour";
    case Dimension::capacity_price: return "USD/kW-month";
    case Dimension::memory: return "GB";
    case Dimension::bandwidth: return "Gb/s";
    case Dimension::latency: return "ns";
  }
  return "";
}

}  // namespace

const std::vector<Unit>& all_units() {
  // Order within a dimension: smallest first; printing prefers the larger of equally short forms.
  static const std::vector<Unit> table = {
      {"W", Dimension::power, 1.0, 1.0, true},
      {"kW", Dimension::power, 1e3, 1.0, true},
      {"MW", Dimension::power, 1e6, 1.0, true},
      {"kWh", Dimension::energy, 1.0, 1.0, true},
      {"MWh", Dimension::energy, 1e3, 1.0, true},
      {"s", Dimension::time, 1.0, 1.0, true},
      {"min", Dimension::time, 60.0, 1.0, true},
      {"h", Dimension::time, 3600.0, 1.0, true},
      {"d", Dimension::time, 86400.0, 1.0, true},
      {"w", Dimension::time, 604800.0, 1.0, true},
      {"y", Dimension::time, 31536000.0, 1.0, true},
      {"/s", Dimension::rate, 1.0, 1.0, true},
      {"/min", Dimension::rate, 1.0, 60.0, true},
      {"/h", Dimension::rate, 1.0, 3600.0, true},
      {"/day", Dimension::rate, 1.0, 86400.0, true},
      {"/d", Dimension::rate, 1.0, 86400.0, false},
      {"/week", Dimension::rate, 1.0, 604800.0, true},
      {"USD", Dimension::money, 1.0, 1.0, true},
      {"USD/kWh", Dimension::energy_price, 1.0, 1.0, true},
      {"USD/GPU-hour", Dimension::gpu_hour_price, 1.0, 1.0, true},
      {"USD/kW-month", Dimension::capacity_price, 1.0, 1.0, true},
      {"GB", Dimension::memory, 1.0, 1.0, true},
      // Network: bits per second (Gb/s base) and bytes per second (1 GB/s = 8 Gb/s).
      {"Mb/s", Dimension::bandwidth, 1.0, 1e3, true},
      {"Gb/s", Dimension::bandwidth, 1.0, 1.0, true},
      {"GB/s", Dimension::bandwidth, 8.0, 1.0, false},
      {"Tb/s", Dimension::bandwidth, 1e3, 1.0, true},
      {"ns", Dimension::latency, 1.0, 1.0, true},
      {"us", Dimension::latency, 1e3, 1.0, true},
      {"ms", Dimension::latency, 1e6, 1.0, true},
  };
  return table;
}

std::string_view dimension_name(Dimension d) {
  switch (d) {
    case Dimension::power: return "power";
    case Dimension::energy: return "energy";
    case Dimension::time: return "time span";
    case Dimension::rate: return "rate";
    case Dimension::money: return "amount of money";
    case Dimension::energy_price: return "energy price";
    case Dimension::gpu_hour_price: return "GPU-hour price";
    case Dimension::capacity_price: return "capacity price";
    case Dimension::memory: return "memory size";
    case Dimension::bandwidth: return "bandwidth";
    case Dimension::latency: return "latency";
  }
  return "quantity";
}

std::string_view dimension_article_name(Dimension d) {
  switch (d) {
    case Dimension::power: return "a power";
    case Dimension::energy: return "an energy";
    case Dimension::time: return "a time span";
    case Dimension::rate: return "a rate";
    case Dimension::money: return "an amount of money";
    case Dimension::energy_price: return "an energy price";
    case Dimension::gpu_hour_price: return "a GPU-hour price";
    case Dimension::capacity_price: return "a capacity price";
    case Dimension::memory: return "a memory size";
    case Dimension::bandwidth: return "a bandwidth";
    case Dimension::latency: return "a latency";
  }
  return "a quantity";
}

std::vector<std::string> symbols_of(Dimension d) {
  std::vector<std::string> out;
  for (const Unit& u : all_units())
    if (u.dimension == d) out.emplace_back(u.symbol);
  return out;
}

std::string symbols_list(Dimension d) {
  std::string out;
  for (const std::string& s : symbols_of(d)) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

const Unit* find_unit(std::string_view symbol) {
  for (const Unit& u : all_units())
    if (u.symbol == symbol) return &u;
  return nullptr;
}

std::size_t scan_number(std::string_view text, double& value) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  const std::size_t mantissa_start = i;
  std::size_t digits = 0;
  while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    std::size_t exp_digits = 0;
    while (j < text.size() && is_digit(text[j])) ++j, ++exp_digits;
    if (exp_digits > 0) i = j;
  }
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data() + mantissa_start, text.data() + i, v);
  if (ptr != text.data() + i) return 0;
  if (ec == std::errc::result_out_of_range) {
    // Too large becomes infinity (refused by callers); too small ("1e-400") becomes zero.
    const std::string_view digits_text = text.substr(mantissa_start, i - mantissa_start);
    const bool tiny = digits_text.find("e-") != std::string_view::npos || digits_text.find("E-") != std::string_view::npos;
    v = tiny ? 0.0 : std::numeric_limits<double>::infinity();
  }
  else if (ec != std::errc()) return 0;
  value = negative ? -v : v;
  return i;
}

bool names_non_finite(std::string_view text) {
  text = trim(text);
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  if (!text.empty() && text.front() == '.') text.remove_prefix(1);  // YAML's .nan, .inf
  std::string word;
  for (char c : text) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return word == "nan" || word == "inf" || word == "infinity";
}

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  double v = 0.0;
  const std::size_t n = scan_number(text, v);
  if (n == 0 || n != text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<unsigned long long> parse_whole(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  unsigned long long v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

QuantityResult parse_quantity(std::string_view raw, Dimension d, std::string_view label) {
  QuantityResult r;
  const std::string text(trim(raw));
  const std::string who = label.empty() ? std::string() : std::string(label) + " ";
  const std::string expected(dimension_article_name(d));
  const std::string units_hint = std::string(dimension_name(d)) + " units: " + symbols_list(d);
  double number = 0.0;
  const std::size_t n = scan_number(text, number);
  if (n == 0 && names_non_finite(text)) {
    r.error = QuantityError{"S112", who + "'" + text + "' is not a finite number",
                            "write an ordinary number such as '" + std::string("1.5 ") + std::string(example_symbol(d)) + "'"};
    return r;
  }
  if (n == 0) {
    r.error = QuantityError{"S102", "expected " + expected + " (a number and a unit) for " + who + "found '" + text + "'",
                            units_hint};
    if (label.empty()) r.error->message = "expected " + expected + " (a number and a unit), found '" + text + "'";
    return r;
  }
  const std::string symbol(trim(std::string_view(text).substr(n)));
  if (symbol.empty()) {
    r.error = QuantityError{"S110", "missing unit: " + who + "'" + text + "' needs " + expected + " unit",
                            units_hint + " (e.g. '" + text + " " + std::string(example_symbol(d)) + "')"};
    return r;
  }
  const Unit* unit = find_unit(symbol);
  if (unit == nullptr) {
    const std::string near = nearest_name(symbol, symbols_of(d));
    r.error = QuantityError{"S111", "unknown unit '" + symbol + "' in " + who + "'" + text + "'; expected " + expected,
                            near.empty() ? units_hint : "did you mean '" + near + "'? " + units_hint};
    return r;
  }
  if (unit->dimension != d) {
    r.error = QuantityError{"S111",
                            "wrong unit: " + who + "'" + text + "' is " +
                                std::string(dimension_article_name(unit->dimension)) + ", expected " + expected,
                            units_hint};
    return r;
  }
  const double base = number * unit->multiply / unit->divide;
  if (!std::isfinite(number) || !std::isfinite(base)) {
    r.error = QuantityError{"S112", who + "'" + text + "' is too large",
                            "numbers must be finite and below about 1e308 in base units"};
    return r;
  }
  if (number < 0.0) {
    r.error = QuantityError{"S112", "negative " + std::string(dimension_name(d)) + ": " + who + "'" + text +
                                        "' must be zero or more", ""};
    return r;
  }
  r.value = Quantity{number, unit, base};
  return r;
}

std::string format_number(double v) {
  if (v == 0.0) return "0";  // also turns -0 into 0
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, ptr) : std::string("0");
}

namespace {

// A number worth printing in a unit other than the base one: at least 1, in plain decimal form,
// with at most three decimals ("6", "12.3", "1.125"; not "0.3429355" or "2e-05").
bool readable(const std::string& number) {
  if (number.find_first_of("eE") != std::string::npos || number.front() == '0') return false;
  const auto dot = number.find('.');
  return dot == std::string::npos || number.size() - dot - 1 <= 3;
}

}  // namespace

std::string format_quantity(double base, Dimension d) {
  std::string best;
  for (const Unit& u : all_units()) {
    if (u.dimension != d || !u.preferred) continue;
    const bool is_base = u.multiply == 1.0 && u.divide == 1.0;
    const std::string number = format_number(base * u.divide / u.multiply);
    if (!is_base && (base == 0.0 || !readable(number))) continue;
    std::string text = number + " " + std::string(u.symbol);
    const QuantityResult back = parse_quantity(text, d);
    if (!back.value || back.value->base != base) continue;  // only exact conversions
    // Units run small to large, so `<=` lets the larger of equally short forms win.
    if (best.empty() || text.size() <= best.size()) best = std::move(text);
  }
  return best;
}

std::string_view number_pattern() { return "\\+?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?"; }

std::string quantity_pattern(Dimension d) {
  std::string alternatives;
  for (const std::string& s : symbols_of(d)) {
    if (!alternatives.empty()) alternatives += "|";
    for (char c : s) {
      if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) alternatives += '\\';
      alternatives += c;
    }
  }
  return "^\\s*" + std::string(number_pattern()) + "\\s*(?:" + alternatives + ")\\s*$";
}

}  // namespace dcsim::scenario::units
