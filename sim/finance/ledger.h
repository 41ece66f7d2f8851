// The cost ledger: every cost is an entry (month, category, site, tenant, amount); reports are
// pivots of it, so every total reconciles with its parts.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/engine/calendar.h"

namespace dcsim::finance {

struct LedgerEntry {
  engine::YearMonth month;
  std::string category;  // snake_case: energy, depreciation, ...
  std::string site;      // "" for company-level lines (staff)
  std::string tenant;    // "shared" where no tenant applies
  double amount_usd = 0.0;
  std::string subcategory;  // e.g. the server type of a depreciation line; may be ""
  std::string hall;         // "" for site- or company-level lines
};

class Ledger {
 public:
  void add(engine::YearMonth month, std::string category, std::string site, std::string tenant, double amount_usd,
           std::string subcategory = "", std::string hall = "");
  const std::vector<LedgerEntry>& entries() const { return entries_; }
  // Multiplies every entry's amount by factor(entry): escalation after booking.
  void scale(const std::function<double(const LedgerEntry&)>& factor);

 private:
  std::vector<LedgerEntry> entries_;
};

// One cell of the monthly pivot, rounded to the cent (half away from zero).
struct MonthlyCost {
  engine::YearMonth month;
  std::string category;
  std::string site;
  std::string tenant;
  std::int64_t cents = 0;
  std::string subcategory;
  std::string hall;
};

std::int64_t round_to_cents(double usd);

// Sums entries by (month, category, site, tenant, subcategory, hall), rounds each cell to the
// cent and drops zero cells. Sorted by month, then category, site, tenant, subcategory, hall. The total of a report is the sum of
// these rounded cells, so the rows always add up to it.
std::vector<MonthlyCost> monthly_pivot(const Ledger& ledger);
std::int64_t total_cents(const std::vector<MonthlyCost>& rows);

// Straight-line depreciation of `price_usd` over `useful_life_years` (of 365 days), no salvage,
// charged by time in service within each calendar month of [from, to). An asset in service since
// before the start (from < 0) is booked from the start (0) only, for the rest of its life.
void add_straight_line_depreciation(Ledger& ledger, const engine::Calendar& calendar, engine::SimTime from,
                                    engine::SimTime to, double price_usd, double useful_life_years,
                                    const std::string& site, const std::string& tenant,
                                    const std::string& subcategory = "", const std::string& hall = "");

enum class DepreciationMethod { straight_line, declining_balance };

// The yearly charges of an asset over its useful life (year k covers [k, k+1) years in service;
// the last year may be partial). Straight-line: price / life a year. Declining-balance: double
// declining (2 / life of the book value a year), switching to straight-line of the remaining
// book value over the remaining life once that is larger; no salvage.
std::vector<double> depreciation_schedule(DepreciationMethod method, double price_usd, double useful_life_years);

// Books depreciation of an asset in service from `from` by `method`, charged by time in service
// within each year of its life and each calendar month of [from, to) (years of 365 days).
// Returns its book value at `to` (the price less what was charged). An asset in service since
// before the start (from < 0): what falls before 0 lowers its book value but is not booked.
double add_depreciation(Ledger& ledger, const engine::Calendar& calendar, DepreciationMethod method,
                        engine::SimTime from, engine::SimTime to, double price_usd, double useful_life_years,
                        const std::string& site, const std::string& tenant, const std::string& subcategory = "",
                        const std::string& hall = "");

// A charge of usd_per_month for every calendar month of [from, to), pro rata for partial months
// (by time within the month): staff, colocation, maintenance (yearly amount / 12).
void add_monthly_charge(Ledger& ledger, const engine::Calendar& calendar, engine::SimTime from, engine::SimTime to,
                        double usd_per_month, const std::string& category, const std::string& site,
                        const std::string& tenant, const std::string& subcategory = "", const std::string& hall = "");

// Yearly escalation by calendar year: an amount of a month in year Y is multiplied by
// (1 + yearly_rate)^(Y - start_year), so prices step up each 1 January after the start.
double escalation_factor(double yearly_rate, int start_year, engine::YearMonth month);

// Escalates every entry whose category has a rate in rate_by_category (e.g. energy, staff).
void escalate(Ledger& ledger, int start_year, const std::map<std::string, double>& rate_by_category);

// The fiscal year of a month, labelled by the calendar year in which that fiscal year ends (the
// US federal convention): with start_month 7, July 2026 to June 2027 is fiscal year 2027. With
// start_month 1 it is the calendar year.
int fiscal_year_of(engine::YearMonth month, int start_month);

// Income tax by fiscal year: rate x the fiscal year's profit before tax (the sum of its months'
// profit_cents) when positive; nothing on a loss, and no loss carry-forward. Returns the tax of
// each month: a fiscal year's tax falls in its last month in `months` (sorted, consecutive),
// so a fiscal year cut by the run's start or end is taxed on its months within the run.
std::vector<std::int64_t> fiscal_year_tax_cents(const std::vector<engine::YearMonth>& months,
                                                const std::vector<std::int64_t>& profit_cents, double rate,
                                                int start_month);

}  // namespace dcsim::finance
