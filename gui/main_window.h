// The dcsim-gui main window: opens scenarios and results folders, runs scenarios on a worker
// thread through the same calls as `dcsim run`, and shows the results as charts and tables.
#pragma once
#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "gui/charts.h"
#include "gui/floor_view.h"
#include "gui/scenario_model.h"
#include "gui/tables_view.h"
#include "reports/many_runs.h"
#include "reports/results_folder.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario.h"

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QModelIndex;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QThread;
class QTimer;
class QTreeView;
class QDockWidget;

namespace dcsim::gui {

class KpiModel;
class CsvTableModel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Each returns false and shows why in the Messages panel (and messageText()) on failure.
  bool openPath(const QString& path);  // a folder is a results folder, a file a scenario
  bool openScenario(const QString& path);
  bool openResultsFolder(const QString& path);
  // Results folders, sweeps and their variants. A sweep folder (`dcsim sweep`, `dcsim
  // sensitivity`) opens its first variant as A and compares the others with it.
  // openCompareFolder adds a run (plain or replicated results folder) to compare with the shown
  // one as B, C, ...; a sweep folder adds each of its variants.
  bool openCompareFolder(const QString& path);
  void clearComparison();
  int compareCount() const { return static_cast<int>(compares_.size()); }
  // Any folder of CSV files (`dcsim plan` output, a sweep) in the Tables tab only.
  bool openTablesFolder(const QString& path);

  void startRun();
  void cancelRun();
  bool isRunning() const { return thread_ != nullptr; }

  // Where runs write their results folder (`<root>/<scenario slug>`), like `dcsim run` without
  // -o does under results/. Empty: keep results in memory only (File > Save Results As).
  void setResultsRoot(const QString& dir) { results_root_ = dir; }
  QString resultsRoot() const { return results_root_; }

  QString messageText() const;
  Snapshot snapshot() const { return snapshot_; }
  ChartPanel* chartPanel(const QString& id) const;
  QList<ChartPanel*> chartPanels() const { return panels_; }
  QTableView* kpiView() const { return kpi_view_; }
  QTableView* yearlyKpiView() const { return yearly_view_; }  // kpis.csv, one row per year
  QComboBox* marketDimensionBox() const { return market_dimension_; }
  // The Scenario panel: the opened scenario's YAML as an editable tree. Each edit is validated
  // with the CLI's loader; a valid edit becomes the scenario Run uses.
  QTreeView* scenarioTree() const { return scenario_tree_; }
  ScenarioModel* scenarioModel() const { return scenario_model_; }
  bool scenarioEditsValid() const { return edits_valid_; }
  const std::optional<scenario::Scenario>& scenario() const { return scenario_; }
  // Writes the edited scenario as YAML to `path` (Save / Save As); false and a message on failure.
  bool saveScenarioTo(const QString& path);
  FloorPanel* floorPanel() const { return floor_; }
  TablesPanel* tablesPanel() const { return tables_; }
  // The Scenario tree's context menu at `index`: add (a copy of) a list item, remove one.
  QMenu* scenarioContextMenu(const QModelIndex& index);
  // Unsaved scenario edits (the title shows `*`): closing, opening another file and running
  // ask Save / Discard / Cancel first.
  bool hasUnsavedEdits() const { return edits_unsaved_; }
  // Writes one PNG per chart into `dir` (utilization.png, ..., floor.png); returns the files written.
  QStringList exportChartPngs(const QString& dir, QSize size = QSize(1200, 700));
  // Draws every chart that has data, and the Floor, as the window shows them: each tab brought
  // to the front, laid out, and painted into an image of the chart's size in the window (what
  // the screen gets, without encoding a file). Returns how many were drawn (`--timing`).
  int drawEveryChart();

