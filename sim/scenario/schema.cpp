// JSON Schema (draft 2020-12) of the scenario format, generated from the key tables (keys.h) and
// the units table (units.h) that the loader validates with.
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sim/scenario/keys.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/units.h"

namespace dcsim::scenario {
namespace {

// A small ordered JSON value, enough to write the schema.
struct Json {
  using Object = std::vector<std::pair<std::string, Json>>;
  using Array = std::vector<Json>;
  std::variant<std::string, double, bool, Array, Object> v;

  Json() : v(Object{}) {}
  Json(const char* s) : v(std::string(s)) {}
  Json(std::string s) : v(std::move(s)) {}
  Json(std::string_view s) : v(std::string(s)) {}
  Json(double d) : v(d) {}
  Json(bool b) : v(b) {}
  Json(Array a) : v(std::move(a)) {}

  Json& set(const std::string& key, Json value) {
    auto& obj = std::get<Object>(v);
    for (auto& [k, existing] : obj)
      if (k == key) return existing = std::move(value);
    obj.emplace_back(key, std::move(value));
    return obj.back().second;
  }
};

void escape(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void write(std::string& out, const Json& j, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (const auto* s = std::get_if<std::string>(&j.v)) {
    escape(out, *s);
  } else if (const auto* d = std::get_if<double>(&j.v)) {
    out += units::format_number(*d);
  } else if (const auto* b = std::get_if<bool>(&j.v)) {
    out += *b ? "true" : "false";
  } else if (const auto* a = std::get_if<Json::Array>(&j.v)) {
    bool simple = true;
    for (const Json& e : *a) simple = simple && std::holds_alternative<std::string>(e.v);
    if (a->empty()) {
      out += "[]";
    } else if (simple) {
      out += "[";
      for (std::size_t i = 0; i < a->size(); ++i) {
        if (i > 0) out += ", ";
        write(out, (*a)[i], indent + 1);
      }
      out += "]";
    } else {
      out += "[\n";
      for (std::size_t i = 0; i < a->size(); ++i) {
        out += inner;
        write(out, (*a)[i], indent + 1);
        out += i + 1 < a->size() ? ",\n" : "\n";
      }
      out += pad + "]";
    }
  } else {
    const auto& o = std::get<Json::Object>(j.v);
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    for (std::size_t i = 0; i < o.size(); ++i) {
      out += inner;
      escape(out, o[i].first);
      out += ": ";
      write(out, o[i].second, indent + 1);
      out += i + 1 < o.size() ? ",\n" : "\n";
    }
    out += pad + "}";
  }
}

std::string def_name(std::string_view what) {
  std::string out;
  for (char c : what) out += c == ' ' ? '_' : c;
  return out;
}

Json schema_ref(const std::string& name) {
  Json j;
  j.set("$ref", "#/$defs/" + name);
  return j;
}

Json quantity_schema(units::Dimension d) {
  Json j;
  j.set("type", "string");
  j.set("pattern", units::quantity_pattern(d));
  return j;
}

const std::string kTimeDist = "time_distribution";
const std::string kCountDist = "gpu_count_distribution";

Json key_schema(const keys::KeyDef& k) {
  using keys::Kind;
  Json j;
  switch (k.kind) {
    case Kind::text: j.set("type", "string"); break;
    case Kind::integer:
      j.set("type", "integer");
      j.set("minimum", k.min);
      if (k.by_name) {  // or {name: integer, ...}
        const Json whole = j;
        Json by_name;
        by_name.set("type", "object");
        by_name.set("additionalProperties", whole);
        j = Json();
        j.set("anyOf", Json(Json::Array{whole, by_name}));
      }
      break;
    case Kind::number:
      j.set("type", "number");
      j.set(k.min_exclusive ? "exclusiveMinimum" : "minimum", k.min);
      break;
    case Kind::quantity: j = quantity_schema(k.unit); break;
    case Kind::measure: {  // only inside distributions: either form
      Json::Array any{Json(), quantity_schema(units::Dimension::time)};
      std::get<Json::Object>(any[0].v).emplace_back("type", Json("number"));
      j.set("anyOf", Json(std::move(any)));
      break;
    }
    case Kind::date:
      j.set("type", "string");
      j.set("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$");
      break;
    case Kind::choice: {
      Json::Array values;
      for (const std::string& c : k.choices) values.emplace_back(c);
      j.set("enum", Json(std::move(values)));
      break;
    }
    case Kind::object: j = schema_ref(def_name(k.object->what)); break;
    case Kind::list: {
      j.set("type", "array");
      if (k.required) j.set("minItems", 1.0);
      j.set("items", schema_ref(def_name(k.object->what)));
      break;
    }
    case Kind::distribution: j = schema_ref(k.dist == Dimension::count ? kCountDist : kTimeDist); break;
    case Kind::time_limit: {
      Json exact;
      exact.set("const", std::string(keys::time_limit_exact));
      j.set("anyOf", Json(Json::Array{exact, schema_ref(def_name(keys::time_limit_factor_object().what)), schema_ref(kTimeDist)}));
      break;
    }
    case Kind::server: {
      Json name;
      name.set("type", "string");
      name.set("description", "Catalog server name.");
      j.set("anyOf", Json(Json::Array{name, schema_ref(def_name(k.object->what))}));
      break;
    }
  }
  std::string help(k.help);
  if (!k.default_text.empty()) help += " Default: " + std::string(k.default_text) + ".";
  j.set("description", help);
  return j;
}

Json object_schema(const keys::ObjectDef& o) {
  Json j;
  j.set("type", "object");
  if (!o.help.empty()) j.set("description", std::string(o.help));
  Json props;
  Json::Array required;
  for (const keys::KeyDef& k : o.keys) {
    props.set(std::string(k.name), key_schema(k));
    if (k.required) required.emplace_back(std::string(k.name));
  }
  // A table without keys (`uncertain`) maps free key paths to distributions.
  if (o.keys.empty()) {
    j.set("additionalProperties", schema_ref(kCountDist));
    return j;
  }
  j.set("properties", props);
  if (!required.empty()) j.set("required", Json(std::move(required)));
  j.set("additionalProperties", false);
  return j;
}

// A distribution whose measured values are counts or time spans.
Json distribution_schema(Dimension dim) {
  Json constant;
  if (dim == Dimension::count) {
    constant.set("type", "integer");
    constant.set("minimum", 1.0);
  } else {
    constant = quantity_schema(units::Dimension::time);
  }
  constant.set("description", dim == Dimension::count ? "A fixed GPU count." : "A fixed time span.");
  Json::Array forms{constant};
  for (const keys::DistributionKindDef& kind : keys::distribution_kinds()) {
    Json params;
    if (kind.name == "discrete") {
      params.set("type", "object");
      params.set("minProperties", 1.0);
      Json names;
      names.set("pattern", dim == Dimension::count ? "^[0-9]+$" : units::quantity_pattern(units::Dimension::time));
      params.set("propertyNames", names);
      Json prob;
      prob.set("type", "number");
      prob.set("minimum", 0.0);
      prob.set("maximum", 1.0);
      params.set("additionalProperties", prob);
      params.set("description", std::string(kind.help));
    } else {
      params = object_schema(kind.params);
      auto& props = std::get<Json::Object>(params.set("properties", Json()).v);
      props.clear();
      for (const keys::KeyDef& k : kind.params.keys) {
        Json p;
        if (k.kind == keys::Kind::measure) {
          if (dim == Dimension::count) {
            p.set("type", "number");
            p.set(k.min_exclusive ? "exclusiveMinimum" : "minimum", k.min);
          } else {
            p = quantity_schema(units::Dimension::time);
          }
          p.set("description", std::string(k.help));
        } else {
          p = key_schema(k);
        }
        props.emplace_back(std::string(k.name), p);
      }
      params.set("description", std::string(kind.help));
    }
    Json form;
    form.set("type", "object");
    Json form_props;
    form_props.set(std::string(kind.name), params);
    form.set("properties", form_props);
    form.set("required", Json(Json::Array{Json(std::string(kind.name))}));
    form.set("additionalProperties", false);
    form.set("description", std::string(kind.help));
    forms.push_back(form);
  }
  Json j;
  j.set("oneOf", Json(std::move(forms)));
  j.set("description", dim == Dimension::count ? "A GPU count: a whole number or a distribution."
                                               : "A time span or a distribution of time spans.");
  return j;
}

}  // namespace

std::string json_schema() {
  Json root = object_schema(keys::scenario_object());
  Json top;
  top.set("$schema", "https://json-schema.org/draft/2020-12/schema");
  top.set("title", "dcsim scenario");
  for (auto& [k, v] : std::get<Json::Object>(root.v)) top.set(k, v);
  Json defs;
  for (const keys::ObjectDef* o : keys::all_objects()) {
    if (o == &keys::scenario_object()) continue;
    defs.set(def_name(o->what), object_schema(*o));
  }
  defs.set(def_name(keys::time_limit_factor_object().what), object_schema(keys::time_limit_factor_object()));
  defs.set(kCountDist, distribution_schema(Dimension::count));
  defs.set(kTimeDist, distribution_schema(Dimension::time_s));
  top.set("$defs", defs);
  std::string out;
  write(out, top, 0);
  return out + "\n";
}

}  // namespace dcsim::scenario
