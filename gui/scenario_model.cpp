// The Scenario panel's tree model over the YAML document; descriptions from the keys table.
#include "gui/scenario_model.h"

#include <QBrush>
#include <QColor>
#include <QStringList>

#include <algorithm>
#include <functional>

#include "sim/scenario/keys.h"
#include "sim/scenario/units.h"

namespace dcsim::gui {

namespace keys = scenario::keys;

struct ScenarioModel::Item {
  QString key;        // the map key, or "[i] name" for a list item
  QString path_part;  // the map key, or the list index
  YAML::Node node;    // shares its node with doc_: assigning a scalar edits the document
  Item* parent = nullptr;
  std::vector<std::unique_ptr<Item>> children;
  int row = 0;
  const keys::KeyDef* def = nullptr;
  const keys::ObjectDef* object = nullptr;  // what describes this map, or a list's items
  bool free_map = false;                    // a distribution or time limit: no keys table
  // 1-based positions of the key and of the value in yamlText(); 0 when unknown.
  int key_line = 0, key_column = 0, value_line = 0, value_column = 0;
  QString error;
};

namespace {

QString kindText(const keys::KeyDef& d) {
  switch (d.kind) {
    case keys::Kind::text: return "text";
    case keys::Kind::integer: return "integer";
    case keys::Kind::number: return "number";
    case keys::Kind::quantity: return QString::fromUtf8(scenario::units::dimension_name(d.unit).data(),
                                                        static_cast<int>(scenario::units::dimension_name(d.unit).size()));
    case keys::Kind::measure: return "count or time span";
    case keys::Kind::date: return "date (UTC)";
    case keys::Kind::choice: return "choice";
    case keys::Kind::object: return "map";
    case keys::Kind::list: return "list";
    case keys::Kind::distribution: return d.dist == scenario::Dimension::time_s ? "distribution of time spans" : "distribution of counts";
    case keys::Kind::time_limit: return "time limit";
    case keys::Kind::server: return "server";
  }
  return {};
}

QString sv(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<int>(s.size())); }

QString tooltipOf(const keys::KeyDef& d) {
  QString t = QString("<b>%1</b> (%2%3)").arg(sv(d.name), kindText(d), d.required ? ", required" : "");
  if (!d.help.empty()) t += "<br>" + sv(d.help).toHtmlEscaped();
  if (!d.choices.empty()) {
    QStringList c;
    for (const auto& s : d.choices) c << QString::fromStdString(s);
    t += "<br>one of: " + c.join(", ").toHtmlEscaped();
  }
  if (!d.default_text.empty()) t += "<br>default: " + sv(d.default_text).toHtmlEscaped();
  return t;
}

}  // namespace

ScenarioModel::ScenarioModel(QObject* parent) : QAbstractItemModel(parent) {}
ScenarioModel::~ScenarioModel() = default;

void ScenarioModel::clear() {
  beginResetModel();
  root_.reset();
  doc_ = YAML::Node();
  endResetModel();
}

bool ScenarioModel::setYaml(const std::string& text, QString* error) {
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  beginResetModel();
  doc_ = doc;
  root_ = std::make_unique<Item>();
  root_->node = doc_;
  build(root_.get(), doc_, &keys::scenario_object());
  assignLines();
  endResetModel();
  return true;
}

void ScenarioModel::build(Item* item, const YAML::Node& node, const keys::ObjectDef* object) {
  item->object = object;
  item->free_map = item->def && (item->def->kind == keys::Kind::distribution || item->def->kind == keys::Kind::time_limit);
  auto add = [&](QString key, QString part, const YAML::Node& child, const keys::KeyDef* def,
                 const keys::ObjectDef* child_object) {
    auto c = std::make_unique<Item>();
    c->key = std::move(key);
    c->path_part = std::move(part);
    c->node = child;
    c->parent = item;
    c->row = static_cast<int>(item->children.size());
    c->def = def;
    Item* raw = c.get();
    item->children.push_back(std::move(c));
    build(raw, child, child_object);
  };
  if (node.IsMap()) {
    const bool distribution = item->def && item->def->kind == keys::Kind::distribution;
    const bool time_limit = item->def && item->def->kind == keys::Kind::time_limit;
    for (const auto& kv : node) {
      const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
      const keys::KeyDef* def = nullptr;
      const keys::ObjectDef* child_object = nullptr;
      if (distribution) {
        if (const auto* kind = keys::find_distribution_kind(k)) child_object = &kind->params;
      } else if (time_limit) {
        def = keys::find_key(keys::time_limit_factor_object(), k);
      } else if (object) {
        def = keys::find_key(*object, k);
        if (def && (def->kind == keys::Kind::object || def->kind == keys::Kind::list || def->kind == keys::Kind::server)) {
          child_object = def->object;
        }
      }
      add(QString::fromStdString(k), QString::fromStdString(k), kv.second, def, child_object);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node child = node[i];
      QString label = QString("[%1]").arg(i);
      if (child.IsMap() && child["name"] && child["name"].IsScalar()) label += " " + QString::fromStdString(child["name"].Scalar());
      // A list's items are maps of the list's object (the item keeps the list's key for help).
      add(label, QString::number(i), child, nullptr, object);
    }
  }
}

