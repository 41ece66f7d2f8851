// The Tables tab: a list of the results folder's tables beside a sortable view of the chosen one.
#include "gui/tables_view.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QShowEvent>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace dcsim::gui {

void CsvTableModel::set(const reports::CsvTable* t) {
  beginResetModel();
  table_ = t ? *t : reports::CsvTable{};
  endResetModel();
}

int CsvTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(table_.rows);
}

int CsvTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(table_.columns.size());
}

QVariant CsvTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const reports::CsvColumn& c = table_.columns[static_cast<std::size_t>(index.column())];
  const auto row = static_cast<std::size_t>(index.row());
  if (role == Qt::TextAlignmentRole && c.numeric) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::UserRole) {
    if (c.numeric) return row < c.numbers.size() ? QVariant(c.numbers[row]) : QVariant();
    return QString::fromStdString(c.cell(row));
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  return QString::fromStdString(c.cell(row));
}

QVariant CsvTableModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
      static_cast<std::size_t>(section) >= table_.columns.size()) {
    return {};
  }
  return QString::fromStdString(table_.columns[static_cast<std::size_t>(section)].name);
}

std::vector<std::pair<QString, reports::CsvTable>> summaryTables(const QByteArray& summary_json) {
  std::vector<std::pair<QString, reports::CsvTable>> out;
  const QJsonDocument doc = QJsonDocument::fromJson(summary_json);
  if (!doc.isObject()) return out;
  const QJsonObject top = doc.object();
  // QJsonObject iterates keys sorted; keep the file's order by scanning the text.
  QStringList keys = top.keys();
  std::stable_sort(keys.begin(), keys.end(), [&](const QString& a, const QString& b) {
    return summary_json.indexOf("\"" + a.toUtf8() + "\"") < summary_json.indexOf("\"" + b.toUtf8() + "\"");
  });
  for (const QString& key : keys) {
    const QJsonValue v = top.value(key);
    if (!v.isArray() || v.toArray().isEmpty()) continue;
    const QJsonArray items = v.toArray();
    if (!std::all_of(items.begin(), items.end(), [](const QJsonValue& x) { return x.isObject(); })) continue;
    // Columns in the order they first occur.
    QStringList names;
    for (const QJsonValue& item : items) {
      const QJsonObject o = item.toObject();
      QStringList own = o.keys();
      std::stable_sort(own.begin(), own.end(), [&](const QString& a, const QString& b) {
        return summary_json.indexOf("\"" + a.toUtf8() + "\"") < summary_json.indexOf("\"" + b.toUtf8() + "\"");
      });
      for (const QString& k : own) {
        if (!names.contains(k)) names << k;
      }
    }
    reports::CsvTable t;
    t.rows = static_cast<std::size_t>(items.size());
    for (const QString& name : names) {
      reports::CsvColumn c;
      c.name = name.toStdString();
      c.numeric = std::all_of(items.begin(), items.end(), [&](const QJsonValue& x) { return x.toObject().value(name).isDouble(); });
      for (const QJsonValue& item : items) {
        const QJsonValue cell = item.toObject().value(name);
        if (c.numeric) {
          c.numbers.push_back(cell.toDouble());
        } else if (cell.isString()) {
          c.text.push_back(cell.toString().toStdString());
        } else if (cell.isDouble()) {
          c.text.push_back(QString::number(cell.toDouble(), 'g', 17).toStdString());
        } else if (cell.isBool()) {
          c.text.push_back(cell.toBool() ? "true" : "false");
        } else if (cell.isArray() || cell.isObject()) {
          const QJsonDocument sub = cell.isArray() ? QJsonDocument(cell.toArray()) : QJsonDocument(cell.toObject());
          c.text.push_back(sub.toJson(QJsonDocument::Compact).toStdString());
        } else {
          c.text.emplace_back();  // null or absent
        }
      }
      t.columns.push_back(std::move(c));
    }
    out.emplace_back("summary.json: " + key, std::move(t));
  }
  return out;
}

