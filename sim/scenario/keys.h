// The key tables of the scenario format: one table per kind of map, listing each key with its kind,
// whether it is required, its unit dimension, default and help. The loader validates with them,
// "did you mean" hints and --set paths come from them, and json_schema() is generated from them,
// so the three cannot drift apart.
#pragma once
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.h"
#include "sim/scenario/units.h"

namespace dcsim::scenario::keys {

enum class Kind {
  text,          // a string
  integer,       // a plain whole number (counts, seed)
  number,        // a plain number (pue, sigma, probabilities)
  quantity,      // number + unit of `unit`
  measure,       // distribution parameter: plain number for counts, `time` quantity for durations
  date,          // ISO 8601 UTC date or date-time
  choice,        // one of `choices`
  object,        // a map described by `object`
  list,          // a list of maps described by `object`
  distribution,  // a distribution of `dist` values
  time_limit,    // `exact`, {factor: x} or a time distribution
  server,        // a catalog server name or an inline server map described by `object`
};

struct ObjectDef;

struct KeyDef {
  std::string_view name;
  Kind kind = Kind::text;
  bool required = false;
  units::Dimension unit = units::Dimension::power;  // Kind::quantity
  Dimension dist = Dimension::count;               // Kind::distribution
  const ObjectDef* object = nullptr;               // Kind::object, list, server
  std::vector<std::string> choices;                // Kind::choice
  double min = -std::numeric_limits<double>::infinity();  // integer, number, quantity, measure
  bool min_exclusive = false;
  // Kind::integer: may also be a map of names to such integers (a hall's hot_spares per server
  // type); the names are checked by the loader, and --set may set one of them.
  bool by_name = false;
  std::string_view default_text;                   // as a user would write it; "" when none
  std::string_view help;
};

struct ObjectDef {
  std::string_view what;  // "site", "hall", ...: names the map in messages and in the schema
  std::vector<KeyDef> keys;
  std::string_view help;
};

const KeyDef* find_key(const ObjectDef& object, std::string_view name);
std::vector<std::string> key_names(const ObjectDef& object);

// The top-level map; every other table is reachable from it.
const ObjectDef& scenario_object();
// Every table reachable from the top (each once), top first.
std::vector<const ObjectDef*> all_objects();

// Distribution kinds: the map under the kind's name is described by `params`.
// `discrete` has no fixed keys (value: probability pairs) and an empty params table.
struct DistributionKindDef {
  std::string_view name;
  ObjectDef params;
  std::string_view help;
};
const std::vector<DistributionKindDef>& distribution_kinds();
const DistributionKindDef* find_distribution_kind(std::string_view name);
std::vector<std::string> distribution_kind_names();

// time_limit: the keyword for "the job's true duration" and the key of the factor form.
inline constexpr std::string_view time_limit_exact = "exact";
const ObjectDef& time_limit_factor_object();

}  // namespace dcsim::scenario::keys