std::string ScenarioModel::yamlText() const {
  if (!root_) return {};
  YAML::Emitter out;
  out << doc_;
  return std::string(out.c_str()) + "\n";
}

void ScenarioModel::assignLines() {
  if (!root_) return;
  // Positions in the text as it is saved and validated: parse that text and walk it alongside.
  YAML::Node marked;
  try {
    marked = YAML::Load(yamlText());
  } catch (const YAML::Exception&) {
    return;
  }
  std::function<void(Item*, const YAML::Node&)> walk = [&](Item* item, const YAML::Node& node) {
    if (node.IsMap()) {
      std::size_t i = 0;
      for (const auto& kv : node) {
        if (i >= item->children.size()) return;
        Item* c = item->children[i++].get();
        c->key_line = kv.first.Mark().line + 1;
        c->key_column = kv.first.Mark().column + 1;
        c->value_line = kv.second.Mark().line + 1;
        c->value_column = kv.second.Mark().column + 1;
        walk(c, kv.second);
      }
    } else if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size() && i < item->children.size(); ++i) {
        Item* c = item->children[i].get();
        c->key_line = c->value_line = node[i].Mark().line + 1;
        c->key_column = c->value_column = node[i].Mark().column + 1;
        walk(c, node[i]);
      }
    }
  };
  walk(root_.get(), marked);
}

QModelIndex ScenarioModel::valueIndex(const QString& path) const {
  if (!root_) return {};
  const Item* item = root_.get();
  for (const QString& part : path.split('/', Qt::SkipEmptyParts)) {
    const Item* next = nullptr;
    for (const auto& c : item->children) {
      if (c->path_part == part) next = c.get();
    }
    if (!next) return {};
    item = next;
  }
  if (item == root_.get()) return {};
  return createIndex(item->row, ValueColumn, const_cast<Item*>(item));
}

QModelIndex ScenarioModel::markLine(int line, const QString& message) {
  clearMarks();
  if (!root_) return {};
  // The item on that line whose key or value starts last (a flow map puts several on a line).
  Item* best = nullptr;
  int best_column = -1;
  std::function<void(Item*)> walk = [&](Item* item) {
    for (const auto& c : item->children) {
      if (c->key_line == line && c->key_column >= best_column) {
        best = c.get();
        best_column = c->key_column;
      }
      if (c->node.IsScalar() && c->value_line == line && c->value_column >= best_column) {
        best = c.get();
        best_column = c->value_column;
      }
      walk(c.get());
    }
  };
  walk(root_.get());
  if (!best) return {};
  best->error = message;
  const QModelIndex first = createIndex(best->row, 0, best);
  emit dataChanged(first, createIndex(best->row, ColumnCount - 1, best));
  return createIndex(best->row, ValueColumn, best);
}

void ScenarioModel::clearMarks() {
  if (!root_) return;
  std::function<void(Item*)> walk = [&](Item* item) {
    for (const auto& c : item->children) {
      if (!c->error.isEmpty()) {
        c->error.clear();
        emit dataChanged(createIndex(c->row, 0, c.get()), createIndex(c->row, ColumnCount - 1, c.get()));
      }
      walk(c.get());
    }
  };
  walk(root_.get());
}