 signals:
  void runProgress(double fraction);
  // After a run ends: ok (results shown), cancelled, or failed (message shown).
  void runFinished(bool ok, bool cancelled);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  struct RunOutput;
  struct CompareRun {
    QString label;    // "B", "C", ...
    QString path;
    QString name;     // a sweep's variant and its values, else the folder name
    Snapshot charts;  // its tables (a replicated run: replication 0's), or null
    reports::RunKpis kpis;
  };
  bool addCompareRun(const QString& path, const QString& name, QString* error);
  void refreshComparison();
  // Asks Save / Discard / Cancel when the scenario has unsaved edits; true: go on. `discard`
  // is set when the user chose to drop the edits.
  bool confirmUnsavedEdits(const QString& what, bool* discard = nullptr);
  void revertEdits();
  void markEdited(bool unsaved);
  void buildMenus();
  void showMessage(const QString& text, bool error);
  void setSnapshot(Snapshot s, const QString& source);
  void showScenarioYaml(const std::string& yaml);
  void validateEdits();
  bool saveScenario(bool ask);
  void fillFloor();
  void addRecent(const QString& path);
  void rebuildRecentMenu();
  void updateActions();
  void onRunDone();
  void saveResolvedAs();
  void saveResultsAs();
  void exportCurrentChart(bool png);
  void chooseResultsRoot();
  ChartPanel* currentPanel() const;
  // Brings the tab of each chart with data, then the Floor, to the front, lays it out and calls
  // `draw` with the widget to paint and its name ("utilization", ..., "floor").
  void forEachChartShown(const std::function<void(QWidget* widget, const QString& id)>& draw);
  void showOffScreen();
  void fillMarketTab();

  QTabWidget* tabs_ = nullptr;
  QList<ChartPanel*> panels_;
  QTableView* kpi_view_ = nullptr;
  KpiModel* kpi_model_ = nullptr;
  QWidget* summary_page_ = nullptr;
  QTableView* yearly_view_ = nullptr;
  CsvTableModel* yearly_model_ = nullptr;
  QWidget* market_page_ = nullptr;
  QComboBox* market_dimension_ = nullptr;
  QTreeView* scenario_tree_ = nullptr;
  ScenarioModel* scenario_model_ = nullptr;
  QLabel* scenario_status_ = nullptr;
  FloorPanel* floor_ = nullptr;
  TablesPanel* tables_ = nullptr;
  QAction* save_scenario_action_ = nullptr;
  QAction* save_scenario_as_action_ = nullptr;
  bool edits_valid_ = true;
  bool edits_unsaved_ = false;
  QString scenario_file_;  // where Save writes the edited scenario; empty: ask (results folders)
  QPlainTextEdit* messages_ = nullptr;
  QDockWidget* messages_dock_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* elapsed_label_ = nullptr;
  QPushButton* cancel_button_ = nullptr;
  QTimer* elapsed_timer_ = nullptr;
  QElapsedTimer elapsed_;
  QMenu* recent_menu_ = nullptr;
  QAction* run_action_ = nullptr;
  QAction* cancel_action_ = nullptr;
  QAction* save_resolved_action_ = nullptr;
  QAction* save_results_action_ = nullptr;
  QAction* clear_compare_action_ = nullptr;
  // Run > Allow Files Outside the Scenario's Folder: the GUI's --allow-outside-paths.
  QAction* allow_outside_paths_action_ = nullptr;
  scenario::LoadOptions loadOptions() const;

  std::optional<scenario::Scenario> scenario_;  // the opened scenario, validated
  QString scenario_path_;
  std::string resolved_yaml_;                   // of the scenario or the results shown
  Snapshot snapshot_;
  std::optional<reports::RunKpis> snapshot_kpis_;  // of the shown run, for the compare table
  QString snapshot_path_;                          // its folder; empty for a run in memory
  std::vector<CompareRun> compares_;
  std::string saved_yaml_;                         // the scenario tree's text as opened or last saved
  std::optional<reports::ResultsFiles> run_files_;  // the last run's files, for Save Results As
  QString results_root_;
  QString last_message_;

  QThread* thread_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
  std::shared_ptr<RunOutput> output_;
};

}  // namespace dcsim::gui