TablesPanel::TablesPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* split = new QSplitter(Qt::Horizontal, this);
  list_ = new QListWidget(split);
  list_->setObjectName("tablesList");
  auto* right = new QWidget(split);
  auto* right_layout = new QVBoxLayout(right);
  right_layout->setContentsMargins(0, 0, 0, 0);
  auto* row = new QHBoxLayout;
  label_ = new QLabel(right);
  label_->setWordWrap(true);
  filter_ = new QLineEdit(right);
  filter_->setObjectName("tablesFilter");
  filter_->setPlaceholderText(tr("Filter rows (any column)"));
  filter_->setClearButtonEnabled(true);
  row->addWidget(label_, 1);
  row->addWidget(filter_);
  right_layout->addLayout(row);
  model_ = new CsvTableModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(Qt::UserRole);  // numbers sort as numbers
  proxy_->setFilterKeyColumn(-1);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  view_ = new QTableView(right);
  view_->setObjectName("tablesView");
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(-1, Qt::AscendingOrder);  // as written until a header is clicked
  view_->setAlternatingRowColors(true);
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
  right_layout->addWidget(view_, 1);
  split->addWidget(list_);
  split->addWidget(right);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 4);
  layout->addWidget(split);
  connect(list_, &QListWidget::currentTextChanged, this, [this](const QString& name) {
    if (!name.isEmpty() && name != current_) showTable(name);
  });
  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
  clear(tr("Open or run a results folder to see its tables."));
}

void TablesPanel::clear(const QString& why) {
  entries_.clear();
  current_.clear();
  error_.clear();
  model_->set(nullptr);
  list_->clear();
  label_->setText(why);
}

void TablesPanel::setFolder(const QString& dir) {
  clear(QString());
  QStringList files;
  QDirIterator it(dir, {"*.csv"}, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) files << QDir(dir).relativeFilePath(it.next());
  // Top-level files first, then folders (a sweep's variants) in name order.
  std::sort(files.begin(), files.end(), [](const QString& a, const QString& b) {
    const bool da = a.contains('/'), db = b.contains('/');
    return da != db ? db : a < b;
  });
  for (const QString& f : files) entries_.push_back({f, QDir(dir).filePath(f), {}, false, {}});
  QFile summary(QDir(dir).filePath("summary.json"));
  if (summary.open(QIODevice::ReadOnly)) {
    for (auto& [name, table] : summaryTables(summary.readAll())) entries_.push_back({name, {}, {}, true, std::move(table)});
  }
  fillList();
}

void TablesPanel::setFiles(const std::vector<std::pair<QString, std::string>>& files) {
  clear(QString());
  for (const auto& [name, text] : files) {
    if (name.endsWith(".csv")) entries_.push_back({name, {}, text, false, {}});
  }
  for (const auto& [name, text] : files) {
    if (name != "summary.json") continue;
    for (auto& [tname, table] : summaryTables(QByteArray::fromStdString(text))) {
      entries_.push_back({tname, {}, {}, true, std::move(table)});
    }
  }
  fillList();
}

void TablesPanel::fillList() {
  {
    const QSignalBlocker block(list_);
    for (const Entry& e : entries_) list_->addItem(e.name);
  }
  if (entries_.empty()) {
    label_->setText(tr("No CSV files here."));
    return;
  }
  if (isVisible()) showFirstTable();
}

void TablesPanel::showFirstTable() {
  if (current_.isEmpty() && !entries_.empty()) {
    list_->setCurrentRow(0);
    showTable(entries_.front().name);
  }
}

void TablesPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  showFirstTable();
}

QStringList TablesPanel::tableNames() const {
  QStringList out;
  for (const Entry& e : entries_) out << e.name;
  return out;
}

bool TablesPanel::showTable(const QString& name) {
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.name == name; });
  if (it == entries_.end()) {
    error_ = tr("%1: no such table").arg(name);
    return false;
  }
  if (!it->parsed) {
    std::string text = it->text;
    if (!it->path.isEmpty()) {
      QFile f(it->path);
      if (!f.open(QIODevice::ReadOnly)) {
        error_ = tr("%1: %2").arg(it->path, f.errorString());
        label_->setText(error_);
        model_->set(nullptr);
        current_ = name;
        return false;
      }
      text = f.readAll().toStdString();
    }
    const std::string err = reports::parse_csv_table(text, name.toStdString(), it->table);
    if (!err.empty()) {
      error_ = QString::fromStdString(err);
      label_->setText(error_);
      model_->set(nullptr);
      current_ = name;
      return false;
    }
    it->parsed = true;
    it->text.clear();
  }
  error_.clear();
  current_ = name;
  proxy_->sort(-1);  // as written
  view_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  model_->set(&it->table);
  {
    const QSignalBlocker block(list_);
    const auto found = list_->findItems(name, Qt::MatchExactly);
    if (!found.isEmpty()) list_->setCurrentItem(found.first());
  }
  label_->setText(tr("%1: %2 rows, %3 columns%4")
                      .arg(name)
                      .arg(it->table.rows)
                      .arg(it->table.columns.size())
                      .arg(it->path.isEmpty() ? QString() : tr(" (%1)").arg(it->path)));
  view_->resizeColumnsToContents();
  return true;
}

}  // namespace dcsim::gui