QModelIndex ScenarioModel::markedIndex() const {
  if (!root_) return {};
  QModelIndex found;
  std::function<void(Item*)> walk = [&](Item* item) {
    for (const auto& c : item->children) {
      if (!c->error.isEmpty()) found = createIndex(c->row, ValueColumn, c.get());
      walk(c.get());
    }
  };
  walk(root_.get());
  return found;
}

ScenarioModel::Item* ScenarioModel::itemOf(const QModelIndex& index) const {
  return index.isValid() ? static_cast<Item*>(index.internalPointer()) : root_.get();
}

QModelIndex ScenarioModel::index(int row, int column, const QModelIndex& parent) const {
  const Item* p = itemOf(parent);
  if (!p || row < 0 || column < 0 || column >= ColumnCount || static_cast<std::size_t>(row) >= p->children.size()) return {};
  return createIndex(row, column, p->children[static_cast<std::size_t>(row)].get());
}

QModelIndex ScenarioModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  const Item* p = static_cast<Item*>(child.internalPointer())->parent;
  if (!p || p == root_.get()) return {};
  return createIndex(p->row, 0, const_cast<Item*>(p));
}

int ScenarioModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() && parent.column() != 0) return 0;
  const Item* p = itemOf(parent);
  return p ? static_cast<int>(p->children.size()) : 0;
}

int ScenarioModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant ScenarioModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Item* item = static_cast<Item*>(index.internalPointer());
  if (role == ErrorRole) return item->error;
  if (role == PathRole) {
    QStringList parts;
    for (const Item* i = item; i && i != root_.get(); i = i->parent) parts.prepend(i->path_part);
    return parts.join('/');
  }
  if (role == Qt::ForegroundRole && !item->error.isEmpty()) return QBrush(QColor(180, 0, 0));
  if (role == Qt::BackgroundRole && !item->error.isEmpty()) return QBrush(QColor(255, 220, 220));
  if (role == Qt::ToolTipRole) {
    if (!item->error.isEmpty()) return "<pre>" + item->error.toHtmlEscaped() + "</pre>";
    if (item->def) return tooltipOf(*item->def);
    return {};
  }
  if (role != Qt::DisplayRole && role != Qt::EditRole) return {};
  switch (index.column()) {
    case KeyColumn: return item->key;
    case ValueColumn:
      if (item->node.IsScalar()) return QString::fromStdString(item->node.Scalar());
      if (role == Qt::DisplayRole && item->node.IsSequence()) return tr("%n item(s)", "", static_cast<int>(item->node.size()));
      return {};
    case UnitColumn: return item->def ? kindText(*item->def) : QVariant();
    default: return {};
  }
}

bool ScenarioModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!index.isValid() || role != Qt::EditRole || index.column() != ValueColumn) return false;
  Item* item = static_cast<Item*>(index.internalPointer());
  if (!item->node.IsScalar()) return false;
  const std::string text = value.toString().trimmed().toStdString();
  if (text == item->node.Scalar()) return false;
  item->node = text;  // edits the shared node of doc_
  assignLines();
  emit dataChanged(index, index);
  emit edited(index);
  return true;
}

void ScenarioModel::rebuild() {
  beginResetModel();
  root_ = std::make_unique<Item>();
  root_->node = doc_;
  build(root_.get(), doc_, &keys::scenario_object());
  assignLines();
  endResetModel();
}

QString ScenarioModel::pathOf(const Item* item) const {
  QStringList parts;
  for (const Item* i = item; i && i != root_.get(); i = i->parent) parts.prepend(i->path_part);
  return parts.join('/');
}

bool ScenarioModel::isList(const QModelIndex& at) const {
  const Item* item = at.isValid() ? itemOf(at) : nullptr;
  return item && item->node.IsSequence();
}

bool ScenarioModel::isListItem(const QModelIndex& at) const {
  const Item* item = at.isValid() ? itemOf(at) : nullptr;
  return item && item->parent && item->parent->node.IsSequence();
}

namespace {

// A new map of an object's required keys, each with its default or empty.
YAML::Node requiredKeys(const keys::ObjectDef* object) {
  YAML::Node map(YAML::NodeType::Map);
  if (!object) return map;
  for (const keys::KeyDef& k : object->keys) {
    if (!k.required) continue;
    map[std::string(k.name)] = std::string(k.default_text);
  }
  return map;
}

}  // namespace

