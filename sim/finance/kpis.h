// Investment KPIs of a monthly cash-flow series: NPV, IRR, payback.
#pragma once
#include <optional>
#include <vector>

namespace dcsim::finance {

// Cash flows: initial_usd at time 0 (e.g. capex, negative), then monthly_usd[m] at the end of
// month m (m = 0, 1, ...). Discounting is yearly-compounded: factor (1 + rate)^(-(m + 1) / 12).
double npv(double annual_rate, double initial_usd, const std::vector<double>& monthly_usd);

struct IrrResult {
  std::optional<double> annual_rate;  // empty when there is none
  const char* why_none = "";          // e.g. "cash flows never change sign"
};
// The annual rate that makes the NPV zero, by bisection on [-99%, 1000%]; none when the cash
// flows never change sign or the NPV does not cross zero in that range.
IrrResult irr(double initial_usd, const std::vector<double>& monthly_usd);

// First month (0-based) at whose end the cumulative cash (initial + months so far) is >= 0.
std::optional<int> payback_month(double initial_usd, const std::vector<double>& monthly_usd);

}  // namespace dcsim::finance
