// The JSON Schema is valid JSON, lists every key of the tables with a description, and the format
// reference in docs/ mentions every key and unit the loader accepts.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/scenario/keys.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/units.h"

namespace dcsim::scenario {
namespace {

// A strict recursive-descent JSON checker (RFC 8259), enough to prove the text is well formed.
class JsonChecker {
 public:
  explicit JsonChecker(const std::string& s) : s_(s) {}
  bool check() {
    ws();
    if (!value()) return false;
    ws();
    return i_ == s_.size();
  }
  std::size_t at() const { return i_; }

 private:
  bool value() {
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') return string();
    if (s_.compare(i_, 4, "true") == 0) return i_ += 4, true;
    if (s_.compare(i_, 5, "false") == 0) return i_ += 5, true;
    if (s_.compare(i_, 4, "null") == 0) return i_ += 4, true;
    return number();
  }
  bool object() {
    ++i_;
    ws();
    if (peek('}')) return ++i_, true;
    for (;;) {
      ws();
      if (!string()) return false;
      ws();
      if (!peek(':')) return false;
      ++i_;
      ws();
      if (!value()) return false;
      ws();
      if (peek('}')) return ++i_, true;
      if (!peek(',')) return false;
      ++i_;
    }
  }
  bool array() {
    ++i_;
    ws();
    if (peek(']')) return ++i_, true;
    for (;;) {
      ws();
      if (!value()) return false;
      ws();
      if (peek(']')) return ++i_, true;
      if (!peek(',')) return false;
      ++i_;
    }
  }
  bool string() {
    if (!peek('"')) return false;
    for (++i_; i_ < s_.size(); ++i_) {
      const char c = s_[i_];
      if (c == '"') return ++i_, true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        ++i_;
        if (i_ >= s_.size()) return false;
        const char e = s_[i_];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k)
            if (++i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) return false;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }
  bool number() {
    const std::size_t start = i_;
    if (peek('-')) ++i_;
    if (!digits()) return false;
    if (peek('.')) {
      ++i_;
      if (!digits()) return false;
    }
    if (peek('e') || peek('E')) {
      ++i_;
      if (peek('+') || peek('-')) ++i_;
      if (!digits()) return false;
    }
    return i_ > start;
  }
  bool digits() {
    const std::size_t start = i_;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    return i_ > start;
  }
  bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  const std::string& s_;
  std::size_t i_ = 0;
};

// "`name`" / "\"name\"" built without operator+(const char*, string), which trips GCC 12's -Wrestrict.
std::string wrap(std::string_view name, char quote, std::string_view after = {}) {
  std::string out(1, quote);
  out.append(name);
  out += quote;
  out.append(after);
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(JsonSchema, IsWellFormedJson) {
  const std::string schema = json_schema();
  JsonChecker checker(schema);
  EXPECT_TRUE(checker.check()) << "bad JSON near offset " << checker.at() << ": "
                               << schema.substr(checker.at() > 40 ? checker.at() - 40 : 0, 80);
}

TEST(JsonSchema, IsDraft202012WithEveryKeyDescribed) {
  const std::string schema = json_schema();
  EXPECT_NE(schema.find("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""), std::string::npos);
  for (const keys::ObjectDef* o : keys::all_objects())
    for (const keys::KeyDef& k : o->keys)
      EXPECT_NE(schema.find(wrap(k.name, '"', ": {")), std::string::npos) << k.name;
  for (const keys::KeyDef& k : keys::scenario_object().keys)
    EXPECT_NE(schema.find(wrap(k.name, '"')), std::string::npos) << k.name;
  // Every object is closed, and every property carries a description.
  EXPECT_EQ(count(schema, "\"additionalProperties\": false"), count(schema, "\"properties\": {"));
  EXPECT_GE(count(schema, "\"description\""), count(schema, "\": {\n") - count(schema, "\"properties\": {") -
                                                  count(schema, "\"$defs\": {") - count(schema, "\"propertyNames\": {") -
                                                  count(schema, "\"additionalProperties\": {") -
                                                  count(schema, "\"items\": {"));
}

TEST(JsonSchema, QuantitiesAreStringsWithUnitPatterns) {
  const std::string schema = json_schema();
  EXPECT_NE(schema.find("(?:W|kW|MW)"), std::string::npos);
  EXPECT_NE(schema.find("/day"), std::string::npos);
  EXPECT_NE(schema.find("USD/kWh"), std::string::npos);
}

TEST(FormatReference, MentionsEveryKeyUnitAndDistributionKind) {
  std::ifstream in(std::string(DCSIM_SOURCE_DIR) + "/docs/scenario-format.md");
  ASSERT_TRUE(in) << "docs/scenario-format.md is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const keys::ObjectDef* o : keys::all_objects())
    for (const keys::KeyDef& k : o->keys)
      EXPECT_NE(doc.find(wrap(k.name, '`')), std::string::npos) << o->what << "." << k.name;
  for (const keys::DistributionKindDef& d : keys::distribution_kinds()) {
    EXPECT_NE(doc.find(wrap(d.name, '`')), std::string::npos) << d.name;
    for (const keys::KeyDef& p : d.params.keys)
      EXPECT_NE(doc.find(wrap(p.name, '`')), std::string::npos) << d.name << "." << p.name;
  }
  for (const units::Unit& u : units::all_units())
    EXPECT_NE(doc.find(wrap(u.symbol, '`')), std::string::npos) << u.symbol;
  for (const char* code : {"S100", "S101", "S102", "S104", "S110", "S111", "S112", "S113", "S114", "S115", "S116",
                           "S117", "S118", "S120"})
    EXPECT_NE(doc.find(code), std::string::npos) << code;
}

}  // namespace
}  // namespace dcsim::scenario