QModelIndex ScenarioModel::addListItem(const QModelIndex& at) {
  if (!root_ || !at.isValid()) return {};
  Item* item = itemOf(at);
  Item* list = item->node.IsSequence() ? item : (isListItem(at) ? item->parent : nullptr);
  if (!list) return {};
  const Item* source = list == item ? (list->children.empty() ? nullptr : list->children.back().get()) : item;
  YAML::Node added = source ? YAML::Clone(source->node) : requiredKeys(list->object);
  if (added.IsMap() && added["name"] && added["name"].IsScalar()) {
    // A unique name: "<name>-2", "-3", ... (a copy of "a-2" becomes "a-3").
    std::vector<std::string> taken;
    for (const auto& c : list->children) {
      if (c->node.IsMap() && c->node["name"] && c->node["name"].IsScalar()) taken.push_back(c->node["name"].Scalar());
    }
    std::string base = added["name"].Scalar();
    const auto dash = base.rfind('-');
    if (dash != std::string::npos && dash + 1 < base.size() &&
        base.find_first_not_of("0123456789", dash + 1) == std::string::npos) {
      base = base.substr(0, dash);
    }
    if (base.empty()) base = "new";
    for (int n = 2;; ++n) {
      const std::string candidate = base + "-" + std::to_string(n);
      if (std::find(taken.begin(), taken.end(), candidate) == taken.end()) {
        added["name"] = candidate;
        break;
      }
    }
  }
  const std::size_t position = source ? static_cast<std::size_t>(source->row) + 1 : list->children.size();
  YAML::Node seq(YAML::NodeType::Sequence);
  seq.SetStyle(list->node.Style());
  for (std::size_t i = 0; i < list->node.size(); ++i) {
    if (i == position) seq.push_back(added);
    seq.push_back(list->node[i]);
  }
  if (position >= list->node.size()) seq.push_back(added);
  const QString path = pathOf(list) + "/" + QString::number(position);
  list->node = seq;  // replaces the list inside doc_
  rebuild();
  const QModelIndex index = valueIndex(path);
  emit edited(index);
  return index;
}

bool ScenarioModel::removeListItem(const QModelIndex& at) {
  if (!root_ || !isListItem(at)) return false;
  Item* item = itemOf(at);
  Item* list = item->parent;
  YAML::Node seq(YAML::NodeType::Sequence);
  seq.SetStyle(list->node.Style());
  for (std::size_t i = 0; i < list->node.size(); ++i) {
    if (static_cast<int>(i) != item->row) seq.push_back(list->node[i]);
  }
  const QString path = pathOf(list);
  list->node = seq;
  rebuild();
  emit edited(valueIndex(path));
  return true;
}

QStringList ScenarioModel::missingKeys(const QModelIndex& at) const {
  const Item* item = itemOf(at);
  if (!item || !item->node.IsMap() || !item->object || item->free_map) return {};
  QStringList out;
  for (const keys::KeyDef& k : item->object->keys) {
    if (!item->node[std::string(k.name)]) out << sv(k.name);
  }
  return out;
}

QModelIndex ScenarioModel::addKey(const QModelIndex& at, const QString& key) {
  Item* item = itemOf(at);
  if (!root_ || !item || !item->node.IsMap() || !item->object || !missingKeys(at).contains(key)) return {};
  const keys::KeyDef* def = keys::find_key(*item->object, key.toStdString());
  if (!def) return {};
  YAML::Node value;
  if (def->kind == keys::Kind::list) {
    value = YAML::Node(YAML::NodeType::Sequence);
    value.push_back(requiredKeys(def->object));
  } else if (def->kind == keys::Kind::object) {
    value = requiredKeys(def->object);
  } else {
    value = std::string(def->default_text);
  }
  item->node[key.toStdString()] = value;
  const QString path = (item == root_.get() ? QString() : pathOf(item) + "/") + key;
  rebuild();
  const QModelIndex index = valueIndex(path);
  emit edited(index);
  return index;
}

Qt::ItemFlags ScenarioModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
  if (index.column() == ValueColumn && static_cast<Item*>(index.internalPointer())->node.IsScalar()) f |= Qt::ItemIsEditable;
  return f;
}

QVariant ScenarioModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case KeyColumn: return tr("key");
    case ValueColumn: return tr("value");
    case UnitColumn: return tr("expects");
    default: return {};
  }
}

}  // namespace dcsim::gui
