// Fuzzes the unit parser: numbers, quantities in every dimension, and printing them back.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/scenario/units.h"

namespace units = dcsim::scenario::units;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  double v = 0.0;
  (void)units::scan_number(text, v);
  (void)units::parse_number(text);
  (void)units::parse_whole(text);
  static const std::vector<units::Dimension> dimensions = [] {
    std::vector<units::Dimension> out;
    for (const units::Unit& u : units::all_units())
      if (std::find(out.begin(), out.end(), u.dimension) == out.end()) out.push_back(u.dimension);
    return out;
  }();
  for (const units::Dimension d : dimensions) {
    const units::QuantityResult r = units::parse_quantity(text, d, "fuzz");
    if (r.value) {
      if (!std::isfinite(r.value->base)) __builtin_trap();  // parse_quantity must refuse these
      (void)units::format_quantity(r.value->base, d);
    }
  }
  return 0;
}
