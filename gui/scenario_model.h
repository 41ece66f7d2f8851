// The Scenario panel's model: the scenario's YAML document as an editable tree (key, value,
// unit), each key described by the scenario keys table (sim/scenario/keys.h) in its tooltip.
// Scalar values are editable; list items (rack groups, halls, workloads, failures...) can be
// added and removed, and keys the keys table allows added to a map. An edit changes the document
// in place and emits edited(); the owner validates the document's text with the CLI's loader and
// marks the item a diagnostic points at.
#pragma once
#include <QAbstractItemModel>
#include <QString>

#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace dcsim::scenario::keys {
struct KeyDef;
struct ObjectDef;
}  // namespace dcsim::scenario::keys

namespace dcsim::gui {

class ScenarioModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Column { KeyColumn = 0, ValueColumn = 1, UnitColumn = 2, ColumnCount = 3 };
  static constexpr int ErrorRole = Qt::UserRole + 1;  // the diagnostic marking an item, or empty
  static constexpr int PathRole = Qt::UserRole + 2;   // "sites/0/halls/0/racks/0/count"

  explicit ScenarioModel(QObject* parent = nullptr);
  ~ScenarioModel() override;

  // Replaces the document (false and `error` set when the text is not YAML).
  bool setYaml(const std::string& text, QString* error = nullptr);
  void clear();
  // The document as YAML (key order and flow/block style kept; comments are not).
  std::string yamlText() const;
  bool isEmpty() const { return !root_; }

  // The index of the value cell at a '/'-separated path of keys and list indices, or invalid.
  QModelIndex valueIndex(const QString& path) const;

  // Marks the deepest item whose key or value is on `line` (1-based, of yamlText()) with
  // `message`; returns its value index (invalid if no item is on that line). Clears other marks.
  QModelIndex markLine(int line, const QString& message);
  void clearMarks();
  QModelIndex markedIndex() const;

  // Structural edits. `at` may be any column of the item.
  bool isList(const QModelIndex& at) const;      // a sequence
  bool isListItem(const QModelIndex& at) const;  // an item of a sequence
  // Adds an item to the list `at` (a copy of its last item) or after the list item `at` (a copy
  // of it); a copied `name` gets a suffix that makes it unique among its siblings ("a-2"). An
  // empty list gets a map of its items' required keys. Returns the new item's value index.
  QModelIndex addListItem(const QModelIndex& at);
  bool removeListItem(const QModelIndex& at);
  // Keys the keys table allows in the map `at` (the whole scenario for an invalid index) that
  // it does not have, in the table's order.
  QStringList missingKeys(const QModelIndex& at) const;
  // Adds `key` to the map `at`: its default, or for a list one item of its required keys.
  QModelIndex addKey(const QModelIndex& at, const QString& key);

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 signals:
  // A scalar value was changed by setData (the document is already updated).
  void edited(const QModelIndex& value_index);

 private:
  struct Item;
  Item* itemOf(const QModelIndex& index) const;
  void build(Item* item, const YAML::Node& node, const scenario::keys::ObjectDef* object);
  void assignLines();
  void rebuild();
  QString pathOf(const Item* item) const;

  std::unique_ptr<Item> root_;
  YAML::Node doc_;
};

}  // namespace dcsim::gui
