// The Tables tab: every CSV file of a results folder (and each array of objects in its
// summary.json, such as `envelopes` and `fabrics`) as a sortable, filterable table, so a results
// file the CLI starts writing shows up without GUI code.
#pragma once
#include <QAbstractTableModel>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <string>
#include <utility>
#include <vector>

#include "reports/results_reader.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QTableView;

namespace dcsim::gui {

// A CSV table as read: its header and rows, numbers as written. Qt::UserRole gives a number
// column's value as a double (the sort role), a text column's text.
class CsvTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  void set(const reports::CsvTable* t);
  const reports::CsvTable& table() const { return table_; }
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  reports::CsvTable table_;
};

// summary.json's top-level arrays of objects as tables, named "summary.json: <key>"; members
// that are not scalars are shown as JSON text.
std::vector<std::pair<QString, reports::CsvTable>> summaryTables(const QByteArray& summary_json);

class TablesPanel : public QWidget {
  Q_OBJECT
 public:
  explicit TablesPanel(QWidget* parent = nullptr);

  // The CSV files under `dir` (recursively, named by their path relative to it) and the arrays
  // of `dir`/summary.json. Files are parsed when shown.
  void setFolder(const QString& dir);
  // The files of a run still in memory (file name, contents).
  void setFiles(const std::vector<std::pair<QString, std::string>>& files);
  void clear(const QString& why);

  QStringList tableNames() const;
  // Shows the first table unless one is shown. A panel out of sight shows its first table when
  // it comes into view: reading and sizing a table nobody looks at was a twentieth of opening
  // a campus folder.
  void showFirstTable();
  // Shows a table; false when there is none of that name or its file does not parse (the
  // message is errorText() and the panel's label).
  bool showTable(const QString& name);
  QString currentTable() const { return current_; }
  QString errorText() const { return error_; }
  QTableView* view() const { return view_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }
  CsvTableModel* model() const { return model_; }
  QLineEdit* filter() const { return filter_; }

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  struct Entry {
    QString name;
    QString path;  // a file to read, or empty
    std::string text;  // the CSV text when in memory
    bool parsed = false;
    reports::CsvTable table;  // summary.json's arrays are parsed up front
  };
  void fillList();

  std::vector<Entry> entries_;
  QString current_, error_;
  QListWidget* list_ = nullptr;
  QLabel* label_ = nullptr;
  QLineEdit* filter_ = nullptr;
  QTableView* view_ = nullptr;
  CsvTableModel* model_ = nullptr;
  QSortFilterProxyModel* proxy_ = nullptr;
};

}  // namespace dcsim::gui
